"""The plays a report shows where the rep works: per value class (section 6) and per problem opening (section 7).

The Portfolio sheet gives each value class its play beside the mix; the
open deals in Problem (D, F) and Abnormal (A, I) openings are listed with
the nine-grid play for their letter, the abnormal ones first.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ..rules.opening import opening_play, opening_type
from .data import ReportBook
from .political_map import weights

# what to put into a deal of each value class, in short
VALUE_PLAYS = {
    1: ("Put the best people on it and aim to become the main supplier.",
        "投入最强资源，争取成为主供应商。"),
    2: ("Give it good resources, special terms if needed, to get a foot in the door.",
        "给予较好的资源，必要时给特殊条件，先进门。"),
    3: ("A one-off: get the best terms out of it.", "一次性生意：争取最好的条件。"),
    4: ("Least effort: a training ground for new reps.", "最少投入：给新人练手。"),
}
PROBLEM_LETTERS = ("A", "I", "D", "F")
DEAL_COLUMNS = ("opportunity_id", "name", "owner", "customer_id", "opening", "opening_type", "weighted_amount", "play")


def value_plays(lang: str) -> list[str]:
    """The play of classes 1-4, in order."""
    return [VALUE_PLAYS[k][1 if lang == "zh" else 0] for k in (1, 2, 3, 4)]


def problem_openings(book: ReportBook, as_of: date, scope: int, rows_shown: int) -> tuple[pd.DataFrame, int]:
    """Open deals at as_of in openings A, I, D, F with their play (abnormal first, largest weighted first);
    and how many were left out beyond rows_shown."""
    o = book.opportunities
    rows = book.snapshot(as_of).open_at & o["opening"].isin(PROBLEM_LETTERS).to_numpy()
    if scope:
        rows &= o["scope"].to_numpy() == scope - 1
    deals = o.loc[rows, ["opportunity_id", "name", "owner", "customer_id", "opening"]].copy()
    deals["opening_type"] = deals["opening"].map(opening_type)
    deals["weighted_amount"] = weights(book, as_of)[0][rows]
    deals["play"] = deals["opening"].map(lambda letter: opening_play(letter, book.lang))
    deals["_abnormal"] = np.where(deals["opening_type"] == "Abnormal", 0, 1)
    deals = deals.sort_values(["_abnormal", "weighted_amount"], ascending=[True, False], kind="stable")
    deals = deals[list(DEAL_COLUMNS)].reset_index(drop=True)
    return deals.head(rows_shown), max(len(deals) - rows_shown, 0)
