"""The pool section of a report (DOMAIN section 16): customers due back to the pool, customers nobody owns.

pool_status is the compute step's at the report's as_of; a customer due
for release counts for its owner, one in the pool for the team only.
Ownership is today's (the owner column has no history), so a comparison
month shows no pool counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ..model.typed import column, dates
from .data import ReportBook, scope_counts

POOL_METRICS = ("release_count", "pool_count")
POOL_COUNTS = POOL_METRICS
RELEASE = ["customer_id", "name", "owner", "tier", "last_contact", "assigned_date", "days_idle"]
UNOWNED = ["customer_id", "name", "industry", "region", "tier", "last_contact", "open_deals"]


@dataclass(frozen=True)
class PoolView:
    release: pd.DataFrame  # the scope's customers due back to the pool, longest idle first
    unowned: pd.DataFrame  # customers with no owner (the team's report only)
    more: dict[str, int]  # list -> rows left out


def _customers(book: ReportBook, as_of: date) -> pd.DataFrame:
    """Every customer with its pool_status at as_of and the days since its last contact or assignment."""
    key = ("pool", as_of)
    if key not in book.memo:
        snap = book.snapshot(as_of)
        frame = snap.customers.loc[:, ~snap.customers.columns.duplicated()].copy()
        frame["assigned_date"] = dates(column(book.raw_customers, "assigned_date")).to_numpy()
        since = pd.concat([dates(frame["last_contact"]), frame["assigned_date"]], axis=1).max(axis=1)
        frame["days_idle"] = (pd.Timestamp(as_of) - since).dt.days
        frame["last_contact"] = dates(frame["last_contact"])
        book.memo[key] = frame
    return book.memo[key]


def pool_metrics(book: ReportBook, as_of: date, own: bool = True) -> dict[str, np.ndarray]:
    """release_count per scope (by the customer's owner), pool_count (team only); NaN for a comparison month."""
    if not own:
        return {key: np.full(book.scopes, np.nan) for key in POOL_METRICS}
    frame = _customers(book, as_of)
    scope, status = frame["scope"].to_numpy(), frame["pool_status"].to_numpy()
    return {"release_count": scope_counts(status == "Release", scope, len(book.reps)).astype(float),
            "pool_count": scope_counts(status == "Pool", scope, len(book.reps)).astype(float)}


def _lists(book: ReportBook, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every customer due back to the pool (longest idle first, a stable sort: a rep's pick keeps its order)
    and every one in it; once per date."""
    key = ("pool lists", as_of)
    if key not in book.memo:
        frame = _customers(book, as_of)
        release = frame[frame["pool_status"] == "Release"].sort_values("days_idle", ascending=False, kind="stable")
        book.memo[key] = release[[*RELEASE, "scope"]], frame.loc[frame["pool_status"] == "Pool", UNOWNED]
    return book.memo[key]


def pool_view(book: ReportBook, as_of: date, scope: int, rows: int) -> PoolView:
    """The lists of one scope (0 the team, 1 + i rep i), each cut at `rows`."""
    release, unowned = _lists(book, as_of)
    if scope:
        release, unowned = release[release["scope"].to_numpy() == scope - 1], unowned.iloc[:0]
    more = {k: len(f) - rows for k, f in (("release", release), ("unowned", unowned)) if len(f) > rows}
    return PoolView(release[RELEASE].iloc[:rows].reset_index(drop=True),
                    unowned.iloc[:rows].reset_index(drop=True), more)
