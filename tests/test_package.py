"""Package-level edits keep every part the tool does not own, byte for byte."""

from __future__ import annotations

import re
import subprocess
from datetime import date

import openpyxl
import pytest
import xlsxwriter
from fixtures_book import VBA_PROJECT, rich_workbook, std_sheet_source
from helpers import parts_of, values_of

from xl_crm.errors import XlCrmError
from xl_crm.ooxml import shared_formulas
from xl_crm.ooxml.package import Formula, Package
from xl_crm.ooxml.styles import Styles

INDEX_PARTS = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"}


def cell(values, sheet, row, col):
    rows = values[sheet]
    return rows[row - 1][col] if row - 1 < len(rows) and col < len(rows[row - 1]) else ""


@pytest.fixture(params=["xlsx", "xlsm"])
def book(tmp_path, request):
    return rich_workbook(tmp_path / f"book.{request.param}", macro=request.param == "xlsm")


def edit_and_save(path, out):
    with Package.open(path) as pkg:
        pkg.set_cells("Customers", {(2, 10): "hello", (3, 10): date(2026, 2, 1), (4, 10): 2.5,
                                    (2, 11): True, (12, 1): "=not a formula", (4, 5): Formula("LEN(B4)*2", 14)})
        pkg.set_cached("Customers", {(2, 5): 99})
        pkg.set_defined_name("AsOf", "Customers!$A$1")
        pkg.full_recalc_on_load()
        pkg.save(out)


def test_set_cells_keeps_every_other_part_byte_for_byte(book, tmp_path):
    out = tmp_path / ("out" + book.suffix)
    before = parts_of(book)
    edit_and_save(book, out)
    after = parts_of(out)
    assert set(before) <= set(after)
    changed = {n for n in before if before[n] != after[n]}
    assert changed <= INDEX_PARTS | {"xl/worksheets/sheet1.xml"}
    assert "xl/worksheets/sheet1.xml" in changed
    if book.suffix == ".xlsm":
        assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"] == VBA_PROJECT
        assert b"macroEnabled" in after["[Content_Types].xml"]


def test_edited_sheet_keeps_its_drawing_comments_and_extensions(book, tmp_path):
    out = tmp_path / ("out" + book.suffix)
    edit_and_save(book, out)
    old, new = parts_of(book)["xl/worksheets/sheet1.xml"], parts_of(out)["xl/worksheets/sheet1.xml"]
    tail = old[old.index(b"</sheetData>"):]
    assert new.endswith(tail)  # conditional formats, validation, hyperlinks, drawing, legacy VML, extLst
    for marker in (b"<drawing ", b"<legacyDrawing ", b"<hyperlinks>", b"<dataValidations", b"x14:sparklineGroups",
                   b"x14:conditionalFormattings"):
        assert marker in new


def test_cell_values_are_kept_and_edits_read_back(book, tmp_path):
    out = tmp_path / ("out" + book.suffix)
    edit_and_save(book, out)
    before, after = values_of(book), values_of(out)
    edited = {(2, 10), (3, 10), (4, 10), (2, 11), (12, 1), (4, 5), (2, 5)}
    for sheet, rows in before.items():
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if sheet != "Customers" or (r, c) not in edited:
                    assert cell(after, sheet, r, c) == value, (sheet, r, c)
    assert cell(after, "Customers", 2, 10) == "hello"
    assert cell(after, "Customers", 3, 10) == date(2026, 2, 1)
    assert cell(after, "Customers", 4, 10) == 2.5
    assert cell(after, "Customers", 2, 11) is True
    assert cell(after, "Customers", 12, 1) == "=not a formula"
    assert cell(after, "Customers", 4, 5) == 14
    assert cell(after, "Customers", 2, 5) == 99
    xml = parts_of(out)["xl/worksheets/sheet1.xml"]
    assert b"<f>LEN(B2)</f><v>99</v>" in xml and b"<f>LEN(B4)*2</f><v>14</v>" in xml


def test_styles_and_shared_strings_are_only_appended_to(book, tmp_path):
    out = tmp_path / ("out" + book.suffix)
    edit_and_save(book, out)
    before, after = parts_of(book), parts_of(out)
    assert after["xl/sharedStrings.xml"] == before["xl/sharedStrings.xml"]
    old, new = Styles(before["xl/styles.xml"]), Styles(after["xl/styles.xml"])
    for name in ("numFmts", "fonts", "fills", "borders", "cellXfs", "dxfs"):
        assert new.items(name)[:len(old.items(name))] == old.items(name)
    date_xf = int(re.search(rb'<c r="K3" s="(\d+)"', after["xl/worksheets/sheet1.xml"]).group(1))
    assert new.is_date_xf(date_xf)


def test_workbook_part_gets_names_and_full_recalc(book, tmp_path):
    out = tmp_path / ("out" + book.suffix)
    edit_and_save(book, out)
    with Package.open(out) as pkg:
        assert pkg.defined_names["AsOf"] == "Customers!$A$1"
        assert pkg.defined_names["Owners"] == "Customers!$C$2:$C$4"
        pkg.set_defined_name("asof", "Customers!$B$2")  # Excel names ignore case: replaced, not doubled
        assert pkg.defined_names == {"Owners": "Customers!$C$2:$C$4", "asof": "Customers!$B$2"}
        workbook = pkg.read(pkg.workbook_part)
    assert workbook.count(b"fullCalcOnLoad") == 1
    assert b'<definedName name="LocalName" localSheetId="0">' in workbook


@pytest.fixture(scope="module", params=["xlsx", "xlsm"])
def put(request, tmp_path_factory):
    """A Summary sheet appended and the Deals sheet replaced by a Funnel: the parts before and after."""
    tmp = tmp_path_factory.mktemp(f"put_{request.param}")
    book = rich_workbook(tmp / f"book.{request.param}", macro=request.param == "xlsm")
    out = tmp / ("out" + book.suffix)
    before = parts_of(book)
    with Package.open(book) as pkg:
        pkg.put_sheet("Summary", std_sheet_source(), "Summary")
        pkg.put_sheet("Deals", std_sheet_source("Funnel"), "Funnel")
        names = pkg.sheet_names
        pkg.save(out)
    return book, out, before, parts_of(out), names


def test_put_sheet_appends_and_replaces_in_place(put):
    book, out, _, _, names = put
    assert names == ["Customers", "Deals", "My notes", "Summary"]
    values = values_of(out)
    assert values["Summary"][1][:2] == ["Qualify", 0.1] and values["Deals"][3][:2] == ["Close", 0.9]
    assert values["Summary"][0][3] == date(2026, 3, 31)
    assert values["Customers"] == values_of(book)["Customers"]


def test_put_sheet_keeps_the_other_sheets_and_their_parts(put):
    _, _, before, after, _ = put
    for name in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet3.xml", "xl/drawings/drawing1.xml",
                 "xl/comments1.xml", "xl/drawings/vmlDrawing1.vml", "xl/media/image1.png"):
        assert after[name] == before[name]


def test_put_sheet_keeps_the_shared_strings_and_counts_their_references(put):
    _, _, before, after, _ = put
    # the old Deals sheet's references to shared strings are gone: only the table's count changes
    strings = [re.sub(rb'\scount="\d+"', b"", parts["xl/sharedStrings.xml"], count=1) for parts in (before, after)]
    assert strings[0] == strings[1]
    references = sum(len(re.findall(rb'<c [^>]*t="s"', after[n])) for n in after if n.startswith("xl/worksheets/s"))
    assert re.search(rb'<sst [^>]*count="(\d+)"', after["xl/sharedStrings.xml"]).group(1) == str(references).encode()


def test_put_sheet_gives_each_table_its_own_id_and_keeps_the_charts(put):
    after = put[3]
    tables = [after[n] for n in after if n.startswith("xl/tables/")]
    ids = [re.search(rb'\sid="(\d+)"', t).group(1) for t in tables]
    assert len(tables) == 2 and len(set(ids)) == 2
    assert sum(n.startswith("xl/charts/chart") for n in after) == 2


def test_put_sheet_leaves_one_selected_tab(put):
    after = put[3]
    assert after["xl/worksheets/sheet1.xml"].count(b'tabSelected="1"') == 1
    assert sum(after[n].count(b'tabSelected="1"') for n in after if n.startswith("xl/worksheets/sheet")) == 1


def test_put_sheet_refuses_a_duplicate_table_name(book, tmp_path):
    with Package.open(book) as pkg:
        pkg.put_sheet("Summary", std_sheet_source(), "Summary")
        with pytest.raises(XlCrmError, match="SummaryTable"):
            pkg.put_sheet("Other", std_sheet_source(), "Summary")


def test_unknown_sheet_is_a_clear_error(book):
    with Package.open(book) as pkg, pytest.raises(XlCrmError, match="no sheet named 'Nope'"):
        pkg.set_cells("Nope", {(1, 0): 1})


def test_edited_workbook_opens_in_libreoffice(tmp_path):
    book = rich_workbook(tmp_path / "book.xlsx")
    out = tmp_path / "out.xlsx"
    with Package.open(book) as pkg:
        pkg.set_cells("Customers", {(2, 10): "hello", (3, 10): date(2026, 2, 1)})
        pkg.put_sheet("Summary", std_sheet_source(), "Summary")
        pkg.save(out)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "csv",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=120)
    text = (tmp_path / "out.csv").read_text(encoding="utf-8", errors="replace")
    assert "hello" in text and "Acme Ltd" in text


def test_overwriting_the_first_cell_of_a_shared_formula_keeps_the_others(tmp_path, recalc):
    path = tmp_path / "shared.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Data").write_column("B1", [1, 2, 3, 4])
    wb.close()
    with Package.open(path) as pkg:
        pkg.set_cells("Data", shared_formulas.column(0, 0, range(1, 5), '=IF(B1<3,"<3",$B1*2)', {}))
        pkg.set_cells("Data", {(1, 0): "mine", (2, 0): 7})  # the first two cells of the block
        pkg.save(backup=False)
    sheet = openpyxl.load_workbook(path)["Data"]
    assert [sheet.cell(r, 1).value for r in range(1, 5)] == ["mine", 7, '=IF(B3<3,"<3",$B3*2)', '=IF(B4<3,"<3",$B4*2)']
    xml = parts_of(path)["xl/worksheets/sheet1.xml"]
    assert b'<f t="shared" ref="A3:A4" si="0">IF(B3&lt;3,"&lt;3",$B3*2)</f>' in xml
    assert [row[0] for row in values_of(recalc(path))["Data"]] == ["mine", 7, 6, 8]
