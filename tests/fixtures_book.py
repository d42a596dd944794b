"""Fixture workbooks made with XlsxWriter, holding what users put in real workbooks.

Buttons, text boxes, checkboxes, comments, images, charts, tables,
sparklines, data validation, conditional formats (2010 data bars too),
hyperlinks, defined names and, for .xlsm, a VBA project: everything a
lossless edit must keep.
"""

from __future__ import annotations

import io
import struct
import zlib
from datetime import date, datetime, timedelta
from pathlib import Path

import xlsxwriter


def tiny_png() -> bytes:
    """A 2x2 red PNG, so the image fixture needs no imaging library."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# Stands in for a VBA project: the package treats vbaProject.bin as opaque bytes to copy.
VBA_PROJECT = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8

CUSTOMERS = [
    ("C001", "Acme Ltd", "Li Lei", "Now", date(2026, 1, 20)),
    ("C002", "北京星辰科技", "Han Meimei", "Future", None),
    ("C003", "Globex", "Li Lei", "None", date(2026, 6, 1)),
]


def rich_workbook(path: Path, macro: bool = False, header_row: int = 0) -> Path:
    """A user's workbook: a customer list with every kind of decoration, a chart sheet and notes."""
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7"})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    red = book.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})
    sheet = book.add_worksheet("Customers")
    headers = ["Customer ID", "Company", "Owner", "Need", "Expected Close", "My notes"]
    for col, text in enumerate(headers):
        sheet.write(header_row, col, text, bold)
    for i, (cid, name, owner, need, close) in enumerate(CUSTOMERS, start=header_row + 1):
        sheet.write(i, 0, cid)
        sheet.write(i, 1, name)
        sheet.write(i, 2, owner)
        sheet.write(i, 3, need)
        if close:
            sheet.write_datetime(i, 4, close, day)
        sheet.write(i, 5, "=LEN(B{})".format(i + 1))
    last = header_row + len(CUSTOMERS)
    sheet.write_comment(header_row + 1, 1, "Key account since 2019")
    sheet.write_url(header_row + 1, 6, "https://example.com/acme", string="web")
    sheet.data_validation(header_row + 1, 3, 500, 3, {"validate": "list", "source": ["Now", "Future", "None"]})
    sheet.conditional_format(header_row + 1, 3, last, 3, {"type": "cell", "criteria": "==", "value": '"Now"',
                                                          "format": red})
    sheet.conditional_format(header_row + 1, 5, last, 5, {"type": "data_bar", "data_bar_2010": True})
    sheet.insert_textbox("I2", "Call Acme before Friday", {"width": 200, "height": 60})
    sheet.insert_button("I7", {"macro": "refresh", "caption": "Refresh"})
    sheet.insert_image("I12", "logo.png", {"image_data": io.BytesIO(tiny_png())})
    if hasattr(sheet, "insert_checkbox"):
        sheet.insert_checkbox("G3", True)
    sheet.add_sparkline("H2", {"range": f"Customers!F{header_row + 2}:F{last + 1}"})
    sheet.set_column("A:A", 12)
    sheet.set_column("B:B", 26)
    sheet.freeze_panes(header_row + 1, 0)

    deals = book.add_worksheet("Deals")
    deals.add_table("A1:D4", {"name": "DealTable", "columns": [{"header": h} for h in
                                                             ("Deal", "Account", "Stage", "Value")],
                               "data": [["D1", "C001", "Develop", 120000], ["D2", "C002", "Qualify", 50000],
                                        ["D3", "C003", "Close", 9000]]})
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": "=Deals!$D$2:$D$4", "categories": "=Deals!$A$2:$A$4"})
    deals.insert_chart("F2", chart)
    notes = book.add_worksheet("My notes")
    notes.write("A1", "Plans for next quarter")
    notes.write_rich_string("A2", "Remember ", bold, "everything")
    book.define_name("Owners", "=Customers!$C$2:$C$4")
    book.define_name("Customers!LocalName", "=Customers!$A$1")
    if macro:
        book.add_vba_project(io.BytesIO(VBA_PROJECT), is_stream=True)
        book.set_vba_name()
    book.close()
    return path


def std_sheet_source(title: str = "Summary") -> bytes:
    """A small XlsxWriter workbook whose first sheet has formats, a table and a chart, to copy in."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(title)
    pct = book.add_format({"num_format": "0.0%", "bold": True, "font_color": "#1F4E78"})
    when = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write("A1", "Stage")
    sheet.write("B1", "Share")
    for i, (stage, share) in enumerate((("Qualify", 0.1), ("Develop", 0.3), ("Close", 0.9)), start=1):
        sheet.write(i, 0, stage)
        sheet.write(i, 1, share, pct)
    sheet.write_datetime("D1", date(2026, 3, 31), when)
    sheet.write_formula("E1", "=SUM(B2:B4)", pct, 1.3)
    sheet.conditional_format("B2:B4", {"type": "cell", "criteria": ">", "value": 0.5,
                                       "format": book.add_format({"bg_color": "#C6EFCE"})})
    sheet.add_table("G1:H3", {"name": f"{title}Table", "columns": [{"header": "K"}, {"header": "V"}],
                              "data": [["a", 1], ["b", 2]]})
    chart = book.add_chart({"type": "bar"})
    chart.add_series({"values": f"='{title}'!$B$2:$B$4", "categories": f"='{title}'!$A$2:$A$4"})
    sheet.insert_chart("D5", chart)
    book.close()
    return buffer.getvalue()


def write_typed(book, sheet, row: int, col: int, value, day_format) -> None:
    """Write a value keeping its type: text stays text ("=1+1" too), dates are dates, blanks stay empty."""
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, (date, datetime)):
        sheet.write_datetime(row, col, value, day_format)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, str(value))


def user_workbook(path: Path, sheets: list[dict]) -> Path:
    """A user's own workbook: per sheet a name, headers, rows, the header row (0-based) and whether the
    data is an Excel Table (`table`: its name) or a plain range under a title line."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    bold = book.add_format({"bold": True})
    for spec in sheets:
        sheet = book.add_worksheet(spec["name"])
        top, headers, rows = spec.get("header_row", 0), spec["headers"], spec["rows"]
        if top:
            sheet.write_string(0, 0, f"{spec['name']} (kept by hand)")
        if spec.get("table"):
            sheet.add_table(top, 0, top + max(len(rows), 1), len(headers) - 1,
                            {"name": spec["table"], "columns": [{"header": h} for h in headers]})
        else:
            for col, text in enumerate(headers):
                sheet.write_string(top, col, text, bold)
        for i, row in enumerate(rows, start=top + 1):
            for col, value in enumerate(row):
                write_typed(book, sheet, i, col, value, day)
    book.close()
    return path


def sheets_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook of plain sheets, each given as its rows of typed values."""
    book = xlsxwriter.Workbook(str(path))
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                write_typed(book, sheet, r, c, value, day)
    book.close()
    return path


def big_workbook(path: Path, rows: int) -> Path:
    """A large customer list (XlsxWriter's streaming mode), as reps keep them: one sheet, a date column."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Accounts")
    sheet.write_row(0, 0, ["Customer ID", "Company", "Sales Rep", "Need", "Close Date", "Notes"])
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for i in range(1, rows + 1):
        sheet.write_row(i, 0, [f"C{i:06d}", f"Company {i}", f"Rep {i % 20}", ("Now", "Future", "None")[i % 3]])
        sheet.write_datetime(i, 4, date(2026, 1, 1) + timedelta(days=i % 400), day)
        sheet.write_string(i, 5, "note")
    book.close()
    return path
