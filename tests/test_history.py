"""History (DOMAIN section 12) over a sequence of refreshes: the rows appended, push_count and slipped.

Deals are edited in the file between refreshes at increasing as_of dates
(stage moves in either language or by number, close dates pushed and
pulled in, amounts and owners changed, a deal lost); the History rows each
refresh appends are written out by hand from section 12, and the rows
already there must stay exactly as they were.
"""

from __future__ import annotations

import csv
from datetime import date, datetime

import pytest
from python_calamine import CalamineWorkbook

from xl_crm.commands.workbook import init_workbook, refresh_workbook
from xl_crm.ooxml.package import Package
from xl_crm.sheets.read import read_workbook

D0, D1, D2, D3 = date(2026, 1, 5), date(2026, 1, 20), date(2026, 3, 10), date(2026, 4, 1)
DEALS = [
    # id, stage, status, amount, created, expected_close, closed_date, owner
    ("O1", "Develop", "Open", 1000, "2025-12-01", "2026-02-01", "", "Ann"),
    ("O2", "Qualify", "Open", "", "2025-12-15", "", "", "Bob"),
    ("O3", "Close", "Won", 500, "2025-11-01", "2025-12-20", "2025-12-20", "Ann"),
]


def _write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture
def book(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    _write_csv(data / "customers.csv", ["customer_id", "name"], [["C1", "Acme"]])
    _write_csv(data / "opportunities.csv",
               ["opportunity_id", "customer_id", "stage", "status", "amount", "created", "expected_close",
                "closed_date", "owner"],
               [[d[0], "C1", *d[1:]] for d in DEALS])
    path = tmp_path / "crm.xlsx"
    init_workbook(path, data_dir=data, as_of=D0)
    return path


def _history(path) -> list[tuple]:
    """History rows as calamine reads them: (date, opportunity_id, field, old, new), blanks None."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("History").to_python(skip_empty_area=False)
    assert rows[0] == ["Date", "Opportunity ID", "Field", "Old", "New"]
    out = []
    for row in rows[1:]:
        row = [None if v == "" else v.date() if isinstance(v, datetime) else v for v in row]
        if any(v is not None for v in row):
            out.append(tuple(row))
    return out


def _edit(path, changes: dict[tuple[str, str], object]) -> None:
    """Type values into deal cells, as a rep would: {(opportunity_id, column key): value}."""
    table = read_workbook(path).tables["opportunities"]
    row_of = {v: row for row, v in table.frame["opportunity_id"].items()}
    with Package.open(path) as pkg:
        pkg.set_cells(table.sheet_name, {(row_of[i], table.columns[k]): v for (i, k), v in changes.items()})
        pkg.save(backup=False)


def _deal_column(path, key) -> dict:
    frame = read_workbook(path).frame("opportunities")
    return dict(zip(frame["opportunity_id"], frame[key]))


def _sorted(rows):
    return sorted(rows, key=lambda r: (r[0], r[1], r[2]))


def test_refreshes_append_one_row_per_change_and_never_rewrite(book):
    first = _history(book)
    assert _sorted(first) == _sorted([
        (D0, "O1", "stage", None, "Develop"), (D0, "O1", "status", None, "Open"), (D0, "O1", "amount", None, 1000),
        (D0, "O1", "expected_close", None, date(2026, 2, 1)), (D0, "O1", "owner", None, "Ann"),
        (D0, "O2", "stage", None, "Qualify"), (D0, "O2", "status", None, "Open"), (D0, "O2", "owner", None, "Bob"),
        (D0, "O3", "stage", None, "Close"), (D0, "O3", "status", None, "Won"), (D0, "O3", "amount", None, 500),
        (D0, "O3", "expected_close", None, date(2025, 12, 20)), (D0, "O3", "owner", None, "Ann"),
    ])

    _edit(book, {("O1", "expected_close"): date(2026, 3, 1), ("O1", "stage"): 3, ("O1", "amount"): 1200,
                 ("O2", "owner"): "Carol"})
    refresh_workbook(book, as_of=D1, backup=False)
    second = _history(book)
    assert second[:len(first)] == first
    assert _sorted(second[len(first):]) == _sorted([
        (D1, "O1", "stage", "Develop", "Propose"), (D1, "O1", "amount", 1000, 1200),
        (D1, "O1", "expected_close", date(2026, 2, 1), date(2026, 3, 1)), (D1, "O2", "owner", "Bob", "Carol"),
    ])
    assert _deal_column(book, "push_count") == {"O1": 1, "O2": 0, "O3": 0}

    # the same stage in Chinese is no change; a close date set for the first time is no push
    _edit(book, {("O1", "expected_close"): date(2026, 4, 15), ("O1", "stage"): "方案论证", ("O2", "stage"): "2",
                 ("O2", "expected_close"): date(2026, 2, 15)})
    refresh_workbook(book, as_of=D2, backup=False)
    third = _history(book)
    assert third[:len(second)] == second
    assert _sorted(third[len(second):]) == _sorted([
        (D2, "O1", "expected_close", date(2026, 3, 1), date(2026, 4, 15)), (D2, "O2", "stage", "Qualify", "Develop"),
        (D2, "O2", "expected_close", None, date(2026, 2, 15)),
    ])
    assert _deal_column(book, "push_count") == {"O1": 2, "O2": 0, "O3": 0}
    assert _deal_column(book, "slipped") == {"O1": False, "O2": True, "O3": False}

    # a close date pulled in is no push; a lost deal records its status; an amount cleared records a blank
    _edit(book, {("O1", "expected_close"): date(2026, 3, 20), ("O1", "status"): "Lost",
                 ("O1", "closed_date"): D3, ("O2", "expected_close"): date(2026, 5, 1), ("O3", "amount"): None})
    refresh_workbook(book, as_of=D3, backup=False)
    fourth = _history(book)
    assert fourth[:len(third)] == third
    assert _sorted(fourth[len(third):]) == _sorted([
        (D3, "O1", "status", "Open", "Lost"), (D3, "O1", "expected_close", date(2026, 4, 15), date(2026, 3, 20)),
        (D3, "O2", "expected_close", date(2026, 2, 15), date(2026, 5, 1)), (D3, "O3", "amount", 500, None),
    ])
    assert _deal_column(book, "push_count") == {"O1": 2, "O2": 1, "O3": 0}
    assert _deal_column(book, "slipped") == {"O1": False, "O2": False, "O3": False}


def test_a_second_refresh_with_nothing_changed_writes_nothing(book):
    _edit(book, {("O1", "owner"): "Dan"})
    refresh_workbook(book, as_of=D1, backup=False)
    assert (D1, "O1", "owner", "Ann", "Dan") in _history(book)
    before, mtime = book.read_bytes(), book.stat().st_mtime_ns
    refresh_workbook(book, as_of=D1, backup=False)
    assert book.read_bytes() == before and book.stat().st_mtime_ns == mtime


def test_history_rows_grow_the_history_table(book):
    _edit(book, {("O1", "owner"): "Dan", ("O2", "owner"): "Eve"})
    refresh_workbook(book, as_of=D1, backup=False)
    with Package.open(book) as pkg:
        from xl_crm.ooxml.tables import sheet_tables

        (table,) = sheet_tables(pkg, "History")
    assert table.last_row == 1 + len(_history(book))


def test_push_count_counts_only_pushes_dated_up_to_as_of(book):
    _edit(book, {("O1", "expected_close"): date(2026, 3, 1)})
    refresh_workbook(book, as_of=D2, backup=False)
    assert _deal_column(book, "push_count")["O1"] == 1
    refresh_workbook(book, as_of=D1, backup=False)  # evaluated before the push was recorded
    assert _deal_column(book, "push_count")["O1"] == 0


def test_slipped_formula_recalculates_as_python_says(book, recalc, sheet_rows):
    _edit(book, {("O2", "expected_close"): date(2026, 1, 10), ("O1", "expected_close"): "soon"})
    refresh_workbook(book, as_of=D1, backup=False)
    rows = sheet_rows(recalc(book), "Opportunities")
    col = rows[0].index("Slipped")
    ids = rows[0].index("Opportunity ID")
    assert {r[ids]: r[col] for r in rows[1:] if r[ids]} == {"O1": "", "O2": True, "O3": False}
    assert _deal_column(book, "slipped") == {"O1": None, "O2": True, "O3": False}
