"""A new CRM workbook: tables, cached results, dropdowns, highlights, Settings names, Chinese labels."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest
from xlsxwriter.utility import xl_col_to_name

from xl_crm.compute import derive
from xl_crm.compute.step import compute
from xl_crm.errors import XlCrmError
from xl_crm.model import schema
from xl_crm.model.asof import AsOf
from xl_crm.ooxml import soffice
from xl_crm.sheets import settings_sheet
from xl_crm.sheets.new import write_new_workbook
from xl_crm.sheets.read import read_workbook

AS_OF = date(2024, 6, 30)


def sample() -> dict[str, pd.DataFrame]:
    customers = pd.DataFrame({
        "customer_id": ["00123", "C2"],
        "name": ["=HYPERLINK(\"x\")", "-5%"],
        "need": ["Now", "无需求"],
        "expected_close": [date(2024, 7, 20), None],
        "last_contact": [datetime(2024, 6, 1, 9, 30), None],
        "tier": ["VIP", None],
        "unknown_extra": ["dropped", "dropped"],
    })
    opportunities = pd.DataFrame({
        "opportunity_id": ["O1"], "customer_id": ["00123"], "stage": [3], "status": ["Open"],
        "amount": [1_000_000.0], "created": [date(2024, 6, 1)], "need": ["Y"], "budget": [True],
    })
    activities = pd.DataFrame({"date": [date(2024, 6, 1)], "customer_id": ["00123"], "summary": ["+1 call back"]})
    return {"customers": customers, "opportunities": opportunities, "activities": activities}


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    path = tmp_path_factory.mktemp("new") / "crm.xlsx"
    write_new_workbook(path, compute(sample(), AS_OF))
    return path


def letter(spec: schema.Sheet, key: str) -> str:
    """The column letter of a schema column in a new workbook."""
    return xl_col_to_name(spec.keys.index(key))


def test_every_sheet_is_a_table_with_all_schema_columns(english):
    book = openpyxl.load_workbook(english)
    assert book.sheetnames == [*(s.name() for s in schema.DATA_SHEETS), "Settings"]
    for spec in schema.DATA_SHEETS:
        sheet = book[spec.name()]
        table = sheet.tables[schema.TABLE_NAMES[spec.key]]
        assert [c.name for c in table.tableColumns] == [c.header() for c in spec.columns]
        assert sheet.freeze_panes == "A2"
    last = xl_col_to_name(len(schema.CONTACTS.columns) - 1)
    assert book["Contacts"].tables["Contacts"].ref == f"A1:{last}2"  # empty: one blank row keeps the table valid


def test_values_keep_their_type_and_read_back(english):
    data = read_workbook(english)
    customers = data.frame("customers")
    assert customers["customer_id"].tolist() == ["00123", "C2"]
    assert customers["name"].tolist() == ["=HYPERLINK(\"x\")", "-5%"]
    assert customers.at[2, "last_contact"] == date(2024, 6, 1)  # synced: a calendar date
    assert data.frame("activities").at[2, "summary"] == "+1 call back"
    assert data.frame("contacts").empty
    assert data.as_of == AS_OF
    sheet = openpyxl.load_workbook(english)["Customers"]
    assert sheet["B2"].data_type == "s" and sheet["G2"].number_format == "yyyy-mm-dd"


def test_cached_results_are_the_python_rules(english):
    data = read_workbook(english)
    computed = compute(sample(), AS_OF)
    for key, rules in (("customers", derive.customer_columns), ("opportunities", derive.opportunity_columns)):
        frame = data.frame(key)
        expected = rules(computed.frame(key), AS_OF)
        for column in expected:
            assert [_plain(v) for v in frame[column]] == expected[column].tolist(), column
    assert data.frame("customers")["grade"].tolist() == ["A", "E"]
    assert data.frame("opportunities").at[2, "weighted_amount"] == 500_000


def _plain(value):
    return value.date() if isinstance(value, datetime) else value


def test_without_cache_the_results_are_left_blank(tmp_path):
    path = write_new_workbook(tmp_path / "raw.xlsx", compute(sample(), AS_OF), cached=False)
    frame = read_workbook(path).frame("customers")
    assert frame["grade"].isna().all() and frame["followup_status"].isna().all()
    sheet = openpyxl.load_workbook(path)["Customers"]
    assert str(sheet[f"{letter(schema.CUSTOMERS, 'grade')}2"].value).startswith("=IFERROR(")


def test_dropdowns_on_enumerated_input_columns(english):
    sheet = openpyxl.load_workbook(english)["Opportunities"]
    rules = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert rules["F2"] == "StageName"
    assert rules["G2"] == '"Open,Won,Lost"'
    assert rules["M2"] == '"Yes,No"'
    assert f"{letter(schema.OPPORTUNITIES, 'weighted_amount')}2" not in rules  # derived columns get none


def test_highlights_for_overdue_and_stale(english):
    book = openpyxl.load_workbook(english)
    ranges = {str(r.sqref): [rule.formula for rule in r.rules] for r in book["Customers"].conditional_formatting}
    status, overdue = letter(schema.CUSTOMERS, "followup_status"), letter(schema.CUSTOMERS, "days_overdue")
    assert ranges[f"{status}2:{status}3"] == [['"Overdue"'], ['"Due today"']]
    assert ranges[f"{overdue}2:{overdue}3"] == [["0"]]
    stale = {str(r.sqref): [rule.formula for rule in r.rules] for r in book["Opportunities"].conditional_formatting}
    assert stale[f"{letter(schema.OPPORTUNITIES, 'stale')}2"] == [["TRUE"]]


def test_settings_sheet_and_names(english):
    book = openpyxl.load_workbook(english)
    _, names = settings_sheet.layout()
    defined = {name: book.defined_names[name].attr_text for name in book.defined_names}
    assert defined == {name: f"'Settings'!{cell}" for name, cell in names.items()}
    sheet = book["Settings"]
    assert sheet["B2"].value == datetime(2024, 6, 30) and sheet["B3"].value == 30


def test_chinese_workbook(tmp_path):
    path = write_new_workbook(tmp_path / "zh.xlsx", compute(sample(), AsOf.today()), lang="zh")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [*(s.name("zh") for s in schema.DATA_SHEETS), "参数"]
    assert book["参数"]["B2"].value == "=TODAY()"
    assert book["客户"]["A1"].value == "客户编号"
    rules = {str(v.sqref): v.formula1 for v in book["商机"].data_validations.dataValidation}
    assert rules["F2"] == "StageNameZh" and rules["G2"] == '"跟进中,赢单,丢单"'
    data = read_workbook(path)
    assert data.lang == "zh"
    # AsOf is =TODAY(): the VIP customer last contacted on 2024-06-01 is long overdue
    assert data.frame("customers")["followup_status"].tolist() == ["逾期", "未联系"]


def test_extra_sheets_come_after_the_data_sheets(tmp_path):
    seen = []

    def funnel(book):
        seen.append([s.name for s in book.worksheets()])
        book.add_worksheet("Funnel").write_formula(0, 0, "=GradeDaysA*2", None, 60)

    path = write_new_workbook(tmp_path / "x.xlsx", compute({}, AS_OF), extra_sheets=[funnel])
    assert seen == [[s.name() for s in schema.DATA_SHEETS]]
    assert openpyxl.load_workbook(path).sheetnames[len(schema.DATA_SHEETS):] == ["Funnel", "Settings"]


def test_unwritable_path_is_a_clear_error(tmp_path):
    with pytest.raises(XlCrmError, match="cannot write"):
        write_new_workbook(tmp_path / "missing" / "x.xlsx", compute({}, AS_OF))


def test_unknown_language_is_refused(tmp_path):
    with pytest.raises(XlCrmError, match="unknown workbook language 'fr'"):
        write_new_workbook(tmp_path / "x.xlsx", compute({}, AS_OF), lang="fr")


def test_a_new_workbook_prints_to_pdf(english, tmp_path, recalc):
    pdf = soffice.convert(english, "pdf", tmp_path)
    assert pdf == tmp_path / "crm.pdf" and pdf.read_bytes().startswith(b"%PDF")


def test_missing_libreoffice_or_file_is_a_clear_error(tmp_path, monkeypatch):
    with pytest.raises(XlCrmError, match="no such file"):
        soffice.convert(tmp_path / "none.xlsx", "pdf", tmp_path)
    monkeypatch.setattr(soffice, "CANDIDATES", ())
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("XL_CRM_SOFFICE", raising=False)
    with pytest.raises(XlCrmError, match="LibreOffice .soffice. not found"):
        soffice.find_soffice()


def test_text_xml_cannot_hold_shows_as_the_replacement_character(tmp_path):
    """U+FFFE has no place in XML and no reader restores _xFFFE_: it shows as U+FFFD; a control character stays."""
    frames = {"customers": pd.DataFrame({"customer_id": ["C1"], "name": ["Acme\ufffe Ltd\x01"]})}
    path = write_new_workbook(tmp_path / "odd.xlsx", compute(frames, AS_OF))
    assert read_workbook(path).frame("customers").at[2, "name"] == "Acme\ufffd Ltd\x01"
