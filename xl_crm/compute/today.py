"""Today's call list: customers whose follow-up is overdue or due, most urgent first, by rep.

Overdue and due-today customers are always listed. Never-contacted ones
are not all urgent: a list of 1,700 new names would bury the few calls
that are. Each rep gets at most NEW_PER_REP of them a day, best grade
first (then VIP, Key), and the rest are counted; as those are contacted,
the next ones come up.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from ..model.cells import Invalid, as_date, is_blank
from ..model.typed import ids
from ..model.vocab import TIER

DUE = ("Overdue", "Due today", "Not contacted")
NEW_PER_REP = 10  # never-contacted customers listed per rep and day
TIER_RANK = {"VIP": 0, "Key": 1}
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


def call_list(customers: pd.DataFrame, derived: pd.DataFrame, activities: pd.DataFrame, as_of,
              new_per_rep: int = NEW_PER_REP) -> pd.DataFrame:
    """Rows of the Today sheet (columns COLUMNS), grouped by owner, most overdue first.

    `customers` carries the synced values; `derived` is derive.customer_columns
    of the same rows. attrs: not_listed, owner (None: no owner) -> never-contacted customers left out;
    new_per_rep, the quota.
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
    rows["tier_rank"] = rows.get("tier", pd.Series(None, index=rows.index)).map(_tier_rank)
    rows = rows.sort_values(["owner_key", "status_rank", "days_overdue", "grade", "tier_rank"],
                            ascending=[True, True, False, True, True], kind="stable")
    rows, not_listed = _quota(rows, new_per_rep)
    for column in COLUMNS:
        if column not in rows:
            rows[column] = None
    calls = rows[list(COLUMNS)].reset_index(drop=True)
    calls.attrs.update(not_listed=not_listed, new_per_rep=new_per_rep)
    return calls


def _tier_rank(value) -> int:
    try:
        return TIER_RANK.get(TIER.parse(value), len(TIER_RANK))
    except Invalid:
        return len(TIER_RANK)


def _quota(rows: pd.DataFrame, per_rep: int) -> tuple[pd.DataFrame, dict]:
    """The rows with each owner's never-contacted customers cut to the first per_rep; the count left out by owner."""
    new = rows["followup_status"] == "Not contacted"
    place = new.astype(int).groupby(rows["owner_key"]).cumsum()
    left = new & (place > per_rep)
    owners = rows.get("owner", pd.Series(None, index=rows.index))[left]
    owners = [None if is_blank(v) else str(v) for v in owners.tolist()]
    return rows[~left], dict(Counter(owners))
