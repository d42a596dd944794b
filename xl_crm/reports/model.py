"""The monthly report and the Funnel sheet as DataFrames: pure pandas, no I/O.

`report_model` assembles everything a team or rep report shows from a
`ReportBook`; `funnel_model` is the Funnel sheet of the CRM workbook and of
every report. Writers only lay these out. Metric definitions: kpis.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from .. import rules
from ..book.read import CrmData
from ..settings import Settings
from ..values import as_date
from .book import ReportBook
from .kpis import (TEAM, cohort, default_as_of, funnel_by_scope, in_month, metric_table, open_at, shift_month,
                   tidy, year_before)

GRID_LEADS = ("Behind", "Even", "Ahead")
GRID_GROUNDS = ("Ours", "Neutral", "Theirs")
NEGLECT = ("Many A positions and no G on our own ground: existing accounts are being neglected.",
           "我方地盘上A位置多而没有G：老客户正在被忽视。")
REP_COLUMNS = ("won_amount", "won_count", "win_rate", "new_count", "new_amount", "open_count", "open_amount",
               "weighted_amount", "activities", "overdue_followups", "stale_count", "avg_cycle_days")


@dataclass
class FunnelModel:
    """The funnel at as_of: open pipeline per stage, reached and conversion over the 12-month cohort."""

    as_of: date
    stages: pd.DataFrame  # stage, name, name_zh, probability, open_count, amount, weighted_amount, reached, conversion
    won: int
    lost: int
    win_rate: float | None  # over deals closed in the 12 months ending as_of
    by_rep: pd.DataFrame  # index rep; deals, conversion_1_2..., win_rate


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
    revenue: dict[str, pd.DataFrame]  # rep/product/industry/region -> key, won_count, won_amount, share
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


def as_book(data, settings: Settings | None = None) -> ReportBook:
    """A ReportBook from a ReportBook, a CrmData or a dict of canonical frames."""
    if isinstance(data, ReportBook) and settings in (None, data.settings):
        return data
    if isinstance(data, ReportBook):
        data = {"customers": data.raw_customers, "opportunities": data.raw_opportunities,
                "activities": data.raw_activities}
    if isinstance(data, CrmData):
        return ReportBook.from_data(data) if settings is None else ReportBook(
            data.frame("customers"), data.frame("opportunities"), data.frame("activities"), settings, data.lang)
    empty = pd.DataFrame(dtype=object)
    return ReportBook(data.get("customers", empty), data.get("opportunities", empty),
                      data.get("activities", empty), settings or Settings())


def metrics(book: ReportBook, month: str, as_of: date | None = None) -> pd.DataFrame:
    """metric_table for every scope, computed once per (month, as_of) in a batch."""
    as_of = as_of or default_as_of(month)
    key = ("metrics", month, as_of)
    if key not in book.memo:
        book.memo[key] = metric_table(book, month, as_of)
    return book.memo[key]


def funnel_model(data, as_of, settings: Settings | None = None, rep: str | None = None) -> FunnelModel:
    """The Funnel sheet's content at as_of, for the team or one rep (refresh and report share it)."""
    book = as_book(data, settings)
    as_of = as_date(as_of)
    o = book.opportunities
    mine = pd.Series(True, index=o.index) if rep is None else o["owner"] == rep
    pipeline = o[open_at(book, as_of) & mine]
    # open at as_of means Open then, whatever the status became later
    open_table = rules.funnel(pipeline["stage"], pd.Series("Open", index=pipeline.index), pipeline["amount"],
                              book.settings)
    deals = o[cohort(book, as_of) & mine]
    reach = rules.funnel(deals["stage"], deals["status"], settings=book.settings)
    stages = pd.DataFrame({
        "stage": [s.number for s in book.settings.stages], "name": [s.name for s in book.settings.stages],
        "name_zh": [s.name_zh for s in book.settings.stages],
        "probability": [s.probability for s in book.settings.stages],
    })
    stages[["open_count", "amount", "weighted_amount"]] = open_table[["open_count", "amount", "weighted_amount"]]
    stages[["reached", "conversion"]] = reach[["reached", "conversion"]]
    closed = o[mine & (o["closed"] > pd.Timestamp(year_before(as_of))) & (o["closed"] <= pd.Timestamp(as_of))]
    won, lost = int((closed["status"] == "Won").sum()), int((closed["status"] == "Lost").sum())
    reps = book.reps if rep is None else [rep]
    by_rep = funnel_by_scope(book, cohort(book, as_of), reps)
    by_rep.columns = [f"conversion_{k}_{k + 1}" for k in by_rep.columns]
    by_rep = by_rep.drop(columns=by_rep.columns[-1])
    by_rep.insert(0, "deals", deals_per(o[cohort(book, as_of)], reps))
    decided = closed.groupby("owner")["status"].agg(lambda s: s.isin(["Won", "Lost"]).sum())
    wins = closed.groupby("owner")["status"].agg(lambda s: (s == "Won").sum())
    by_rep["win_rate"] = (wins / decided.where(decided > 0)).reindex(reps)
    return FunnelModel(as_of, stages, won, lost, won / (won + lost) if won + lost else None, by_rep)


def deals_per(deals: pd.DataFrame, reps: list[str]) -> pd.Series:
    return deals.groupby("owner").size().reindex(reps).fillna(0).astype(int)


def report_model(book: ReportBook, month: str, as_of: date | None = None, rep: str | None = None) -> Report:
    """Everything one report shows: the team's when rep is None, else the rep's."""
    as_of = as_of or default_as_of(month)
    scope = TEAM if rep is None else rep
    settings, o, snap = book.settings, book.opportunities, book.snapshot(as_of)
    table = metrics(book, month, as_of)
    if rep is not None and rep not in table.index:
        table = metric_table(book, month, as_of, [rep])
    kpi_rows = table if rep is None else table.loc[[scope]]
    summary = pd.DataFrame({
        "current": table.loc[scope],
        "previous": _row(metrics(book, shift_month(month, -1)), scope),
        "year_ago": _row(metrics(book, shift_month(month, -12)), scope),
    })
    mine = pd.Series(True, index=o.index) if rep is None else o["owner"] == rep
    customers = snap.customers if rep is None else snap.customers[snap.customers["owner"] == rep]
    won = mine & (o["status"] == "Won") & in_month(o["closed"], month)
    pipeline = mine & open_at(book, as_of)
    reps = None
    if rep is None:
        reps = table.drop(index=TEAM)[list(REP_COLUMNS)]
        reps = reps.sort_values(["won_amount", "weighted_amount"], ascending=False, kind="stable")
        reps.insert(0, "rank", range(1, len(reps) + 1))
        reps.index.name = "rep"
    classes = o.loc[pipeline, "value_class"]
    return Report(
        month=month, as_of=as_of, scope=scope, kpis=tidy(kpi_rows), summary=summary,
        funnel=funnel_model(book, as_of, rep=rep), reps=reps,
        revenue={key: _revenue(o[won], key) for key in ("owner", "product", "industry", "region")},
        trend=_trend(book, mine, month),
        overdue=_overdue(customers),
        grade_mix=_grade_mix(customers),
        touches=_touches(book, mine, month, as_of),
        few_touches=_few_touches(book, mine, month, as_of),
        value_mix=_value_mix(o[pipeline]),
        value_diagnosis=rules.diagnosis(classes, settings, book.lang),
        grid=_grid(o[pipeline]),
        grid_diagnosis=_grid_diagnosis(o[pipeline], book.lang),
        stale=_stale(book, mine & snap.stale, snap),
        vip=_vip(customers, snap.customers["revenue_12m"].sum()),
        tier_mix=_tier_mix(customers, snap.customers["revenue_12m"].sum()),
    )


def _row(table: pd.DataFrame, scope: str) -> pd.Series:
    return table.loc[scope] if scope in table.index else pd.Series(dtype=float)


def _revenue(won: pd.DataFrame, key: str) -> pd.DataFrame:
    """Won count and amount per value of one column (blank as None), largest first."""
    frame = won.assign(key=won[key].astype(object).where(won[key].notna(), None), money=won["amount"].fillna(0.0))
    grouped = frame.groupby("key", dropna=False).agg(won_count=("money", "size"), won_amount=("money", "sum"))
    grouped = grouped.reset_index().sort_values(["won_amount", "won_count"], ascending=False, kind="stable")
    total = grouped["won_amount"].sum()
    grouped["share"] = grouped["won_amount"] / total if total else None
    return grouped.reset_index(drop=True)


def _trend(book: ReportBook, mine: pd.Series, month: str) -> pd.DataFrame:
    """New and won deals in each of the 12 months ending with the report month."""
    o = book.opportunities[mine]
    rows = []
    for back in range(11, -1, -1):
        m = shift_month(month, -back)
        won = (o["status"] == "Won") & in_month(o["closed"], m)
        rows.append({"month": m, "new_count": int(in_month(o["created"], m).sum()), "won_count": int(won.sum()),
                     "won_amount": float(o.loc[won, "amount"].fillna(0.0).sum())})
    return pd.DataFrame(rows)


def _overdue(customers: pd.DataFrame) -> pd.DataFrame:
    late = customers[customers["followup_status"] == "Overdue"]
    late = late.sort_values(["days_overdue", "customer_id"], ascending=[False, True], kind="stable")
    return late[["customer_id", "name", "owner", "grade", "tier", "last_contact", "next_due", "days_overdue"]]


def _grade_mix(customers: pd.DataFrame) -> pd.DataFrame:
    grades = list("ABCDE")
    overdue = customers["followup_status"] == "Overdue"
    return pd.DataFrame({
        "grade": grades,
        "customers": [int((customers["grade"] == g).sum()) for g in grades],
        "overdue": [int(((customers["grade"] == g) & overdue).sum()) for g in grades],
    })


def _touches(book: ReportBook, mine: pd.Series, month: str, as_of: date) -> pd.DataFrame:
    """Touches per deal for the deals won and lost in the month and those open at as_of."""
    o, touches, least = book.opportunities, book.snapshot(as_of).touches, book.settings.min_touches
    groups = {
        "Won": (o["status"] == "Won") & in_month(o["closed"], month),
        "Lost": (o["status"] == "Lost") & in_month(o["closed"], month),
        "Open": open_at(book, as_of),
    }
    rows = []
    for group, mask in groups.items():
        counts = touches[mask & mine]
        rows.append({"group": group, "deals": len(counts), "avg_touches": counts.mean() if len(counts) else None,
                     "fewer_than_min": int((counts < least).sum())})
    return pd.DataFrame(rows)


def _few_touches(book: ReportBook, mine: pd.Series, month: str, as_of: date) -> pd.DataFrame:
    """Deals lost in the month with fewer than MinTouches touches (section 9)."""
    o, touches = book.opportunities, book.snapshot(as_of).touches
    lost = mine & (o["status"] == "Lost") & in_month(o["closed"], month) & (touches < book.settings.min_touches)
    frame = o[lost].assign(touches=touches[lost])
    return frame[["opportunity_id", "name", "owner", "customer_id", "amount", "closed", "touches"]]


def _value_mix(deals: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for value_class in (1, 2, 3, 4):
        mask = deals["value_class"] == value_class
        rows.append({"value_class": value_class, "deals": int(mask.sum()),
                     "amount": float(deals.loc[mask, "amount"].fillna(0.0).sum())})
    mix = pd.DataFrame(rows)
    total = mix["deals"].sum()
    mix["share"] = mix["deals"] / total if total else None
    return mix


def _grid(deals: pd.DataFrame) -> pd.DataFrame:
    """Open deals per nine-grid letter, laid out lead x territory like DOMAIN.md section 7."""
    counts = deals["opening"].value_counts()
    return pd.DataFrame(
        [[int(counts.get(rules.opening(ground, lead), 0)) for ground in GRID_GROUNDS] for lead in GRID_LEADS],
        index=list(GRID_LEADS), columns=list(GRID_GROUNDS))


def _grid_diagnosis(deals: pd.DataFrame, lang: str) -> str | None:
    """Section 7: two or more A positions and no G on our own ground."""
    counts = deals["opening"].value_counts()
    if counts.get("A", 0) >= 2 and counts.get("G", 0) == 0:
        return NEGLECT[1 if lang == "zh" else 0]
    return None


def _stale(book: ReportBook, mask: pd.Series, snap) -> pd.DataFrame:
    frame = book.opportunities[mask].assign(days_in_stage=snap.days_in_stage[mask])
    frame["rot_days"] = frame["stage"].map(lambda n: book.settings.stage(int(n)).rot_days)
    frame = frame.sort_values(["days_in_stage", "opportunity_id"], ascending=[False, True], kind="stable")
    return frame[["opportunity_id", "name", "owner", "customer_id", "stage", "amount", "days_in_stage",
                  "rot_days"]]


def _vip(customers: pd.DataFrame, total: float) -> pd.DataFrame:
    vip = customers[customers["tier"] == "VIP"].sort_values(["revenue_12m", "customer_id"],
                                                             ascending=[False, True], kind="stable")
    vip = vip[["customer_id", "name", "owner", "revenue_12m"]].copy()
    vip["share"] = vip["revenue_12m"] / total if total else None
    return vip


def _tier_mix(customers: pd.DataFrame, total: float) -> pd.DataFrame:
    rows = []
    for tier in ("VIP", "Key", "Regular"):
        mask = customers["tier"] == tier
        revenue = float(customers.loc[mask, "revenue_12m"].sum())
        rows.append({"tier": tier, "customers": int(mask.sum()), "revenue_12m": revenue,
                     "share": revenue / total if total else None})
    return pd.DataFrame(rows)
