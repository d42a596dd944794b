"""The Payments sheet over whole columns (DOMAIN.md section 15): its row formulas' values and the synced
totals they give Opportunities (collected) and Customers (receivable, overdue_receivable).

The totals are one group-by over the payment rows each: a formula on every
deal or customer row would scan the whole Payments sheet (O(n^2)).
A payment's customer is the one its row names, else its deal's.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from ..model.settings import DEFAULT, Settings
from ..model.typed import column, dates, ids, numbers, texts, unreadable
from ..rules.payments import aging, days_late, outstanding
from ..rules.vector import vectorised as vec


def payment_columns(payments: pd.DataFrame, as_of, settings: Settings = DEFAULT) -> pd.DataFrame:
    """outstanding, days_late, aging: the Payments row formulas."""
    c = lambda key: column(payments, key)  # noqa: E731
    out = pd.DataFrame(index=payments.index)
    out["outstanding"] = vec(outstanding, c("amount_due"), c("amount_received"))
    out["days_late"] = vec(days_late, out["outstanding"], c("due_date"), as_of)
    out["aging"] = vec(aging, out["days_late"], settings=settings)
    return out


class PaymentBook:
    """The Payments rows typed once: amounts, dates, and the deal and customer each belongs to."""

    def __init__(self, payments: pd.DataFrame, opportunities: pd.DataFrame):
        c = lambda key: column(payments, key)  # noqa: E731
        deal_ids = ids(column(opportunities, "opportunity_id"))
        deal_customer = pd.Series(ids(column(opportunities, "customer_id")).to_numpy(), index=deal_ids.to_numpy())
        deal_customer = deal_customer[~deal_customer.index.duplicated() & deal_customer.index.notna()]
        self.rows = pd.DataFrame({
            "payment_id": ids(c("payment_id")), "opportunity_id": ids(c("opportunity_id")),
            "due": dates(c("due_date")), "amount_due": numbers(c("amount_due")),
            "received": dates(c("received_date")), "amount_received": numbers(c("amount_received")),
        }, index=payments.index)
        own = ids(c("customer_id"))
        self.rows["customer_id"] = own.where(own.notna(), self.rows["opportunity_id"].map(deal_customer))
        # rules.outstanding is blank when the amount due is blank or unreadable, or the received amount unreadable
        self.known = self.rows["amount_due"].notna() & ~unreadable(c("amount_received"), self.rows["amount_received"])
        self.milestones = texts(c("milestone"))

    @cached_property
    def outstanding(self) -> pd.Series:
        """rules.outstanding of every payment (NaN when unknown): the Outstanding column's values."""
        r = self.rows
        return (r["amount_due"] - r["amount_received"].fillna(0.0)).clip(lower=0.0).where(self.known)

    def late_at(self, as_of) -> pd.Series:
        """rules.days_late at as_of of every payment; NaN when unknown."""
        left, due = self.outstanding, self.rows["due"]
        days = (pd.Timestamp(as_of) - due).dt.days.astype(float)
        late = np.where((left > 0) & (due < pd.Timestamp(as_of)), days, 0.0)
        return pd.Series(late, index=self.rows.index).where(left.notna() & due.notna())

    @cached_property
    def collected(self) -> pd.Series:
        """Sum of amount_received per opportunity_id (the synced column: the total to date)."""
        r = self.rows
        return r["amount_received"].fillna(0.0).groupby(r["opportunity_id"]).sum()

    def receivables(self, as_of) -> pd.DataFrame:
        """receivable and overdue_receivable per customer_id: sums of outstanding, and of it where days_late > 0."""
        left = self.outstanding.fillna(0.0)
        frame = pd.DataFrame({"customer_id": self.rows["customer_id"], "receivable": left,
                              "overdue_receivable": left.where(self.late_at(as_of) > 0, 0.0)})
        return frame.groupby("customer_id")[["receivable", "overdue_receivable"]].sum()


def opportunity_collected(book: PaymentBook, opportunities: pd.DataFrame) -> pd.Series:
    """collected per opportunity row (0 when it has no payments)."""
    keys = ids(column(opportunities, "opportunity_id"))
    return keys.map(book.collected).fillna(0.0).astype(float)


def customer_receivables(book: PaymentBook, customers: pd.DataFrame, as_of) -> pd.DataFrame:
    """receivable and overdue_receivable per customer row (0 when it owes nothing)."""
    totals = book.receivables(as_of)
    keys = ids(column(customers, "customer_id"))
    return pd.DataFrame({key: keys.map(totals[key]).fillna(0.0).astype(float) for key in totals.columns},
                        index=customers.index)


DUE_SOON_DAYS = 7  # Today lists the payments due within a week (DOMAIN.md section 15)


def payments_due(book: PaymentBook, customers: pd.DataFrame, opportunities: pd.DataFrame, as_of,
                 days: int = DUE_SOON_DAYS) -> pd.DataFrame:
    """Today's payments: the late ones (most days late first), then those due within `days` (soonest first).

    Columns: payment_id, customer_id, customer, opportunity_id, milestone, owner, due_date, outstanding,
    days_late (0 when not yet due).
    """
    r, day = book.rows, pd.Timestamp(as_of)
    left = book.outstanding
    late = (left > 0) & (r["due"] < day)
    soon = (left > 0) & (r["due"] >= day) & (r["due"] <= day + pd.Timedelta(days=days))
    names = _lookup(customers, "customer_id", "name")
    owners = _lookup(opportunities, "opportunity_id", "owner")
    rows = pd.DataFrame({"payment_id": r["payment_id"], "customer_id": r["customer_id"],
                         "customer": r["customer_id"].map(names), "opportunity_id": r["opportunity_id"],
                         "milestone": book.milestones, "owner": r["opportunity_id"].map(owners),
                         "due_date": r["due"], "outstanding": left,
                         "days_late": (day - r["due"]).dt.days.where(late, 0)})[late | soon]
    rows = rows.assign(late=rows["days_late"] > 0).sort_values(["late", "days_late", "due_date"],
                                                               ascending=[False, False, True], kind="stable")
    return rows.drop(columns="late").reset_index(drop=True)


def _lookup(frame: pd.DataFrame, key: str, value: str) -> pd.Series:
    """value by ID (the first row of each ID)."""
    found = pd.Series(texts(column(frame, value)).to_numpy(), index=ids(column(frame, key)).to_numpy())
    return found[found.index.notna() & ~found.index.duplicated()]
