"""Workbook columns read once into typed pandas columns.

A sheet column holds cells as a spreadsheet holds them (numbers, text,
dates, booleans, None) and repeats the same values many times: each
distinct value (or row of values) is read once with the scalar readers of
values.py or a rule, and the results are spread back over the rows, so a
column of 200,000 cells costs a hash table and a sort, not 200,000 Python
calls. Batch code (sync, reports) then
works on datetime64, float and small-label columns with plain pandas.
"""

from __future__ import annotations

from itertools import repeat

import numpy as np
import pandas as pd

from ..model.cells import as_date, as_number, blank_on_invalid, cell_text, id_key, is_blank

DATE = "datetime64[s]"  # whole days; unlike nanoseconds it spans years 1-9999 as Excel does


def per_row(rule, *args, dtype=object, memo: dict | None = None, **fixed) -> np.ndarray:
    """rule(*cells, **fixed) for every row of aligned Series (scalars are broadcast), once per distinct row.

    memo: results of earlier calls of the same rule with the same fixed
    arguments, by row (a batch evaluating a date-free rule at many dates
    asks each distinct row once in all). Returns an array (None becomes
    NaN/NaT when dtype is a number or date type).
    """
    cells = [a.to_numpy(dtype=object) if isinstance(a, pd.Series) else a for a in args]
    varying = [c for c in cells if isinstance(c, np.ndarray)]
    key = _codes(varying[0])
    for more in varying[1:]:  # one code per distinct combination, kept below the row count
        key = pd.factorize(key * (len(more) + 3) + _codes(more) + 1)[0]
    inverse, distinct = pd.factorize(key)
    first = np.full(len(distinct), len(key))
    np.minimum.at(first, inverse, np.arange(len(key)))
    rows = zip(*(c[first] if isinstance(c, np.ndarray) else repeat(c, len(first)) for c in cells))
    if memo is None:
        results = [rule(*row, **fixed) for row in rows]
    else:
        results = [_recall(rule, row, fixed, memo) for row in rows]
    results = np.array(results, dtype=dtype)
    return results[inverse] if len(first) else np.array([], dtype=dtype)


def _recall(rule, cells: tuple, fixed: dict, memo: dict):
    key = (tuple(map(type, cells)), cells)  # TRUE is not the number 1 here either
    if key not in memo:
        memo[key] = rule(*cells, **fixed)
    return memo[key]


def per_value(read, series: pd.Series, dtype=object, unchanged=None) -> np.ndarray:
    """read(cell) for every cell of one column, evaluated once per distinct value.

    unchanged(distinct values) -> a mask of the values `read` returns as they
    are (clean text, finite floats), found with a few array operations so a
    column of 100,000 distinct IDs or amounts needs no call per value.
    """
    cells = series.to_numpy(dtype=object)
    codes, uniques = pd.factorize(cells)
    results = np.empty(len(uniques) + 1, dtype=object)  # the last one, code -1: blank
    same = unchanged(uniques) if unchanged is not None and len(uniques) else np.zeros(len(uniques), dtype=bool)
    results[:-1][same] = uniques[same]
    results[:-1][~same] = [read(v) for v in uniques[~same]]
    results[-1] = read(None)
    out = results.astype(dtype)[codes]
    flags = _booleans(cells, codes, uniques)
    if flags is not None:
        out[flags] = [read(v) for v in cells[flags]]
    return out


def _codes(cells: np.ndarray) -> np.ndarray:
    """Equal integers for equal cells, from -1 for blanks (None, NaN, NaT) up to len(cells).

    A hash table treats True as 1 and False as 0, but a cell holding TRUE is
    not the number 1, so booleans get codes of their own.
    """
    codes, uniques = pd.factorize(cells)
    flags = _booleans(cells, codes, uniques)
    if flags is not None:
        codes[flags] = len(uniques) + cells[flags].astype(int)
    return codes


def _booleans(cells: np.ndarray, codes: np.ndarray, uniques: np.ndarray) -> np.ndarray | None:
    """The cells holding TRUE or FALSE, where a hash table may have merged them with the numbers 1 and 0.

    None when no distinct value is a boolean, 0 or 1; else only the cells of
    such a value have their type looked at, not every cell of the column.
    """
    if not len(uniques) or _all_text(uniques):  # IDs and names: no type() per value
        return None
    kinds = _TYPE(uniques)
    maybe = np.flatnonzero(kinds != str)  # noqa: E721 (element-wise over an array of types)
    others = uniques[maybe]
    suspects = maybe[(kinds[maybe] == bool) | (others == 0) | (others == 1)]  # noqa: E721
    if not len(suspects):
        return None
    near = np.isin(codes, suspects)
    flags = np.zeros(len(cells), dtype=bool)
    flags[near] = _TYPE(cells[near]) == bool  # noqa: E721 (element-wise)
    return flags


_TYPE = np.frompyfunc(type, 1, 1)


def _all_text(uniques: np.ndarray) -> bool:
    return pd.api.types.infer_dtype(uniques, skipna=False) == "string"


def _clean_text(uniques: np.ndarray) -> np.ndarray:
    """Text that TRIM leaves as it is: not blank, no leading, trailing or doubled space."""
    if not _all_text(uniques):
        return np.zeros(len(uniques), dtype=bool)
    clean = (t != "" and t[0] != " " and t[-1] != " " and "  " not in t for t in uniques)
    return np.fromiter(clean, dtype=bool, count=len(uniques))


def _clean_id(uniques: np.ndarray) -> np.ndarray:
    """Text with no white space around it: an ID that reads as itself."""
    if not _all_text(uniques):
        return np.zeros(len(uniques), dtype=bool)
    return np.fromiter((t != "" and t == t.strip() for t in uniques), dtype=bool, count=len(uniques))


def _finite_floats(uniques: np.ndarray) -> np.ndarray:
    """Floats a number column reads as they are (a merged TRUE/FALSE is sorted out by per_value)."""
    if pd.api.types.infer_dtype(uniques, skipna=False) != "floating":
        return np.zeros(len(uniques), dtype=bool)
    return np.isfinite(uniques.astype(float))


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
    return pd.Series(per_value(blank_on_invalid(as_number), series, float, _finite_floats), index=series.index)


def texts(series: pd.Series) -> pd.Series:
    """Cell text as TRIM gives it; None for blank (owners, products, names)."""
    return pd.Series(per_value(lambda v: None if is_blank(v) else cell_text(v), series, unchanged=_clean_text),
                     index=series.index, dtype=object)


def ids(series: pd.Series) -> pd.Series:
    """IDs as text keys (a number typed into an ID column matches its text); None for blank."""
    return pd.Series(per_value(id_key, series, unchanged=_clean_id), index=series.index, dtype=object)


def parsed(read, series: pd.Series) -> pd.Series:
    """Any one-cell reader (a vocabulary, a stage table) over a column; None where it fails."""
    return pd.Series(per_value(blank_on_invalid(read), series), index=series.index, dtype=object)
