"""Apply a scalar rule over pandas columns, so each rule has one definition."""

from __future__ import annotations

import pandas as pd


def vectorised(rule, *columns, **fixed) -> pd.Series:
    """Evaluate `rule` row by row over aligned Series (scalars are broadcast).

    Values go in as Python objects (NaN/NaT read as blank), exactly as a
    spreadsheet cell would hand them to the rule. Workbook columns repeat a
    lot, so each distinct input row is evaluated once.
    """
    index = next((c.index for c in columns if isinstance(c, pd.Series)), None)
    if index is None:
        raise TypeError("vectorised() needs at least one Series")
    lists = [
        c.astype(object).where(c.notna(), None).tolist() if isinstance(c, pd.Series) else [c] * len(index)
        for c in columns
    ]
    cache: dict = {}
    out = []
    for row in zip(*lists):
        key = tuple((type(v), v) for v in row)  # 1, 1.0 and True are different cell values
        try:
            value = cache[key]
        except KeyError:
            value = cache[key] = rule(*row, **fixed)
        out.append(value)
    return pd.Series(out, index=index, dtype=object)
