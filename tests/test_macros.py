"""The buttons' actions: on the in-memory stand-in of an open workbook, and end to end on a real file."""

import ast
import importlib
import re
import runpy
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from fixtures_book import sheets_workbook
from helpers import LIVE_AS_OF as AS_OF
from helpers import live_column as column
from helpers import live_sheets as sheets

from xl_crm.compute.step import compute
from xl_crm.errors import XlCrmError
from xl_crm.excel import macros, udfs
from xl_crm.excel.live import MemoryBook, _runs
from xl_crm.model import schema
from xl_crm.sheets.read import read_workbook

ROOT = Path(__file__).resolve().parents[1]
def test_refresh_writes_the_synced_values_of_sync():
    book = MemoryBook(sheets())
    data = macros.read_live(book)
    message = macros.refresh(book)
    expected = compute({key: data.frame(key) for key in data.tables}, AS_OF).customer_synced
    assert column(book, "Customers", "touch_count") == list(expected["touch_count"]) == [2, 0, 0, 0]
    assert column(book, "Customers", "last_contact")[0] == datetime(2025, 6, 28)  # later than the cell's 06-25
    assert column(book, "Customers", "last_contact")[2] == datetime(2025, 6, 29)  # future activity ignored
    assert column(book, "Customers", "next_close") == [datetime(2025, 7, 20), None, None, None]
    assert column(book, "Customers", "revenue_12m") == [5000.0, 0.0, 100.0, 0.0]
    assert column(book, "Customers", "tier") == list(expected["tier"])
    touches = column(book, "Opportunities", "touch_count", schema.OPPORTUNITIES, header_row=1)
    assert touches == [0, 0, 0]
    assert book.rows("Notes") == [["My own notes"]]
    assert book.told == [message] and "follow-ups due" in message


def test_refresh_twice_changes_nothing_more():
    book = MemoryBook(sheets())
    macros.refresh(book)
    snapshot = {name: book.rows(name) for name in book.sheet_names()}
    assert "0 cells updated" in macros.refresh(book)
    assert {name: book.rows(name) for name in book.sheet_names()} == snapshot


def test_today_sheet_lists_due_customers_by_rep_most_urgent_first():
    book = MemoryBook(sheets())
    macros.show_today(book)
    rows = book.rows("Today")
    assert rows[0][0] == "Follow-ups due on 2025-06-30 (3)"
    body = [r for r in rows[3:] if any(v is not None for v in r)]
    assert [r[0] for r in body] == ["Ann (2)", "C1", "C2", "(no owner) (1)", "C9"]
    assert body[1][4] == "Overdue" and body[2][4] == "Not contacted"


def test_chinese_workbook_gets_chinese_labels():
    book = MemoryBook(sheets(lang="zh"))
    macros.refresh(book)
    rows = book.rows("今日跟进")
    assert rows[0][0].startswith("2025-06-30")
    tiers = column(book, "客户", "tier", lang="zh")
    assert set(tiers) <= {"VIP客户", "重点客户", "普通客户"}


def test_refresh_needs_the_synced_columns():
    data = sheets()
    data["Customers"] = [row[:7] for row in data["Customers"]]
    with pytest.raises(XlCrmError, match=r"missing synced columns \(Customers.Next Close, Customers.Touch Count, "
                                         r"Customers.Revenue 12M, Customers.Tier"):
        macros.refresh(MemoryBook(data))


def test_log_activity_appends_and_moves_last_contact():
    today = datetime.combine(date.today(), datetime.min.time())
    book = MemoryBook(sheets(as_of=today.date(), fixed=False), selection=("Customers", 4),
                      answers=["bogus", "拜访", "Demo went well", "someday", (today + timedelta(days=3)).isoformat()])
    macros.log_activity(book)
    last = book.rows("Activities")[-1]
    assert last == [today, "C2", "Ann", "Visit", "Demo went well", today + timedelta(days=3)]
    assert column(book, "Customers", "last_contact")[1] == today
    assert column(book, "Customers", "touch_count")[1] == 1
    assert column(book, "Customers", "next_action_date")[1] == today + timedelta(days=3)


def test_log_activity_needs_a_customer_row_and_can_be_cancelled():
    book = MemoryBook(sheets(), selection=("Opportunities", 2))
    assert macros.log_activity(book) is None
    assert "Select a customer's row" in book.told[0]
    book = MemoryBook(sheets(), selection=("Customers", 3), answers=["Call", None])
    before = book.rows("Activities")
    assert macros.log_activity(book) is None
    assert book.rows("Activities") == before


def test_runs_group_adjacent_cells_into_column_writes():
    cells = {(2, 1): "a", (3, 1): "b", (5, 1): "c", (2, 4): 1}
    assert list(_runs(cells)) == [(1, 2, ["a", "b"]), (1, 5, ["c"]), (4, 2, [1])]


def test_every_runpython_resolves_to_a_callable():
    calls = []
    for bas in (ROOT / "macros").glob("*.bas"):
        calls += re.findall(r'RunPython\s+"([^"]*)"', bas.read_text(encoding="utf-8"))
    assert len(calls) == 5
    for code in calls:
        tree = ast.parse(code)
        imports = {alias.asname or alias.name: alias.name for node in tree.body if isinstance(node, ast.Import)
                   for alias in node.names}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                target = importlib.import_module(imports[node.func.value.id])
                assert callable(getattr(target, node.func.attr)), code
    assert {c.split("m.")[-1] for c in calls} == {f"{a.__name__}()" for a in macros.ACTIONS}


def test_lite_main_exposes_the_functions_and_scripts():
    namespace = runpy.run_path(str(ROOT / "macros" / "lite" / "main.py"))
    for function in udfs.FUNCTIONS:
        assert namespace[function.__name__] is function
    assert {"refresh", "show_today", "log_activity"} <= set(namespace)
    requirements = (ROOT / "macros" / "lite" / "requirements.txt").read_text()
    assert "pandas" in requirements and "xl_crm" in requirements


def _workbook_file(path: Path) -> Path:
    """The small CRM as a real .xlsx file (plain ranges, dates as dates, a user sheet)."""
    return sheets_workbook(path, sheets())


def test_live_refresh_agrees_with_the_file_refresh(tmp_path):
    from xl_crm.commands.workbook import refresh_workbook

    path = _workbook_file(tmp_path / "crm.xlsx")
    live = MemoryBook.from_file(path)
    macros.refresh(live)
    refresh_workbook(path, backup=False)
    on_file = read_workbook(path).frame("customers")
    on_live = macros.read_live(live).frame("customers")
    assert on_live["last_contact"].tolist()[0] == datetime(2025, 6, 28)  # moved forward by the activities
    for key in ("touch_count", "next_close", "revenue_12m", "tier"):
        got = [v.date() if isinstance(v, datetime) else v for v in on_live[key]]
        want = [v.date() if isinstance(v, datetime) else v for v in on_file[key]]
        assert got == want, key
    assert on_live["touch_count"].tolist()[0] == 2
    today_file = MemoryBook.from_file(path).rows("Today")
    ids = lambda rows: [r[0] for r in rows[3:] if r and r[0] and str(r[0]).startswith("C")]  # noqa: E731
    assert ids(live.rows("Today")) == ids(today_file)


def test_reports_and_upgrade_work_on_the_saved_file(tmp_path):
    path = _workbook_file(tmp_path / "crm.xlsx")
    live = MemoryBook.from_file(path)
    message = macros.write_reports(live)
    assert live.saved == 1 and "reports" in message
    assert any((tmp_path / "reports").glob(f"{AS_OF:%Y-%m}-team.xlsx"))  # the workbook's fixed AsOf month
    macros.upgrade(live)
    upgraded = tmp_path / "crm-upgraded.xlsx"
    assert read_workbook(upgraded).frame("customers")["customer_id"].tolist() == ["C1", "C2", "C3", "C9"]


def test_the_buttons_find_the_sheets_xl_crm_finds_in_the_file(tmp_path):
    """An upgraded workbook whose deal sheet keeps the user's own name and headers: the buttons read it too."""
    from fixtures_book import rich_workbook

    from xl_crm.adopt.upgrade import upgrade_workbook

    path = rich_workbook(tmp_path / "book.xlsx", header_row=2)
    upgrade_workbook(path, as_of=AS_OF)
    in_file = read_workbook(path)
    live = macros.read_live(MemoryBook.from_file(path))
    assert {k: t.sheet_name for k, t in live.tables.items()} == {k: t.sheet_name for k, t in in_file.tables.items()}
    assert live.tables["opportunities"].sheet_name == "Deals"
    assert live.settings_name == in_file.settings_name
    assert "Refreshed" in macros.refresh(MemoryBook.from_file(path))
