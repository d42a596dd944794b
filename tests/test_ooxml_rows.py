"""Deleting rows of a worksheet part (xl_crm.ooxml.rows): the rows below move up, and whatever names a row
follows them -- recalculated by LibreOffice, not read as formula text."""

from __future__ import annotations

import re

import pytest
import xlsxwriter
from helpers import parts_of, values_of

from xl_crm.ooxml import shared_formulas
from xl_crm.ooxml.package import Package
from xl_crm.ooxml.row_shift import Shift, moved_reference
from xl_crm.ooxml.rows import delete_rows
from xl_crm.ooxml.tables import sheet_tables

ROWS = range(2, 12)  # Data's rows: name r2..r11, amount 10 * row
GONE = {4, 5, 7}
KEPT = [r for r in ROWS if r not in GONE]


def book(path, comment_at: int | None = None):
    """Data: a table (name, amount, a same-row shared formula, a shared formula reading another sheet's row,
    a plain formula), merged cells, a rule, a validation, a hyperlink; Summary and a defined name read Data."""
    wb = xlsxwriter.Workbook(str(path))
    data, summary, rates = wb.add_worksheet("Data"), wb.add_worksheet("Summary"), wb.add_worksheet("Rates")
    data.add_table(0, 0, ROWS[-1] - 1, 4, {"name": "DataTable", "columns": [
        {"header": h} for h in ("Name", "Amount", "Double", "Rated", "Shout")]})
    for r in ROWS:
        data.write_string(r - 1, 0, f"r{r}")
        data.write_number(r - 1, 1, 10 * r)
        data.write_formula(r - 1, 4, f'=A{r}&"!"')
        rates.write_number(r - 1, 0, 1000 + r)
    data.write_number("B14", 5000)  # below the table: moves up into the ranges that read the table
    data.merge_range("G8:H9", "merged below")
    data.merge_range("G4:H5", "merged, deleted")
    data.conditional_format("C2:C11", {"type": "cell", "criteria": ">", "value": 100, "format": wb.add_format()})
    data.data_validation("A2:A11", {"validate": "list", "source": ["a", "b"], "show_error": False})
    data.write_url("J10", "https://example.com", string="link")
    if comment_at:
        data.write_comment(f"K{comment_at}", "a note")
    summary.write_formula("A1", "=SUM(Data!B2:B11)")
    summary.write_formula("A2", "=Data!B9")
    summary.write_formula("A3", "=SUM(Amounts)")
    summary.write_formula("A4", "=Data!B5")
    summary.write_formula("A5", "=ERROR.TYPE(A4)")
    wb.define_name("Amounts", "=Data!$B$2:$B$11")
    wb.close()
    with Package.open(path) as pkg:
        pkg.set_cells("Data", {**shared_formulas.column(0, 2, ROWS, "B2*2", {}),
                               **shared_formulas.column(1, 3, ROWS, "Rates!A2*B2", {})})
        pkg.save(backup=False)
    return path


def deleted(path, rows) -> str | None:
    with Package.open(path) as pkg:
        reason = delete_rows(pkg, "Data", rows)
        pkg.full_recalc_on_load()
        pkg.save(backup=False)
    return reason


def test_rows_deleted_in_the_middle_move_the_rest_up_and_every_formula_follows(tmp_path, recalc):
    path = book(tmp_path / "book.xlsx")
    assert deleted(path, GONE) is None
    values = values_of(recalc(path))
    rows = values["Data"][1:len(KEPT) + 1]
    assert [row[:5] for row in rows] == [[f"r{r}", 10 * r, 20 * r, (1000 + r) * 10 * r, f"r{r}!"] for r in KEPT]
    assert all(row[0] in ("", None) for row in values["Data"][len(KEPT) + 1:])  # nothing left below
    assert values["Data"][14 - len(GONE) - 1][1] == 5000
    summary = [row[0] for row in values["Summary"]]
    assert summary[:3] == [sum(10 * r for r in KEPT), 90, sum(10 * r for r in KEPT)]
    assert summary[4] == 4  # a deleted cell is #REF!, as in Excel
    with Package.open(path) as pkg:
        (table,) = sheet_tables(pkg, "Data")
        xml = pkg.read(pkg.sheet_part("Data")).decode()
    assert (table.header_row, table.last_row) == (1, len(KEPT) + 1)
    assert re.findall(r'<mergeCell ref="([^"]+)"', xml) == ["G5:H6"]
    assert re.findall(r'sqref="([^"]+)"', xml) == ["C2:C8", "A2:A8"]
    assert re.findall(r'<hyperlink ref="([^"]+)"', xml) == ["J7"]
    assert 'dimension ref="A1:J11"' in xml


def test_a_table_keeps_one_emptied_row_when_all_its_rows_go(tmp_path, recalc):
    path = book(tmp_path / "book.xlsx")
    assert deleted(path, ROWS) is None
    values = values_of(recalc(path))
    assert values["Data"][1][:2] in (["", ""], [None, None])
    assert [row[1] for row in values["Data"][2:]] == ["", "", 5000]  # B14, after 9 rows went
    with Package.open(path) as pkg:
        (table,) = sheet_tables(pkg, "Data")
    assert (table.header_row, table.last_row) == (1, 2)


def test_a_comment_below_the_rows_leaves_them_emptied_with_the_reason(tmp_path):
    path = book(tmp_path / "book.xlsx", comment_at=9)
    before = values_of(path)["Data"]
    reason = deleted(path, {4})
    assert reason is not None and "comment" in reason
    after = values_of(path)["Data"]
    assert len(after) == len(before) and after[3][:2] == ["", ""] and after[4] == before[4]
    assert "<f" in re.search(r'<row r="4".*?</row>', parts_of(path)["xl/worksheets/sheet1.xml"].decode()).group(0)


@pytest.mark.parametrize("ref, moved", [
    ("A3", "A3"), ("A4", "#REF!"), ("B6", "B4"), ("$B$9", "$B$7"), ("A2:A11", "A2:A9"), ("A4:A5", "#REF!"),
    ("A5:C7", "A4:C5"), ("C:C", "C:C"), ("4:6", "4:4"), ("A1:A1048576", "A1:A1048576"), ("Other!A9", "Other!A9"),
    ("'Da ta'!A9", "'Da ta'!A7"), ("Name", "Name"),
])
def test_references_follow_the_deleted_rows(ref, moved):
    assert moved_reference(ref, Shift([4, 5], "Da ta")) == moved


def test_a_cell_beside_the_table_keeps_its_row_which_is_emptied_in_the_rows_columns_only(tmp_path):
    path = book(tmp_path / "book.xlsx")  # G4: a merged cell beside the table, on a row that goes
    with Package.open(path) as pkg:
        reason = delete_rows(pkg, "Data", GONE, columns=range(2))
        pkg.save(backup=False)
    assert reason == "row 4 holds cells beside the rows' own columns"
    rows = values_of(path)["Data"]
    assert [row[:2] for row in rows[3:7]] == [["", ""], ["", ""], ["r6", 60], ["", ""]]
    assert rows[3][6] == "merged, deleted" and rows[9][9] == "link"
