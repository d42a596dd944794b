"""One typing path for `init --data` and `import`: readers per kind, value maps, policies, stage-only exports."""

from __future__ import annotations

from datetime import date

import pytest

from xl_crm.adopt.load import load_csv_dir
from xl_crm.adopt.typing import language_of, read_number
from xl_crm.commands.workbook import import_files
from xl_crm.errors import XlCrmError
from xl_crm.model.mapping import load_mapping
from xl_crm.sheets.read import read_workbook


@pytest.mark.parametrize("text, kind, number", [
    ("¥1,200", "money", 1200), ("$ 3.5", "money", 3.5), ("€1,234,567.25", "money", 1234567.25),
    ("£-40", "money", -40), ("-£40", "money", -40), ("1 200", "money", 1200), ("12000元", "money", 12000),
    ("US$2,500", "money", 2500), ("HK$ 10", "money", 10), ("RMB 8,000.50", "money", 8000.5),
    ("1e3", "number", 1000), ("30%", "percent", 0.3), ("7", "int", 7), ("0012", "money", 12),
])
def test_numbers_as_people_type_them(text, kind, number):
    value = read_number(text, kind)
    assert value == pytest.approx(number) and type(value) is type(number)


@pytest.mark.parametrize("text", ["12abc", "1,2,3", "$", "30%", "1.2.3", "--5"])
def test_what_is_no_number_is_refused(text):
    with pytest.raises(ValueError):
        read_number(text, "money")


def test_language_of_headers():
    assert language_of(["客户名称", "负责人", "金额", "ID"]) == "zh"
    assert language_of(["Customer ID", "Name", "备注"]) == "en"


EXPORT = ("opportunity_id,sales_agent,account,deal_stage,engage_date,close_date,close_value\n"
          "O1,Moses,Acme,Won,10/20/2016,03/01/2017,\"$1,054\"\n"
          "O2,Darcel,Acme,Lost,10/25/2016,03/11/2017,0\n"
          "O3,Darcel,Acme,Engaging,11/02/2016,,\n"
          "O4,Moses,Acme,Prospecting,,,\n")
MAPPING = ('[opportunities]\ndate_format = "MM/DD/YYYY"\n'
           '[opportunities.columns]\nsales_agent = "owner"\naccount = "customer_id"\ndeal_stage = "stage"\n'
           'engage_date = "created"\nclose_date = "closed_date"\nclose_value = "amount"\n'
           '[opportunities.values.stage]\nProspecting = "Qualify"\nEngaging = "Develop"\n')


def _export(tmp_path):
    (tmp_path / "opportunities.csv").write_text(EXPORT, encoding="utf-8")
    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    return tmp_path / "opportunities.csv", load_mapping(tmp_path / "map.toml")


def test_a_stage_only_export_reads_the_same_in_init_and_import(tmp_path):
    source, mapping = _export(tmp_path)
    loaded = load_csv_dir(tmp_path, mapping)["opportunities"]
    assert loaded["status"].tolist() == ["Won", "Lost", "Open", "Open"]
    assert loaded["stage"].tolist() == [5, None, "Develop", "Qualify"]
    assert loaded["created"].tolist()[:2] == [date(2016, 10, 20), date(2016, 10, 25)]
    assert loaded["closed_date"].tolist()[0] == date(2017, 3, 1)
    assert loaded["amount"].tolist() == [1054, 0, None, None]
    summary = import_files([source], tmp_path / "crm.xlsx", mapping=mapping)
    assert (summary.added, summary.rejected) == (4, [])
    imported = read_workbook(tmp_path / "crm.xlsx").tables["opportunities"].frame
    assert imported["status"].tolist() == ["Won", "Lost", "Open", "Open"]
    assert imported["closed_date"].iloc[1] == date(2017, 3, 11)


def test_keep_for_check_loads_unreadable_values_as_they_are(tmp_path):
    (tmp_path / "opportunities.csv").write_text(
        "opportunity_id,customer_id,stage,status,amount,created\nO1,C1,Maybe,Open,a lot,someday\n", encoding="utf-8")
    row = load_csv_dir(tmp_path)["opportunities"].iloc[0].to_dict()
    assert row == {"opportunity_id": "O1", "customer_id": "C1", "stage": "Maybe", "status": "Open",
                   "amount": "a lot", "created": "someday"}


def test_reject_the_row_names_row_column_and_value(tmp_path):
    source = tmp_path / "deals.csv"
    source.write_text("opportunity_id,customer_id,stage,status,amount\nO1,C1,2,Open,5\nO2,C1,Maybe,Open,x\n",
                      encoding="utf-8")
    summary = import_files([source], tmp_path / "crm.xlsx")
    assert summary.added == 1
    assert [str(r) for r in summary.rejected] == ["deals.csv row 3, column C (stage): 'Maybe': unknown stage",
                                                  "deals.csv row 3, column E (amount): 'x': not a number"]


def test_undecided_day_month_order_is_one_error_naming_the_column(tmp_path):
    (tmp_path / "activities.csv").write_text("date,customer_id\n03/04/2026,C1\n05/06/2026,C1\n", encoding="utf-8")
    with pytest.raises(XlCrmError, match=r"activities\.csv, column A \(date\): .*date_format"):
        load_csv_dir(tmp_path)
    with pytest.raises(XlCrmError, match=r"activities\.csv, column A \(date\): .*date_format"):
        import_files([tmp_path / "activities.csv"], tmp_path / "crm.xlsx")
    assert not (tmp_path / "crm.xlsx").exists()


def test_other_crms_stage_names_are_written_as_the_stage_at_their_place(tmp_path):
    source = tmp_path / "deals.csv"
    source.write_text("Opportunity ID,Account ID,StageName\nO1,C1,Prospecting\nO2,C1,Closed Won\n"
                      "O3,C1,Negotiation/Review\nO4,C1,Closed Lost\n", encoding="utf-8")
    summary = import_files([source], tmp_path / "crm.xlsx", sheet="opportunities")
    assert (summary.added, summary.rejected) == (4, [])
    frame = read_workbook(tmp_path / "crm.xlsx").tables["opportunities"].frame
    assert frame["stage"].tolist() == ["Qualify", 5, "Negotiate", None]
    assert frame["status"].tolist() == ["Open", "Won", "Open", "Lost"]
