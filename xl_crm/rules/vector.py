"""Apply a scalar rule over pandas columns, so each rule has one definition."""

from __future__ import annotations

import pandas as pd


def vectorised(rule, *columns, **fixed) -> pd.Series:
    """Evaluate `rule` row by row over aligned Series (scalars are broadcast).

    Values go in as Python objects (NaN/NaT read as blank), exactly as a
    spreadsheet cell would hand them to the rule.
    """
    index = next((c.index for c in columns if isinstance(c, pd.Series)), None)
    if index is None:
        raise TypeError("vectorised() needs at least one Series")
    lists = [
        c.astype(object).where(c.notna(), None).tolist() if isinstance(c, pd.Series) else [c] * len(index)
        for c in columns
    ]
    return pd.Series([rule(*row, **fixed) for row in zip(*lists)], index=index, dtype=object)
