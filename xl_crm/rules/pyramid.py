"""Customer pyramid (section 8): the customers that bring 80% and 95% of revenue."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from ..settings import DEFAULT, Settings
from ..values import as_date, as_number, Invalid
from ..vocab import STATUS


def revenue_12m(opportunities: pd.DataFrame, as_of) -> pd.Series:
    """Won amount per customer_id with closed_date in (as_of - 365, as_of]."""
    end = as_date(as_of)
    start = end - timedelta(days=365)
    rows = opportunities[["customer_id", "status", "amount", "closed_date"]].itertuples(index=False)
    totals: dict = {}
    for customer, status, amount, closed in rows:
        try:
            if STATUS.parse(status) != "Won":
                continue
            day, money = as_date(closed), as_number(amount)
        except Invalid:
            continue
        if day is None or money is None or not start < day <= end:
            continue
        totals[customer] = totals.get(customer, 0.0) + money
    return pd.Series(totals, dtype=float)


def tiers(revenue: pd.Series, settings: Settings = DEFAULT) -> pd.Series:
    """VIP / Key / Regular from the share of revenue held by strictly larger customers."""
    revenue = revenue.fillna(0.0).astype(float)
    total = revenue.sum()
    if total <= 0:
        return pd.Series("Regular", index=revenue.index, dtype=object)
    per_value = revenue.groupby(revenue).sum().sort_index(ascending=False)
    before = per_value.cumsum().shift(1, fill_value=0.0) / total
    share = revenue.map(before)
    tier = pd.Series("Regular", index=revenue.index, dtype=object)
    positive = revenue > 0
    tier[positive & (share < settings.tier_key)] = "Key"
    tier[positive & (share < settings.tier_vip)] = "VIP"
    return tier
