"""Today's call list: customers whose follow-up is overdue or due, most urgent first, by rep."""

from __future__ import annotations

import pandas as pd

from ..model.typed import ids
from ..model.cells import Invalid, as_date

DUE = ("Overdue", "Due today", "Not contacted")
COLUMNS = ("owner", "customer_id", "name", "grade", "tier", "followup_status", "next_due", "days_overdue",
           "last_contact", "last_activity", "last_activity_type", "last_activity_summary", "next_step")


def _last_activities(activities: pd.DataFrame, as_of) -> pd.DataFrame:
    """The latest activity on or before as_of per customer id."""
    if activities.empty or "date" not in activities or "customer_id" not in activities:
        return pd.DataFrame(columns=["date", "type", "summary", "next_step"])
    end = as_date(as_of)

    def day(value):
        try:
            return as_date(value)
        except Invalid:
            return None

    frame = pd.DataFrame({
        "id": ids(activities["customer_id"]),
        "date": activities["date"].map(day),
        "type": activities.get("type"),
        "summary": activities.get("summary"),
        "next_step": activities.get("next_step"),
    })
    frame = frame[frame["id"].notna() & frame["date"].notna()]
    frame = frame[frame["date"] <= end]
    frame = frame.sort_values("date", kind="stable").groupby("id").tail(1)
    return frame.set_index("id")


def call_list(customers: pd.DataFrame, derived: pd.DataFrame, activities: pd.DataFrame, as_of) -> pd.DataFrame:
    """Rows of the Today sheet (columns COLUMNS), grouped by owner, most overdue first.

    `customers` carries the synced values; `derived` is derive.customer_columns
    of the same rows.
    """
    shown = ["grade", "followup_status", "next_due", "days_overdue"]
    rows = customers.drop(columns=[c for c in shown if c in customers]).join(derived[shown])
    rows = rows[rows["followup_status"].isin(DUE)].copy()
    last = _last_activities(activities, as_of)
    keys = ids(rows["customer_id"]) if "customer_id" in rows else pd.Series(None, index=rows.index)
    rows["last_activity"] = keys.map(last["date"]) if len(last) else None
    rows["last_activity_type"] = keys.map(last["type"]) if len(last) else None
    rows["last_activity_summary"] = keys.map(last["summary"]) if len(last) else None
    rows["next_step"] = keys.map(last["next_step"]) if len(last) else None
    rows["owner_key"] = rows.get("owner", pd.Series(None, index=rows.index)).map(
        lambda v: "\uffff" if v is None or (isinstance(v, float) and v != v) else str(v))  # no owner last
    rows["status_rank"] = rows["followup_status"].map({s: i for i, s in enumerate(DUE)})
    rows = rows.sort_values(["owner_key", "status_rank", "days_overdue", "grade"],
                            ascending=[True, True, False, True], kind="stable")
    for column in COLUMNS:
        if column not in rows:
            rows[column] = None
    return rows[list(COLUMNS)].reset_index(drop=True)
