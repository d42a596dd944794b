"""Mapping files for real exports: value maps, one column to several fields, date formats, sheets."""

import pytest
import xlsxwriter

from xl_crm.errors import XlCrmError
from xl_crm.model.mapping import (
    DEFAULT,
    date_format_pattern,
    load_mapping,
    parse_mapping,
)
from xl_crm.sheets.read import read_workbook

EXPORT = """
[opportunities]
sheet = "sales_pipeline"
date_format = "MM/DD/YYYY"
[opportunities.columns]
deal_stage = "stage"
close_date = "closed_date"
account = ["customer_id", "customer_name"]
[opportunities.values.stage]
Prospecting = "Qualify"
"Closed Won" = "Won"
[customers]
sheet = "accounts.csv"
[customers.columns]
account = ["customer_id", "name"]
"""


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "export.toml"
    path.write_text(EXPORT, encoding="utf-8")
    return load_mapping(path)


def test_value_map_keys_are_trimmed_and_folded(export):
    assert export.value_map("opportunities", "stage") == {"prospecting": "Qualify", "closed won": "Won"}
    assert export.map_value("opportunities", "stage", "  CLOSED WON ") == "Won"
    assert export.map_value("opportunities", "stage", "Engaging") == "Engaging"
    assert export.value_map("opportunities", "status") == {}
    assert DEFAULT.value_map("opportunities", "stage") == {}


def test_one_column_feeds_several_fields(export):
    assert export.fields("customers", "account") == ["customer_id", "name"]
    assert export.fields("opportunities", "Account") == ["customer_id"]
    assert export.link("opportunities", "account") == "customer_name"
    assert export.fields("opportunities", "Deal_Stage") == ["stage"]
    assert export.fields("opportunities", "no such header") == []
    assert DEFAULT.fields("customers", "客户名称") == ["name"]


def test_date_format_by_column_then_sheet(export):
    assert export.date_format("opportunities", "created") == "MM/DD/YYYY"
    assert export.date_format("opportunities", "closed_date") == "MM/DD/YYYY"
    assert export.date_format("customers", "expected_close") is None


def test_date_format_per_column_by_source_header():
    formats = {"engage_date": "dd.mm.yyyy", "closed_date": "D/M/YYYY"}
    mapping = parse_mapping({"opportunities": {"columns": {"engage_date": "created"}, "date_format": formats}})
    assert mapping.date_format("opportunities", "created") == "DD.MM.YYYY"
    assert mapping.date_format("opportunities", "closed_date") == "D/M/YYYY"
    assert mapping.date_format("opportunities", "expected_close") is None


@pytest.mark.parametrize("text, pattern", [("YYYY-MM-DD", "%Y-%m-%d"), ("MM/DD/YYYY", "%m/%d/%Y"),
                                           ("DD/MM/YYYY", "%d/%m/%Y"), ("DD.MM.YYYY", "%d.%m.%Y"),
                                           ("YYYY/MM/DD", "%Y/%m/%d")])
def test_date_format_patterns(text, pattern):
    assert date_format_pattern(text) == pattern


def test_csv_name_and_sheet(export):
    assert export.csv_name("opportunities") == "sales_pipeline.csv"
    assert export.csv_name("customers") == "accounts.csv"
    assert export.csv_name("contacts") == "contacts.csv"


@pytest.mark.parametrize("raw, message", [
    ({"opportunities": {"date_format": "MM-YYYY"}}, "date_format = 'MM-YYYY'"),
    ({"opportunities": {"values": {"status": {"Closed Won": "Gewonnen"}}}}, "expected one of Open, Won, Lost"),
    ({"opportunities": {"values": {"nosuch": {"a": "b"}}}}, "no column 'nosuch'"),
    ({"customers": {"columns": {"account": ["customer_id", "customer_name"]}}}, "no column 'customer_name'"),
    ({"customers": {"colums": {}}}, "'colums'"),
])
def test_bad_entries_are_named(raw, message):
    with pytest.raises(XlCrmError, match=message.replace("(", r"\(")):
        parse_mapping(raw, "map.toml")


def test_value_maps_apply_when_a_workbook_is_read(tmp_path):
    path = tmp_path / "de.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Chancen")
    ws.write_row(0, 0, ["Kunde", "Phase", "Betrag", "Ergebnis"])
    ws.write_row(1, 0, ["Acme", " angebot ", 10, "offen"])
    ws.write_row(2, 0, ["Globex", "Verhandlung", 20, "gewonnen"])
    book.close()
    mapping = parse_mapping({"opportunities": {
        "sheet": "Chancen", "columns": {"Kunde": "customer_name", "Phase": "stage", "Betrag": "amount",
                                        "Ergebnis": "status"},
        "values": {"stage": {"Angebot": "Propose", "Verhandlung": "Negotiate"},
                   "Ergebnis": {"offen": "Open", "gewonnen": "Won"}}}})
    deals = read_workbook(path, mapping).tables["opportunities"].frame
    assert deals["stage"].tolist() == ["Propose", "Negotiate"] and deals["status"].tolist() == ["Open", "Won"]
    assert read_workbook(path, mapping).frame("customers")["name"].tolist() == ["Acme", "Globex"]


def test_one_column_feeds_two_fields_when_a_workbook_is_read(tmp_path):
    path = tmp_path / "accounts.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("accounts")
    ws.write_row(0, 0, ["account", "sector"])
    ws.write_row(1, 0, ["Cancity", "retail"])
    book.close()
    mapping = parse_mapping({"customers": {"sheet": "accounts", "columns": {"account": ["customer_id", "name"],
                                                                            "sector": "industry"}}})
    table = read_workbook(path, mapping).tables["customers"]
    assert table.columns == {"customer_id": 0, "name": 0, "industry": 1}
    assert table.frame[["customer_id", "name", "industry"]].values.tolist() == [["Cancity", "Cancity", "retail"]]


def test_a_sheet_the_mapping_names_but_cannot_read_is_an_error_not_ignored(tmp_path):
    path = tmp_path / "x.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Liste").write_row(0, 0, ["Kunde", "Phase", "Betrag"])
    book.close()
    with pytest.raises(XlCrmError, match=r"sheet 'Liste', which the mapping names for Opportunities, has no header"):
        read_workbook(path, parse_mapping({"opportunities": {"sheet": "Liste"}}))
