"""The workbook's data typed once per batch, and what changes with the evaluation date.

A batch writes many months and reps from one read: `ReportBook` reads every
column once into typed columns (dates as datetime64, amounts as floats,
statuses and stages as labels and numbers, owners as rep codes) and
evaluates the date-free rules once per distinct row; `Snapshot` holds what
depends on as_of (synced values, follow-up status, stale deals, touches,
the open pipeline and the funnel cohort) and is built once per date.

Scopes are numbered: 0 is the team, 1 + i is `reps[i]`; `scope` columns
hold the rep's number i (-1 when the owner is blank or not a rep, which
counts for the team only). They hold today's owner; at a past date a deal
counts for its owner then (`deal_scope`, from History's owner rows) and a
customer assigned later for the team only (`customer_scope`).
"""

from __future__ import annotations

import calendar
import weakref
from datetime import date
from functools import cached_property

import numpy as np
import pandas as pd

from .. import rules
from ..compute.step import Computed, Inputs
from ..model.settings import DEFAULT, Settings
from ..model.typed import column, dates, parsed, per_row, texts

REFERENCE = date(2000, 1, 1)
# read for the forecast, the collections, the political map and the competitors
OTHER_SHEETS = ("targets", "payments", "history", "contacts", "deal_contacts", "competitors")


def year_before(day: date) -> date:
    """The same calendar day a year earlier (29 February gives the 28th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def scope_sums(values: np.ndarray, scope: np.ndarray, reps: int) -> np.ndarray:
    """The team's total, then one total per rep (rows of no rep count for the team only)."""
    mine = scope >= 0
    per_rep = np.bincount(scope[mine], weights=values[mine], minlength=reps)
    return np.concatenate([[values.sum()], per_rep])


def scope_table(column: np.ndarray, scope: np.ndarray, reps: int, width: int,
                weights: np.ndarray | None = None) -> np.ndarray:
    """(1 + reps) x width: per value 0..width-1 of `column`, the rows (or their weights) of the team, then each rep."""
    team = np.bincount(column, weights=weights, minlength=width)
    mine = scope >= 0
    per_rep = np.bincount(scope[mine] * width + column[mine], weights=None if weights is None else weights[mine],
                          minlength=reps * width)
    return np.vstack([team, per_rep.reshape(reps, width)])


def scope_counts(mask: np.ndarray, scope: np.ndarray, reps: int) -> np.ndarray:
    """How many rows of the mask, for the team and for each rep."""
    mine = mask & (scope >= 0)
    return np.concatenate([[int(mask.sum())], np.bincount(scope[mine], minlength=reps)])


def _funnel_position(stage, status, settings: Settings, column_name: str) -> int:
    """How far one deal counts in rules.funnel: the stages it reaches, or the stage it is open in (0: none)."""
    table = rules.funnel(pd.Series([stage], dtype=object), pd.Series([status], dtype=object), settings=settings)
    counted = table[column_name].to_numpy()
    if column_name == "reached":
        return int(counted.sum())
    return int(table["stage"].to_numpy()[counted.argmax()]) if counted.any() else 0


class ReportBook:
    """Customers, opportunities and activities typed for the report model."""

    def __init__(self, customers: pd.DataFrame, opportunities: pd.DataFrame, activities: pd.DataFrame,
                 settings: Settings = DEFAULT, lang: str = "en", others: dict[str, pd.DataFrame] | None = None):
        self.settings, self.lang = settings, lang
        self.raw_customers, self.raw_opportunities, self.raw_activities = customers, opportunities, activities
        self.others = dict(others or {})  # Targets, Payments, History: the forecast and collections read them
        self.inputs = Inputs({"customers": customers, "opportunities": opportunities, "activities": activities,
                              **self.others}, settings)
        self.sync = self.inputs.sources
        c = lambda key: column(customers, key)
        self.customers = pd.DataFrame({
            "customer_id": self.sync.customer_ids, "name": texts(c("name")), "owner": texts(c("owner")),
            "industry": texts(c("industry")), "region": texts(c("region")), "assigned": dates(c("assigned_date")),
        }, index=customers.index)
        o = lambda key: column(opportunities, key)
        stage, status = o("stage"), o("status")
        opps = pd.DataFrame({
            "opportunity_id": self.sync.deal_ids, "customer_id": self.sync.deal_customers,
            "name": texts(o("name")), "owner": texts(o("owner")), "product": texts(o("product")),
            "status": self.sync.status, "stage": parsed(settings.stage_index, stage), "amount": self.sync.amount,
            "created": dates(o("created")), "closed": dates(o("closed_date")),
            "value_class": per_row(rules.value_class, o("short_term_score"), o("long_term_score"), settings=settings,
                                   dtype=float),
            "opening": per_row(rules.opening, o("territory"), o("lead")),
        }, index=opportunities.index)
        by_id = self.customers.drop_duplicates("customer_id").set_index("customer_id")
        opps["industry"] = opps["customer_id"].map(by_id["industry"])
        opps["region"] = opps["customer_id"].map(by_id["region"])
        # a deal open at as_of weighs with its stage's probability, whatever it later became; in sums
        # rules.weighted_amount is amount x probability with blank (or unreadable) amounts adding 0
        probability = per_row(rules.probability, stage, "Open", settings=settings, dtype=float)
        opps["open_weighted"] = opps["amount"].fillna(0.0) * probability
        # how far each deal counts in the funnel: rules.funnel asked once per distinct stage and status
        opps["reach"] = per_row(_funnel_position, stage, status, settings=settings, column_name="reached",
                                dtype=int)
        opps["open_stage"] = per_row(_funnel_position, stage, "Open", settings=settings, column_name="open_count",
                                     dtype=int)
        # days_in_stage is as_of minus a date-free start: evaluated once, shifted per date
        is_open = opps["status"] == "Open"
        since = pd.Series(np.nan, index=opps.index)
        since[is_open] = per_row(rules.days_in_stage, o("stage_since")[is_open], o("created")[is_open], REFERENCE,
                                 dtype=float)
        opps["days_at_reference"] = since
        self.opportunities = opps
        a = lambda key: column(activities, key)
        self.activities = pd.DataFrame({"date": dates(a("date")), "owner": texts(a("owner"))},
                                       index=activities.index)
        firsts = [frame.min() for frame in (opps["created"], opps["closed"], dates(o("expected_close")),
                                            dates(c("expected_close")), self.activities["date"],
                                            self.inputs.history.first_dates)]
        known = [day for day in firsts if pd.notna(day)]
        self.first_date: date | None = min(known).date() if known else None
        """The earliest date the workbook records (section 11): no report is made for a month before it."""
        moves = self.owner_moves
        owners = pd.concat([self.customers["owner"], opps["owner"], self.activities["owner"], moves["old"],
                            moves["new"]]).dropna()
        self.reps: list[str] = sorted(set(owners))  # whoever owns a customer, a deal or an activity, or owned a deal
        number = {rep: i for i, rep in enumerate(self.reps)}
        for frame in (opps, self.activities, self.customers):
            frame["scope"] = frame["owner"].map(number).fillna(-1).astype(int)
        self.present: date | None = None
        """The date the workbook's values describe; a report before it reads the state then from History."""
        self._snapshots: dict[date, Snapshot] = {}
        self.memo: dict = {}  # what the model computes once per batch (month tables)
        self.stale_memo: dict = {}  # rules.stale by (status, stage, days): the same rows recur at every date
        self._deal_rows: dict[int, tuple[pd.Index, np.ndarray]] = {}  # id(index) -> (index, each deal row's place)

    @classmethod
    def from_data(cls, data) -> "ReportBook":
        """From a `read_workbook` result (CrmData)."""
        book = cls(data.frame("customers"), data.frame("opportunities"), data.frame("activities"),
                   data.settings, data.lang, {key: data.frame(key) for key in OTHER_SHEETS if key in data.tables})
        book.present = data.as_of or date.today()
        return book

    def per_deal_row(self, values: pd.Series) -> pd.Series:
        """Values keyed by opportunity_id, per deal row of the book (NaN, NaT where the deal has none).

        History's answers at every date share one index: each row's ID is
        looked up in it once per batch, not once per answer.
        """
        index = values.index
        if id(index) not in self._deal_rows:  # the index is kept with its places: its id stays its own
            self._deal_rows[id(index)] = (index, index.get_indexer(self.opportunities["opportunity_id"]))
        places = self._deal_rows[id(index)][1]
        return pd.Series(pd.api.extensions.take(values.to_numpy(), places, allow_fill=True),
                         index=self.opportunities.index)

    @cached_property
    def owner_moves(self) -> pd.DataFrame:
        """History's owner rows (date order) of the deals it shows with an owner other than today's.

        Only these deals belonged to someone else at some past date; every
        other deal counts for today's owner at every date. `before` is the
        owner before the row's date: its old value, or its new one on the row
        that first saw the deal (nothing was known of it before).
        """
        h = self.inputs.history
        rows = h.rows[(h.rows["field"] == "owner").to_numpy()]
        frame = pd.DataFrame({"date": rows["date"], "opportunity_id": rows["opportunity_id"],
                              "old": texts(rows["old"]), "new": texts(rows["new"])})
        if frame.empty:
            return frame.assign(before=frame["old"])
        first_seen = frame["old"].isna() & (frame["date"] == frame["opportunity_id"].map(h.first_dates))
        frame["before"] = frame["old"].where(~first_seen, frame["new"])
        today = self.opportunities.drop_duplicates("opportunity_id").set_index("opportunity_id")["owner"]
        now = frame["opportunity_id"].map(today)
        differs = ~_same(frame["new"], now) | ~_same(frame["before"], now)
        return frame[frame["opportunity_id"].isin(frame.loc[differs, "opportunity_id"])]

    def deal_scope(self, as_of: date) -> np.ndarray:
        """Each deal row's rep number at as_of (-1: no rep): its owner then, as History records it (section 12).

        A deal whose owner History never shows changing counts for today's owner.
        """
        scope = self.opportunities["scope"].to_numpy()
        moves = self.owner_moves
        if moves.empty or not self.is_past(as_of):
            return scope
        if ("owner at", as_of) not in self.memo:
            day = pd.Timestamp(as_of)
            later = moves[(moves["date"] > day).to_numpy()].drop_duplicates("opportunity_id", keep="first")
            then = pd.concat([later.set_index("opportunity_id")["before"],
                              moves[(moves["date"] <= day).to_numpy()].set_index("opportunity_id")["new"]])
            then = then[~then.index.duplicated(keep="last")]  # the latest row on or before as_of wins
            number = pd.Series(range(len(self.reps)), index=self.reps)
            places = then.index.get_indexer(self.opportunities["opportunity_id"])
            codes = then.map(number).fillna(-1).astype(int).to_numpy()
            self.memo["owner at", as_of] = np.where(places >= 0, codes[places], scope)
        return self.memo["owner at", as_of]

    def customer_scope(self, as_of: date) -> np.ndarray:
        """Each customer row's rep number at as_of; -1 (the team's only) when its owner got it after as_of.

        Customers have no History: whose a customer was before its assigned_date is not recorded.
        """
        scope = self.customers["scope"].to_numpy()
        if not self.is_past(as_of):
            return scope
        return np.where((self.customers["assigned"] > pd.Timestamp(as_of)).to_numpy(), -1, scope)

    def owner_at(self, as_of: date) -> pd.Series:
        """Each deal row's owner name at as_of (None: none), for the lists that show it."""
        names = np.array([*self.reps, None], dtype=object)  # every owner is a rep: -1 is a blank owner
        return pd.Series(names[self.deal_scope(as_of)], index=self.opportunities.index, dtype=object)

    def scope_in_month(self, months: np.ndarray) -> np.ndarray:
        """Each deal row's rep number at the end of a month of its own (_month_number values; -1: none)."""
        scope = self.opportunities["scope"].to_numpy().copy()
        moved = self.opportunities["opportunity_id"].isin(self.owner_moves["opportunity_id"]).to_numpy() & (months >= 0)
        for number in np.unique(months[moved]):
            year, month = divmod(int(number), 12)
            rows = moved & (months == number)
            scope[rows] = self.deal_scope(date(year, month + 1, calendar.monthrange(year, month + 1)[1]))[rows]
        return scope

    @cached_property
    def since(self) -> pd.Series:
        """When each deal counts from in a pipeline: created, else its first History date (NaT: unknown)."""
        o = self.opportunities
        first = self.per_deal_row(self.inputs.history.first_dates)
        return pd.to_datetime(o["created"]).fillna(pd.to_datetime(first))

    def open_status(self, as_of: date) -> pd.Series:
        """Deals whose status is Open at as_of: today's status, or before the present History's then.

        A deal closed by as_of (its closed date) is not open then, however late History learnt it.
        """
        o = self.opportunities
        if not self.is_past(as_of):
            return o["status"] == "Open"
        recorded = self.inputs.history.recorded("status", as_of)
        then = self.per_deal_row(recorded)
        return then.where(then.notna(), o["status"]).eq("Open") & ~(o["closed"] <= pd.Timestamp(as_of))

    def is_past(self, as_of: date) -> bool:
        """Whether as_of is before the date the workbook's values describe (then History tells the state)."""
        return self.present is not None and as_of < self.present

    @property
    def scopes(self) -> int:
        return 1 + len(self.reps)

    def scope_of(self, rep: str | None) -> int:
        """0 for the team (rep None), else 1 + the rep's position."""
        return 0 if rep is None else 1 + self.reps.index(rep)

    def snapshot(self, as_of: date) -> "Snapshot":
        if as_of not in self._snapshots:
            self._snapshots[as_of] = Snapshot(self, as_of)
        return self._snapshots[as_of]

    @cached_property
    def months(self) -> dict[str, np.ndarray]:
        """Per scope and calendar month (year * 12 + month - 1): deals new, won and amount won, each for
        its owner at the end of that month."""
        o, reps = self.opportunities, len(self.reps)
        created, closed = _month_number(o["created"]), _month_number(o["closed"])
        known = np.concatenate([created[created >= 0], closed[closed >= 0]])
        first = int(known.min()) if len(known) else 0
        width = (int(known.max()) - first + 1) if len(known) else 1
        won = (o["status"] == "Won").to_numpy() & (closed >= 0)
        money = o["amount"].fillna(0.0).to_numpy()
        out = {"first": first}
        by_created, by_closed = self.scope_in_month(created), self.scope_in_month(closed)
        for key, rows, months, scope, values in (("new_count", created >= 0, created, by_created, None),
                                                 ("won_count", won, closed, by_closed, None),
                                                 ("won_amount", won, closed, by_closed, money)):
            out[key] = scope_table(months[rows] - first, scope[rows], reps, width,
                                   None if values is None else values[rows]).astype(float)
        return out


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
    """Element-wise equality where two blanks are the same."""
    return (a == b) | (a.isna() & b.isna())


def _month_number(days: pd.Series) -> np.ndarray:
    """year * 12 + month - 1 per date; -1 for NaT."""
    known = days.notna().to_numpy()
    out = np.full(len(days), -1)
    out[known] = days.dt.year.to_numpy()[known] * 12 + days.dt.month.to_numpy()[known] - 1
    return out


class Snapshot:
    """Everything that depends on as_of, for every row of the workbook (each part built when first asked).

    A snapshot lives with its book (ReportBook.snapshot): it holds the book weakly.
    """

    def __init__(self, book: ReportBook, as_of: date):
        # a weak reference: the book holds its snapshots, and without a cycle its memory (the whole
        # workbook) is returned as soon as the batch drops it, not at some later garbage collection
        self.book, self.as_of = weakref.proxy(book), as_of
        o, day = book.opportunities, pd.Timestamp(as_of)
        since = book.since
        started = since.isna() | (since <= day)
        closed_later = o["status"].isin(["Won", "Lost"]) & (o["closed"] > day)
        self.open_at = (started & (book.open_status(as_of) | closed_later)).to_numpy()
        """Deals open at as_of (section 11): created by then or blank, and Open or closed after as_of."""
        self.open_dated = self.open_at & since.notna().to_numpy()
        """The deals of open_at whose created date is known: the pipeline of a comparison month.

        A deal with a blank created date is open only at the report's own as_of
        (section 11), unless History dates it: then from its first History date.
        """
        self.cohort = ((o["created"] > pd.Timestamp(year_before(as_of))) & (o["created"] <= day)).to_numpy()
        """Deals created in the 12 months ending as_of: the funnel's cohort."""

    @cached_property
    def computed(self) -> Computed:
        """The compute step at as_of: synced and derived columns, each asked for only when needed."""
        return self.book.inputs.at(self.as_of)

    @cached_property
    def overdue(self) -> np.ndarray:
        """Customers whose follow-up is Overdue at as_of: a comparison month needs no other derived column."""
        return (self.computed.followup["followup_status"] == "Overdue").to_numpy()

    @cached_property
    def customers(self) -> pd.DataFrame:
        """Typed customer columns, the synced values at as_of and the derived follow-up columns."""
        computed, scope = self.computed, self.book.customer_scope(self.as_of)
        mine = self.book.customers.assign(scope=scope, owner=self.book.customers["owner"].where(scope >= 0))
        return pd.concat([mine, computed.customer_synced, computed.customer_derived], axis=1)

    @cached_property
    def days_in_stage(self) -> pd.Series:
        """rules.days_in_stage at as_of for open deals (NaN for the rest: they are not counted)."""
        return self.book.opportunities["days_at_reference"] + (self.as_of - REFERENCE).days

    @cached_property
    def stale(self) -> pd.Series:
        """rules.stale at as_of per deal."""
        o = self.book.opportunities
        is_open = o["status"] == "Open"
        flags = pd.Series(False, index=o.index)
        days = self.days_in_stage[is_open].astype(object).where(self.days_in_stage[is_open].notna(), None)
        stale = per_row(rules.stale, o["status"][is_open], o["stage"][is_open], days,
                        settings=self.book.settings, memo=self.book.stale_memo)
        flags[is_open] = stale == True  # noqa: E712 (element-wise; None is not stale)
        return flags

    @cached_property
    def touches(self) -> pd.Series:
        """touch_count per opportunity row at as_of."""
        return self.computed.opportunity_synced["touch_count"]
