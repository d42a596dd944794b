"""Apply a scalar rule over pandas columns, so each rule has one definition."""

from __future__ import annotations

import pandas as pd

from ..model.typed import per_row


def vectorised(rule, *columns, **fixed) -> pd.Series:
    """Evaluate `rule` row by row over aligned Series (scalars are broadcast), as object values.

    Values go in as Python objects (NaN/NaT read as blank), exactly as a
    spreadsheet cell would hand them to the rule; each distinct row is
    evaluated once (typed.per_row), since workbook columns repeat a lot.
    """
    index = next((c.index for c in columns if isinstance(c, pd.Series)), None)
    if index is None:
        raise TypeError("vectorised() needs at least one Series")
    return pd.Series(per_row(rule, *columns, **fixed), index=index, dtype=object)
