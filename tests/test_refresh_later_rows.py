"""Rows a rep adds after `upgrade`: refresh completes them and gives them the row formulas.

A tracker's new deal rows get their IDs written into the cells the rep left
blank, a customer name the Customers sheet lacks becomes a Customers row,
and rows below the last formula of a plain range (or rows another tool
wrote below an Excel Table) get the shared formulas upgrade wrote, which
LibreOffice then computes to the values DOMAIN sections 2-4 define. A
second refresh changes nothing.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta

import xlsxwriter
from helpers import TRACKER_AS_OF as AS_OF
from helpers import parts_of, tracker

from xl_crm.adopt.later_rows import last_formula_rows
from xl_crm.adopt.upgrade import upgrade_workbook
from xl_crm.commands.workbook import refresh_workbook
from xl_crm.ooxml import tables
from xl_crm.ooxml.package import Package
from xl_crm.sheets.read import read_workbook


def typed(path, sheet_key: str, rows: dict[int, dict]) -> None:
    """Rows written below a table as a rep types them: values only, no formulas, no IDs."""
    table = read_workbook(path).tables[sheet_key]
    with Package.open(path) as pkg:
        pkg.set_cells(table.sheet_name, {(row, table.columns[key]): value for row, cells in rows.items()
                                         for key, value in cells.items()})
        pkg.save(backup=False)


def unchanged_by_refresh(path) -> bool:
    before, stamp = parts_of(path), os.stat(path).st_mtime_ns
    refresh_workbook(path, as_of=AS_OF)
    return parts_of(path) == before and os.stat(path).st_mtime_ns == stamp


def test_new_tracker_rows_get_ids_their_customer_and_formulas(tmp_path, recalc):
    path = tracker(tmp_path / "mine.xlsx")
    upgrade_workbook(path, as_of=AS_OF, backup=False)
    refresh_workbook(path, as_of=AS_OF, backup=False)
    refresh_workbook(path, as_of=AS_OF, backup=False)
    deals = read_workbook(path).tables["opportunities"]
    last = max(deals.frame.index)
    typed(path, "opportunities", {
        last + 1: {"stage": "商务谈判", "amount": 40000, "owner": "王芳", "status": "跟进中",
                   "expected_close": datetime(2026, 4, 1)},
        last + 2: {"stage": "确认商机", "amount": 9000, "owner": "刘洋", "status": "跟进中"},
    })
    with Package.open(path) as pkg:  # the customer names, in the rep's own column A
        pkg.set_cells(deals.sheet_name, {(last + 1, 0): "海鸥电子有限公司", (last + 2, 0): "华为技术 (中国) 有限公司"})
        pkg.save(backup=False)
    refresh_workbook(path, as_of=AS_OF, backup=False)

    data = read_workbook(path)
    deals = data.tables["opportunities"]
    assert deals.filled == {}  # the IDs are cells now
    frame = deals.frame
    customers = data.tables["customers"].frame
    by_name = dict(zip(customers["name"], customers["customer_id"]))
    assert list(by_name)[-1] == "海鸥电子有限公司" and len(customers) == 4  # 华为 (中国) is 华为技术有限公司
    assert frame.at[last + 1, "customer_id"] == by_name["海鸥电子有限公司"]
    assert frame.at[last + 2, "customer_id"] == by_name["华为技术有限公司"]
    assert frame["opportunity_id"].is_unique and frame["opportunity_id"].notna().all()
    new_customer = customers.iloc[-1]
    assert new_customer["owner"] == "王芳"
    assert new_customer["next_close"] == date(2026, 4, 1)  # synced from its deal

    computed = read_workbook(recalc(path))
    frame = computed.tables["opportunities"].frame
    assert frame.at[last + 1, "probability"] == 0.7 and frame.at[last + 1, "weighted_amount"] == 28000
    assert frame.at[last + 2, "probability"] == 0.1 and frame.at[last + 2, "weighted_amount"] == 900
    assert frame.at[last + 1, "approval_level"] == "总监"
    customer = computed.tables["customers"].frame.iloc[-1]
    assert customer["grade"] == "D"  # need blank reads as Future
    assert customer["followup_status"] == "未联系" and customer["next_due"] == AS_OF
    assert unchanged_by_refresh(path)


def customer_list(path):
    """A plain-range customer list, header in row 1, the way reps keep one."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("My customers")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["Customer ID", "Company", "Owner", "Need", "Expected close", "Last contact"])
    ws.write_row(1, 0, ["C1", "Acme", "Ann", "Now"])
    ws.write_datetime(1, 4, datetime(2026, 5, 1), day)
    ws.write_datetime(1, 5, datetime(2026, 2, 1), day)
    book.close()
    return path


def test_rows_below_a_plain_range_get_the_row_formulas(tmp_path, recalc):
    path = customer_list(tmp_path / "list.xlsx")
    upgrade_workbook(path, as_of=AS_OF, backup=False)
    refresh_workbook(path, as_of=AS_OF, backup=False)  # Funnel and Today added
    refresh_workbook(path, as_of=AS_OF, backup=False)
    as_of = datetime(AS_OF.year, AS_OF.month, AS_OF.day)
    typed(path, "customers", {
        3: {"customer_id": "C2", "name": "Globex", "owner": "Bob", "need": "Now",
            "expected_close": as_of + timedelta(days=20), "last_contact": as_of - timedelta(days=3)},
        5: {"customer_id": "C3", "name": "Initech", "owner": "Bob", "need": "None",  # after a blank row
            "last_contact": as_of - timedelta(days=400)},
    })
    refresh_workbook(path, as_of=AS_OF, backup=False)
    with Package.open(path) as pkg:
        table = read_workbook(path).tables["customers"]
        xml = pkg.read(pkg.sheet_part(table.sheet_name))
    grade = table.columns["grade"]
    assert last_formula_rows(xml, [grade]) == {grade: 5}

    frame = read_workbook(recalc(path)).tables["customers"].frame
    assert 4 not in frame.index  # the blank row stays blank
    globex, initech = frame.loc[3], frame.loc[5]
    # DOMAIN 2-3: need Now, close in 20 days -> A, cadence 1: due the day after the last contact, 2 days ago
    assert (globex["grade"], globex["cadence_days"]) == ("A", 1)
    assert globex["next_due"] == AS_OF - timedelta(days=2) and globex["days_overdue"] == 2
    assert globex["followup_status"] == "Overdue" and globex["urgency"] == "Urgent"
    # need None -> E, cadence 365: due 35 days ago
    assert (initech["grade"], initech["cadence_days"]) == ("E", 365)
    assert initech["days_overdue"] == 35 and initech["followup_status"] == "Overdue"
    assert frame.loc[2, "grade"] == "B"  # the row upgrade gave formulas is as it was: close in 61 days
    assert unchanged_by_refresh(path)


def test_rows_written_below_an_excel_table_grow_it_and_get_the_formulas(tmp_path, recalc):
    path = tmp_path / "table.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Pipeline")
    ws.add_table(0, 0, 2, 3, {"name": "Deals", "data": [["Acme", "Propose", 1000, "Ann"],
                                                        ["Globex", "Qualify", 700, "Bob"]],
                              "columns": [{"header": h} for h in ("Account Name", "Stage", "Amount", "Owner")]})
    book.close()
    upgrade_workbook(path, as_of=AS_OF, backup=False)
    typed(path, "opportunities", {4: {"stage": "Negotiate", "amount": 2000, "owner": "Ann", "status": "Open"}})
    with Package.open(path) as pkg:
        pkg.set_cells("Pipeline", {(4, 0): "Acme"})
        pkg.save(backup=False)
    refresh_workbook(path, as_of=AS_OF, backup=False)
    with Package.open(path) as pkg:
        assert [t.last_row for t in tables.sheet_tables(pkg, "Pipeline")] == [4]
    frame = read_workbook(recalc(path)).tables["opportunities"].frame
    assert frame.loc[4, "probability"] == 0.7 and frame.loc[4, "weighted_amount"] == 1400
    assert frame.loc[4, "customer_id"] == frame.loc[2, "customer_id"]


def test_the_last_formula_of_each_column_is_found_from_the_bottom():
    xml = (b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
           b'<x:row r="2"><x:c r="B2"><x:f>1+1</x:f><x:v>2</x:v></x:c><x:c r="C2"><x:v>5</x:v></x:c></x:row>'
           b'<x:row r="3"><x:c r="B3"><x:f t="shared" si="0"/></x:c><x:c r="AB3" s="1"/></x:row>'
           b'<x:row r="4"><x:c r="B4" t="s"><x:v>0</x:v></x:c><x:c r="AB4"><x:f>A4</x:f></x:c></x:row>'
           b'</x:sheetData><x:rowBreaks count="1"><x:brk id="9"/></x:rowBreaks></x:worksheet>')
    assert last_formula_rows(xml, [1, 2, 27]) == {1: 3, 27: 4}  # C holds values only
    empty = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
    assert last_formula_rows(empty, [1]) == {}
