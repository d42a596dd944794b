"""Workbook columns read once into typed pandas columns.

A sheet column holds cells as a spreadsheet holds them (numbers, text,
dates, booleans, None) and repeats the same values many times: each
distinct value is read once with the scalar readers of values.py and the
results are spread back over the rows, so a column of 200,000 cells costs
a hash table, not 200,000 Python calls. Batch code (sync, reports) then
works on datetime64, float and small-label columns with plain pandas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .values import as_date, as_number, blank_on_invalid, cell_text, id_key, is_blank

DATE = "datetime64[s]"  # whole days; unlike nanoseconds it spans years 1-9999 as Excel does


def per_value(read, series: pd.Series, dtype=object) -> np.ndarray:
    """read(cell) for every cell, evaluated once per distinct cell value (None -> NaN/NaT in typed arrays).

    A hash table treats True as 1 and False as 0, but a cell holding TRUE is
    not the number 1, so boolean cells are read on their own.
    """
    values = series.to_numpy(dtype=object)
    codes, uniques = pd.factorize(values)
    results = np.array([*(read(value) for value in uniques), read(None)], dtype=dtype)  # code -1: blank
    out = results[codes]
    if any(type(u) is bool or u in (0, 1) for u in uniques if not isinstance(u, str)):
        flags = np.fromiter((type(v) is bool for v in values), dtype=bool, count=len(values))
        out[flags] = [read(v) for v in values[flags]]
    return out


def column(frame: pd.DataFrame, key: str) -> pd.Series:
    """A column of a canonical frame, or all blanks when the sheet lacks it."""
    return frame[key] if key in frame else pd.Series(None, index=frame.index, dtype=object)


def dates(series: pd.Series) -> pd.Series:
    """datetime64 calendar dates (time parts dropped); NaT for blank or unreadable cells."""
    return pd.Series(per_value(blank_on_invalid(as_date), series, DATE), index=series.index)


def unreadable(series: pd.Series, typed: pd.Series) -> pd.Series:
    """Cells that hold something the typed column could not read (bad input, not blank)."""
    return typed.isna() & ~pd.Series(per_value(is_blank, series), index=series.index).astype(bool)


def numbers(series: pd.Series) -> pd.Series:
    """floats; NaN for blank or unreadable cells."""
    return pd.Series(per_value(blank_on_invalid(as_number), series, float), index=series.index)


def texts(series: pd.Series) -> pd.Series:
    """Cell text as TRIM gives it; None for blank (owners, products, names)."""
    return pd.Series(per_value(lambda v: None if is_blank(v) else cell_text(v), series), index=series.index,
                     dtype=object)


def ids(series: pd.Series) -> pd.Series:
    """IDs as text keys (a number typed into an ID column matches its text); None for blank."""
    return pd.Series(per_value(id_key, series), index=series.index, dtype=object)


def parsed(read, series: pd.Series) -> pd.Series:
    """Any one-cell reader (a vocabulary, a stage table) over a column; None where it fails."""
    return pd.Series(per_value(blank_on_invalid(read), series), index=series.index, dtype=object)
