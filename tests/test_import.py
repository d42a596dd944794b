"""Importing CSV and XLSX exports: encodings, mapping, coercion, de-duplication, text kept as text."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import xlsxwriter
from helpers import xl_crm

from xl_crm.commands.workbook import import_files
from xl_crm.errors import XlCrmError
from xl_crm.sheets.read import read_workbook

CSV = "Account ID,Company,Sales Rep,Need,Expected Close\nC1,Acme,Li,Now,2026-02-01\nC2,=1+1,Wang,Future,\n" \
      "C3,Bad date,Li,Now,2026-13-45\n,No id,Li,Now,\nC1,Acme again,Li,Now,\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_every_encoding_creates_the_workbook(tmp_path, encoding):
    source = tmp_path / "export.csv"
    source.write_text(CSV.replace("Acme,", "北京阿克米,"), encoding=encoding)
    summary = import_files([source], tmp_path / "crm.xlsx")
    assert (summary.added, len(summary.rejected)) == (2, 2)
    assert summary.skipped == ["export.csv row 6: Customer ID 'C1' already in row 2 of export.csv"]
    assert str(summary.rejected[0]) == "export.csv row 4, column E (Expected Close): '2026-13-45': not a date"
    assert str(summary.rejected[1]) == "export.csv row 5: missing Customer ID"
    frame = read_workbook(tmp_path / "crm.xlsx").tables["customers"].frame
    assert list(frame["name"]) == ["北京阿克米", "=1+1"]
    assert frame["expected_close"].iloc[0] == date(2026, 2, 1)
    assert {"Funnel", "Today"} <= set(read_workbook(tmp_path / "crm.xlsx").sheet_names)  # as `init` writes it


def test_import_into_an_existing_workbook_skips_updates_or_refuses_duplicates(tmp_path):
    crm = tmp_path / "crm.xlsx"
    first = tmp_path / "a.csv"
    first.write_text("Customer ID,Name\nC1,Acme\n")
    import_files([first], crm)
    second = tmp_path / "b.xlsx"
    wb = xlsxwriter.Workbook(str(second))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["Customer ID", "Name", "Need"])
    ws.write_row(1, 0, ["C1", "Acme Renamed", "Now"])
    ws.write_row(2, 0, ["C2", "Globex", "Future"])
    wb.close()
    summary = import_files([second], crm)
    assert (summary.added, summary.updated) == (1, 0)
    assert summary.skipped == ["b.xlsx row 2: Customer ID 'C1' already in row 2 of the workbook"]
    summary = import_files([second], crm, on_duplicate="update")
    assert (summary.added, summary.updated) == (0, 2)
    data = read_workbook(crm)
    frame = data.tables["customers"].frame
    assert list(frame["name"]) == ["Acme Renamed", "Globex"]
    assert list(frame["grade"].fillna("")) != []
    before = crm.read_bytes()
    with pytest.raises(XlCrmError, match="'C1' already exists"):
        import_files([second], crm, on_duplicate="error")
    assert crm.read_bytes() == before


def _cli_import(tmp_path):
    source = tmp_path / "export.csv"
    source.write_text(CSV)
    return xl_crm("import", source, "--into", tmp_path / "crm.xlsx")


def test_cli_import_says_what_it_added_skipped_and_rejected(tmp_path):
    result = _cli_import(tmp_path)
    assert result.exit_code == 0, result.output
    assert "added 2, updated 0, skipped 1, rejected 2" in result.output


def test_cli_upgrade_of_an_imported_workbook_has_nothing_to_change(tmp_path):
    _cli_import(tmp_path)
    result = xl_crm("upgrade", tmp_path / "crm.xlsx", "--dry-run")
    assert result.exit_code == 0 and "nothing to change" in result.output


def test_cli_upgrade_refuses_a_legacy_xls_in_one_line(tmp_path):
    bad = tmp_path / "old.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    result = xl_crm("upgrade", bad)
    assert result.exit_code == 2 and "legacy .xls" in result.output and "Traceback" not in result.output


def test_an_import_that_rejects_every_row_fails_and_writes_nothing(tmp_path):
    source = tmp_path / "deals.csv"
    source.write_text("opportunity_id,customer_id,stage\nO1,C1,Maybe\nO2,C1,Perhaps\nO3,C1,Later\n")
    result = xl_crm("import", str(source), "--into", str(tmp_path / "crm.xlsx"))
    assert result.exit_code == 1
    assert "rejected 3 rows of deals.csv, column C (stage): unknown stage (rows 2, 3, 4; first value 'Maybe')" \
        in result.output
    assert not (tmp_path / "crm.xlsx").exists()


def test_a_chinese_gbk_export_makes_chinese_sheets(tmp_path):
    source = tmp_path / "客户.csv"
    source.write_bytes("客户编号,客户名称,负责人\nC1,北京星辰,李雷\n".encode("gbk"))
    summary = import_files([source], tmp_path / "crm.xlsx")
    assert summary.added == 1
    data = read_workbook(tmp_path / "crm.xlsx")
    assert data.lang == "zh" and data.tables["customers"].sheet_name == "客户"


def test_a_legacy_xls_gets_the_same_message_as_check(tmp_path):
    old = tmp_path / "mine.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    imported = xl_crm("import", str(old), "--into", str(tmp_path / "crm.xlsx"))
    checked = xl_crm("check", str(old))
    assert imported.exit_code == checked.exit_code == 2
    assert "legacy .xls workbook; convert it first" in imported.output
    assert imported.output == checked.output


def test_many_duplicates_are_named_a_few_at_a_time(tmp_path):
    source = tmp_path / "twice.csv"
    source.write_text("Customer ID,Name\n" + "".join(f"C{i},N{i}\n" for i in range(8)) * 2)
    summary = import_files([source], tmp_path / "crm.xlsx")
    assert summary.added == 8 and len(summary.skipped) == 8
    lines = summary.lines()
    assert lines[1] == "  skipped twice.csv row 10: Customer ID 'C0' already in row 2 of twice.csv"
    assert lines[-1] == "  skipped 3 more rows whose ID was already there (--all lists them)"
    assert len(summary.lines(every=True)) == 1 + 8


def test_a_chinese_import_says_what_it_rejected_in_chinese(tmp_path):
    source = tmp_path / "商机.csv"
    source.write_bytes("商机编号,客户编号,阶段,状态,金额\nO1,C1,2,跟进中,很多\nO2,C1,2,跟进中,很多\nO3,,2,跟进中,5\n"
                       .encode("gbk"))
    summary = import_files([source], tmp_path / "crm.xlsx")
    assert summary.lines() == ["新增 0，更新 0，跳过 0，拒绝 3",
                               "  拒绝 商机.csv E列（金额） 共 2 行：不是数字（第 2, 3 行；首个值 '很多'）",
                               "  拒绝 商机.csv 第4行：缺少客户编号"]


def test_an_xlsx_export_is_read_from_its_first_sheet_with_a_table(tmp_path):
    source = tmp_path / "export.xlsx"
    wb = xlsxwriter.Workbook(str(source))
    wb.add_worksheet("Read me").write_row(0, 0, ["Exported from another CRM"])
    deals = wb.add_worksheet("Deals")
    deals.write_row(2, 0, ["Opportunity ID", "Account ID", "Stage", "Status", "Expected Close Date"])
    deals.write_row(3, 0, ["O1", "C1", "Develop", "Open"])
    deals.write_datetime(3, 4, datetime(2026, 5, 1, 9, 30))
    wb.close()
    summary = import_files([source], tmp_path / "crm.xlsx")
    assert (summary.added, summary.rejected) == (1, [])
    frame = read_workbook(tmp_path / "crm.xlsx").tables["opportunities"].frame
    assert frame["expected_close"].iloc[0] == date(2026, 5, 1)
