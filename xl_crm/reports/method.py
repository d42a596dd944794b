"""The big-account method's part of a report: the political map, the competitors, the problem openings' plays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from .competitors import CompetitorView, competitor_view
from .data import ReportBook
from .plays import problem_openings
from .political_map import MapView, map_view


@dataclass
class MethodView:
    political_map: MapView
    competitors: CompetitorView
    openings: pd.DataFrame  # plays.DEAL_COLUMNS: open deals in openings A, I, D, F
    openings_hidden: int


def method_view(book: ReportBook, month: str, as_of: date, scope: int, rows_shown: int) -> MethodView:
    """The team's (scope 0) or one rep's (1 + its position) view."""
    openings, hidden = problem_openings(book, as_of, scope, rows_shown)
    return MethodView(map_view(book, as_of, scope, rows_shown), competitor_view(book, month, as_of, scope, rows_shown),
                      openings, hidden)
