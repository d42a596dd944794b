"""Loading CSV files: encodings, headers in any language, typing by column kind, bad files."""

from __future__ import annotations

from datetime import date

import pytest

from xl_crm.adopt.load import ignored_columns, load_csv_dir
from xl_crm.errors import XlCrmError
from xl_crm.model.mapping import load_mapping

CUSTOMERS = (
    "Customer ID,客户名称,need,Expected Close,Revenue 12M,Notes\n"
    "00123,=1+1,Now,2024-05-01,\"1,200\",anything\n"
    "C2,+86 138 0000,现有需求,2024/5/1,-500,\n"
    "C3,@home,,soon,12abc,\n"
    ",  ,,,,\n"
    "C4,-5%, none ,2024-05-01T10:30:00, 2.5 ,\n"
)


def write(folder, name, text, encoding="utf-8"):
    (folder / name).write_bytes(text.encode(encoding))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_encodings_are_detected(tmp_path, encoding):
    write(tmp_path, "customers.csv", CUSTOMERS, encoding)
    customers = load_csv_dir(tmp_path)["customers"]
    assert customers["customer_id"].tolist() == ["00123", "C2", "C3", "C4"]
    assert customers.at[3, "need"] == "现有需求"


def test_headers_in_any_language_and_unknown_columns_dropped(tmp_path):
    write(tmp_path, "customers.csv", CUSTOMERS)
    customers = load_csv_dir(tmp_path)["customers"]
    assert list(customers.columns) == ["customer_id", "name", "need", "expected_close", "revenue_12m"]


def test_cells_are_typed_by_column_kind(tmp_path):
    write(tmp_path, "customers.csv", CUSTOMERS)
    customers = load_csv_dir(tmp_path)["customers"]
    row = lambda i: customers.loc[i].to_dict()  # index = CSV row, header is row 1
    assert row(2) == {"customer_id": "00123", "name": "=1+1", "need": "Now", "expected_close": date(2024, 5, 1),
                      "revenue_12m": 1200}
    assert row(3)["name"] == "+86 138 0000" and row(3)["revenue_12m"] == -500
    assert row(3)["expected_close"] == date(2024, 5, 1)  # year first: no doubt about the order
    assert row(4) == {"customer_id": "C3", "name": "@home", "need": None, "expected_close": "soon",
                      "revenue_12m": "12abc"}
    assert row(6)["name"] == "-5%" and row(6)["need"] == " none "
    assert row(6)["expected_close"] == date(2024, 5, 1) and row(6)["revenue_12m"] == 2.5
    assert 5 not in customers.index  # a row of blanks is no record


def test_stage_digits_become_numbers_and_names_stay_text(tmp_path):
    write(tmp_path, "opportunities.csv",
          "opportunity_id,customer_id,stage,status,amount,need\n"
          "O1,C1, 3 ,Open,1e3,Y\nO2,C1,Develop,won,,1\nO3,C1,2.5,Open,0012,TRUE\n")
    opps = load_csv_dir(tmp_path)["opportunities"]
    assert opps["stage"].tolist() == [3, "Develop", "2.5"]
    assert opps["amount"].tolist() == [1000, None, 12]
    assert opps["need"].tolist() == ["Y", "1", "TRUE"]  # yes/no answers stay as typed


def test_missing_files_are_left_out(tmp_path):
    write(tmp_path, "activities.csv", "date,customer_id,summary\n2024-01-02,C1,=cmd|' /C calc'!A0\n")
    frames = load_csv_dir(tmp_path)
    assert set(frames) == {"activities"}
    assert frames["activities"].iloc[0].tolist() == [date(2024, 1, 2), "C1", "=cmd|' /C calc'!A0"]


def test_malformed_csv_names_file_and_row(tmp_path):
    write(tmp_path, "customers.csv", 'customer_id,name\nC1,"ok"\nC2,"broken"x\n')
    with pytest.raises(XlCrmError, match=r"customers\.csv, row 3"):
        load_csv_dir(tmp_path)


def test_value_without_header_names_row_and_column(tmp_path):
    write(tmp_path, "contacts.csv", "contact_id,customer_id,name\nP1,C1,Li,extra\n")
    with pytest.raises(XlCrmError, match=r"contacts\.csv, row 2, column 4: value 'extra'"):
        load_csv_dir(tmp_path)


def test_repeated_column_is_refused(tmp_path):
    write(tmp_path, "customers.csv", "customer_id,Name,客户名称\nC1,a,b\n")
    with pytest.raises(XlCrmError, match=r"row 1, column 3"):
        load_csv_dir(tmp_path)


def test_not_a_folder(tmp_path):
    with pytest.raises(XlCrmError, match="not a folder"):
        load_csv_dir(tmp_path / "nowhere")


def test_headers_go_through_the_mapping_and_what_is_not_loaded_is_named(tmp_path):
    write(tmp_path, "firms.csv", "Account ID,Company,Sales Rep,Founded\nA1,Acme,Li,1990\n")
    (tmp_path / "map.toml").write_text('[customers]\nsheet = "firms"\n', encoding="utf-8")
    frames = load_csv_dir(tmp_path, load_mapping(tmp_path / "map.toml"))
    assert frames["customers"].iloc[0].to_dict() == {"customer_id": "A1", "name": "Acme", "owner": "Li"}
    assert ignored_columns(frames) == [
        "firms.csv: columns not loaded (no standard column by that name; map them with --mapping): Founded"]
    assert load_csv_dir(tmp_path) == {}  # without the mapping no file names a sheet


EXPORT = ("opportunity_id,sales_agent,account,deal_stage,close_value\n"
          "O1,Moses,Acme,Won,1054\nO2,Darcel,Acme,Lost,0\nO3,Darcel,,Engaging,\nO4,Moses,Acme,,\n")


def test_one_stage_column_ending_in_won_and_lost_gives_the_status(tmp_path):
    write(tmp_path, "opportunities.csv", EXPORT)
    (tmp_path / "map.toml").write_text(
        '[opportunities.columns]\nsales_agent = "owner"\naccount = "customer_id"\ndeal_stage = "stage"\n'
        'close_value = "amount"\n', encoding="utf-8")
    opps = load_csv_dir(tmp_path, load_mapping(tmp_path / "map.toml"))["opportunities"]
    assert opps["status"].tolist() == ["Won", "Lost", "Open", None]
    assert opps["stage"].tolist() == [5, None, "Develop", None]  # won: past the last stage; lost: unknown; Engaging: 2
    assert opps.attrs["ignored"] == []


def test_a_status_column_is_taken_as_it_is(tmp_path):
    write(tmp_path, "opportunities.csv", "opportunity_id,stage,status\nO1,Won,Open\n")
    opps = load_csv_dir(tmp_path)["opportunities"]
    assert opps.iloc[0].tolist() == ["O1", "Won", "Open"]  # check reports the stage; nothing is guessed


def test_files_named_as_other_crms_export_them_are_found(tmp_path):
    write(tmp_path, "Companies.csv", "Company ID,Company name,Company owner\nA1,Acme,Ann\n")
    write(tmp_path, "deals.csv", "Deal ID,Company ID,Deal Stage,Amount\nD1,A1,Qualify,100\n")
    write(tmp_path, "persons.csv", "Contact ID,Company ID,Name\nP1,A1,Li Lei\n")
    write(tmp_path, "notes.csv", "Deal ID,Company ID,Deal Stage\nD9,A1,Qualify\n")  # names no sheet: not read
    frames = load_csv_dir(tmp_path)
    assert frames["customers"]["name"].tolist() == ["Acme"]
    assert frames["opportunities"]["opportunity_id"].tolist() == ["D1"]
    assert frames["contacts"]["name"].tolist() == ["Li Lei"]
    assert frames["opportunities"].attrs["file"] == "deals.csv"


def test_the_standard_file_name_wins_and_a_mapping_names_the_file_alone(tmp_path):
    write(tmp_path, "deals.csv", "Deal ID,Customer ID,Stage,Status\nD1,C1,Qualify,Open\n")
    write(tmp_path, "opportunities.csv", "Deal ID,Customer ID,Stage,Status\nD2,C1,Qualify,Open\n")
    assert load_csv_dir(tmp_path)["opportunities"]["opportunity_id"].tolist() == ["D2"]
    (tmp_path / "map.toml").write_text('[opportunities]\nsheet = "pipeline"\n', encoding="utf-8")
    assert "opportunities" not in load_csv_dir(tmp_path, load_mapping(tmp_path / "map.toml"))
