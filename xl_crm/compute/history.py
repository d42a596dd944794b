"""History (DOMAIN section 12): what each deal's tracked fields were, when, as refresh recorded them.

The History sheet is read once into typed columns; a field's value at a
date, push counts and the rows a refresh appends all come from it. Values
are compared canonically (a stage by its place in the stage table, in
either language or by number; an enumeration by its canonical value;
amounts as numbers, dates as dates; anything unreadable as its text) and
written as the workbook shows them (labels in its language, dates as dates).
"""

from __future__ import annotations

from datetime import date
from functools import cached_property

import numpy as np
import pandas as pd

from ..model import schema
from ..model.cells import Invalid, as_date, as_number, cell_text, is_blank
from ..model.dates import parse_date
from ..model.settings import DEFAULT, Settings
from ..model.typed import DATE, column, dates, ids, per_value

TRACKED = ("stage", "status", "amount", "expected_close", "owner", "forecast_category")
_DEALS = schema.OPPORTUNITIES


class Unreadable(str):
    """A value the field cannot read, compared as its text (never equal to a readable value)."""


def reader(field: str, settings: Settings = DEFAULT, recorded: bool = False):
    """cell -> the field's canonical value (None for blank, Unreadable text for bad input).

    recorded: a History cell, which may hold a date or an amount as text (a History loaded from CSV).
    """
    spec = _DEALS.column(field) if field in _DEALS.keys else None
    if spec is None or field == "owner":
        read = cell_text
    elif spec.kind == "stage":
        read = settings.stage_index
    elif spec.kind == "date":
        read = as_date
    elif spec.kind in ("money", "number", "int"):
        read = as_number
    elif spec.vocab is not None:
        read = spec.vocab.parse
    else:
        read = cell_text

    def canonical(value):
        if is_blank(value):
            return None
        try:
            return read(value)
        except Invalid:
            if recorded and isinstance(value, str) and spec is not None and spec.kind != "stage":
                try:
                    return _from_text(spec.kind, value)
                except (Invalid, ValueError):
                    pass
            return Unreadable(cell_text(value))

    return canonical


def known(value):
    """A canonical value, None for an unreadable one."""
    return None if isinstance(value, Unreadable) else value


def _from_text(kind: str, text: str):
    """A date or a number written as text; anything else stays text."""
    if kind == "date":
        return parse_date(text)
    if kind in ("money", "number", "int"):
        return float(text.strip().replace(",", ""))
    raise Invalid(text)


def shown(field: str, value, lang: str, settings: Settings = DEFAULT, read=None):
    """A cell's value as History writes it: labels in the workbook's language, dates as dates, numbers as numbers.

    read: the field's reader, when the caller has it already.
    """
    read = (read or reader(field, settings))(value)
    if read is None:
        return None
    if isinstance(read, Unreadable):
        return value
    if field == "stage":
        return settings.stage(read).label(lang)
    spec = _DEALS.column(field)
    if spec.vocab is not None and field != "owner":
        return spec.vocab.label(read, lang)
    return read


def field_key(value) -> str | None:
    """A History row's field: the canonical key, or a deal column's header in either language."""
    if is_blank(value):
        return None
    key = schema.column_key(_DEALS, cell_text(value))
    return key if key in TRACKED else None


def tracked(opportunities: pd.DataFrame) -> list[str]:
    """The tracked fields the workbook has: a field is tracked once its column exists."""
    return [f for f in TRACKED if f in _DEALS.keys and f in opportunities]


class History:
    """The History sheet, typed once, with the deals it describes."""

    def __init__(self, frame: pd.DataFrame, opportunities: pd.DataFrame, settings: Settings = DEFAULT):
        self.settings = settings
        self.opportunities = opportunities
        typed = pd.DataFrame({
            "date": dates(column(frame, "date")),
            "opportunity_id": ids(column(frame, "opportunity_id")),
            "field": pd.Series(per_value(field_key, column(frame, "field")), index=frame.index, dtype=object),
            "old": column(frame, "old"), "new": column(frame, "new"),
            "order": np.arange(len(frame)),
        }, index=frame.index)
        typed = typed[typed["date"].notna() & typed["opportunity_id"].notna() & typed["field"].notna()]
        typed = typed.assign(deal=pd.factorize(typed["opportunity_id"])[0],  # integer keys: fast to dedupe
                             field=pd.Categorical(typed["field"], categories=TRACKED))
        self.rows = typed.sort_values(["date", "order"], kind="stable")
        self.written = typed  # in the order the rows were written

    def until(self, day: date) -> pd.DataFrame:
        """Rows dated on or before day, in date order (ties in the order they were written)."""
        return self.rows[self.rows["date"] <= np.datetime64(day, "D").astype(DATE)]

    def latest(self, field: str, day: date | None) -> pd.DataFrame:
        """The latest row of the field per deal dated on or before day, indexed by opportunity_id.

        day None: the row written last, whatever its date (what a refresh compares with).
        """
        rows = self.written if day is None else self.until(day)
        rows = rows[(rows["field"] == field).to_numpy()]
        return rows[~rows["deal"].duplicated(keep="last").to_numpy()].set_index("opportunity_id")

    def recorded(self, field: str, day: date) -> pd.Series:
        """The field's canonical value per deal from History alone (unreadable -> None), by opportunity_id."""
        read = reader(field, self.settings, recorded=True)
        new = self.latest(field, day)["new"]
        return pd.Series(per_value(lambda v: known(read(v)), new), index=new.index, dtype=object)

    @cached_property
    def first_dates(self) -> pd.Series:
        """The first History date of each deal (datetime64), by opportunity_id."""
        return self.rows.groupby("opportunity_id", sort=False)["date"].min()

    @cached_property
    def _deals(self) -> pd.DataFrame:
        """Each deal's id, when it existed from (created, else its first History date), status and closed date."""
        opps = self.opportunities
        frame = pd.DataFrame({"opportunity_id": ids(column(opps, "opportunity_id")),
                              "created": dates(column(opps, "created")),
                              "status": pd.Series(per_value(reader("status", self.settings), column(opps, "status")),
                                                  index=opps.index, dtype=object),
                              "closed": dates(column(opps, "closed_date"))}, index=opps.index)
        frame = frame[frame["opportunity_id"].notna()].drop_duplicates("opportunity_id")
        first = pd.Series(self.first_dates.reindex(frame["opportunity_id"]).to_numpy(), index=frame.index)
        frame["since"] = frame["created"].fillna(first).astype(DATE)
        return frame.set_index("opportunity_id")

    def exists(self, day: date) -> pd.Series:
        """Whether each deal existed at day (created, else first recorded, on or before it), by opportunity_id."""
        return self._deals["since"] <= np.datetime64(day, "D").astype(DATE)

    def status_at(self, day: date) -> pd.Series:
        """Each deal's status at day (where History has none yet, section 11's open-at rule); None before it existed."""
        deals = self._deals
        at = np.datetime64(day, "D").astype(DATE)
        state = deals["status"].map(lambda v: None if isinstance(v, Unreadable) else v).astype(object)
        open_then = (state == "Open") | (deals["closed"] > at)
        state = state.where(~open_then, "Open")
        recorded = self.recorded("status", day)
        state = recorded.reindex(deals.index).where(deals.index.isin(recorded.index), state)
        return state.where(self.exists(day), None)

    def value_at(self, field: str, day: date) -> pd.Series:
        """The field's canonical value per deal at day: the latest History value; None when unknown."""
        if field == "status":
            return self.status_at(day)
        return self.recorded(field, day).reindex(self._deals.index).astype(object).where(lambda s: s.notna(), None)

    def push_counts(self, day: date) -> pd.Series:
        """Rows of expected_close dated on or before day whose new date is later than the old, per opportunity_id."""
        rows = self.until(day)
        rows = rows[rows["field"] == "expected_close"]
        read = reader("expected_close", self.settings, recorded=True)
        old, new = per_value(read, rows["old"]), per_value(read, rows["new"])
        later = np.fromiter((isinstance(a, date) and isinstance(b, date) and b > a for a, b in zip(old, new)),
                            dtype=bool, count=len(rows))  # both must be dates
        return rows[later].groupby("opportunity_id").size()

    def appended(self, opportunities: pd.DataFrame, day: date, lang: str) -> pd.DataFrame:
        """The rows a refresh at day appends: one per tracked field whose value differs from its latest History row.

        Latest is the row written last, so a refresh dated before an earlier
        one appends only what changed since. A deal seen for the first time
        gets one row per non-blank field, old blank. Deals are taken in sheet
        order, one row per opportunity_id.
        """
        deals = opportunities.assign(opportunity_id=ids(column(opportunities, "opportunity_id")))
        deals = deals[deals["opportunity_id"].notna()].drop_duplicates("opportunity_id")
        out = []
        for field in tracked(opportunities):
            read = reader(field, self.settings)
            now = per_value(read, deals[field])
            last = self.latest(field, None)
            before = last["new"].reindex(deals["opportunity_id"])
            was = per_value(reader(field, self.settings, recorded=True), before)
            codes = pd.factorize(np.concatenate([now, was]))[0]  # equal values, equal codes; blanks -1
            differs = codes[:len(now)] != codes[len(now):]
            if differs.any():
                out.append(pd.DataFrame({
                    "opportunity_id": deals["opportunity_id"].to_numpy()[differs],
                    "field": field,
                    "old": [None if is_blank(v) else v for v in before.to_numpy()[differs]],
                    "new": per_value(lambda v: shown(field, v, lang, self.settings, read), deals[field][differs]),
                    "position": np.flatnonzero(differs),
                }))
        if not out:
            return pd.DataFrame(columns=schema.HISTORY.keys, dtype=object)
        rows = pd.concat(out).sort_values("position", kind="stable").drop(columns="position")
        rows.insert(0, "date", day)
        return rows.reset_index(drop=True)


def record(frames: dict[str, pd.DataFrame], day: date, lang: str,
           settings: Settings = DEFAULT) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The frames with the History rows a refresh at day appends, and those rows.

    What is computed at day (push counts) then counts the changes recorded at day.
    """
    opps = frames.get("opportunities")
    given = frames.get("history")
    given = pd.DataFrame(columns=schema.HISTORY.keys, dtype=object) if given is None else given
    if opps is None or not len(opps):
        return frames, given.iloc[:0]
    new = History(given, opps, settings).appended(opps, day, lang)
    if not len(new):
        return frames, new
    history = pd.concat([given.reindex(columns=schema.HISTORY.keys), new], ignore_index=True).astype(object)
    return {**frames, "history": history}, new


def first_sighting(frames: dict[str, pd.DataFrame], day: date, lang: str,
                   settings: Settings = DEFAULT) -> dict[str, pd.DataFrame]:
    """The frames of a new workbook with History recording its deals as seen at day (after any History given)."""
    return record(frames, day, lang, settings)[0]
