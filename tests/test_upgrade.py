"""Adopting a user's workbook: tables found by synonyms, columns and sheets added, nothing lost."""

from __future__ import annotations

import json
import re
import zipfile
from datetime import date

import openpyxl
import pytest
import xlsxwriter
from fixtures_book import rich_workbook
from helpers import parts_of, rewrite_part, values_of, xl_crm
from openpyxl.utils import get_column_letter

from xl_crm.adopt.upgrade import upgrade_workbook
from xl_crm.commands.check import check_workbook
from xl_crm.commands.workbook import import_files
from xl_crm.errors import XlCrmError
from xl_crm.model import schema
from xl_crm.model.mapping import load_mapping
from xl_crm.ooxml import guards
from xl_crm.ooxml.styles import Styles
from xl_crm.sheets.read import read_workbook

AS_OF = date(2026, 1, 10)


def test_dry_run_reports_and_writes_nothing(tmp_path):
    book = rich_workbook(tmp_path / "book.xlsx", header_row=2)
    before = book.read_bytes()
    plan = upgrade_workbook(book, dry_run=True)
    text = "\n".join(plan.lines())
    assert "header row 3" in text and "Company -> name" in text and "add sheet 'Settings'" in text
    assert "dropdowns on Territory, Relationship Stage; highlights on Followup Status, Days Overdue" in text
    assert book.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    """A macro workbook with a header below a title, upgraded once: its parts and values before, the plan."""
    book = rich_workbook(tmp_path_factory.mktemp("upgraded") / "book.xlsm", macro=True, header_row=2)
    before_parts, before_values = parts_of(book), values_of(book)
    return book, before_parts, before_values, upgrade_workbook(book, as_of=AS_OF)


def test_upgrade_writes_and_keeps_a_backup(upgraded):
    book, _, _, plan = upgraded
    assert plan.written
    assert (book.parent / "book.xlsm.bak").exists()


def test_upgrade_changes_only_the_two_data_sheets_the_table_and_the_index_parts(upgraded):
    book, before_parts, _, _ = upgraded
    after_parts = parts_of(book)
    # the customer list and the deal table (an Excel Table, widened) gain columns; nothing else changes
    untouched = set(before_parts) - {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                     "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
                                     "xl/tables/table1.xml"}
    assert all(after_parts[n] == before_parts[n] for n in untouched)


def test_upgrade_keeps_every_cell_value(upgraded):
    book, _, before_values, _ = upgraded
    after_values = values_of(book)
    for sheet, rows in before_values.items():
        for r, row in enumerate(rows):
            assert after_values[sheet][r][:len(row)] == row


def test_upgrade_adds_the_missing_sheets_and_reads_the_deals_where_they_are(upgraded):
    data = read_workbook(upgraded[0])
    assert {"Settings", "Contacts", "Activities"} <= set(data.sheet_names)
    assert "Opportunities" not in data.sheet_names and data.tables["opportunities"].sheet_name == "Deals"
    assert data.tables["opportunities"].frame["customer_id"].tolist() == ["C001", "C002", "C003"]
    assert data.settings.stages


def test_upgraded_customers_have_their_grade_and_tier(upgraded):
    customers = read_workbook(upgraded[0]).tables["customers"].frame
    assert list(customers["grade"]) == ["A", "D", "E"]
    assert list(customers["tier"]) == ["Regular"] * 3


def test_upgrade_defines_the_settings_names(upgraded):
    with zipfile.ZipFile(upgraded[0]) as z:
        workbook = z.read("xl/workbook.xml")
    assert b'<definedName name="GradeDaysA">' in workbook and b"<definedName name=\"Owners\">" in workbook


def test_second_upgrade_changes_nothing(tmp_path):
    book = rich_workbook(tmp_path / "book.xlsx")
    upgrade_workbook(book, as_of=AS_OF, backup=False)
    once = book.read_bytes()
    plan = upgrade_workbook(book, as_of=AS_OF)
    assert not plan.written and plan.changes == [] and book.read_bytes() == once


def chinese_book(path):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("客户清单")
    ws.write_row(0, 0, ["客户列表 2026"])
    ws.write_row(1, 0, ["编号", "公司名称", "销售", "需求", "预计成交日期"])
    ws.write_row(2, 0, ["K1", "上海一号", "王五", "现有需求"])
    wb.close()
    return path


def test_chinese_synonyms_and_language(tmp_path):
    book = chinese_book(tmp_path / "zh.xlsx")
    plan = upgrade_workbook(book, as_of=AS_OF)
    assert plan.lang == "zh"
    data = read_workbook(book)
    assert "参数" in data.sheet_names and "商机" in data.sheet_names
    table = data.tables["customers"]
    assert table.sheet_name == "客户清单" and table.header_row == 2
    assert table.frame.loc[3, "grade"] == "D" and "客户等级" in table.headers


def test_mapping_file_overrides_detection(tmp_path):
    wb = xlsxwriter.Workbook(str(tmp_path / "de.xlsx"))
    ws = wb.add_worksheet("Kunden")
    ws.write_row(0, 0, ["Nr", "Kunde"])
    ws.write_row(1, 0, ["K1", "Müller GmbH"])
    wb.close()
    mapping_file = tmp_path / "map.json"
    mapping_file.write_text(json.dumps({"customers": {"sheet": "Kunden", "columns": {"Nr": "customer_id",
                                                                                     "Kunde": "name"}}}))
    plan = upgrade_workbook(tmp_path / "de.xlsx", mapping=load_mapping(mapping_file), dry_run=True)
    assert "Nr -> customer_id, Kunde -> name" in plan.found["customers"]
    toml_file = tmp_path / "map.toml"
    toml_file.write_text('[customers.columns]\n"Kunde" = "nope"\n')
    with pytest.raises(XlCrmError, match="no column 'nope'"):
        load_mapping(toml_file)


def test_a_workbook_without_crm_data_gets_the_empty_standard_sheets(tmp_path):
    wb = xlsxwriter.Workbook(str(tmp_path / "plain.xlsx"))
    wb.add_worksheet("Budget").write("A1", "Rent")
    wb.close()
    upgrade_workbook(tmp_path / "plain.xlsx")
    data = read_workbook(tmp_path / "plain.xlsx")
    assert data.sheet_names == ["Budget", *(s.en for s in schema.DATA_SHEETS), "Settings"]
    assert set(data.tables) == {s.key for s in schema.DATA_SHEETS}


RULES = re.compile(rb"<dataValidations\b.*?</dataValidations>|<conditionalFormatting\b.*?</conditionalFormatting>|"
                   rb"<extLst>.*</extLst>", re.DOTALL)


@pytest.mark.filterwarnings("ignore:.*extension is not supported")
def test_added_columns_get_formats_dropdowns_and_highlights(tmp_path):
    book = rich_workbook(tmp_path / "book.xlsx", header_row=2)
    before = parts_of(book)
    upgrade_workbook(book, as_of=AS_OF)
    after = parts_of(book)
    sheet_xml = after["xl/worksheets/sheet1.xml"]
    for element in RULES.findall(before["xl/worksheets/sheet1.xml"]):
        if element.startswith(b"<dataValidations"):
            element = element[element.index(b">") + 1:-len(b"</dataValidations>")]
        assert element in sheet_xml  # the user's own rules and 2010+ extensions, byte for byte
    ws = openpyxl.load_workbook(book)["Customers"]
    col = {c.value: c.column_letter for c in ws[3] if c.value}
    assert ws[f"{col['Next Due']}4"].number_format == "yyyy-mm-dd"
    assert ws[f"{col['Revenue 12M']}4"].number_format == "#,##0"
    assert ws[f"{col['Cadence Days']}4"].number_format == "0"
    assert ws.column_dimensions[col["Followup Status"]].width == 16
    assert ws[f"{col['Grade']}3"].font.b and ws[f"{col['Grade']}3"].fill.fgColor.rgb == "FFDDEBF7"  # like the user's
    lists = {str(v.sqref): v.formula1 for v in ws.data_validations.dataValidation}
    assert lists[f"{col['Territory']}4:{col['Territory']}6"] == '"Ours,Neutral,Theirs"'
    assert lists["D4:D501"] == '"Now,Future,None"'  # the user's own, kept
    rules = {(str(cf.sqref), r.formula[0], r.dxf.fill.bgColor.rgb) for cf in ws.conditional_formatting for r in cf.rules
             if r.dxf is not None and r.formula}
    status, overdue = col["Followup Status"], col["Days Overdue"]
    assert {(f"{status}4:{status}6", '"Overdue"', "FFFFC7CE"), (f"{status}4:{status}6", '"Due today"', "FFFFEB9C"),
            (f"{overdue}4:{overdue}6", "0", "FFFFC7CE")} <= rules
    assert after["xl/sharedStrings.xml"] == before["xl/sharedStrings.xml"]
    old_styles, new_styles = Styles(before["xl/styles.xml"]), Styles(after["xl/styles.xml"])
    for name in ("numFmts", "fonts", "fills", "borders", "cellXfs", "dxfs"):
        assert new_styles.items(name)[:len(old_styles.items(name))] == old_styles.items(name)


def moved(formula: str, row: int, to: int) -> str:
    """A formula of `$F{row}` references as filled down to row `to`."""
    return re.sub(rf"(\$[A-Z]+){row}\b", rf"\g<1>{to}", formula)


WIDENED = get_column_letter(1 + len(schema.CUSTOMERS.columns))  # the last column of Clients (B:D) widened


def table_book(path, right_of_table=None, totals=False):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Book")
    ws.add_table("B2:D5" if totals else "B2:D4", {"name": "Clients", "total_row": totals,
                           "columns": [{"header": "Customer ID", "total_string": "Total"}, {"header": "Company"},
                                       {"header": "Need", "total_function": "count"}],
                           "data": [["C1", "Acme", "Now"], ["C2", "Beta", "Future"]]})
    if right_of_table:
        ws.write("E3", right_of_table)
    wb.close()
    return path


def test_a_table_takes_the_new_columns_and_the_next_upgrade_finds_nothing(tmp_path):
    book = table_book(tmp_path / "t.xlsx")
    before = values_of(book)
    plan = upgrade_workbook(book, as_of=AS_OF, backup=False)
    assert any("extend table 'Clients' with Owner" in c and f"(E-{WIDENED})" in c for c in plan.changes)
    after = values_of(book)
    assert all(after["Book"][r][:len(row)] == row for r, row in enumerate(before["Book"]))
    table = openpyxl.load_workbook(book)["Book"].tables["Clients"]
    assert table.ref == f"B2:{WIDENED}4" and table.autoFilter.ref == f"B2:{WIDENED}4"
    columns = {c.name: c.calculatedColumnFormula for c in table.tableColumns}
    ws = openpyxl.load_workbook(book)["Book"]
    grade = next(c for c in ws[2] if c.value == "Grade").column
    first, second = ws.cell(3, grade).value, ws.cell(4, grade).value
    assert columns["Grade"].attr_text == first[1:] and "TRIM($D3)" in first and columns["Tier"] is None
    assert second == moved(first, 3, 4)  # filled down
    assert len({c.id for c in table.tableColumns}) == len(schema.CUSTOMERS.columns)
    once = book.read_bytes()
    again = upgrade_workbook(book, as_of=AS_OF)
    assert again.changes == [] and book.read_bytes() == once


def test_a_table_with_a_totals_row_is_widened_and_its_totals_row_left_alone(tmp_path):
    book = table_book(tmp_path / "t.xlsx", totals=True)
    plan = upgrade_workbook(book, as_of=AS_OF, backup=False)
    assert any("extend table 'Clients'" in c for c in plan.changes)
    ws = openpyxl.load_workbook(book)["Book"]
    assert ws.tables["Clients"].ref == f"B2:{WIDENED}5"
    grade = next(c for c in ws[2] if c.value == "Grade").column
    assert "TRIM($D4)" in ws.cell(4, grade).value and ws.cell(5, grade).value is None
    assert ws["B5"].value == "Total"


def test_a_totals_row_is_no_record(tmp_path):
    book = table_book(tmp_path / "t.xlsx", totals=True)
    assert list(read_workbook(book).tables["customers"].frame.index) == [3, 4]
    assert not [p for p in check_workbook(book) if p.row == 5]
    source = tmp_path / "more.csv"
    source.write_text("Customer ID,Company,Need\nC3,Gamma,Now\n")
    import_files([source], book, backup=False)
    ws = openpyxl.load_workbook(book)["Book"]
    assert ws["B5"].value == "Total" and ws["B6"].value == "C3"  # below the totals row, never over it


def test_added_formulas_are_stored_once_per_column(tmp_path):
    rows = 400
    wb = xlsxwriter.Workbook(str(tmp_path / "big.xlsx"))
    ws = wb.add_worksheet("Accounts")
    ws.write_row(0, 0, ["Customer ID", "Company", "Need", "Close Date"])
    for r in range(1, rows + 1):
        ws.write_row(r, 0, [f"C{r}", f"Company {r}", "Now", f"2026-0{r % 9 + 1}-01"])
    wb.close()
    before = len(parts_of(tmp_path / "big.xlsx")["xl/worksheets/sheet1.xml"])
    upgrade_workbook(tmp_path / "big.xlsx", as_of=AS_OF, backup=False)
    sheet = parts_of(tmp_path / "big.xlsx")["xl/worksheets/sheet1.xml"]
    derived = len(schema.CUSTOMERS.role(schema.DERIVED))
    assert sheet.count(b'<f t="shared" ref="') == derived and sheet.count(b"<f>") == 0
    assert sheet.count(b"<f t=\"shared\" si=") == derived * (rows - 1)
    # a new cell a row per derived and synced column, of some 45 bytes each; one copy of the formulas per
    # cell would add 2-4 kB a row
    added = derived + len(schema.CUSTOMERS.role(schema.SYNCED))
    assert (len(sheet) - before) / rows < added * 50


def test_a_table_with_cells_to_its_right_gets_plain_columns_after_the_used_range(tmp_path):
    book = table_book(tmp_path / "t.xlsx", right_of_table="mine")
    plan = upgrade_workbook(book, as_of=AS_OF, backup=False)
    last = get_column_letter(2 + len(schema.CUSTOMERS.columns))  # after E, which holds the user's note
    assert any(c.startswith("'Book': add columns Owner") and f"(F-{last})" in c for c in plan.changes)
    ws = openpyxl.load_workbook(book)["Book"]
    assert ws.tables["Clients"].ref == "B2:D4" and ws["E3"].value == "mine" and ws["F2"].value == "Owner"
    grade = next(c for c in ws[2] if c.value == "Grade").column
    formula = ws.cell(3, grade).value
    assert formula.startswith("=IFERROR(") and "[#This Row]" not in formula and "D3" in formula


def test_import_into_an_adopted_table_adds_shared_formulas_of_their_own(tmp_path):
    book = table_book(tmp_path / "t.xlsx")
    upgrade_workbook(book, as_of=AS_OF, backup=False)
    source = tmp_path / "more.csv"
    source.write_text("Customer ID,Company,Need\nC3,Gamma,Now\nC4,Delta,None\n")
    import_files([source], book, backup=False)
    ws = openpyxl.load_workbook(book)["Book"]
    assert ws.tables["Clients"].ref == f"B2:{WIDENED}6" and ws["B5"].value == "C3"
    grade = next(c for c in ws[2] if c.value == "Grade").column
    assert ws.cell(5, grade).value == moved(ws.cell(3, grade).value, 3, 5)
    assert ws.cell(6, grade).value == moved(ws.cell(3, grade).value, 3, 6)
    sheet = parts_of(book)["xl/worksheets/sheet1.xml"]
    groups = re.findall(rb'<f t="shared" ref="[A-Z]+(\d+):[A-Z]+\d+" si="(\d+)"', sheet)
    derived = len(schema.CUSTOMERS.role(schema.DERIVED))
    assert len(groups) == 2 * derived and len({si for _, si in groups}) == 2 * derived
    assert sorted({row for row, _ in groups}) == [b"3", b"5"]


def test_import_over_the_first_rows_of_a_table_keeps_the_formulas_below(tmp_path):
    path = tmp_path / "blank.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Book").add_table("B2:D5", {"name": "Clients", "columns": [
        {"header": "Customer ID"}, {"header": "Company"}, {"header": "Need"}]})  # three empty rows
    wb.close()
    upgrade_workbook(path, as_of=AS_OF, backup=False)
    source = tmp_path / "one.csv"
    source.write_text("Customer ID,Company,Need\nC1,Acme,Now\n")
    import_files([source], path, backup=False)
    ws = openpyxl.load_workbook(path)["Book"]
    grade = next(c for c in ws[2] if c.value == "Grade").column
    first = ws.cell(3, grade).value
    assert ws["B3"].value == "C1" and "TRIM($D3)" in first
    assert [ws.cell(r, grade).value for r in (4, 5)] == [moved(first, 3, 4), moved(first, 3, 5)]


def hostile(kind, tmp_path):
    """A file upgrade must refuse, and the words its one-line refusal must contain."""
    good = rich_workbook(tmp_path / "good.xlsx")
    path = tmp_path / f"{kind}.xlsx"
    if kind == "text":
        path.write_text("name,amount\n")
        return path, "not an Excel workbook"
    if kind == "truncated":
        path.write_bytes(good.read_bytes()[:4000])
        return path, "damaged or truncated"
    if kind == "legacy":
        path = tmp_path / "old.xls"
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000) + "Workbook".encode("utf-16-le"))
        return path, "legacy .xls"
    if kind == "encrypted":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(3000) + "EncryptedPackage".encode("utf-16-le"))
        return path, "password-protected"
    if kind == "entities":
        bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><sst><si><t>&b;</t>' \
               b"</si></sst>"
        return rewrite_part(good, path, "xl/sharedStrings.xml", bomb), "entity"
    if kind == "zip-bomb":
        return rewrite_part(good, path, "xl/theme/theme1.xml", b" " * (guards.RATIO_FLOOR + 1)), "zip bomb"
    if kind == "foreign":  # a Word document renamed .xlsx
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                                              'content-types"><Override PartName="/word/document.xml" ContentType='
                                              '"application/vnd.openxmlformats-officedocument.wordprocessingml.'
                                              'document.main+xml"/></Types>')
            z.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                      'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
                                      'org/officeDocument/2006/relationships/officeDocument" '
                                      'Target="word/document.xml"/></Relationships>')
            z.writestr("word/document.xml", "<document/>")
        return path, "not an Excel workbook (a Word document)"
    raise ValueError(kind)


@pytest.mark.parametrize("kind", ["text", "truncated", "legacy", "encrypted", "entities", "zip-bomb", "foreign"])
def test_upgrade_refuses_hostile_files_in_one_line_and_leaves_everything_as_it_was(tmp_path, kind):
    path, words = hostile(kind, tmp_path)
    before, listing = path.read_bytes(), sorted(p.name for p in tmp_path.iterdir())
    result = xl_crm("upgrade", str(path))
    assert result.exit_code == 2 and words in result.output and str(path) in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == listing


def test_upgrade_does_not_touch_a_workbook_open_in_excel(tmp_path):
    book = rich_workbook(tmp_path / "book.xlsx")
    (tmp_path / "~$book.xlsx").write_bytes(b"lock")
    before = book.read_bytes()
    result = xl_crm("upgrade", str(book))
    assert result.exit_code == 2 and "open in a spreadsheet program" in result.output
    assert book.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "~$book.xlsx"]
    assert xl_crm("upgrade", str(book), "--dry-run").exit_code == 0  # looking is allowed
