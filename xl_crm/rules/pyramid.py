"""Customer pyramid (section 8): the customers that bring 80% and 95% of revenue."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model import typed
from ..model.cells import as_date
from ..model.settings import DEFAULT, Settings
from ..model.vocab import STATUS


def revenue_12m(opportunities: pd.DataFrame, as_of) -> pd.Series:
    """Won amount per customer_id with closed_date in (as_of - 365, as_of]."""
    won = typed.parsed(STATUS.parse, opportunities["status"]) == "Won"
    return won_in_year(opportunities["customer_id"], won, typed.dates(opportunities["closed_date"]),
                       typed.numbers(opportunities["amount"]), as_of)


def won_in_year(customer: pd.Series, won: pd.Series, closed: pd.Series, amount: pd.Series, as_of) -> pd.Series:
    """revenue_12m over typed columns (won flags, datetime64 closed dates, float amounts).

    Deals with an unreadable close date or amount count for nothing. Sums
    run in row order, as a spreadsheet's running total would.
    """
    end = pd.Timestamp(as_date(as_of))
    keep = (won & amount.notna() & (closed > end - pd.Timedelta(days=365)) & (closed <= end)).to_numpy()
    codes, keys = pd.factorize(customer[keep], use_na_sentinel=False)
    totals = np.zeros(len(keys))
    np.add.at(totals, codes, amount.to_numpy()[keep])
    return pd.Series(dict(zip(keys, totals)), dtype=float)


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
