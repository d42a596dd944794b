"""Excel Table parts: read where a table sits, widen it by calculated columns, grow it down."""

from __future__ import annotations

import openpyxl
import xlsxwriter

from xl_crm.ooxml.package import Package
from xl_crm.ooxml.tables import add_columns, grow_tables, sheet_tables, table_with_header


def book(path, total_row=False):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    ws.add_table("C3:D6" if total_row else "C3:D5", {"name": "Sales", "total_row": total_row,
                                                     "columns": [{"header": "R&D [cost]"}, {"header": "Qty"}],
                                                     "data": [[1, 2], [3, 4]]})
    wb.close()
    return path


def test_a_table_is_read_from_its_part(tmp_path):
    with Package.open(book(tmp_path / "t.xlsx", total_row=True)) as pkg:
        (table,) = sheet_tables(pkg, "Data")
        assert (table.name, table.first_col, table.last_col, table.header_row, table.last_row, table.totals) == \
            ("Sales", 2, 3, 3, 6, 1)
        assert table.columns == ("R&D [cost]", "Qty") and list(table.data_rows) == [4, 5]
        assert table_with_header(pkg, "Data", 3, [2, 3]) == table
        assert table_with_header(pkg, "Data", 3, [2, 4]) is None and table_with_header(pkg, "Data", 2, [2]) is None


def test_widening_adds_calculated_columns_and_keeps_the_rest(tmp_path):
    path = book(tmp_path / "t.xlsx")
    with Package.open(path) as pkg:
        (table,) = sheet_tables(pkg, "Data")
        before = pkg.read(table.part)
        wider = add_columns(pkg, table, [("Total & more", "$D4*2"), ("Note", None)])
        after = pkg.read(table.part)
        assert wider.columns[-2:] == ("Total & more", "Note") and wider.last_col == 5
        assert before.split(b"<tableColumns")[0].replace(b"C3:D5", b"C3:F5") == after.split(b"<tableColumns")[0]
        assert after.split(b"</tableColumns>")[1] == before.split(b"</tableColumns>")[1]
        grow_tables(pkg, "Data", 3, 9)
        pkg.save(backup=False)
    table = openpyxl.load_workbook(path)["Data"].tables["Sales"]
    assert table.ref == "C3:F9" and table.autoFilter.ref == "C3:F9"
    assert [c.name for c in table.tableColumns] == ["R&D [cost]", "Qty", "Total & more", "Note"]
    assert [c.id for c in table.tableColumns] == [1, 2, 3, 4]
    assert table.tableColumns[2].calculatedColumnFormula.attr_text == "$D4*2"
    assert table.tableColumns[3].calculatedColumnFormula is None
