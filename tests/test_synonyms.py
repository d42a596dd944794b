"""The words real files use: headers of trackers and CRM exports, other CRMs' stages, no guess that changes meaning."""

from __future__ import annotations

import pytest
import xlsxwriter

from xl_crm.adopt.upgrade import upgrade_workbook
from xl_crm.model import vocab
from xl_crm.model.mapping import DEFAULT
from xl_crm.sheets.read import read_workbook


@pytest.mark.parametrize("sheet, header, key", [
    ("customers", "客户姓名", "name"), ("customers", "店名", "name"), ("customers", "门店名称", "name"),
    ("customers", "客户名", "name"), ("customers", "业务归属", "owner"), ("customers", "业务员", "owner"),
    ("opportunities", "成交金额", "amount"), ("opportunities", "Deal Stage", "stage"),
    ("opportunities", "Sales Amount", "amount"), ("opportunities", "Opportunity Owner", "owner"),
    ("opportunities", "AccountId", "customer_id"), ("opportunities", "StageName", "stage"),
    ("opportunities", "OwnerId", "owner"), ("opportunities", "Amount", "amount"),
    ("opportunities", "dealname", "name"), ("opportunities", "dealstage", "stage"),
    ("opportunities", "amount", "amount"), ("opportunities", "hubspot_owner_id", "owner"),
    ("opportunities", "Deal - Title", "name"), ("opportunities", "Deal - Value", "amount"),
    # an actual close date is the day the deal closed, never the expected close
    ("opportunities", "close_date", "closed_date"), ("opportunities", "CloseDate", "closed_date"),
    ("opportunities", "成交日期", "closed_date"), ("opportunities", "预计成交日期", "expected_close"),
])
def test_headers_real_files_use(sheet, header, key):
    assert DEFAULT.fields(sheet, header) == [key]


def test_words_that_would_change_meaning_are_not_taken():
    assert DEFAULT.fields("opportunities", "revenue") == []  # a company's size, not a deal's amount
    assert DEFAULT.fields("customers", "close date") == []  # a customer has no close date of its own
    assert DEFAULT.link("opportunities", "客户名称") == "customer_name"


@pytest.mark.parametrize("stage, number", [
    ("Prospecting", 1), ("Qualification", 1), ("Needs Analysis", 2), ("Proposal/Price Quote", 3),
    ("Negotiation/Review", 4), ("appointmentscheduled", 1), ("qualifiedtobuy", 2), ("presentationscheduled", 3),
    ("decisionmakerboughtin", 4), ("contractsent", 5), ("Contact Made", 2), ("Proposal Made", 3),
    ("Negotiations Started", 4), ("商务洽谈", 4), ("销售成交", 5),
])
def test_other_crms_stages_have_a_place_in_the_funnel(stage, number):
    assert vocab.stage_alias(stage) == number


@pytest.mark.parametrize("cell, status", [("Closed Won", "Won"), ("closedwon", "Won"), ("赢单", "Won"),
                                          ("Closed Lost", "Lost"), ("closedlost", "Lost"), ("输单", "Lost"),
                                          ("Won", "Won"), ("Negotiation/Review", None), ("Open", None)])
def test_closed_stages_read_as_status(cell, status):
    assert vocab.closed_status(cell) == status


def _book(path, sheet, rows):
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet(sheet)
    for r, row in enumerate(rows):
        ws.write_row(r, 0, row)
    book.close()
    return path


def test_free_text_need_stays_text_and_a_need_column_is_need(tmp_path):
    rows = [["客户列表"], [], ["客户姓名", "电话", "需求"], ["张三五金店", "138", "想要一批货架"],
            ["李四超市", "139", "明年再谈"]]
    free = _book(tmp_path / "free.xlsx", "客户清单", rows)
    table = read_workbook(free).tables["customers"]
    assert table.header_row == 3 and "need" not in table.columns and table.columns["name"] == 0
    rows = [["客户姓名", "需求"], ["张三五金店", "目标客户"], ["李四超市", "潜在客户"]]
    need = _book(tmp_path / "need.xlsx", "客户清单", rows)
    assert read_workbook(need).tables["customers"].columns["need"] == 1


def test_a_customer_list_without_ids_is_found_and_gets_stable_ids(tmp_path):
    path = _book(tmp_path / "list.xlsx", "门店", [["店名", "地址", "业务员"], ["一号店", "北京", "王五"],
                                                 ["二号店", "上海", "赵六"]])
    first = read_workbook(path).tables["customers"]
    assert first.implied == ["customer_id"] and first.frame["customer_id"].is_unique
    assert read_workbook(path).tables["customers"].frame["customer_id"].tolist() == first.frame["customer_id"].tolist()
    upgrade_workbook(path, backup=False)  # the IDs become cells of a new column at the end, as read before
    after = read_workbook(path).tables["customers"]
    assert after.implied == [] and after.columns["customer_id"] == 3
    assert after.frame["customer_id"].tolist() == first.frame["customer_id"].tolist()


def test_a_lone_word_is_no_header(tmp_path):
    path = _book(tmp_path / "notes.xlsx", "Notes", [["Company"], ["call Acme"], ["Customer"], ["Globex"]])
    assert read_workbook(path).tables == {}


def test_a_chinese_book_with_no_table_gets_chinese_sheets(tmp_path):
    path = _book(tmp_path / "notes.xlsx", "备忘录", [["今天要做的事"], ["打电话"]])
    plan = upgrade_workbook(path, dry_run=True)
    assert plan.lang == "zh" and "add sheet '客户'" in "\n".join(plan.lines())


def test_a_customer_listed_twice_gets_two_ids_and_its_deals_the_first(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "two.xlsx"))
    book.add_worksheet("客户").write_row(0, 0, ["客户名称", "业务员"])
    book.worksheets()[0].write_row(1, 0, ["华为技术有限公司", "甲"])
    book.worksheets()[0].write_row(2, 0, ["华为技术（中国）有限公司", "乙"])
    deals = book.add_worksheet("商机跟踪")
    deals.write_row(0, 0, ["客户", "阶段", "金额"])
    deals.write_row(1, 0, ["华为技术 (中国) 有限公司", "确认商机", 5])
    book.close()
    data = read_workbook(tmp_path / "two.xlsx")
    ids = data.frame("customers")["customer_id"].tolist()
    assert ids[1] == f"{ids[0]}-2"  # unique, for check to warn of one customer kept twice (DOMAIN section 16)
    assert data.frame("opportunities")["customer_id"].tolist() == [ids[0]]


@pytest.mark.parametrize("header, key", [("*客户名称", "name"), ("客户名称（必填）", "name"), ("＊客户名称*", "name"),
                                         (" 客户 名称 ", "name"), ("Company (required)", "name"),
                                         ("预计成交\n日期", "expected_close")])
def test_headers_as_import_templates_dress_them(header, key):
    assert DEFAULT.fields("customers", header) == [key]
