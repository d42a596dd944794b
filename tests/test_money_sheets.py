"""Targets and Payments as standard sheets: loaded by init --data, imported, added by upgrade, checked,
refreshed into collected / receivable / overdue_receivable, and listed on Today when late or due."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import Result
from helpers import xl_crm

from xl_crm.commands.check import check_workbook
from xl_crm.sheets.read import read_workbook

AS_OF = date(2024, 6, 30)
CUSTOMERS = [{"customer_id": "C1", "name": "Acme", "owner": "Ann"},
             {"customer_id": "C2", "name": "Beta", "owner": "Bo"}]
DEALS = [{"opportunity_id": "O1", "customer_id": "C1", "owner": "Ann", "stage": "Close", "status": "Won",
          "amount": "100000", "created": "2024-01-10", "closed_date": "2024-03-01"},
         {"opportunity_id": "O2", "customer_id": "C2", "owner": "Bo", "stage": "Negotiate", "status": "Open",
          "amount": "50000", "created": "2024-02-01", "expected_close": "2024-07-15", "forecast_category": "乐观"}]
TARGETS = [{"owner": "Ann", "month": "2024-06", "target": "80000"}, {"owner": "Team", "month": "2024-06",
                                                                     "target": "150000"},
           {"owner": "Zed", "month": "2024-06", "target": "1"}, {"owner": "Ann", "month": "June", "target": "5"},
           {"owner": "Bo", "month": "2024-06", "target": "-3"}, {"owner": "Ann", "month": "2024/6", "target": "9"}]
PAYMENTS = [{"payment_id": "P1", "opportunity_id": "O1", "milestone": "预付款", "due_date": "2024-03-10",
             "amount_due": "30000", "received_date": "2024-03-08", "amount_received": "30000"},
            {"payment_id": "P2", "opportunity_id": "O1", "milestone": "到货款", "due_date": "2024-05-01",
             "amount_due": "50000", "amount_received": "10000", "received_date": "2024-05-20"},
            {"payment_id": "P3", "opportunity_id": "O1", "milestone": "验收款", "due_date": "2024-07-04",
             "amount_due": "20000"},
            {"payment_id": "P4", "opportunity_id": "O9", "due_date": "soon", "amount_due": "x"}]


def write_csv(path: Path, rows: list[dict]) -> None:
    keys = list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)


def run(*args) -> Result:
    done = xl_crm(*args)
    assert done.exit_code in (0, 1), done.output
    return done


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    root = tmp_path_factory.mktemp("money")
    for name, rows in (("customers", CUSTOMERS), ("opportunities", DEALS), ("targets", TARGETS),
                       ("payments", PAYMENTS)):
        write_csv(root / f"{name}.csv", rows)
    path = root / "crm.xlsx"
    run("init", path, "--data", root, "--as-of", AS_OF)
    return path


def test_init_loads_targets_and_payments_and_computes_their_columns(workbook):
    data = read_workbook(workbook)
    assert len(data.frame("targets")) == len(TARGETS) and len(data.frame("payments")) == len(PAYMENTS)
    book = openpyxl.load_workbook(workbook, data_only=True)  # the formulas' cached results
    assert {"Targets", "Payments"} <= set(book.sheetnames)
    payments = {row[0]: row for row in book["Payments"].iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in book["Payments"][1]]
    at = {h: header.index(h) for h in ("Outstanding", "Days Late", "Aging")}
    assert [payments["P1"][at[h]] for h in at] == [0, 0, "Current"]
    assert [payments["P2"][at[h]] for h in at] == [40000, 60, "31-90"]
    assert [payments["P3"][at[h]] for h in at] == [20000, 0, "Current"]
    assert payments["P4"][at["Outstanding"]] in ("", None)  # bad input: blank, never a guess
    deals = read_workbook(workbook).frame("opportunities").set_index("opportunity_id")
    assert deals.loc["O1", "collected"] == 40000 and deals.loc["O2", "collected"] == 0
    assert deals.loc["O2", "forecast"] == "Best case" and deals.loc["O1", "forecast"] == "Closed"
    customers = read_workbook(workbook).frame("customers").set_index("customer_id")
    assert customers.loc["C1", "receivable"] == 60000 and customers.loc["C1", "overdue_receivable"] == 40000


def test_check_names_bad_targets_and_payments(workbook):
    problems = [p for p in check_workbook(workbook) if p.sheet in ("Targets", "Payments")]
    said = {(p.sheet, p.row, p.column.split(" ")[0] if p.column else None, p.value): p.message for p in problems}
    assert ("Targets", 4, "A", "Zed") in said  # unknown owner
    assert "month" in said["Targets", 5, "B", "June"]
    assert ("Targets", 6, "C", -3) in said  # a negative target
    assert "row 2" in said["Targets", 7, "B", "2024/6"]  # Ann's June target twice
    assert ("Payments", 5, "E", "soon") in said and ("Payments", 5, "F", "x") in said
    assert ("Payments", 5, "B", "O9") in said  # no such deal
    assert not [p for p in problems if p.row in (2, 3) and p.sheet == "Targets"]


def test_chinese_workbook_and_upgrade_add_the_sheets(tmp_path):
    zh = tmp_path / "zh.xlsx"
    run("init", zh, "--lang", "zh", "--as-of", AS_OF)
    assert {"指标", "回款计划"} <= set(openpyxl.load_workbook(zh).sheetnames)
    own = tmp_path / "own.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Deals"
    book.active.append(["Opportunity ID", "Customer ID", "Stage", "Status", "Amount"])
    book.active.append(["O1", "C1", "Negotiate", "Open", 100])
    book.save(own)
    run("upgrade", own)
    names = openpyxl.load_workbook(own).sheetnames
    assert "Targets" in names and "Payments" in names
    header = [c.value for c in openpyxl.load_workbook(own)["Deals"][1]]
    assert {"Forecast Category", "Forecast", "Collected"} <= set(header)


def test_import_payments_and_targets_into_a_workbook(workbook, tmp_path):
    path = tmp_path / "crm.xlsx"
    path.write_bytes(workbook.read_bytes())
    source = tmp_path / "more_payments.csv"
    write_csv(source, [{"Payment ID": "P5", "Opportunity ID": "O1", "Due Date": "2024-06-01",
                        "Amount Due": "10000"}])
    run("import", source, "--into", path, "--sheet", "payments")
    targets = tmp_path / "more_targets.csv"
    write_csv(targets, [{"Owner": "Bo", "Month": "2024-07", "Target": "70000"}])
    run("import", targets, "--into", path, "--sheet", "targets")
    data = read_workbook(path)
    assert "P5" in set(data.frame("payments")["payment_id"])
    assert ("Bo", "2024-07") in set(zip(data.frame("targets")["owner"], data.frame("targets")["month"]))
    run("refresh", path, "--as-of", AS_OF)
    customers = read_workbook(path).frame("customers").set_index("customer_id")
    assert customers.loc["C1", "receivable"] == 70000 and customers.loc["C1", "overdue_receivable"] == 50000


def test_today_lists_late_payments_and_those_due_within_a_week(workbook):
    rows = [row for row in openpyxl.load_workbook(workbook)["Today"].iter_rows(values_only=True)]
    listed = {row[3]: row for row in rows if row[3] in ("P1", "P2", "P3", "P4")}
    assert set(listed) == {"P2", "P3"}  # P1 is paid, P4 unreadable
    assert listed["P2"][4] == "Late" and listed["P2"][6] == 60 and listed["P2"][9] == 40000
    assert listed["P3"][4] == "Due" and listed["P3"][11] == "Ann"


def test_demo_targets_are_met_by_some_reps_and_missed_by_others():
    from xl_crm.commands.demo import demo_frames
    from xl_crm.commands.demo_money import money_frames
    from xl_crm.reports.model import as_book, report_model

    day = date(2026, 11, 30)
    frames = money_frames(demo_frames(day), day)
    report = report_model(as_book(frames), "2026-11", day)
    attainment = report.money.by_rep["attainment"].dropna()
    assert (attainment >= 1).any() and (attainment < 1).any()
    aging = report.money.collections.aging.set_index("bucket")["payments"]
    assert (aging > 0).all()  # payments current and late in every bucket
    assert len(report.money.collections.no_plan)  # some won deals have no plan


def test_targets_read_by_the_report_follow_the_team_rule(workbook):
    from xl_crm.reports.model import as_book, metrics

    table = metrics(as_book(read_workbook(workbook)), "2024-06", AS_OF)
    assert table.loc["Team", "target"] == 150000  # the team's own row, not the reps' sum
    assert table.loc["Ann", "target"] == 80009  # "June" is no month; 2024/6 is June's second row
    assert table.loc["Bo", "target"] != table.loc["Bo", "target"]  # a negative target is none: blank
    assert table.loc["Ann", "won"] == 0 and table.loc["Ann", "attainment"] == 0
