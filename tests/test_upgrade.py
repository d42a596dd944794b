"""Adopting a user's workbook: tables found by synonyms, columns and sheets added, nothing lost."""

from __future__ import annotations

import json
import zipfile
from datetime import date

import pytest
import xlsxwriter

from fixtures_book import rich_workbook
from test_package import parts_of, values_of
from xl_crm.book.read import read_workbook
from xl_crm.errors import XlCrmError
from xl_crm.mapping import load_mapping
from xl_crm.upgrade import upgrade_workbook

AS_OF = date(2026, 1, 10)


def test_dry_run_reports_and_writes_nothing(tmp_path):
    book = rich_workbook(tmp_path / "book.xlsx", header_row=2)
    before = book.read_bytes()
    plan = upgrade_workbook(book, dry_run=True)
    text = "\n".join(plan.lines())
    assert "header row 3" in text and "Company -> name" in text and "add sheet 'Settings'" in text
    assert book.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


def test_upgrade_adds_columns_and_sheets_and_keeps_everything(tmp_path):
    book = rich_workbook(tmp_path / "book.xlsm", macro=True, header_row=2)
    before_parts, before_values = parts_of(book), values_of(book)
    plan = upgrade_workbook(book, as_of=AS_OF)
    assert plan.written
    after_parts, after_values = parts_of(book), values_of(book)
    untouched = set(before_parts) - {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                     "xl/styles.xml", "xl/worksheets/sheet1.xml"}
    assert all(after_parts[n] == before_parts[n] for n in untouched)
    for sheet, rows in before_values.items():
        for r, row in enumerate(rows):
            assert after_values[sheet][r][:len(row)] == row
    data = read_workbook(book)
    assert {"Settings", "Opportunities", "Contacts", "Activities"} <= set(data.sheet_names)
    customers = data.tables["customers"].frame
    assert list(customers["grade"]) == ["A", "D", "E"]
    assert list(customers["tier"]) == ["Regular"] * 3
    assert data.settings.stages and (tmp_path / "book.xlsm.bak").exists()
    with zipfile.ZipFile(book) as z:
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
    assert data.sheet_names == ["Budget", "Customers", "Opportunities", "Contacts", "Activities", "Settings"]
    assert set(data.tables) == {"customers", "opportunities", "contacts", "activities"}
