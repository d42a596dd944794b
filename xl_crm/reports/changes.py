"""Reports at a past date, and a month's Changes, read from History (DOMAIN sections 11 and 12).

A report evaluated before the workbook's present (its fixed AsOf, else
today: `ReportBook.present`) must not show today's state: a deal's stage
then is its History value at that date, unknown when History has none (its
deals are counted apart, in one "stage unknown" row, and a weighted pipeline
that needs their probability is blank); a deal with a blank created date is
open from its first History date. The Changes of month M are read from the
History rows dated in M up to as_of: deals moved forward a stage, close
dates pushed later, amounts added and removed on open deals, and the deals
slipped at as_of (open, expected close before as_of).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ..compute.history import History, known, reader
from ..model.typed import DATE, column, dates, per_value
from .data import ReportBook, scope_counts, scope_sums

CHANGE_METRICS = ("moved_forward", "pushed", "amount_added", "amount_removed", "slipped_count")
CHANGE_COUNTS = ("moved_forward", "pushed", "slipped_count")
FORWARD = ["opportunity_id", "name", "owner", "date", "old", "new"]
PUSHED = ["opportunity_id", "name", "owner", "date", "old", "new", "push_count"]
AMOUNTS = ["opportunity_id", "name", "owner", "date", "old", "new", "change"]
SLIPPED = ["opportunity_id", "name", "owner", "stage", "amount", "expected_close", "days_slipped", "push_count"]


def _memo(book: ReportBook, key: tuple, make):
    if key not in book.memo:
        book.memo[key] = make()
    return book.memo[key]


def history(book: ReportBook) -> History:
    return book.inputs.history


def stage_at(book: ReportBook, as_of: date) -> np.ndarray:
    """Each deal's stage number as an open deal at as_of (0: unknown); today's stage at the present."""
    def make():
        o = book.opportunities
        if not book.is_past(as_of):
            return o["open_stage"].to_numpy()
        return book.per_deal_row(history(book).value_at("stage", as_of)).fillna(0).astype(int).to_numpy()

    return _memo(book, ("stage at", as_of), make)


def reach_at(book: ReportBook, as_of: date) -> np.ndarray:
    """How far each deal had reached at as_of (rules.funnel: Won reaches every stage); -1 unknown.

    A deal closed by then has reached then what it shows now; an open one is as far as History says.
    """
    def make():
        o = book.opportunities
        if not book.is_past(as_of):
            return o["reach"].to_numpy()
        closed = (o["status"].isin(["Won", "Lost"]) & (o["closed"] <= pd.Timestamp(as_of))).to_numpy()
        stage = stage_at(book, as_of)
        return np.where(closed, o["reach"].to_numpy(), np.where(stage > 0, stage, -1))

    return _memo(book, ("reach at", as_of), make)


def amount_at(book: ReportBook, as_of: date) -> np.ndarray:
    """Each deal's amount at as_of for sums (blank 0): History's then for a deal it records by then, else today's."""
    def make():
        o = book.opportunities
        now = o["amount"].fillna(0.0).to_numpy()
        if not book.is_past(as_of):
            return now
        h = history(book)
        then = book.per_deal_row(h.recorded("amount", as_of)).astype(float).fillna(0.0).to_numpy()
        seen = (book.per_deal_row(h.first_dates) <= pd.Timestamp(as_of)).to_numpy()
        return np.where(seen, then, now)

    return _memo(book, ("amount at", as_of), make)


def weighted_amount(book: ReportBook, as_of: date, pipeline: np.ndarray) -> np.ndarray:
    """The weighted open pipeline per scope (amount x the stage's probability then); blank where a stage is unknown."""
    o, r = book.opportunities, len(book.reps)
    scope, amount = book.deal_scope(as_of), amount_at(book, as_of)
    if not book.is_past(as_of):
        return scope_sums(np.where(pipeline, o["open_weighted"].fillna(0.0).to_numpy(), 0.0), scope, r)
    stage = stage_at(book, as_of)
    probability = np.array([0.0] + [st.probability for st in book.settings.stages])[stage]
    sums = scope_sums(np.where(pipeline, amount * probability, 0.0), scope, r)
    unknown = scope_counts(pipeline & (stage == 0), scope, r)
    return np.where(unknown > 0, np.nan, sums)


def close_at(book: ReportBook, as_of: date) -> pd.Series:
    """Each deal's expected close at as_of (datetime64; NaT unknown or blank); today's at the present."""
    def make():
        o = book.opportunities
        if not book.is_past(as_of):
            return dates(column(book.raw_opportunities, "expected_close")).set_axis(o.index)
        at = book.per_deal_row(history(book).value_at("expected_close", as_of))
        return pd.to_datetime(at, errors="coerce").astype(DATE)

    return _memo(book, ("close at", as_of), make)


def slipped(book: ReportBook, as_of: date, pipeline: np.ndarray) -> np.ndarray:
    """Deals open at as_of whose expected close (then) is before as_of: the close date passed without a result."""
    return pipeline & (close_at(book, as_of) < np.datetime64(as_of, "D").astype(DATE)).to_numpy()


def push_counts(book: ReportBook, as_of: date) -> np.ndarray:
    """push_count at as_of per deal row."""
    return _memo(book, ("pushes", as_of), lambda: book.per_deal_row(history(book).push_counts(as_of)).fillna(0)
                 .astype(int).to_numpy())


@dataclass
class MonthChanges:
    """The History rows of one month up to as_of, by kind, each with its deal's row in the book."""

    forward: pd.DataFrame  # FORWARD + scope
    pushed: pd.DataFrame  # PUSHED + scope
    amounts: pd.DataFrame  # AMOUNTS + scope


def month_changes(book: ReportBook, first: date, last: date, as_of: date) -> MonthChanges:
    return _memo(book, ("changes", first, min(last, as_of), as_of),
                 lambda: _month_changes(book, first, min(last, as_of), as_of))


def _month_changes(book: ReportBook, first: date, last: date, as_of: date) -> MonthChanges:
    h, o = history(book), book.opportunities
    rows = h.rows
    window = rows[(rows["date"] >= np.datetime64(first, "D").astype(DATE))
                  & (rows["date"] <= np.datetime64(last, "D").astype(DATE))]
    deals = _memo(book, ("deals by id", as_of), lambda: o[["opportunity_id", "name"]].assign(
        owner=book.owner_at(as_of), scope=book.deal_scope(as_of)).drop_duplicates("opportunity_id")
        .set_index("opportunity_id"))  # each with its owner at as_of
    kept = window[window["opportunity_id"].isin(deals.index)]

    def of(field: str) -> pd.DataFrame:
        part = kept[kept["field"] == field]
        read = reader(field, book.settings, recorded=True)
        frame = pd.DataFrame({"opportunity_id": part["opportunity_id"].to_numpy(),
                              "date": part["date"].dt.date.to_numpy(),
                              "old": per_value(lambda v: known(read(v)), part["old"]),
                              "new": per_value(lambda v: known(read(v)), part["new"])})
        info = deals.loc[frame["opportunity_id"], ["name", "owner", "scope"]].reset_index(drop=True)
        return pd.concat([frame, info], axis=1)

    stages = of("stage")
    forward = stages[_later(stages)]
    names = {st.number: st.label(book.lang) for st in book.settings.stages}
    forward = forward.assign(old=forward["old"].map(names), new=forward["new"].map(names))
    closes = of("expected_close")
    pushed = closes[_later(closes)]
    first = _memo(book, ("first rows",), lambda: (~o["opportunity_id"].duplicated() & o["opportunity_id"].notna())
                  .to_numpy())  # each ID's first row
    counts = pd.Series(push_counts(book, as_of)[first], index=o["opportunity_id"][first])
    pushed = pushed.assign(push_count=pushed["opportunity_id"].map(counts).to_numpy())
    amounts = of("amount")
    firsts = pd.to_datetime(pd.Series(h.first_dates.reindex(amounts["opportunity_id"]).to_numpy())).dt.date
    status, days = np.empty(len(amounts), dtype=object), amounts["date"].to_numpy()
    for day in set(days):  # each refresh date once
        rows = days == day
        status[rows] = h.status_at(day).reindex(amounts["opportunity_id"].to_numpy()[rows]).to_numpy()
    amounts = amounts[(amounts["date"] > firsts).to_numpy() & (status == "Open")]
    change = [(b or 0.0) - (a or 0.0) for a, b in zip(amounts["old"], amounts["new"])]
    amounts = amounts.assign(change=np.array(change, dtype=float))
    amounts = amounts[amounts["change"].to_numpy() != 0]
    latest = lambda f, *keys: f.sort_values([*keys, "date", "opportunity_id"], ascending=[  # noqa: E731
        *[False] * len(keys), False, True], kind="stable").reset_index(drop=True)
    amounts = amounts.assign(size=amounts["change"].abs())
    # the latest moves first, the most pushed deals and the largest amount changes first
    return MonthChanges(latest(forward), latest(pushed, "push_count"), latest(amounts, "size").drop(columns="size"))


def _later(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose new value is known and later (higher) than a known old one."""
    pairs = zip(frame["old"], frame["new"])
    return np.fromiter((a is not None and b is not None and b > a for a, b in pairs), dtype=bool, count=len(frame))


def change_metrics(book: ReportBook, month: str, as_of: date, own: bool = True) -> dict[str, np.ndarray]:
    """CHANGE_METRICS per scope (team, then each rep): counts of deals, sums of money."""
    from .kpis import month_bounds

    first, last = month_bounds(month)
    o, r = book.opportunities, len(book.reps)
    changes = month_changes(book, first, last, as_of)

    def deals(frame: pd.DataFrame) -> np.ndarray:
        distinct = frame.drop_duplicates("opportunity_id")
        mask = o["opportunity_id"].isin(distinct["opportunity_id"]).to_numpy()
        first_rows = _memo(book, ("first ID rows",), lambda: ~o["opportunity_id"].duplicated().to_numpy())
        return scope_counts(mask & first_rows, book.deal_scope(as_of), r)

    def money(values: np.ndarray, scope: np.ndarray) -> np.ndarray:
        mine = scope >= 0
        per_rep = np.bincount(scope[mine], weights=values[mine], minlength=r)
        return np.concatenate([[values.sum()], per_rep])

    change = changes.amounts["change"].to_numpy(dtype=float)
    scope = changes.amounts["scope"].to_numpy(dtype=int)
    snap = book.snapshot(as_of)
    pipeline = snap.open_at if own else snap.open_dated
    return {"moved_forward": deals(changes.forward).astype(float), "pushed": deals(changes.pushed).astype(float),
            "amount_added": money(np.where(change > 0, change, 0.0), scope),
            "amount_removed": money(np.where(change < 0, -change, 0.0), scope),
            "slipped_count": scope_counts(slipped(book, as_of, pipeline), book.deal_scope(as_of), r).astype(float)}


@dataclass
class ChangesView:
    """The Changes sheet of one report: the month's lists for its scope."""

    forward: pd.DataFrame
    pushed: pd.DataFrame
    amounts: pd.DataFrame
    slipped: pd.DataFrame


def _slipped_deals(book: ReportBook, as_of: date) -> pd.DataFrame:
    """The deals slipped at as_of with their stage, close date, days slipped and pushes, sorted; once per date."""
    def make():
        o = book.opportunities
        rows = slipped(book, as_of, book.snapshot(as_of).open_at)
        close = close_at(book, as_of)[rows]
        names = {st.number: st.label(book.lang) for st in book.settings.stages}
        late = o[rows].assign(stage=pd.Series(stage_at(book, as_of)[rows], index=o.index[rows]).map(names),
                              expected_close=close.dt.date,
                              days_slipped=(np.datetime64(as_of, "D").astype(DATE) - close).dt.days,
                              push_count=push_counts(book, as_of)[rows], owner=book.owner_at(as_of)[rows],
                              scope=book.deal_scope(as_of)[rows])
        return late.sort_values(["days_slipped", "opportunity_id"], ascending=[False, True], kind="stable")

    return _memo(book, ("slipped deals", as_of), make)


def changes_view(book: ReportBook, month: str, as_of: date, scope: int) -> ChangesView:
    """The Changes sheet's lists for scope (0 the team, 1 + i the rep i)."""
    from .kpis import month_bounds

    first, last = month_bounds(month)
    changes = month_changes(book, first, last, as_of)
    late = _slipped_deals(book, as_of)

    def mine(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        picked = frame if scope == 0 else frame[frame["scope"].to_numpy() == scope - 1]
        return picked[keys].reset_index(drop=True)

    return ChangesView(mine(changes.forward, FORWARD), mine(changes.pushed, PUSHED), mine(changes.amounts, AMOUNTS),
                       mine(late, SLIPPED))
