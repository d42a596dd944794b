"""Text XML cannot hold reads the same in every sheet xl_crm writes, in calamine and in LibreOffice.

Control characters are kept as typed (OOXML's _xHHHH_, which every reader
decodes); U+FFFE, U+FFFF and lone surrogates, which calamine does not give
back, show as U+FFFD, and so does the undecoded `_xFFFE_` calamine returns
for them; a literal `_x0041_` stays literal.
"""

from __future__ import annotations

import csv
from datetime import date

import pandas as pd
import xlsxwriter
from python_calamine import CalamineWorkbook

from xl_crm.commands.workbook import init_workbook, refresh_workbook
from xl_crm.ooxml.package import Package
from xl_crm.ooxml.xstring import cell_text, xml_text
from xl_crm.reports.writer import SheetWriter
from xl_crm.sheets.today_sheet import HEADERS, write_today_sheet

TYPED = ["A\x01B", "C\ufffeD", "E_x0041_F", "G\rH", "I\uffffJ", "K\ud800L", "M_xFFFE_N", "tab\tand\nline"]
SHOWN = ["A\x01B", "C\ufffdD", "E_x0041_F", "G\rH", "I\ufffdJ", "K\ufffdL", "M\ufffdN", "tab\tand\nline"]


def test_cell_text_and_its_xml():
    assert [cell_text(t) for t in TYPED] == SHOWN
    assert cell_text("plain 中文") == "plain 中文"
    assert xml_text("A\x01B<&>") == "A_x0001_B&lt;&amp;&gt;"
    assert xml_text("E_x0041_F") == "E_x005F_x0041_F"
    assert xml_text("C\ufffeD\r") == "C\ufffdD_x000D_"


def read_column(path, sheet: str, col: int = 0, first: int = 0) -> list:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return [row[col] for row in rows[first:]]


def test_the_package_editor_keeps_or_replaces_as_every_reader_sees_it(tmp_path, recalc):
    book = tmp_path / "book.xlsx"
    workbook = xlsxwriter.Workbook(str(book))
    workbook.add_worksheet("Names").write_string(0, 1, "x")
    workbook.close()
    with Package.open(book) as pkg:
        pkg.set_cells("Names", {(row, 0): text for row, text in enumerate(TYPED, start=1)})
        pkg.save()
    assert read_column(book, "Names") == SHOWN
    assert read_column(recalc(book), "Names") == SHOWN


def test_today_shows_the_same_text(tmp_path, recalc):
    calls = pd.DataFrame([{key: None for key in HEADERS} | {"customer_id": f"C{i}", "name": text, "owner": "Ann\x01"}
                          for i, text in enumerate(TYPED)])
    book = tmp_path / "today.xlsx"
    workbook = xlsxwriter.Workbook(str(book))
    write_today_sheet(workbook, calls, date(2026, 11, 23))
    workbook.close()
    for path in (book, recalc(book)):
        assert read_column(path, "Today", 1, 4) == SHOWN
        assert read_column(path, "Today", 0, 3)[0] == f"Ann\x01 ({len(TYPED)})"


def test_report_tables_show_the_same_text(tmp_path, recalc):
    book = tmp_path / "report.xlsx"
    workbook = xlsxwriter.Workbook(str(book))
    writer = SheetWriter(workbook, "en", "Report for M_xFFFE_N")
    sheet = writer.sheet("summary", "Rep C\ufffeD")
    writer.table(sheet, 2, pd.DataFrame({"rep": TYPED, "count": range(len(TYPED))}))
    workbook.close()
    for path in (book, recalc(book)):
        assert read_column(path, sheet.name, 0) == ["Rep C\ufffdD", "", "Rep", *SHOWN]


def test_a_name_holding_u_fffe_reads_as_u_fffd_on_today_after_refresh(tmp_path, recalc):
    data = tmp_path / "data"
    data.mkdir()
    with open(data / "customers.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["customer_id", "name", "owner", "need"], ["C1", "Acme\ufffeLtd", "Ann", "Now"],
                                      ["C2", "Beta\x01Co", "Ann", "Now"]])
    book = tmp_path / "crm.xlsx"
    init_workbook(book, data_dir=data, as_of=date(2026, 11, 23))
    refresh_workbook(book, as_of=date(2026, 12, 1))
    names = [v for v in read_column(recalc(book), "Today", 1) if v]
    assert "Acme\ufffdLtd" in names and "Beta\x01Co" in names
    assert not [v for v in names if "_x" in v]
