"""The monthly KPIs (DOMAIN.md section 11) for the team and for every rep.

How each metric is read, for month M (first..last day) and as_of:

- Scope: "Team" is every row; a rep's scope is the rows whose owner (text
  as TRIM gives it) is the rep. Deals and activities with a blank owner
  count for the team only. Customer-level metrics (overdue_followups) use
  the customer's owner. A rep is anyone who owns a deal or logged an
  activity. Deals with no customer (blank or unknown customer_id) count
  like any other deal.
- Values are read as a spreadsheet holds them: statuses and stages in
  English or Chinese (or stage numbers); a blank or unreadable date or
  status leaves the deal out of every metric that needs it; a blank
  amount adds 0.
- new_count, new_amount: deals with created in M; their amounts summed.
- won_count, won_amount / lost_count, lost_amount: status Won / Lost and
  closed_date in M (first and last day included).
- win_rate: won_count / (won_count + lost_count); blank when both are 0.
- avg_cycle_days: mean of closed_date - created (days) over the deals won
  in M that have a created date; blank when there are none.
- open_count, open_amount, weighted_amount: the pipeline open at as_of:
  deals created on or before as_of (or with a blank created) that are Open,
  or Won/Lost with closed_date after as_of. They were open at as_of, so
  each weighs amount x its stage's probability (rules.probability as Open).
- activities: Activities rows dated in M (by the activity's owner).
- overdue_followups: customers whose follow-up status at as_of is Overdue
  (derive.customer_columns over the values sync.customer_sync gives at as_of).
- stale_count: deals stale at as_of (rules.stale: Open and longer in their
  stage than the stage's rot_days).
- conversion_k_(k+1): rules.funnel's conversion over the cohort of deals
  created in the 12 months ending as_of, i.e. in (as_of - 1 year, as_of];
  blank when no deal of the cohort reached stage k.
"""

from __future__ import annotations

import calendar
from datetime import date

import pandas as pd

from .. import rules
from .book import ReportBook

TEAM = "Team"
COUNTS = ("new_count", "won_count", "lost_count", "open_count", "activities", "overdue_followups", "stale_count")
METRICS = (
    "new_count", "new_amount", "won_count", "won_amount", "lost_count", "lost_amount", "win_rate",
    "avg_cycle_days", "open_count", "open_amount", "weighted_amount", "activities", "overdue_followups",
    "stale_count", "conversion_1_2", "conversion_2_3", "conversion_3_4", "conversion_4_5",
)


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of a "YYYY-MM" month."""
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def shift_month(month: str, months: int) -> str:
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + number - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def default_as_of(month: str, today: date | None = None) -> date:
    """The month's last day, or today while the month is running."""
    today = today or date.today()
    first, last = month_bounds(month)
    return today if first <= today <= last else last


def year_before(day: date) -> date:
    """The same calendar day a year earlier (29 February gives the 28th)."""
    return day.replace(year=day.year - 1, day=min(day.day, calendar.monthrange(day.year - 1, day.month)[1]))


def in_month(series: pd.Series, month: str) -> pd.Series:
    first, last = month_bounds(month)
    return series.between(pd.Timestamp(first), pd.Timestamp(last))


def open_at(book: ReportBook, as_of: date) -> pd.Series:
    """Deals open at as_of (section 11): created by then or blank, and Open or closed after as_of."""
    key = ("open_at", as_of)
    if key not in book.memo:
        o, day = book.opportunities, pd.Timestamp(as_of)
        started = o["created"].isna() | (o["created"] <= day)
        closed_later = o["status"].isin(["Won", "Lost"]) & (o["closed"] > day)
        book.memo[key] = started & ((o["status"] == "Open") | closed_later)
    return book.memo[key]


def cohort(book: ReportBook, as_of: date) -> pd.Series:
    """Deals created in the 12 months ending as_of: the funnel's cohort."""
    key = ("cohort", as_of)
    if key not in book.memo:
        created = book.opportunities["created"]
        book.memo[key] = (created > pd.Timestamp(year_before(as_of))) & (created <= pd.Timestamp(as_of))
    return book.memo[key]


def _per_scope(values: pd.Series, owner: pd.Series, scopes: list[str], how: str) -> pd.Series:
    """Team total plus one value per rep; counts and sums of nothing are 0, a mean of nothing blank."""
    team = getattr(values, how)()
    per_rep = getattr(values.groupby(owner), how)().reindex(scopes[1:])
    if how in ("sum", "count"):
        per_rep = per_rep.fillna(0)
    return pd.concat([pd.Series([team], index=[TEAM]), per_rep])


def metric_table(book: ReportBook, month: str, as_of: date, reps: list[str] | None = None) -> pd.DataFrame:
    """One row per scope (Team, then each rep), one column per metric; NaN = blank."""
    reps = book.reps if reps is None else reps
    scopes = [TEAM, *reps]
    o, snap = book.opportunities, book.snapshot(as_of)
    owner, amount = o["owner"], o["amount"].fillna(0.0)
    out = pd.DataFrame(index=scopes)

    def count(mask, who=owner):
        return _per_scope(mask.astype(int), who, scopes, "sum").astype(int)

    def money(mask, values=amount):
        return _per_scope(values.where(mask, 0.0), owner, scopes, "sum")

    new = in_month(o["created"], month)
    out["new_count"], out["new_amount"] = count(new), money(new)
    for state in ("won", "lost"):
        mask = (o["status"] == state.capitalize()) & in_month(o["closed"], month)
        out[f"{state}_count"], out[f"{state}_amount"] = count(mask), money(mask)
    decided = out["won_count"] + out["lost_count"]
    out["win_rate"] = (out["won_count"] / decided).where(decided > 0)
    won = (o["status"] == "Won") & in_month(o["closed"], month)
    cycle = (o["closed"] - o["created"]).dt.days.where(won)
    out["avg_cycle_days"] = _per_scope(cycle, owner, scopes, "mean")
    pipeline = open_at(book, as_of)
    out["open_count"], out["open_amount"] = count(pipeline), money(pipeline)
    out["weighted_amount"] = money(pipeline, o["open_weighted"].fillna(0.0))
    acts = book.activities
    out["activities"] = count(in_month(acts["date"], month), acts["owner"])
    customers = snap.customers
    out["overdue_followups"] = count(customers["followup_status"] == "Overdue", customers["owner"])
    out["stale_count"] = count(snap.stale)
    conversions = funnel_by_scope(book, cohort(book, as_of), scopes)
    for k in range(1, min(5, len(book.settings.stages))):
        out[f"conversion_{k}_{k + 1}"] = conversions[k]
    return out


def funnel_by_scope(book: ReportBook, rows: pd.Series, scopes: list[str]) -> pd.DataFrame:
    """rules.funnel's conversion per stage (columns 1..n) for the team and each rep over some deals."""
    o = book.opportunities[rows]
    table = {}
    for scope in scopes:
        deals = o if scope == TEAM else o[o["owner"] == scope]
        funnel = rules.funnel(deals["stage"], deals["status"], settings=book.settings)
        table[scope] = funnel.set_index("stage")["conversion"]
    return pd.DataFrame(table).T.reindex(scopes)


def tidy(table: pd.DataFrame) -> pd.DataFrame:
    """The KPIs sheet: scope, metric, value (None for blank; counts as int)."""
    rows = []
    for scope, values in table.iterrows():
        for metric in METRICS:
            value = values.get(metric)
            if value is None or pd.isna(value):
                value = None
            elif metric in COUNTS:
                value = int(value)
            else:
                value = float(value)
            rows.append((scope, metric, value))
    return pd.DataFrame(rows, columns=["scope", "metric", "value"], dtype=object)  # None stays blank
