"""The plays a report shows where the rep works: per value class (section 6) and per problem opening (section 7).

The Portfolio sheet gives each value class its play beside the mix; the
open deals in Problem (D, F) and Abnormal (A, I) openings are listed with
the nine-grid play for their letter, the abnormal ones first.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ..model.text import VALUE_PLAYS
from ..model.vocab import PLAY
from ..rules.opening import opening_type
from .data import ReportBook
from .political_map import weights

PROBLEM_LETTERS = ("A", "I", "D", "F")
DEAL_COLUMNS = ("opportunity_id", "name", "owner", "customer_id", "opening", "opening_type", "weighted_amount", "play")


def value_plays(lang: str) -> list[str]:
    """The play of classes 1-4, in order."""
    return [VALUE_PLAYS[k](lang) for k in (1, 2, 3, 4)]


def _problem_deals(book: ReportBook, as_of: date) -> pd.DataFrame:
    """Every open deal at as_of in openings A, I, D, F, sorted as the lists show them; once per date.

    A stable sort, so a rep's deals (picked from these) are in the order their own sort gives.
    """
    key = ("problem openings", as_of)
    if key not in book.memo:
        o = book.opportunities
        rows = book.snapshot(as_of).open_at & o["opening"].isin(PROBLEM_LETTERS).to_numpy()
        deals = o.loc[rows, ["opportunity_id", "name", "customer_id", "opening"]].assign(
            owner=book.owner_at(as_of)[rows], scope=book.deal_scope(as_of)[rows])
        deals["opening_type"] = deals["opening"].map(opening_type)
        deals["weighted_amount"] = weights(book, as_of)[0][rows]
        # as the workbook's Settings play table words it; an unedited play in the report's language
        deals["play"] = deals["opening"].map(lambda letter: PLAY.label(PLAY.parse(book.settings.play(letter)),
                                                                       book.lang))
        deals["_abnormal"] = np.where(deals["opening_type"] == "Abnormal", 0, 1)
        book.memo[key] = deals.sort_values(["_abnormal", "weighted_amount"], ascending=[True, False], kind="stable")
    return book.memo[key]


def problem_openings(book: ReportBook, as_of: date, scope: int, rows_shown: int) -> tuple[pd.DataFrame, int]:
    """Open deals at as_of in openings A, I, D, F with their play (abnormal first, largest weighted first);
    and how many were left out beyond rows_shown."""
    deals = _problem_deals(book, as_of)
    if scope:
        deals = deals[deals["scope"].to_numpy() == scope - 1]
    deals = deals[list(DEAL_COLUMNS)].reset_index(drop=True)
    return deals.head(rows_shown), max(len(deals) - rows_shown, 0)
