"""The monthly KPIs (DOMAIN.md section 11) for the team and for every rep.

How each metric is read, for month M (first..last day) and as_of:

- Scope: "Team" is every row; a rep's scope is the rows whose owner (text
  as TRIM gives it) is the rep. Deals and activities with a blank owner
  count for the team only. Customer-level metrics (overdue_followups) use
  the customer's owner. A rep is anyone who owns a customer or a deal or
  logged an activity. Deals with no customer (blank or unknown customer_id) count
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
  deals created on or before as_of (or with a blank created, at the
  report's own as_of only: never in a comparison month) that are Open,
  or Won/Lost with closed_date after as_of. They were open at as_of, so
  each weighs amount x its stage's probability (rules.probability as Open).
  A blank created date counts from the deal's first History date. Before
  the workbook's present (ReportBook.present) the status, stage and amount
  are the ones History records at as_of (changes.py; the amount of a deal
  History does not record yet is today's); weighted_amount is blank, and
  the funnel's reached counts too, when some deal's stage then is unknown.
- moved_forward, pushed: deals with a History row dated in M (up to
  as_of) moving the stage up, or the expected close later (both dates).
- amount_added, amount_removed: the increases and decreases of amount
  recorded in M on deals open then (a deal's first sighting is no change).
- slipped_count: deals open at as_of whose expected close then is before as_of.
- activities: Activities rows dated in M (by the activity's owner).
- overdue_followups: customers whose follow-up status at as_of is Overdue
  (the compute step's follow-up columns at as_of).
- stale_count: deals stale at as_of (rules.stale: Open and longer in their
  stage than the stage's rot_days).
- conversion_k_(k+1): rules.funnel's conversion over the cohort of deals
  created in the 12 months ending as_of, i.e. in (as_of - 1 year, as_of];
  blank when no deal of the cohort reached stage k. How far each deal
  reaches is rules.funnel's own answer for that deal (book.py); the counts
  per scope are sums of those.

Every metric is computed for all scopes at once (team, then each rep) with
array sums over the typed columns of the ReportBook.
"""

from __future__ import annotations

import calendar
from datetime import date

import numpy as np
import pandas as pd

from .changes import CHANGE_COUNTS, CHANGE_METRICS, amount_at, change_metrics, reach_at, weighted_amount
from .data import ReportBook, scope_counts, scope_sums, scope_table
from .money import MONEY_COUNTS, MONEY_METRICS, money_metrics
from .political_map import MAP_COUNTS, MAP_METRICS, map_metrics
from .pool import POOL_COUNTS, POOL_METRICS, pool_metrics

TEAM = "Team"
COUNTS = ("new_count", "won_count", "lost_count", "open_count", "activities", "overdue_followups", "stale_count",
          *MONEY_COUNTS, *CHANGE_COUNTS)
METRICS = (
    "new_count", "new_amount", "won_count", "won_amount", "lost_count", "lost_amount", "win_rate",
    "avg_cycle_days", "open_count", "open_amount", "weighted_amount", "activities", "overdue_followups",
    "stale_count", "conversion_1_2", "conversion_2_3", "conversion_3_4", "conversion_4_5",
    *MONEY_METRICS,  # the forecast against the targets and the collections: money.py
    *CHANGE_METRICS,  # what History says moved in the month: changes.py
)

COUNTS += MAP_COUNTS  # the political map: political_map.py
METRICS += MAP_METRICS
COUNTS += POOL_COUNTS  # the pool: pool.py
METRICS += POOL_METRICS


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


def in_month(series: pd.Series, month: str) -> np.ndarray:
    first, last = month_bounds(month)
    return series.between(pd.Timestamp(first), pd.Timestamp(last)).to_numpy()


def reached(book: ReportBook, rows: np.ndarray, as_of: date | None = None) -> np.ndarray:
    """rules.funnel's reached(k) per scope (rows) and stage (columns) over some deals, as far as they were at as_of.

    A scope with a deal whose stage then is unknown (no History) has no known counts: NaN.
    """
    o, n = book.opportunities, len(book.settings.stages)
    reach = o["reach"].to_numpy() if as_of is None else reach_at(book, as_of)
    scope = o["scope"].to_numpy() if as_of is None else book.deal_scope(as_of)
    unknown = scope_counts(rows & (reach < 0), scope, len(book.reps))
    reach, scope = np.maximum(reach[rows], 0), scope[rows]
    at_least = scope_table(reach, scope, len(book.reps), n + 1)  # deals whose furthest stage is exactly k
    counts = np.cumsum(at_least[:, ::-1], axis=1)[:, ::-1][:, 1:].astype(float)  # reached(k) = furthest >= k
    counts[unknown > 0] = np.nan
    return counts


def conversion(counts: np.ndarray) -> np.ndarray:
    """rules.funnel's conversion(k -> k+1) = reached(k+1) / reached(k), NaN when reached(k) is 0 or k is last."""
    out = np.full(counts.shape, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        out[:, :-1] = np.where(counts[:, :-1] > 0, counts[:, 1:] / counts[:, :-1], np.nan)
    return out


def metric_table(book: ReportBook, month: str, as_of: date, reps: list[str] | None = None,
                 own: bool = True) -> pd.DataFrame:
    """One row per scope (Team, then each rep), one column per metric; NaN = blank.

    own: as_of is the report's own date; False for a comparison month, whose
    pipeline leaves out the deals with a blank created date.
    """
    o, snap, r = book.opportunities, book.snapshot(as_of), len(book.reps)
    scope, amount = book.deal_scope(as_of), o["amount"].fillna(0.0).to_numpy()
    out = pd.DataFrame(index=[TEAM, *book.reps])

    def count(mask, where=scope):
        return scope_counts(mask, where, r)

    def money(mask, values=amount):
        return scope_sums(np.where(mask, values, 0.0), scope, r)

    status = o["status"].to_numpy()
    new = in_month(o["created"], month)
    out["new_count"], out["new_amount"] = count(new), money(new)
    closed = in_month(o["closed"], month)
    for state in ("won", "lost"):
        mask = (status == state.capitalize()) & closed
        out[f"{state}_count"], out[f"{state}_amount"] = count(mask), money(mask)
    decided = out["won_count"] + out["lost_count"]
    out["win_rate"] = (out["won_count"] / decided).where(decided > 0)
    won = (status == "Won") & closed
    cycle = (o["closed"] - o["created"]).dt.days.to_numpy()
    timed = won & ~np.isnan(cycle)
    with np.errstate(invalid="ignore"):
        out["avg_cycle_days"] = money(timed, np.nan_to_num(cycle)) / count(timed)
    pipeline = snap.open_at if own else snap.open_dated
    out["open_count"], out["open_amount"] = count(pipeline), money(pipeline, amount_at(book, as_of))
    out["weighted_amount"] = weighted_amount(book, as_of, pipeline)
    acts = book.activities
    out["activities"] = count(in_month(acts["date"], month), acts["scope"].to_numpy())
    out["overdue_followups"] = count(snap.overdue, book.customer_scope(as_of))
    out["stale_count"] = count(snap.stale.to_numpy())
    conversions = conversion(reached(book, snap.cohort, as_of))
    for k in range(1, min(5, len(book.settings.stages))):
        out[f"conversion_{k}_{k + 1}"] = conversions[:, k - 1]
    out = out.assign(**money_metrics(book, month, as_of, own), **change_metrics(book, month, as_of, own))
    out = out.assign(**map_metrics(book, month, as_of, own))
    out = out.assign(**pool_metrics(book, as_of, own))
    return out if reps is None else out.loc[[TEAM, *reps]]


def tidy(table: pd.DataFrame) -> pd.DataFrame:
    """The KPIs sheet: scope, metric, value (None for blank; counts as int)."""
    rows = []
    for scope, values in zip(table.index, table.reindex(columns=list(METRICS)).to_numpy(dtype=object)):
        for metric, value in zip(METRICS, values):
            if value is None or pd.isna(value):
                value = None
            elif metric in COUNTS:
                value = int(value)
            else:
                value = float(value)
            rows.append((scope, metric, value))
    return pd.DataFrame(rows, columns=["scope", "metric", "value"], dtype=object)  # None stays blank
