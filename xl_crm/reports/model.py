"""The monthly report and the Funnel sheet as DataFrames: pure pandas, no I/O.

`report_model` assembles everything a team or rep report shows from a
`ReportBook`; `funnel_model` is the Funnel sheet of the CRM workbook and of
every report. Writers only lay these out. Metric definitions: kpis.py.

Each table is computed once per month (or evaluation date) for every scope
at once; a report then only picks its scope's rows. Long lists (overdue
follow-ups, stale deals, ...) keep their first LIST_ROWS rows (REP_LIST_ROWS
in a rep's report, which a rep reads as a to-do list and without the owner
column), most urgent first, and count the rest: a manager reads the top of
the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from .. import rules
from ..model.cells import as_date
from ..model.settings import Settings
from ..model.text import DIAGNOSES, NEGLECT
from ..sheets.read import CrmData
from .changes import ChangesView, amount_at, changes_view, stage_at
from .data import OTHER_SHEETS, ReportBook, Snapshot, scope_counts, scope_sums, scope_table, year_before
from .kpis import (
    METRICS,
    TEAM,
    conversion,
    default_as_of,
    in_month,
    metric_table,
    month_bounds,
    reached,
    shift_month,
    tidy,
)
from .method import MethodView, method_view
from .money import MoneyView, money_view
from .plays import value_plays
from .pool import PoolView, pool_view

LIST_ROWS = 100
OPEN_AGE_DAYS = 30  # open deals younger than this are not yet short of touches (section 9)
REP_LIST_ROWS = 20
GRID_LEADS = ("Behind", "Even", "Ahead")
GRID_GROUNDS = ("Ours", "Neutral", "Theirs")
REP_COLUMNS = ("won_amount", "won_count", "win_rate", "new_count", "new_amount", "open_count", "open_amount",
               "weighted_amount", "activities", "overdue_followups", "stale_count", "avg_cycle_days")
REVENUE_KEYS = ("owner", "product", "industry", "region")
OVERDUE = ["customer_id", "name", "owner", "grade", "tier", "last_contact", "next_due", "days_overdue"]
FEW_TOUCHES = ["opportunity_id", "name", "owner", "customer_id", "amount", "closed", "touches"]
STALE = ["opportunity_id", "name", "owner", "customer_id", "stage", "amount", "days_in_stage", "rot_days"]
VIP = ["customer_id", "name", "owner", "revenue_12m", "share"]


@dataclass
class FunnelModel:
    """The funnel at as_of: open pipeline per stage, reached and conversion over the 12-month cohort."""

    as_of: date
    stages: pd.DataFrame  # stage, name, name_zh, probability, open_count, amount, weighted_amount, reached, conversion
    won: int
    lost: int
    win_rate: float | None  # over deals closed in the 12 months ending as_of
    by_rep: pd.DataFrame  # index rep; deals, conversion_1_2..., win_rate
    unknown_count: int = 0  # open deals whose stage at as_of is unknown (no History then): counted apart
    unknown_amount: float = 0.0


@dataclass
class Report:
    """One team or rep report for one month."""

    month: str
    as_of: date
    scope: str  # TEAM or the rep's name
    kpis: pd.DataFrame  # scope, metric, value
    summary: pd.DataFrame  # index metric; current, previous, year_ago
    funnel: FunnelModel
    reps: pd.DataFrame | None  # team report: one row per rep, ranked
    revenue: dict[str, pd.DataFrame]  # owner/product/industry/region -> key, won_count, won_amount, share
    trend: pd.DataFrame  # month, new_count, won_count, won_amount
    overdue: pd.DataFrame
    grade_mix: pd.DataFrame
    touches: pd.DataFrame
    few_touches: pd.DataFrame
    value_mix: pd.DataFrame
    value_diagnosis: tuple[int, str] | None
    grid: pd.DataFrame  # lead x territory counts of open deals
    grid_diagnosis: str | None
    stale: pd.DataFrame
    vip: pd.DataFrame
    tier_mix: pd.DataFrame
    more: dict[str, int] = field(default_factory=dict)  # list -> rows left out (beyond LIST_ROWS)
    method: MethodView | None = None  # the Political map and Competitors sheets (method.py)
    money: MoneyView | None = None  # the Forecast and Collections sheets (money.py)
    changes: ChangesView | None = None  # the Changes sheet (changes.py)
    pool: PoolView | None = None  # the Pool sheet (pool.py)


def _diagnosis(top: int | None, lang: str) -> tuple[int, str] | None:
    """The over-represented value class and what it means, in the report's language."""
    return None if top is None else (top, DIAGNOSES[top](lang))


def as_book(data, settings: Settings | None = None) -> ReportBook:
    """A ReportBook from a ReportBook, a CrmData or a dict of canonical frames."""
    if isinstance(data, ReportBook) and settings in (None, data.settings):
        return data
    if isinstance(data, ReportBook):
        data = {"customers": data.raw_customers, "opportunities": data.raw_opportunities,
                "activities": data.raw_activities, **data.others}
    if isinstance(data, CrmData):
        return ReportBook.from_data(data) if settings is None else ReportBook(
            data.frame("customers"), data.frame("opportunities"), data.frame("activities"), settings, data.lang,
            {key: data.frame(key) for key in OTHER_SHEETS if key in data.tables})
    empty = pd.DataFrame(dtype=object)
    return ReportBook(data.get("customers", empty), data.get("opportunities", empty),
                      data.get("activities", empty), settings or Settings(),
                      others={key: data[key] for key in OTHER_SHEETS if data.get(key) is not None})


def _memo(book: ReportBook, key: tuple, make):
    if key not in book.memo:
        book.memo[key] = make()
    return book.memo[key]


def metrics(book: ReportBook, month: str, as_of: date | None = None, own: bool = True) -> pd.DataFrame:
    """metric_table for every scope, computed once per (month, as_of) in a batch.

    A comparison month (own False) that ends before the workbook's first date
    is all blank: the workbook knows nothing of it, not zeros.
    """
    as_of = as_of or default_as_of(month)
    if not own and (book.first_date is None or month_bounds(month)[1] < book.first_date):
        return _memo(book, ("metrics", "unknown"), lambda: pd.DataFrame(
            np.nan, index=[TEAM, *book.reps], columns=list(METRICS)))
    return _memo(book, ("metrics", month, as_of, own), lambda: metric_table(book, month, as_of, own=own))


class ScopedList:
    """A list sorted most urgent first, with each scope's rows found without a scan."""

    def __init__(self, frame: pd.DataFrame, scope: np.ndarray):
        self.frame = frame.reset_index(drop=True)
        self.rep_frame = self.frame.drop(columns="owner")  # a rep's own list needs no owner column
        order = np.argsort(scope, kind="stable")
        bounds = np.searchsorted(scope[order], np.arange(scope.max(initial=-1) + 2))
        self.rows = {s: order[bounds[s]:bounds[s + 1]] for s in range(len(bounds) - 1)}

    def of(self, scope: int) -> tuple[pd.DataFrame, int]:
        """The scope's first rows (0 is the team: every row; a rep's lack the owner) and how many more there are."""
        if scope == 0:
            return self.frame.iloc[:LIST_ROWS], max(0, len(self.frame) - LIST_ROWS)
        rows = self.rows.get(scope - 1, np.array([], dtype=int))
        return self.rep_frame.iloc[rows[:REP_LIST_ROWS]], max(0, len(rows) - REP_LIST_ROWS)


@dataclass
class DateTables:
    """What every report evaluated at one as_of shows, for every scope."""

    open_count: np.ndarray  # scope x stage: open pipeline at as_of
    open_amount: np.ndarray
    unknown: np.ndarray  # per scope: open deals whose stage at as_of is unknown, and their amount
    unknown_amount: np.ndarray
    reached: np.ndarray  # scope x stage: the 12-month cohort
    deals: np.ndarray  # per scope: deals in the cohort
    won: np.ndarray  # per scope: won / lost in the 12 months ending as_of
    lost: np.ndarray
    grades: np.ndarray  # scope x grade A-E: customers, and overdue ones
    overdue_grades: np.ndarray
    tiers: np.ndarray  # scope x VIP/Key/Regular: customers and revenue_12m
    tier_revenue: np.ndarray
    value_deals: np.ndarray  # scope x value class 1-4 of the open pipeline: deals and amount
    value_amount: np.ndarray
    grid: np.ndarray  # scope x opening letter A-I of the open pipeline
    overdue: ScopedList
    stale: ScopedList
    vip: ScopedList


def _by_scope(book: ReportBook, rows: np.ndarray, scope: np.ndarray, column: np.ndarray, width: int,
              weights: np.ndarray | None = None) -> np.ndarray:
    """scope x column-value table of counts (or weight sums) over some rows; column values 0..width-1."""
    keep = rows & (column >= 0)
    return scope_table(column[keep], scope[keep], len(book.reps), width,
                       None if weights is None else weights[keep]).astype(float)


def _codes(series: pd.Series, labels) -> np.ndarray:
    return series.map({label: i for i, label in enumerate(labels)}).fillna(-1).astype(int).to_numpy()


def date_tables(book: ReportBook, as_of: date) -> DateTables:
    """The tables of one evaluation date, computed once per batch."""
    return _memo(book, ("date", as_of), lambda: _date_tables(book, book.snapshot(as_of)))


def _date_tables(book: ReportBook, snap: Snapshot) -> DateTables:
    o, r, settings = book.opportunities, len(book.reps), book.settings
    n, scope = len(settings.stages), book.deal_scope(snap.as_of)
    pipeline = snap.open_at
    money = amount_at(book, snap.as_of)  # History's amount then, at a past date
    stage = stage_at(book, snap.as_of) - 1  # -1: unknown (a past date History does not cover)
    unknown = pipeline & (stage < 0)
    closed = (o["closed"] > pd.Timestamp(year_before(snap.as_of))) & (o["closed"] <= pd.Timestamp(snap.as_of))
    status = o["status"].to_numpy()
    c = snap.customers
    c_scope = c["scope"].to_numpy()
    grade = _codes(c["grade"], "ABCDE")
    late = snap.overdue
    everyone = np.ones(len(c), dtype=bool)
    tier = _codes(c["tier"], ("VIP", "Key", "Regular"))
    value_class = o["value_class"].fillna(0).to_numpy().astype(int) - 1
    letters = _memo(book, ("opening letters",), lambda: _codes(o["opening"], "ABCDEFGHI"))  # date-free
    overdue = c[late].sort_values(["days_overdue", "customer_id"], ascending=[False, True], kind="stable")
    stale_rows = snap.stale.to_numpy()
    stale = o[stale_rows].assign(days_in_stage=snap.days_in_stage[stale_rows], scope=scope[stale_rows],
                                 owner=book.owner_at(snap.as_of)[stale_rows])
    stale["rot_days"] = stale["stage"].map({st.number: st.rot_days for st in settings.stages})
    stale = stale.sort_values(["days_in_stage", "opportunity_id"], ascending=[False, True], kind="stable")
    vip = c[c["tier"] == "VIP"].sort_values(["revenue_12m", "customer_id"], ascending=[False, True],
                                            kind="stable")
    total = c["revenue_12m"].sum()
    vip = vip.assign(share=vip["revenue_12m"] / total if total else None)  # of the whole team's revenue
    return DateTables(
        open_count=_by_scope(book, pipeline, scope, stage, n), open_amount=_by_scope(book, pipeline, scope, stage, n,
                                                                                     money),
        unknown=scope_counts(unknown, scope, r), unknown_amount=scope_sums(np.where(unknown, money, 0.0), scope, r),
        reached=reached(book, snap.cohort, snap.as_of), deals=scope_counts(snap.cohort, scope, r),
        won=scope_counts((closed & (status == "Won")).to_numpy(), scope, r),
        lost=scope_counts((closed & (status == "Lost")).to_numpy(), scope, r),
        grades=_by_scope(book, everyone, c_scope, grade, 5), overdue_grades=_by_scope(book, late, c_scope, grade, 5),
        tiers=_by_scope(book, everyone, c_scope, tier, 3),
        tier_revenue=_by_scope(book, everyone, c_scope, tier, 3, c["revenue_12m"].to_numpy()),
        value_deals=_by_scope(book, pipeline, scope, value_class, 4),
        value_amount=_by_scope(book, pipeline, scope, value_class, 4, money),
        grid=_by_scope(book, pipeline, scope, letters, 9),
        overdue=ScopedList(overdue[OVERDUE], overdue["scope"].to_numpy()),
        stale=ScopedList(stale[STALE], stale["scope"].to_numpy()),
        vip=ScopedList(vip[VIP], vip["scope"].to_numpy()),
    )


def funnel_model(data, as_of, settings: Settings | None = None, rep: str | None = None) -> FunnelModel:
    """The Funnel sheet's content at as_of, for the team or one rep (refresh and report share it)."""
    book = as_book(data, settings)
    as_of = as_date(as_of)
    t, s = date_tables(book, as_of), book.scope_of(rep)
    stages = book.settings.stages
    probability = np.array([st.probability for st in stages])
    reach = t.reached[s]
    table = pd.DataFrame({
        "stage": [st.number for st in stages], "name": [st.name for st in stages],
        "name_zh": [st.name_zh for st in stages], "probability": probability,
        "open_count": t.open_count[s].astype(int), "amount": t.open_amount[s],
        "weighted_amount": t.open_amount[s] * probability, "reached": reach,
        "conversion": conversion(reach[None, :])[0],
    })
    reps = book.reps if rep is None else [rep]
    rows = [1 + book.reps.index(name) for name in reps]
    rates = conversion(t.reached[rows])
    decided = t.won[rows] + t.lost[rows]
    with np.errstate(divide="ignore", invalid="ignore"):
        win_rate = np.where(decided > 0, t.won[rows] / decided, np.nan)
    by_rep = pd.DataFrame({"deals": t.deals[rows].astype(int),
                           **{f"conversion_{k}_{k + 1}": rates[:, k - 1] for k in range(1, len(stages))},
                           "win_rate": win_rate}, index=pd.Index(reps, dtype=object))
    won, lost = int(t.won[s]), int(t.lost[s])
    return FunnelModel(as_of, table, won, lost, won / (won + lost) if won + lost else None, by_rep,
                       int(t.unknown[s]), float(t.unknown_amount[s]))


@dataclass
class MonthTables:
    """What every report of one month shows, for every scope."""

    metrics: pd.DataFrame
    kpis: pd.DataFrame  # tidy() of metrics: each scope's METRICS rows in turn
    comparison: np.ndarray  # scope x METRICS x (current, previous month, same month a year ago)
    revenue: dict[str, dict[int, pd.DataFrame]]  # key -> scope -> table
    touches: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]  # group -> deals, touches, fewer per scope
    few_touches: ScopedList


def month_tables(book: ReportBook, month: str, as_of: date) -> MonthTables:
    return _memo(book, ("month", month, as_of), lambda: _month_tables(book, month, as_of))


def _month_tables(book: ReportBook, month: str, as_of: date) -> MonthTables:
    o, snap, r = book.opportunities, book.snapshot(as_of), len(book.reps)
    scope, status = book.deal_scope(as_of), o["status"].to_numpy()
    closed = in_month(o["closed"], month)
    won, lost = (status == "Won") & closed, (status == "Lost") & closed
    touches = snap.touches.to_numpy().astype(float)
    least = book.settings.min_touches
    groups = {}
    aged = (o["created"] < pd.Timestamp(as_of - timedelta(days=OPEN_AGE_DAYS))).to_numpy()  # blank: age unknown
    for group, mask in (("Won", won), ("Lost", lost), ("Open", snap.open_at & aged)):
        groups[group] = (scope_counts(mask, scope, r), scope_sums(np.where(mask, touches, 0.0), scope, r),
                         scope_counts(mask & (touches < least), scope, r))
    few = lost & (touches < least)
    few_frame = o[few].assign(touches=snap.touches[few], scope=scope[few], owner=book.owner_at(as_of)[few])
    won_deals = o.loc[won, ["amount", *REVENUE_KEYS]].assign(scope=scope[won], owner=book.owner_at(as_of)[won])
    tables = [metrics(book, month, as_of), metrics(book, shift_month(month, -1), own=False),
              metrics(book, shift_month(month, -12), own=False)]  # one row per scope, in the same order
    return MonthTables(
        metrics=tables[0], kpis=tidy(tables[0]),
        comparison=np.stack([t.reindex(columns=list(METRICS)).to_numpy(dtype=float) for t in tables], axis=2),
        revenue={key: _revenue_by_scope(won_deals, key) for key in REVENUE_KEYS},
        touches=groups, few_touches=ScopedList(few_frame[FEW_TOUCHES], few_frame["scope"].to_numpy()),
    )


def _revenue_by_scope(won: pd.DataFrame, key: str) -> dict[int, pd.DataFrame]:
    """Won count and amount per value of one column (blank as None), largest first, for each scope."""
    frame = pd.DataFrame({"scope": won["scope"].to_numpy() + 1, "key": won[key].astype(object).to_numpy(),
                          "money": won["amount"].fillna(0.0).to_numpy()})
    frame["key"] = frame["key"].where(frame["key"].notna(), None)
    both = pd.concat([frame.assign(scope=0), frame[frame["scope"] > 0]])
    grouped = both.groupby(["scope", "key"], dropna=False).agg(won_count=("money", "size"),
                                                               won_amount=("money", "sum")).reset_index()
    grouped = grouped.sort_values(["scope", "won_amount", "won_count"], ascending=[True, False, False],
                                  kind="stable")
    total = grouped.groupby("scope")["won_amount"].transform("sum")
    grouped["share"] = (grouped["won_amount"] / total).where(total != 0)
    grouped["key"] = grouped["key"].astype(object).where(grouped["key"].notna(), None)
    scopes = grouped.pop("scope").to_numpy()  # sorted: each scope's rows are one run
    starts = np.flatnonzero(np.r_[True, scopes[1:] != scopes[:-1]]) if len(scopes) else np.array([], dtype=int)
    ends = np.r_[starts[1:], len(scopes)]
    return {int(scopes[a]): grouped.iloc[a:b].reset_index(drop=True) for a, b in zip(starts, ends)}


NO_REVENUE = pd.DataFrame({"key": pd.Series([], dtype=object), "won_count": pd.Series([], dtype=int),
                           "won_amount": pd.Series([], dtype=float), "share": pd.Series([], dtype=float)})


def report_model(book: ReportBook, month: str, as_of: date | None = None, rep: str | None = None) -> Report:
    """Everything one report shows: the team's when rep is None, else the rep's."""
    as_of = as_of or default_as_of(month)
    name, s = TEAM if rep is None else rep, book.scope_of(rep)
    m, d = month_tables(book, month, as_of), date_tables(book, as_of)
    table = m.metrics
    summary = pd.DataFrame(m.comparison[s], index=pd.Index(METRICS, dtype=object),
                           columns=["current", "previous", "year_ago"])
    width = len(METRICS)
    kpis = m.kpis if rep is None else m.kpis.iloc[s * width:(s + 1) * width].reset_index(drop=True)
    reps = None
    if rep is None:
        reps = table.drop(index=TEAM)[list(REP_COLUMNS)]
        reps = reps.sort_values(["won_amount", "weighted_amount"], ascending=False, kind="stable")
        reps.insert(0, "rank", range(1, len(reps) + 1))
        reps.index.name = "rep"
    lists = {"overdue": d.overdue.of(s), "few_touches": m.few_touches.of(s), "stale": d.stale.of(s),
             "vip": d.vip.of(s)}
    total_revenue = d.tier_revenue[0].sum()
    value_counts = d.value_deals[s].astype(int)
    letters = dict(zip("ABCDEFGHI", d.grid[s].astype(int)))
    return Report(
        month=month, as_of=as_of, scope=name, kpis=kpis,
        summary=summary, funnel=funnel_model(book, as_of, rep=rep), reps=reps,
        revenue={key: m.revenue[key].get(s, NO_REVENUE) for key in REVENUE_KEYS},
        trend=_trend(book, s, month),
        overdue=lists["overdue"][0],
        grade_mix=pd.DataFrame({"grade": list("ABCDE"), "customers": d.grades[s].astype(int),
                                "overdue": d.overdue_grades[s].astype(int)}),
        touches=_touches(m, s),
        few_touches=lists["few_touches"][0],
        value_mix=_value_mix(value_counts, d.value_amount[s]).assign(play=value_plays(book.lang)),
        value_diagnosis=_diagnosis(rules.diagnosis(value_counts, book.settings), book.lang),
        grid=pd.DataFrame([[letters[rules.opening(ground, lead)] for ground in GRID_GROUNDS] for lead in GRID_LEADS],
                          index=list(GRID_LEADS), columns=list(GRID_GROUNDS)),
        grid_diagnosis=NEGLECT(book.lang) if letters["A"] >= 2 and letters["G"] == 0 else None,
        stale=lists["stale"][0],
        vip=lists["vip"][0],
        tier_mix=pd.DataFrame({"tier": ["VIP", "Key", "Regular"], "customers": d.tiers[s].astype(int),
                               "revenue_12m": d.tier_revenue[s],
                               "share": d.tier_revenue[s] / total_revenue if total_revenue else None}),
        more={key: hidden for key, (_, hidden) in lists.items() if hidden},
        method=method_view(book, month, as_of, s, LIST_ROWS if rep is None else REP_LIST_ROWS),
        money=money_view(book, month, as_of, s, LIST_ROWS if rep is None else REP_LIST_ROWS),
        changes=changes_view(book, month, as_of, s),
        pool=pool_view(book, as_of, s, LIST_ROWS if rep is None else REP_LIST_ROWS),
    )


def _trend(book: ReportBook, scope: int, month: str) -> pd.DataFrame:
    """New and won deals in each of the 12 months ending with the report month."""
    counts = book.months
    last = int(month[:4]) * 12 + int(month[5:]) - 1 - counts["first"]
    columns = {}
    for key, kind in (("new_count", int), ("won_count", int), ("won_amount", float)):
        row = counts[key][scope]
        columns[key] = np.array([row[i] if 0 <= i < len(row) else 0.0 for i in range(last - 11, last + 1)], dtype=kind)
    return pd.DataFrame({"month": [shift_month(month, -back) for back in range(11, -1, -1)], **columns})


def _touches(m: MonthTables, scope: int) -> pd.DataFrame:
    """Touches per deal: deals won and lost in the month, deals open at as_of created more than 30 days before."""
    rows = []
    for group, (deals, touches, fewer) in m.touches.items():
        count = int(deals[scope])
        rows.append({"group": group, "deals": count, "avg_touches": touches[scope] / count if count else None,
                     "fewer_than_min": int(fewer[scope])})
    return pd.DataFrame(rows)


def _value_mix(deals: np.ndarray, amount: np.ndarray) -> pd.DataFrame:
    total = deals.sum()
    return pd.DataFrame({"value_class": [1, 2, 3, 4], "deals": deals, "amount": amount,
                         "share": deals / total if total else None})
