"""DealContacts and Competitors as standard sheets: init --data, import, upgrade, check, refresh, dropdowns."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

from xl_crm.adopt.upgrade import upgrade_workbook
from xl_crm.commands.check import check_workbook
from xl_crm.commands.workbook import import_files, init_workbook, refresh_workbook
from xl_crm.sheets.read import read_workbook

AS_OF = date(2026, 6, 30)
CSV = {
    "customers": "customer_id,name,owner\nC1,Acme,Li\nC2,Beta,Wang\n",
    "opportunities": "opportunity_id,customer_id,name,owner,stage,status,amount,competitor,reason\n"
                     "O1,C1,ERP,Li,Propose,Open,100000,Rival Co,\nO2,C2,CRM,Wang,Develop,Open,50000,,\n"
                     "O3,C2,Old,Wang,Close,Lost,20000,Rival Co,价格\n",
    "contacts": "contact_id,customer_id,name,level,department,role,attitude,is_coach,birthday\n"
                "P1,C1,Ann,Executive,Board,A,+,Y,01-05\nP2,C1,Bob,Management,IT,D,*,Y,1980-07-01\n"
                "P3,C2,Cy,Operational,Shop,U,=,N,13-13\n",
    "deal_contacts": "opportunity_id,contact_id,role,attitude,is_coach\nO2,P3,决策人,支持,\nO9,P3,,,\nO2,P7,,,\n",
    "competitors": "customer_id,competitor,opportunity_id,supporters,last_move,last_move_date\n"
                   "C1,Rival Co,O1,\"P1,P8\",Price cut,2026-06-10\n",
}


@pytest.fixture
def data_dir(tmp_path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for key, text in CSV.items():
        (folder / f"{key}.csv").write_text(text, encoding="utf-8")
    return folder


def test_init_loads_both_sheets_and_syncs_the_maps(tmp_path, data_dir):
    path = tmp_path / "crm.xlsx"
    init_workbook(path, data_dir=data_dir, as_of=AS_OF)
    data = read_workbook(path)
    assert len(data.frame("deal_contacts")) == 3 and data.frame("competitors")["competitor"].tolist() == ["Rival Co"]
    opps = data.frame("opportunities").set_index("opportunity_id")
    assert opps.loc["O1", "map_warnings"] is None and opps.loc["O1", "map_contacts"] == 2
    # O2: Cy as decision maker and supporter from its DealContacts row, and P7 unknown
    assert opps.loc["O2", "map_warnings"] == ("No approver; No executive contact; Too few coaches; "
                                              "One department only")
    assert opps.loc["O2", "support"] == 1
    assert opps.loc["O3", "map_contacts"] is None


def test_check_names_unknown_ids_and_bad_birthdays(tmp_path, data_dir):
    path = tmp_path / "crm.xlsx"
    init_workbook(path, data_dir=data_dir, as_of=AS_OF)
    found = {(p.sheet, p.row, p.value, p.severity) for p in check_workbook(path)}
    assert ("DealContacts", 3, "O9", "error") in found
    assert ("DealContacts", 4, "P7", "error") in found
    assert ("Contacts", 4, "13-13", "error") in found
    assert ("Competitors", 2, "P1,P8", "warning") in found


def test_dropdowns_on_the_deal_contacts_sheet_in_chinese(tmp_path, data_dir):
    path = tmp_path / "crm_zh.xlsx"
    init_workbook(path, data_dir=data_dir, as_of=AS_OF, lang="zh")
    with zipfile.ZipFile(path) as book:
        names = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        sheets = [book.read(n).decode() for n in names]
    deal_sheet = next(s for s in sheets if "批准人,决策人,评估人,建议人,用户" in s)
    assert "力挺,支持,中立,不支持,敌对" in deal_sheet and "是,否" in deal_sheet
    assert any("关系,方案,交付,商务,价格,其他" in s for s in sheets)  # reason on 商机
    refresh_workbook(path, as_of=AS_OF)
    data = read_workbook(path)
    assert set(data.tables) >= {"deal_contacts", "competitors"}
    opps = data.frame("opportunities").set_index("opportunity_id")
    assert opps.loc["O2", "map_warnings"] == "无批准人; 未接触高层; 内线不足; 关系单一"


def test_refresh_follows_a_new_deal_contacts_row(tmp_path, data_dir):
    path = tmp_path / "crm.xlsx"
    init_workbook(path, data_dir=data_dir, as_of=AS_OF)
    (tmp_path / "more.csv").write_text("opportunity_id,contact_id,role,attitude,is_coach\nO1,P1,,,\n",
                                       encoding="utf-8")
    import_files([tmp_path / "more.csv"], path, sheet="deal_contacts")
    refresh_workbook(path, as_of=AS_OF)
    opps = read_workbook(path).frame("opportunities").set_index("opportunity_id")
    # O1 now maps Ann alone: no decision maker, one coach, one department
    assert opps.loc["O1", "map_contacts"] == 1
    assert opps.loc["O1", "map_warnings"] == "No decision maker; Too few coaches; One department only"


def test_upgrade_adds_the_sheets_and_the_map_columns(tmp_path):
    path = tmp_path / "tracker.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Opportunities")
    for j, header in enumerate(["Opportunity ID", "Customer ID", "Stage", "Status", "Amount"]):
        sheet.write(0, j, header)
    sheet.write_row(1, 0, ["O1", "C1", "Propose", "Open", 1000])
    customers = book.add_worksheet("Customers")
    customers.write_row(0, 0, ["Customer ID", "Name"])
    customers.write_row(1, 0, ["C1", "Acme"])
    book.close()
    upgrade_workbook(path, as_of=AS_OF)
    data = read_workbook(path)
    assert {"deal_contacts", "competitors"} <= set(data.tables)
    opps = data.frame("opportunities")
    assert opps["map_contacts"].tolist() == [0]
    assert opps["map_warnings"].tolist() == ["No decision maker; No approver; No executive contact; "
                                             "Too few coaches; One department only"]


def test_check_names_a_festival_without_a_date(tmp_path, data_dir):
    import openpyxl

    path = tmp_path / "crm.xlsx"
    init_workbook(path, data_dir=data_dir, as_of=AS_OF)
    book = openpyxl.load_workbook(path)
    settings = book["Settings"]
    row = next(r for r in range(1, settings.max_row + 1) if settings.cell(r, 1).value == "Mid-Autumn")
    settings.cell(row, 2).value = "soon"
    book.save(path)
    found = [p for p in check_workbook(path) if p.message == "a festival needs a date"]
    assert [(p.sheet, p.value) for p in found] == [(f"Settings!B{row} (Mid-Autumn)", "soon")]
    assert read_workbook(path).settings.festivals[4][0] == "National Day"  # the row left out, the rest read


@pytest.mark.parametrize("spelling, value", [
    ("没有会晤", "None"), ("未会面", "None"), ("高质量时间", "Quality time"), ("深度交流", "Quality time"),
    ("一对一", "One-on-one"), ("3", "Quality time"), ("简介", "Introduction")])
def test_time_spent_reads_the_source_texts_words(spelling, value):
    from xl_crm.model.vocab import TIME_SPENT

    assert TIME_SPENT.parse(spelling) == value
