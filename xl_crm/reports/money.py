"""The manager's money view of a monthly report: the forecast against the targets and the collections.

`money_metrics` gives the KPIs (forecast.py, collections.py) that kpis.py
adds to every scope's metrics; `money_view` the Forecast and Collections
sheets of one report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from .collections import COLLECTION_METRICS, Collections, collection_metrics, collections
from .data import ReportBook
from .forecast import FORECAST_METRICS, forecast_metrics, forecast_months

MONEY_METRICS = FORECAST_METRICS + COLLECTION_METRICS
MONEY_COUNTS = ("won_without_payment_plan",)
FORECAST_COLUMNS = ("target", "won", "commit", "best_case", "pipeline", "weighted", "attainment", "gap")
TEAM = "Team"


# what a Payments row records as it is today: what was owed or planned at an earlier month's end is not kept
TODAYS_PAYMENTS = ("receivable", "overdue_receivable", "won_without_payment_plan")


def money_metrics(book: ReportBook, month: str, as_of: date, own: bool = True) -> dict[str, np.ndarray]:
    """MONEY_METRICS per scope (team, then each rep), NaN for blank (TODAYS_PAYMENTS for a comparison month)."""
    collections = collection_metrics(book, month, as_of)
    if not own:
        collections = {**collections, **{key: np.full(book.scopes, np.nan) for key in TODAYS_PAYMENTS}}
    return {**forecast_metrics(book, month, as_of, own), **collections}


@dataclass
class MoneyView:
    """The Forecast and Collections sheets of one report."""

    forecast: pd.DataFrame  # rep, month, FORECAST_COLUMNS: M and the two months after it, per scope
    by_rep: pd.DataFrame  # rep, target, won, attainment, collected in M: the reps of the report
    collections: Collections


def money_view(book: ReportBook, month: str, as_of: date, scope: int, rows_shown: int) -> MoneyView:
    """The money view of the team (scope 0, every rep too) or of one rep (1 + its position)."""
    key = ("money months", month, as_of)
    if key not in book.memo:
        book.memo[key] = forecast_months(book, month, as_of)
    names = [TEAM, *book.reps]
    scopes = range(len(names)) if scope == 0 else [scope]
    rows = [{"rep": names[s], "month": later, **{k: values[k][s] for k in FORECAST_COLUMNS}}
            for s in scopes for later, values in book.memo[key]]
    this = book.memo[key][0][1]
    collected = collection_metrics(book, month, as_of)["collected"]
    reps = list(range(1, len(names))) if scope == 0 else [scope]
    by_rep = pd.DataFrame({"rep": [names[s] for s in reps], "target": this["target"][reps],
                           "won": this["won"][reps], "attainment": this["attainment"][reps],
                           "collected": collected[reps]})
    return MoneyView(pd.DataFrame(rows, columns=["rep", "month", *FORECAST_COLUMNS]), by_rep,
                     collections(book, as_of, scope, rows_shown))
