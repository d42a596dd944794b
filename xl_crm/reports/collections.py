"""Collections (回款, DOMAIN.md section 15) in the monthly report, for the team and every rep at once.

A payment belongs to the owner of its deal (its opportunity_id); a payment
of an unknown deal counts for the team only. Outstanding and days late are
the Payments row formulas' (rules.payments) at the report's as_of.

- collected: amount_received with received_date in M.
- receivable / overdue_receivable: outstanding at as_of of every payment,
  and of those with days_late > 0.
- won_without_payment_plan: deals Won with closed_date in the 12 months
  ending as_of ((as_of - 365, as_of]) that no Payments row names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ..compute.payments import PaymentBook
from .data import ReportBook, scope_counts, scope_sums, scope_table
from .forecast import month_range

COLLECTION_METRICS = ("collected", "receivable", "overdue_receivable", "won_without_payment_plan")
BUCKETS = ("Current", "1-30", "31-90", ">90")
LATE = ["payment_id", "opportunity_id", "customer_id", "owner", "milestone", "due_date", "outstanding", "days_late"]
NO_PLAN = ["opportunity_id", "name", "owner", "customer_id", "amount", "closed"]


class CollectionBook:
    """The Payments rows of a ReportBook, typed once, each with its deal's row in the book."""

    def __init__(self, book: ReportBook):
        self.payments: PaymentBook = book.inputs.payments  # the compute step's: typed once per batch
        o = book.opportunities
        first = (~o["opportunity_id"].duplicated() & o["opportunity_id"].notna()).to_numpy()
        place = pd.Series(np.flatnonzero(first), index=o["opportunity_id"][first])
        rows = self.payments.rows
        self.deal_row = rows["opportunity_id"].map(place).fillna(-1).astype(int).to_numpy()  # -1: no such deal
        self.milestone = self.payments.milestones
        self.planned = o["opportunity_id"].isin(set(rows["opportunity_id"].dropna())).to_numpy()

    def scope_at(self, book: ReportBook, as_of: date) -> np.ndarray:
        """Each payment's rep number at as_of: its deal's owner then (section 15)."""
        return np.append(book.deal_scope(as_of), -1)[self.deal_row]  # -1 (no deal) takes the appended -1

    def owner_at(self, book: ReportBook, as_of: date) -> pd.Series:
        """Each payment's owner name at as_of, for the late list."""
        owners = np.append(book.owner_at(as_of).to_numpy(), None)[self.deal_row]
        return pd.Series(owners, index=self.payments.rows.index, dtype=object)


def collection_book(book: ReportBook) -> CollectionBook:
    if ("collections",) not in book.memo:
        book.memo["collections",] = CollectionBook(book)
    return book.memo["collections",]


def _no_plan(book: ReportBook, as_of: date) -> np.ndarray:
    o, day = book.opportunities, pd.Timestamp(as_of)
    won = ((o["status"] == "Won") & (o["closed"] > day - pd.Timedelta(days=365)) & (o["closed"] <= day)).to_numpy()
    return won & ~collection_book(book).planned


def _memo(book: ReportBook, key: tuple, make):
    if key not in book.memo:
        book.memo[key] = make()
    return book.memo[key]


@dataclass
class Owed:
    """Every payment at one as_of: outstanding, days late (NaN when unknown) and aging bucket 0-3."""

    left: pd.Series
    days: pd.Series
    bucket: np.ndarray


def owed_at(book: ReportBook, as_of: date) -> Owed:
    """The payments at as_of, computed once per batch."""
    def make():
        payments, settings = collection_book(book).payments, book.settings
        days = payments.late_at(as_of)
        bucket = np.select([days <= 0, days <= settings.aging_days_1, days <= settings.aging_days_2], [0, 1, 2], 3)
        return Owed(payments.outstanding, days, bucket)
    return _memo(book, ("owed", as_of), make)


def collection_metrics(book: ReportBook, month: str, as_of: date) -> dict[str, np.ndarray]:
    """COLLECTION_METRICS per scope (team, then each rep)."""
    return _memo(book, ("collection metrics", month, as_of), lambda: _collection_metrics(book, month, as_of))


def _collection_metrics(book: ReportBook, month: str, as_of: date) -> dict[str, np.ndarray]:
    c, reps, owed = collection_book(book), len(book.reps), owed_at(book, as_of)
    rows = c.payments.rows
    first, last = month_range(month)
    received = ((rows["received"] >= first) & (rows["received"] <= last)).to_numpy()
    left = owed.left.fillna(0.0).to_numpy()
    late = (owed.days > 0).to_numpy()
    scope = c.scope_at(book, as_of)
    sums = lambda values: scope_sums(values, scope, reps)  # noqa: E731
    return {
        "collected": sums(np.where(received, rows["amount_received"].fillna(0.0).to_numpy(), 0.0)),
        "receivable": sums(left), "overdue_receivable": sums(np.where(late, left, 0.0)),
        "won_without_payment_plan": scope_counts(_no_plan(book, as_of), book.deal_scope(as_of), reps).astype(float),
    }


@dataclass
class Collections:
    """The Collections sheet of one report."""

    aging: pd.DataFrame  # bucket, payments, outstanding
    late: pd.DataFrame  # the largest late payments (LATE columns)
    no_plan: pd.DataFrame  # Won deals of the last 12 months without a payment plan (NO_PLAN columns)
    more_late: int
    more_no_plan: int


def _lists(book: ReportBook, as_of: date) -> tuple[np.ndarray, np.ndarray, dict, dict]:
    """Per scope, once: the aging counts and amounts, the late payments (largest first) and the won deals
    without a plan (latest first); each list keyed by scope (0 the team, 1 + i the rep i)."""
    def make():
        c, owed = collection_book(book), owed_at(book, as_of)
        r = c.payments.rows
        counted = (owed.left > 0).to_numpy() & owed.days.notna().to_numpy()
        left, scope = owed.left.to_numpy(), c.scope_at(book, as_of)
        counts = scope_table(owed.bucket[counted], scope[counted], len(book.reps), 4)
        amounts = scope_table(owed.bucket[counted], scope[counted], len(book.reps), 4, left[counted])
        late = pd.DataFrame({"payment_id": r["payment_id"], "opportunity_id": r["opportunity_id"],
                             "customer_id": r["customer_id"], "owner": c.owner_at(book, as_of),
                             "milestone": c.milestone, "due_date": r["due"], "outstanding": owed.left,
                             "days_late": owed.days, "scope": scope})
        late = late[((owed.left > 0) & (owed.days > 0)).to_numpy()]
        late = late.sort_values(["outstanding", "days_late"], ascending=False, kind="stable")
        o, none = book.opportunities, _no_plan(book, as_of)
        no_plan = o[none].assign(owner=book.owner_at(as_of)[none], scope=book.deal_scope(as_of)[none])
        no_plan = no_plan.sort_values(["closed", "opportunity_id"], ascending=[False, True],
                                      kind="stable")[[*NO_PLAN, "scope"]]
        return counts, amounts, _by_scope(late), _by_scope(no_plan)
    return _memo(book, ("collection lists", as_of), make)


def _by_scope(frame: pd.DataFrame) -> dict[int, pd.DataFrame]:
    """0: every row; 1 + i: rep i's rows without the owner column."""
    lists, shown = {0: frame.drop(columns="scope")}, frame.drop(columns=["scope", "owner"])
    for scope, rows in frame.groupby("scope", sort=False).indices.items():
        if scope >= 0:
            lists[scope + 1] = shown.iloc[rows]
    return lists


def collections(book: ReportBook, as_of: date, scope: int, rows_shown: int) -> Collections:
    """The aging table and the two lists of one scope (0: the team) at as_of."""
    counts, amounts, late, no_plan = _lists(book, as_of)
    aging = pd.DataFrame({"bucket": list(BUCKETS), "payments": counts[scope].astype(int),
                          "outstanding": amounts[scope]})
    empty = lambda lists: lists[0].drop(columns="owner").iloc[:0]  # noqa: E731
    late, no_plan = late.get(scope, empty(late)), no_plan.get(scope, empty(no_plan))
    return Collections(aging, late.head(rows_shown).reset_index(drop=True), no_plan.head(rows_shown).reset_index(
        drop=True), max(0, len(late) - rows_shown), max(0, len(no_plan) - rows_shown))
