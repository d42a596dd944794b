"""How a report batch reads the workbook: only the sheets it needs, big sheets parsed in threads."""

from datetime import datetime

import pandas as pd
import pytest
import xlsxwriter

from xl_crm.model import schema
from xl_crm.sheets.read import read_workbook


@pytest.fixture
def workbook(tmp_path):
    """Customers with a blank row, a short row and an empty string cell; Contacts; Activities."""
    path = tmp_path / "crm.xlsx"
    book = xlsxwriter.Workbook(str(path))
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    ws = book.add_worksheet(schema.CUSTOMERS.en)
    ws.write_row(0, 0, ["Customer ID", "Name", "Owner", "Need"])
    ws.write_row(1, 0, ["C1", "Acme", "Ann", "Now"])
    ws.write_row(3, 0, ["C2", "Beta"])  # row 3 is blank, row 4 ends early
    ws.write_row(4, 0, [7, "  Gamma ", "", True])
    ws.write_string(4, 2, "")  # an empty text cell reads as blank
    ws = book.add_worksheet(schema.CONTACTS.en)
    ws.write_row(0, 0, ["Contact ID", "Customer ID", "Name"])
    ws.write_row(1, 0, ["P1", "C1", "Lee"])
    ws = book.add_worksheet(schema.ACTIVITIES.en)
    ws.write_row(0, 0, ["Date", "Customer ID", "Owner"])
    for r in range(1, 50):
        ws.write_datetime(r, 0, datetime(2024, 1, 1 + r % 28), day)
        ws.write_row(r, 1, [f"C{r % 3}", "Ann" if r % 2 else None])
    book.close()
    return path


def _same(a, b):
    assert a.tables.keys() == b.tables.keys()
    for key, table in a.tables.items():
        other = b.tables[key]
        assert (table.sheet_name, table.header_row, table.columns) == (other.sheet_name, other.header_row,
                                                                     other.columns)
        pd.testing.assert_frame_equal(table.frame, other.frame)
        for column in table.frame:  # the very cell values, types included
            assert [(type(v), v) for v in table.frame[column]] == [(type(v), v) for v in other.frame[column]]


def test_cells_as_calamine_gives_them_blank_rows_dropped(workbook):
    customers = read_workbook(workbook).frame("customers")
    assert customers.index.tolist() == [2, 4, 5]
    assert customers.loc[4].tolist() == ["C2", "Beta", None, None]
    assert customers.loc[5].tolist() == [7.0, "  Gamma ", None, True]


def test_threads_read_what_one_thread_reads(workbook):
    _same(read_workbook(workbook), read_workbook(workbook, threads=2))


def test_sheets_left_out_are_not_read(workbook):
    data = read_workbook(workbook, sheets=("customers", "activities"), threads=2)
    assert set(data.tables) == {"customers", "activities"}
    _same(data, read_workbook(workbook, sheets=("customers", "activities")))
    full = read_workbook(workbook)
    pd.testing.assert_frame_equal(data.frame("activities"), full.frame("activities"))
