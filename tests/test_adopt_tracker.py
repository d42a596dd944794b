"""A rep's own one-sheet tracker, the way reps keep it, adopted as a person would read it.

No ID columns, a merged title above the header, customer names spelled two
ways, a notes column, a chart and a button: `upgrade` finds the deal table,
builds Customers and Contacts from its rows, adds the IDs and status the
rows imply as new columns, keeps every cell and part of the user's, and the
row formulas compute in LibreOffice.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
import xlsxwriter
from helpers import TRACKER_AS_OF as AS_OF
from helpers import TRACKER_ROWS, parts_of, tracker, values_of

from xl_crm.adopt.upgrade import upgrade_workbook
from xl_crm.model.mapping import parse_mapping
from xl_crm.rules.customer_key import customer_key
from xl_crm.sheets import links
from xl_crm.sheets.read import read_workbook


def test_dry_run_finds_the_deal_table_and_says_what_it_adds(tmp_path):
    book = tracker(tmp_path / "mine.xlsx")
    before = book.read_bytes()
    text = "\n".join(upgrade_workbook(book, dry_run=True).lines())
    assert "(language zh)" in text
    assert "Opportunities: sheet '销售跟踪', header row 3" in text
    for pair in ("阶段 -> stage", "金额 -> amount", "负责人 -> owner", "预计成交日期 -> expected_close",
                 "客户名称 -> customer name", "联系人 -> contact name", "电话 -> contact phone"):
        assert pair in text
    assert "add sheet '客户' with 3 customers" in text and "add sheet '联系人' with 2 contacts" in text
    assert "'销售跟踪': fill 状态, 客户编号, 商机编号 from each row" in text
    assert book.read_bytes() == before


def test_read_links_rows_to_one_customer_per_key(tmp_path):
    data = read_workbook(tracker(tmp_path / "mine.xlsx"))
    deals = data.tables["opportunities"].frame
    customers = data.frame("customers")
    assert customers["name"].tolist() == ["华为技术有限公司", "星辰科技", "蓝海贸易"]  # first spelling kept
    ids = dict(zip(customers["name"], customers["customer_id"]))
    assert deals["customer_id"].tolist() == [ids["华为技术有限公司"]] * 2 + [ids["星辰科技"], ids["蓝海贸易"]]
    assert deals["status"].tolist() == ["Open", "Open", "Won", "Lost"]
    assert deals["stage"].tolist() == ["确认商机", "方案论证", 5, None]  # won passed the last stage; lost: unknown
    assert deals["opportunity_id"].is_unique
    contacts = data.frame("contacts")
    assert contacts[["name", "phone"]].values.tolist() == [["张伟", "13800000001"], ["李娜", "13900000002"]]
    assert contacts["customer_id"].tolist() == [ids["华为技术有限公司"], ids["星辰科技"]]


def test_ids_are_stable_whatever_the_row_order(tmp_path):
    first = read_workbook(tracker(tmp_path / "a.xlsx")).tables["opportunities"].frame
    shuffled = [TRACKER_ROWS[3], TRACKER_ROWS[0], TRACKER_ROWS[2], TRACKER_ROWS[1]]
    second = read_workbook(tracker(tmp_path / "b.xlsx", rows=shuffled)).tables["opportunities"].frame
    by_amount = lambda f: dict(zip(f["amount"], zip(f["opportunity_id"], f["customer_id"])))
    assert by_amount(first) == by_amount(second)


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory, recalc):
    """The Chinese tracker upgraded once: its parts and values before, the plan, the recalculated copy read."""
    book = tracker(tmp_path_factory.mktemp("tracker") / "mine.xlsx")
    before_parts, before_values = parts_of(book), values_of(book)
    plan = upgrade_workbook(book, as_of=AS_OF)
    return book, before_parts, before_values, plan, read_workbook(recalc(book))


def test_upgrade_writes_in_the_trackers_language(upgraded):
    plan = upgraded[3]
    assert plan.written and plan.lang == "zh"


def test_upgrade_keeps_every_part_and_cell_of_the_tracker(upgraded):
    book, before_parts, before_values, _, _ = upgraded
    after_parts, after_values = parts_of(book), values_of(book)
    changed = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
               "xl/worksheets/sheet1.xml", "docProps/app.xml"}
    assert all(after_parts[n] == before_parts[n] for n in set(before_parts) - changed)
    for r, row in enumerate(before_values["销售跟踪"]):
        assert after_values["销售跟踪"][r][:len(row)] == row
    assert {"客户", "联系人", "商机", "跟进记录", "参数"} - {"商机"} <= set(after_values)


def test_the_deal_rows_formulas_compute_after_upgrade(upgraded):
    deals = upgraded[4].tables["opportunities"]
    assert deals.sheet_name == "销售跟踪" and not deals.implied  # the IDs and status are cells now
    frame = deals.frame
    assert frame["status"].tolist() == ["跟进中", "跟进中", "赢单", "丢单"]
    assert frame["stage"].tolist() == ["确认商机", "方案论证", 5, None]  # 赢单 in the stage cell still reads as won
    assert frame["probability"].tolist() == [0.1, 0.5, 1, 0]
    assert frame["weighted_amount"].tolist() == [10000, 125000, 80000, 0]


def test_customers_and_contacts_come_from_the_deal_rows(upgraded):
    data = upgraded[4]
    frame = data.tables["opportunities"].frame
    customers = data.tables["customers"].frame
    assert customers["name"].tolist() == ["华为技术有限公司", "星辰科技", "蓝海贸易"]
    assert set(frame["customer_id"]) == set(customers["customer_id"])
    assert customers["next_close"].iloc[0] == date(2026, 3, 20)  # synced from the deals, as refresh does
    assert customers["grade"].tolist() == ["D"] * 3  # need blank reads as Future (DOMAIN section 2): no guess
    contacts = data.tables["contacts"].frame
    assert contacts["name"].tolist() == ["张伟", "李娜"]


def test_a_second_upgrade_has_nothing_to_change(upgraded):
    assert "nothing to change" in "\n".join(upgrade_workbook(upgraded[0], dry_run=True).lines())


def test_english_tracker_and_salesforce_words(tmp_path):
    rows = [["Acme Inc.", "Prospecting", 1000, "Ann", datetime(2026, 4, 1), "call back"],
            ["ACME, inc", "Closed Won", 5000, "Ann", datetime(2026, 1, 15), ""],
            ["Globex Corporation", "Negotiation/Review", 7000, "Bob", datetime(2026, 5, 1), ""],
            ["Initech", "Closed Lost", 2000, "Bob", datetime(2026, 2, 1), ""]]
    headers = ["Account Name", "StageName", "Amount", "Opportunity Owner", "CloseDate", "Notes"]
    data = read_workbook(tracker(tmp_path / "sf.xlsx", headers, rows, sheet="Pipeline", title="My pipeline"))
    deals = data.tables["opportunities"].frame
    assert deals["status"].tolist() == ["Open", "Won", "Open", "Lost"]
    assert deals["stage"].tolist() == ["Qualify", 5, "Negotiate", None]
    # an open deal's CloseDate is its expected close, a closed deal's the day it closed
    assert deals["expected_close"].tolist()[0] == date(2026, 4, 1) and deals["closed_date"].tolist()[0] is None
    assert deals["closed_date"].tolist()[1] == date(2026, 1, 15) and deals["expected_close"].tolist()[1] is None
    assert data.frame("customers")["name"].tolist() == ["Acme Inc.", "Globex Corporation", "Initech"]
    assert customer_key("Acme Inc.") == customer_key("ACME, inc")
    text = "\n".join(upgrade_workbook(tmp_path / "sf.xlsx", as_of=AS_OF, backup=False).lines())
    assert "stages read as the funnel's (Prospecting -> Qualify, Negotiation/Review -> Negotiate)" in text
    after = read_workbook(tmp_path / "sf.xlsx").tables["opportunities"].frame  # CloseDate still read per status
    assert after["expected_close"].tolist()[0] == date(2026, 4, 1) and after["closed_date"].tolist()[0] is None
    assert after["status"].tolist() == ["Open", "Won", "Open", "Lost"]


@pytest.mark.parametrize("renamed", ["Customer", "客户"])
def test_own_sheets_are_never_data(tmp_path, renamed):
    """A Today sheet whose header a rep renamed is still Today, not the customer table."""
    path = tmp_path / "book.xlsx"
    book = xlsxwriter.Workbook(str(path))
    today = book.add_worksheet("Today")
    today.write_row(0, 0, [renamed, "Customer ID", "Owner", "Urgency"])
    today.write_row(1, 0, ["Acme", "C1", "Ann", "Urgent"])
    for name in ("Funnel", "今日跟进", "History", "Summary"):
        book.add_worksheet(name).write_row(0, 0, ["Customer ID", "Name", "Stage", "Amount", "Date"])
    book.close()
    data = read_workbook(path)
    assert data.tables == {}


def test_rows_typed_after_upgrade_get_their_ids_and_new_customers_for_refresh(tmp_path):
    """The ID cells a rep leaves blank are completed from the row; a new customer name is a new Customers row."""
    path = tmp_path / "adopted.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("销售跟踪")
    ws.write_row(0, 0, ["客户名称", "阶段", "金额", "状态", "客户编号", "商机编号"])
    ws.write_row(1, 0, ["华为技术有限公司", "确认商机", 100, "跟进中", "C-OLD", "D-OLD"])
    ws.write_row(2, 0, ["华为技术 (中国) 有限公司", "方案论证", 200, "跟进中"])  # typed later: no IDs
    ws.write_row(3, 0, ["新客户公司", "确认商机", 300, "跟进中"])
    customers = book.add_worksheet("客户")
    customers.write_row(0, 0, ["客户编号", "客户名称"])
    customers.write_row(1, 0, ["C-OLD", "华为技术有限公司"])
    book.close()
    data = read_workbook(path)
    deals = data.tables["opportunities"]
    cells = links.filled_cells(deals)
    assert cells[(3, 4)] == "C-OLD"  # the same customer by its key
    assert {(3, 5), (4, 4), (4, 5)} <= set(cells) and (2, 4) not in cells  # filled cells only
    new = links.new_customers(data)
    assert new["name"].tolist() == ["新客户公司"] and new["customer_id"].tolist() == [cells[(4, 4)]]


def test_dry_run_names_a_second_table_of_a_kind(tmp_path):
    path = tmp_path / "two.xlsx"
    book = xlsxwriter.Workbook(str(path))
    for name in ("2025", "2026"):
        book.add_worksheet(name).write_row(0, 0, ["Customer", "Stage", "Amount", "Owner"])
    book.close()
    text = "\n".join(upgrade_workbook(path, dry_run=True).lines())
    assert "Opportunities: sheet '2025'" in text
    assert "sheet '2026' also reads as Opportunities: left as it is" in text


def test_a_customer_list_with_contact_columns_gets_its_contacts(tmp_path):
    path = tmp_path / "list.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("客户资料")
    ws.write_row(0, 0, ["客户名称", "联系人", "联系电话", "业务员", "地址"])
    ws.write_row(1, 0, ["一号店", "王五", "13700000000", "赵六", "北京"])
    ws.write_row(2, 0, ["二号店", None, None, "赵六", "上海"])
    book.close()
    data = read_workbook(path)
    customers = data.tables["customers"].frame
    contacts = data.frame("contacts")
    assert contacts[["name", "phone"]].values.tolist() == [["王五", "13700000000"]]
    assert contacts["customer_id"].tolist() == customers["customer_id"].tolist()[:1]


def test_a_mapping_names_the_sheet_and_the_customer_column(tmp_path):
    rows = [["Acme GmbH", "Close", 10], ["ACME", "Won", 5]]
    path = tracker(tmp_path / "odd.xlsx", ["Kunde", "Phase", "Betrag"], rows, sheet="Liste")
    assert "opportunities" not in read_workbook(path).tables
    mapping = parse_mapping({"opportunities": {"sheet": "Liste", "columns": {
        "Kunde": "customer_name", "Phase": "stage", "Betrag": "amount"}}})
    data = read_workbook(path, mapping)
    deals = data.tables["opportunities"].frame
    assert deals["status"].tolist() == ["Open", "Won"] and deals["customer_id"].nunique() == 1
    assert data.frame("customers")["name"].tolist() == ["Acme GmbH"]


def test_a_table_keeps_its_kind_once_upgrade_added_the_standard_columns(tmp_path):
    """A customer list with a contact-ID-like column stays the customer list after Customer ID is added."""
    path = tracker(tmp_path / "list.xlsx", ["联系人id", "ownerid", "客户全称", "最后联系日期"],
                   [["P1", "王五", "华为技术有限公司", datetime(2026, 1, 2)]], sheet="Data")
    assert read_workbook(path).tables["customers"].sheet_name == "Data"
    upgrade_workbook(path, as_of=AS_OF, backup=False)
    assert read_workbook(path).tables["customers"].sheet_name == "Data"
    assert upgrade_workbook(path, dry_run=True).changes == []


def test_a_tracker_kept_as_an_excel_table_is_widened_with_its_ids(tmp_path, recalc):
    path = tmp_path / "table.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Pipeline")
    ws.merge_range(0, 0, 0, 3, "Pipeline 2026")
    rows = [["Acme Inc.", "Closed Won", 5000, "Ann"], ["ACME, inc", "Propose", 1000, "Ann"],
            ["Globex", "Prospecting", 700, "Bob"]]
    ws.add_table(2, 0, 2 + len(rows), 3, {"name": "Deals", "data": rows, "columns": [
        {"header": h} for h in ("Account Name", "Stage", "Amount", "Opportunity Owner")]})
    book.close()
    plan = upgrade_workbook(path, as_of=AS_OF, backup=False)
    assert any("extend table 'Deals'" in line for line in plan.lines())
    data = read_workbook(recalc(path))
    deals = data.tables["opportunities"].frame
    assert deals["status"].tolist() == ["Won", "Open", "Open"]
    assert deals["probability"].tolist()[:2] == [1, 0.5]  # Prospecting: blank in the formula (see the plan)
    assert deals["customer_id"].nunique() == 2 and deals["opportunity_id"].is_unique
    assert data.tables["customers"].frame["name"].tolist() == ["Acme Inc.", "Globex"]


def test_dry_run_notes_deal_customers_missing_from_the_customer_list(tmp_path):
    path = tmp_path / "both.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("客户").write_row(0, 0, ["客户名称", "业务员"])
    book.worksheets()[0].write_row(1, 0, ["华为技术有限公司", "甲"])
    deals = book.add_worksheet("跟踪")
    deals.write_row(0, 0, ["客户", "阶段", "金额"])
    deals.write_row(1, 0, ["华为技术", "确认商机", 5])
    deals.write_row(2, 0, ["新公司", "确认商机", 7])
    book.close()
    text = "\n".join(upgrade_workbook(path, dry_run=True).lines())
    assert "note: 1 customers named on deals are not in sheet '客户' (新公司)" in text


def test_a_tracker_named_like_a_chinese_report_sheet_is_still_found(tmp_path):
    path = tracker(tmp_path / "gj.xlsx", sheet="跟进")
    assert read_workbook(path).tables["opportunities"].sheet_name == "跟进"
