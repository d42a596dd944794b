"""The synced values (DOMAIN.md section 1): aggregates across sheets, written as values.

A formula would have to scan the Activities or Opportunities sheet for
every row (O(n^2)); refresh computes them once with pandas instead.
"""

from __future__ import annotations

import pandas as pd

from .rules import revenue_12m, tiers
from .settings import DEFAULT, Settings
from .values import Invalid, as_date, id_key, is_blank
from .vocab import STATUS

SYNCED_CUSTOMER = ("last_contact", "touch_count", "next_close", "revenue_12m", "tier")


def _dates(series: pd.Series) -> pd.Series:
    """Cell values as datetime64 (NaT for blank or unreadable)."""

    def one(value):
        try:
            day = as_date(value)
        except Invalid:
            return None
        return None if day is None else pd.Timestamp(day)

    return pd.to_datetime(series.map(one), errors="coerce")


def ids(series: pd.Series) -> pd.Series:
    """IDs as text keys (numbers typed into an ID column match their text)."""
    return series.map(id_key)


def _column(frame: pd.DataFrame, key: str) -> pd.Series:
    return frame[key] if key in frame else pd.Series(None, index=frame.index, dtype=object)


def _touches(activities: pd.DataFrame, key: str, as_of) -> pd.DataFrame:
    """Activities dated on or before as_of: their id key and date."""
    dates = _dates(_column(activities, "date"))
    keys = ids(_column(activities, key))
    keep = dates.notna() & keys.notna() & (dates <= pd.Timestamp(as_date(as_of)))
    return pd.DataFrame({"id": keys[keep], "date": dates[keep]})


def opportunity_touches(opportunities: pd.DataFrame, activities: pd.DataFrame, as_of) -> pd.Series:
    """touch_count per opportunity row: activities for it dated on or before as_of."""
    counts = _touches(activities, "opportunity_id", as_of)["id"].value_counts()
    keys = ids(_column(opportunities, "opportunity_id"))
    return keys.map(counts.to_dict()).fillna(0).astype(int)


def customer_sync(customers: pd.DataFrame, opportunities: pd.DataFrame, activities: pd.DataFrame, as_of,
                  settings: Settings = DEFAULT) -> pd.DataFrame:
    """last_contact, touch_count, next_close, revenue_12m and tier for every customer row."""
    keys = ids(_column(customers, "customer_id"))
    touches = _touches(activities, "customer_id", as_of)
    grouped = touches.groupby("id")["date"]
    latest = keys.map(grouped.max().to_dict())
    own = _dates(_column(customers, "last_contact"))
    last = pd.concat([own, pd.to_datetime(latest)], axis=1).max(axis=1)
    # an unreadable last_contact stays as it is: check reports it, refresh does not guess
    unreadable = own.isna() & ~_column(customers, "last_contact").map(is_blank)
    out = pd.DataFrame(index=customers.index)
    out["last_contact"] = [
        orig if bad else (None if pd.isna(d) else d.date())
        for orig, bad, d in zip(_column(customers, "last_contact"), unreadable, last)
    ]
    out["touch_count"] = keys.map(grouped.size().to_dict()).fillna(0).astype(int)

    opp_ids = ids(_column(opportunities, "customer_id"))
    is_open = _column(opportunities, "status").map(_is_open)
    closes = _dates(_column(opportunities, "expected_close"))
    next_close = closes[is_open & closes.notna()].groupby(opp_ids).min()
    out["next_close"] = [None if pd.isna(d) else d.date() for d in keys.map(next_close.to_dict())]

    revenue = revenue_12m(opportunities.assign(customer_id=opp_ids), as_of) if len(opportunities) else pd.Series(
        dtype=float)
    out["revenue_12m"] = keys.map(revenue.to_dict()).fillna(0.0).astype(float)
    out["tier"] = tiers(out["revenue_12m"], settings)
    return out


def _is_open(value) -> bool:
    try:
        return STATUS.parse(value) == "Open"
    except Invalid:
        return False
