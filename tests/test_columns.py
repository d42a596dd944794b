"""Typed columns: reading each distinct cell once gives what the scalar readers give cell by cell."""

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from xl_crm.model import typed
from xl_crm.model.cells import Invalid, as_date, as_number, cell_text, id_key, is_blank

CELLS = [1.0, True, 1, 0, False, 0.0, None, float("nan"), pd.NaT, " ", "x", " x  y ", "7", 7.0, 45000, 45000.75,
         -3, date(2024, 2, 29), datetime(2024, 2, 29, 18, 30), datetime(2024, 2, 29), date(9999, 12, 31),
         float("inf"), "赢单"]


def scalar(read, value):
    try:
        return read(value)
    except Invalid:
        return None


def assert_ids_texts_numbers_read_as_scalars(series: pd.Series) -> None:
    assert typed.ids(series).tolist() == [id_key(v) for v in series]
    assert typed.texts(series).tolist() == [None if is_blank(v) else cell_text(v) for v in series]
    numbers = typed.numbers(series)
    assert [None if np.isnan(x) else x for x in numbers] == [scalar(as_number, v) for v in series]


@pytest.mark.parametrize("order", [CELLS, CELLS[::-1]])
def test_each_cell_reads_as_the_scalar_reader_reads_it(order):
    series = pd.Series(order * 3, dtype=object)
    assert_ids_texts_numbers_read_as_scalars(series)
    days = typed.dates(series)
    assert [None if pd.isna(x) else x.date() for x in days] == [scalar(as_date, v) for v in series]


def test_booleans_are_not_numbers():
    series = pd.Series([1, True, 0, False], dtype=object)
    assert typed.ids(series).tolist() == ["1", "True", "0", "False"]
    assert typed.numbers(series).isna().tolist() == [False, True, False, True]


def test_unreadable_is_bad_input_not_blank():
    series = pd.Series(["soon", None, " ", date(2024, 1, 1), True], dtype=object)
    assert typed.unreadable(series, typed.dates(series)).tolist() == [True, False, False, False, True]


def test_rows_are_read_once_per_distinct_combination():
    calls = []

    def rule(a, b, scale=1):
        calls.append((a, b))
        return None if a is None else (a, b, scale)

    left = pd.Series([1, 1, True, None, 1, 2], dtype=object)
    right = pd.Series(["x", "x", "x", "x", "y", None], dtype=object)
    got = typed.per_row(rule, left, right, scale=3)
    assert got.tolist() == [(1, "x", 3), (1, "x", 3), (True, "x", 3), None, (1, "y", 3), (2, None, 3)]
    assert len(calls) == 5


TEXT_CELLS = ["x", " x", "x ", "a  b", "a b", "", "   ", "\tx", "x\t", "赢单", "全角\u3000空格", "7", "C001"]
FLOAT_CELLS = [1.5, 0.0, 1.0, -2.0, 45000.75, float("inf"), float("-inf"), float("nan"), 3.0]


@pytest.mark.parametrize("cells", [TEXT_CELLS, FLOAT_CELLS, FLOAT_CELLS + [True, False], TEXT_CELLS + [None]])
def test_columns_of_one_type_read_as_the_scalar_readers_read_them(cells):
    """All-text and all-float columns take the array fast path; it must agree cell by cell."""
    assert_ids_texts_numbers_read_as_scalars(pd.Series(cells * 2, dtype=object))


def test_fast_path_keeps_text_that_trim_would_not_change():
    series = pd.Series(["Deal 1", "Deal 1", " Deal  2 "], dtype=object)
    assert typed.texts(series).tolist() == ["Deal 1", "Deal 1", "Deal 2"]
    assert typed.ids(series).tolist() == ["Deal 1", "Deal 1", "Deal  2"]


def test_a_memo_spares_rows_seen_before_and_keeps_booleans_apart():
    calls = []

    def rule(a, b):
        calls.append((a, b))
        return f"{a!r}/{b!r}"

    memo = {}
    first = typed.per_row(rule, pd.Series([1, 2, 1], dtype=object), "x", memo=memo)
    again = typed.per_row(rule, pd.Series([2, True, 3], dtype=object), "x", memo=memo)
    assert first.tolist() == ["1/'x'", "2/'x'", "1/'x'"]
    assert again.tolist() == ["2/'x'", "True/'x'", "3/'x'"]
    assert calls == [(1, "x"), (2, "x"), (True, "x"), (3, "x")]
