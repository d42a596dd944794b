"""Each way a workbook is made or refreshed keeps History: init --data, import, upgrade, the buttons, the demo."""

from __future__ import annotations

import csv
from datetime import date, datetime

import pandas as pd
from python_calamine import CalamineWorkbook

from xl_crm.adopt.upgrade import upgrade_workbook
from xl_crm.commands.demo import demo_frames
from xl_crm.commands.demo_history import history_frames
from xl_crm.commands.workbook import import_files, init_workbook, plan_refresh
from xl_crm.compute.history import History
from xl_crm.excel import macros
from xl_crm.excel.live import MemoryBook
from xl_crm.model.asof import AsOf
from xl_crm.sheets.read import read_workbook

AS_OF = date(2026, 5, 4)


def _csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])


def _rows(path, sheet="History") -> list[tuple]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    clean = [tuple(None if v == "" else v.date() if isinstance(v, datetime) else v for v in r) for r in rows[1:]]
    return [r for r in clean if any(v is not None for v in r)]


def test_init_data_keeps_a_given_history_and_records_what_changed_since(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    _csv(data / "customers.csv", ["customer_id", "name"], [["C1", "Acme"]])
    _csv(data / "opportunities.csv",
         ["opportunity_id", "customer_id", "stage", "status", "owner", "amount", "expected_close"],
         [["O1", "C1", "Propose", "Open", "Ann", "1,200", "2026-07-01"]])
    _csv(data / "history.csv", ["date", "opportunity_id", "field", "old", "new"],  # dates and amounts as text
         [["2026-03-01", "O1", "stage", "", "Qualify"], ["2026-03-01", "O1", "status", "", "Open"],
          ["2026-03-01", "O1", "owner", "", "Ann"], ["2026-03-01", "O1", "amount", "", "1200"],
          ["2026-03-01", "O1", "expected_close", "", "2026-06-01"],
          ["2026-04-01", "O1", "expected_close", "2026-06-01", "2026-07-01"]])
    path = tmp_path / "crm.xlsx"
    init_workbook(path, data_dir=data, as_of=AS_OF)
    rows = _rows(path)
    assert len(rows) == 7 and rows[-1] == (AS_OF, "O1", "stage", "Qualify", "Propose")
    frame = read_workbook(path).frame("opportunities")
    assert frame["push_count"].tolist() == [1]


def test_import_into_a_new_workbook_records_the_first_sighting_in_its_language(tmp_path):
    source = tmp_path / "deals.csv"
    _csv(source, ["商机编号", "客户编号", "阶段", "状态", "金额"], [["O7", "C1", "3", "跟进中", "1200"]])
    path = tmp_path / "new.xlsx"
    import_files([source], path, sheet="opportunities", backup=False)
    rows = _rows(path, "变更记录")
    assert [r[1:] for r in rows] == [("O7", "stage", None, "方案论证"), ("O7", "status", None, "跟进中"),
                                     ("O7", "amount", None, 1200)]
    assert {r[0] for r in rows} == {date.today()}


def test_upgrade_adds_the_history_sheet_and_refresh_then_records(tmp_path):
    path = tmp_path / "old.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"Customer ID": ["C1"], "Name": ["Acme"]}).to_excel(writer, sheet_name="Customers", index=False)
        pd.DataFrame({"Opportunity ID": ["O1"], "Customer ID": ["C1"], "Stage": ["Develop"],
                      "Status": ["Open"]}).to_excel(writer, sheet_name="Opportunities", index=False)
    upgrade_workbook(path, as_of=AS_OF, backup=False)
    data = read_workbook(path)
    assert "history" in data.tables
    plan = plan_refresh(data, AsOf(AS_OF))
    assert sorted(plan.values["History"].values(), key=str) == sorted(
        [AS_OF, "O1", "stage", "Develop", AS_OF, "O1", "status", "Open"], key=str)


def test_the_refresh_button_appends_history_rows_below_the_last(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    _csv(data / "customers.csv", ["customer_id", "name"], [["C1", "Acme"]])
    _csv(data / "opportunities.csv", ["opportunity_id", "customer_id", "stage", "status", "expected_close"],
         [["O1", "C1", "Qualify", "Open", "2026-06-01"]])
    path = tmp_path / "crm.xlsx"
    init_workbook(path, data_dir=data, as_of=AS_OF)
    book = MemoryBook.from_file(path)
    opps = book.sheets["Opportunities"]
    col = opps[0].index("Expected Close")
    opps[1][col] = datetime(2026, 7, 1)
    macros.refresh(book)
    history = [r for r in book.sheets["History"][1:] if any(v is not None for v in r)]
    assert len(history) == 4
    assert history[-1][1:] == ["O1", "expected_close", datetime(2026, 6, 1), datetime(2026, 7, 1)]
    assert opps[1][opps[0].index("Push Count")] == 1
    macros.refresh(book)
    assert [r for r in book.sheets["History"][1:] if any(v is not None for v in r)] == history


def test_demo_history_ends_at_each_deals_values_and_pushes_dates_later():
    frames = history_frames(demo_frames(AS_OF, "en", customers=40, opportunities=120), AS_OF, "en")
    history = History(frames["history"], frames["opportunities"])
    assert len(history.appended(frames["opportunities"], AS_OF, "en")) == 0  # nothing left to record
    rows = frames["history"]
    assert (pd.to_datetime(rows["date"]) <= pd.Timestamp(AS_OF)).all()
    assert history.push_counts(AS_OF).sum() > 0
    stages = rows[rows["field"] == "stage"]
    assert stages.groupby("opportunity_id").size().max() > 1  # deals move through the stages
