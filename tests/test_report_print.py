"""Printed reports: page setup, print titles, number formats, widths, charts and labels, read back from the files."""

import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from helpers import write_report_workbook
from openpyxl.utils import range_boundaries

from xl_crm.commands.demo import demo_frames
from xl_crm.model import schema
from xl_crm.reports import write_reports
from xl_crm.sheets import settings_sheet

HEAD_FILL = "DDEBF7"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def demo_workbook(path: Path, as_of: date) -> Path:
    """The demo's records as a bare workbook (data sheets and a Settings sheet with a fixed AsOf)."""
    book = xlsxwriter.Workbook(str(path))
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    frames = demo_frames(as_of)
    for key in ("customers", "opportunities", "activities"):
        spec = schema.sheet(key)
        ws = book.add_worksheet(spec.en)
        ws.write_row(0, 0, [spec.column(k).en for k in frames[key].columns])
        for r, row in enumerate(frames[key].itertuples(index=False), start=1):
            for c, value in enumerate(row):
                if isinstance(value, date):
                    ws.write_datetime(r, c, value, day)
                elif value is not None:
                    ws.write(r, c, value)
    ws = book.add_worksheet("Settings")
    for cell in settings_sheet.layout(as_of=as_of)[0]:
        ws.write(cell.row - 1, cell.col, cell.value, day if isinstance(cell.value, date) else None)
    book.close()
    return path


@pytest.fixture(scope="module", params=["en", "zh", "demo"])
def reports(request, tmp_path_factory):
    """Team and rep reports: the hand-made data's (March 2024) in English and Chinese, the demo's (big amounts)."""
    out = tmp_path_factory.mktemp(f"print_{request.param}")
    if request.param == "demo":
        source = demo_workbook(out / "demo.xlsx", date(2026, 6, 17))
        return "en", write_reports(source, ["2026-06"], out, reps=["Alice Chen"], team=True)
    source = write_report_workbook(out / "crm.xlsx")
    paths = write_reports(source, ["2024-03"], out, reps=["Ann"], team=True, lang=request.param)
    return request.param, paths


def header_rows(ws) -> list[int]:
    """1-based rows holding a table header (the header fill)."""
    rows = set()
    for row in ws.iter_rows():
        for cell in row:
            if cell.fill is not None and str(cell.fill.fgColor.rgb).endswith(HEAD_FILL):
                rows.add(cell.row)
    return sorted(rows)


def title_rows(ws) -> set[int]:
    if not ws.print_title_rows:
        return set()
    first, last = (int(part.strip("$")) for part in ws.print_title_rows.split(":"))
    return set(range(first, last + 1))


def shown_width(value, fmt: str) -> int:
    """How many characters a number takes in the format the writer gives it."""
    if isinstance(value, datetime) or "yy" in fmt:
        return 10
    if "%" in fmt:
        return len(f"{value * 100:,.1f}%")
    if fmt == "0.0":
        return len(f"{value:,.1f}")
    return len(f"{value:,.0f}")


def widths(ws) -> dict[int, float]:
    out = {}
    for dim in ws.column_dimensions.values():
        if dim.min and dim.width:
            out.update({c: dim.width for c in range(dim.min, dim.max + 1)})
    return out


def test_every_sheet_prints_on_a4_landscape(reports):
    for path in reports[1]:
        for ws in openpyxl.load_workbook(path).worksheets:
            assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9, ws.title
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1), ws.title


def test_print_titles_belong_to_the_table_on_the_page(reports):
    """Only the last table's header may repeat; when tables come before it, it starts a page."""
    for path in reports[1]:
        for ws in openpyxl.load_workbook(path).worksheets:
            heads, titles = header_rows(ws), title_rows(ws)
            repeated = titles & set(heads)
            assert repeated <= {heads[-1]} if heads else not repeated, (path.name, ws.title, titles, heads)
            if repeated and len(heads) > 1:
                breaks = {b.id for b in ws.row_breaks.brk}
                assert breaks & {heads[-1] - 2, heads[-1] - 1}, (path.name, ws.title, breaks, heads)


def test_funnel_stage_header_does_not_repeat_over_the_rep_table(reports):
    lang, paths = reports
    ws = openpyxl.load_workbook(paths[0])[openpyxl.load_workbook(paths[0]).sheetnames[1]]
    stage_header, rep_header = header_rows(ws)[:2]
    assert stage_header not in title_rows(ws) and rep_header in title_rows(ws)


def test_numbers_have_formats_and_columns_fit_them(reports):
    for path in reports[1]:
        for ws in openpyxl.load_workbook(path).worksheets:
            width = widths(ws)
            hidden = {c for dim in ws.column_dimensions.values() if dim.hidden for c in range(dim.min, dim.max + 1)}
            for row in ws.iter_rows():
                for cell in row:
                    if cell.column in hidden:  # a chart's helper numbers, never printed
                        continue
                    if isinstance(cell.value, (int, float, datetime)) and not isinstance(cell.value, bool):
                        assert cell.number_format != "General", (path.name, ws.title, cell.coordinate)
                        need = shown_width(cell.value, cell.number_format)
                        assert width.get(cell.column, 8.43) >= need, (path.name, ws.title, cell.coordinate,
                                                                      cell.value, width.get(cell.column))


def test_headers_sit_over_their_numbers(reports):
    for path in reports[1]:
        for ws in openpyxl.load_workbook(path).worksheets:
            for r in header_rows(ws):
                for head in ws[r]:
                    below = ws.cell(r + 1, head.column).value
                    if head.value and isinstance(below, (int, float)) and not isinstance(below, bool):
                        assert head.alignment.horizontal == "right", (path.name, ws.title, head.coordinate)


def test_kpis_show_rates_as_percents(reports):
    for path in reports[1]:
        ws = openpyxl.load_workbook(path)["KPIs"]
        formats = {row[1].value: row[2].number_format for row in ws.iter_rows(min_row=2) if row[2].value is not None}
        rates = [m for m in formats if m == "win_rate" or m.startswith("conversion_")]
        assert "win_rate" in rates and all("%" in formats[m] for m in rates)  # conversions blank when unknown
        assert "%" not in formats["won_amount"] and "%" not in formats["won_count"]


def test_summary_headers_fit_on_one_line(reports):
    lang, paths = reports
    ws = openpyxl.load_workbook(paths[0]).worksheets[0]
    width = widths(ws)
    for cell in ws[3]:
        if cell.value:
            need = sum(2 if ord(ch) > 0x2E80 else 1 for ch in cell.value)
            assert width[cell.column] >= need, (cell.value, width[cell.column])


def charts(path: Path) -> list:
    """(chart XML root, category reference formulas) of every chart in the file."""
    import xml.etree.ElementTree as ET
    with zipfile.ZipFile(path) as z:
        roots = [ET.fromstring(z.read(n)) for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
    return [(root, [f.text for f in root.iter(f"{C}cat") for f in f.iter(f"{C}f")]) for root in roots]


def test_charts_have_titles_value_axes_from_zero_and_named_categories(reports):
    for path in reports[1]:
        book = openpyxl.load_workbook(path)
        found = charts(path)
        assert found
        for root, categories in found:
            assert root.find(f".//{C}chart/{C}title") is not None, path.name
            for axis in root.iter(f"{C}valAx"):
                low = axis.find(f"{C}scaling/{C}min")
                assert low is not None and float(low.get("val")) == 0, path.name
            for formula in categories:
                sheet, cells = formula.rsplit("!", 1)
                ws = book[sheet.strip("'")]
                min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
                values = [ws.cell(r, min_col).value for r in range(min_row, max_row + 1)]
                assert all(isinstance(v, str) for v in values), (path.name, formula, values)


def test_the_reps_chart_is_labelled_by_name(reports):
    lang, paths = reports
    book = openpyxl.load_workbook(paths[0])
    reps = book.sheetnames[2]
    names = [f for _, cats in charts(paths[0]) for f in cats if f.startswith((reps, f"'{reps}'"))]
    assert len(names) == 1
    ws = book[reps]
    min_col, min_row, _, max_row = range_boundaries(names[0].rsplit("!", 1)[1].replace("$", ""))
    shown = [ws.cell(r, min_col).value for r in range(min_row, max_row + 1)]
    scopes = {row[0].value for row in book["KPIs"].iter_rows(min_row=2)} - {"Team"}
    assert sorted(shown) == sorted(scopes) and ws.cell(min_row - 1, min_col).value in ("Rep", "销售代表")


def test_value_classes_and_nine_grid_letters_say_what_they_mean(reports):
    lang, paths = reports
    for path in paths:
        ws = openpyxl.load_workbook(path)["Portfolio" if lang == "en" else "客户组合"]
        heads = header_rows(ws)
        classes = [ws.cell(r, 1).value for r in range(heads[0] + 1, heads[0] + 5)]
        assert all(isinstance(v, str) and len(v) > 3 and v[0] in "1234" for v in classes), classes
        top = next(r for r in heads if ws.cell(r, 1).value in ("Letter", "字母"))
        letters = [ws.cell(r, 1).value for r in range(top + 1, top + 10)]
        assert letters == list("ABCDEFGHI")
        play = next(c.column for c in ws[top] if c.value in ("Play", "打法"))
        plays = [ws.cell(r, play).value for r in range(top + 1, top + 10)]
        assert all(isinstance(v, str) and len(v) > 5 for v in plays) and len(set(plays)) == 9  # a play per letter
