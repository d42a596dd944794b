"""Clashes in a team folder (DOMAIN section 16): an ID in two files is an error naming both places;
one customer under two spellings kept by two owners (撞单) is a warning, across files and within one."""

from __future__ import annotations

from datetime import date

import pandas as pd
from helpers import xl_crm

from xl_crm.commands.check import check_workbook
from xl_crm.commands.workbook import write_standard_workbook
from xl_crm.model.asof import AsOf

DAY = date(2026, 11, 20)


def _book(path, customers, deals=()):
    frames = {"customers": pd.DataFrame(customers, columns=["customer_id", "name", "owner"]),
              "opportunities": pd.DataFrame(list(deals), columns=["opportunity_id", "customer_id", "owner", "stage",
                                                                  "status", "amount", "created"])}
    return write_standard_workbook(path, frames, lang="en", as_of=AsOf(DAY), backup=False)


def _check(*args):
    return xl_crm("check", *map(str, args))


def test_an_id_in_two_files_is_an_error_naming_both_files_sheets_and_rows(tmp_path):
    _book(tmp_path / "ann.xlsx", [("C1", "Acme", "Ann"), ("C2", "Globex", "Ann")],
          [("D1", "C1", "Ann", "Qualify", "Open", 100, DAY)])
    _book(tmp_path / "bob.xlsx", [("C3", "Initech", "Bob"), ("C2", "Umbrella", "Bob")],
          [("D1", "C3", "Bob", "Qualify", "Open", 50, DAY)])
    run = _check(tmp_path)
    assert run.exit_code == 1, run.output
    lines = [line for line in run.output.splitlines() if "another workbook" in line]
    assert len(lines) == 2, run.output
    customer = next(line for line in lines if "'C2'" in line)
    assert customer.startswith(f"{tmp_path / 'bob.xlsx'}: error: Customers row 3")
    assert "ann.xlsx Customers row 3" in customer
    deal = next(line for line in lines if "'D1'" in line)
    assert "bob.xlsx" in deal.split(":")[0] and "ann.xlsx Opportunities row 2" in deal
    assert run.output.strip().splitlines()[-1].endswith("2 errors, 0 warnings")


def test_a_deal_of_a_customer_kept_in_another_file_is_no_problem(tmp_path):
    _book(tmp_path / "ann.xlsx", [("C1", "Acme", "Ann")])
    _book(tmp_path / "bob.xlsx", [("C3", "Initech", "Bob")], [("D1", "C1", "Bob", "Qualify", "Open", 50, DAY)])
    assert _check(tmp_path / "bob.xlsx").exit_code == 1  # alone, C1 is unknown
    run = _check(tmp_path / "ann.xlsx", tmp_path / "bob.xlsx")
    assert run.exit_code == 0, run.output
    assert run.output.strip().endswith("0 errors, 0 warnings")


def test_a_renamed_customer_in_another_rep_file_is_a_warning_naming_both_owners(tmp_path):
    _book(tmp_path / "ann.xlsx", [("C1", "华为技术有限公司", "Ann")])
    _book(tmp_path / "bob.xlsx", [("C2", "华为技术(中国)有限公司", "Bob"), ("C3", "华为终端有限公司", "Bob")])
    run = _check(tmp_path)
    assert run.exit_code == 0, run.output
    warned = [line for line in run.output.splitlines() if "duplicate customer" in line]
    assert len(warned) == 1, run.output
    assert "bob.xlsx" in warned[0] and "ann.xlsx Customers row 2" in warned[0]
    assert "owned by Ann" in warned[0] and "owned by Bob" in warned[0]
    assert run.output.strip().endswith("0 errors, 1 warnings")


def test_one_workbook_warns_of_a_customer_kept_twice_by_two_owners_but_not_by_one(tmp_path):
    path = _book(tmp_path / "one.xlsx", [("C1", "Acme Inc.", "Ann"), ("C2", "ACME, inc", "Bob"),
                                         ("C3", "Globex", "Ann"), ("C4", "Globex Ltd", "Ann")])
    warned = [p for p in check_workbook(path) if p.message.startswith("duplicate customer")]
    assert [(p.row, p.value) for p in warned] == [(3, "ACME, inc")]
    assert "Ann" in warned[0].message and "Bob" in warned[0].message


def test_the_team_workbooks_settings_and_targets_are_checked_as_its_own(tmp_path):
    from xl_crm.model.settings import THRESHOLDS
    from xl_crm.ooxml.package import Package
    from xl_crm.sheets.settings_sheet import FIRST_THRESHOLD_ROW

    _book(tmp_path / "ann.xlsx", [("C1", "Acme", "Ann")], [("D1", "C1", "Ann", "Qualify", "Open", 100, DAY)])
    targets = pd.DataFrame([("Ann", "2026-11", 500), ("Zed", "2026-11", 300), ("ann", "2026-12", 700)],
                           columns=["owner", "month", "target"])
    team = write_standard_workbook(tmp_path / "team.xlsx", {"targets": targets}, lang="en", as_of=AsOf(DAY),
                                   backup=False)
    row = FIRST_THRESHOLD_ROW + [t.name for t in THRESHOLDS].index("PoolDays")
    with Package.open(team) as package:
        package.set_cells("Settings", {(row, 1): "soon"})
        package.save(backup=False)
    run = _check(tmp_path)
    assert run.exit_code == 1, run.output
    team_lines = [line for line in run.output.splitlines() if line.startswith(f"{team}:")]
    assert any("Settings!B" in line and "(PoolDays)" in line and "soon" in line for line in team_lines), run.output
    assert any("Zed" in line and "unknown owner" in line for line in team_lines), run.output
    assert any("'ann'" in line and "the rep is written 'Ann'" in line for line in team_lines), run.output
    assert not any(": 'Ann'" in line for line in team_lines), run.output
    assert len(team_lines) == 3 and run.output.strip().endswith("3 errors, 0 warnings"), run.output


def test_a_reps_name_written_two_ways_is_a_warning_within_a_file_and_across_the_folder(tmp_path):
    _book(tmp_path / "ann.xlsx", [("C1", "Acme", "Ann"), ("C2", "Globex", "Ann"), ("C3", "Initech", "ann ")],
          [("D1", "C1", "Ann", "Qualify", "Open", 100, DAY)])
    _book(tmp_path / "bob.xlsx", [("C4", "Umbrella", "Bob")], [("D2", "C4", "BOB", "Qualify", "Open", 50, DAY),
                                                              ("D3", "C4", "Bob", "Qualify", "Open", 50, DAY),
                                                              ("D4", "C4", "ANN", "Qualify", "Open", 9, DAY)])
    alone = [line for line in _check(tmp_path / "ann.xlsx").output.splitlines() if "another way" in line]
    assert len(alone) == 1 and "Customers row 4" in alone[0] and "'ann'" in alone[0] and "Customers row 2" in alone[0]
    run = _check(tmp_path)
    assert run.exit_code == 0, run.output  # a warning: the numbers are right, only split between two names
    warned = sorted(line for line in run.output.splitlines() if "another way" in line)
    assert len(warned) == 3, run.output
    ann, bob = [w for w in warned if "'ANN'" in w or "'ann'" in w], [w for w in warned if "'BOB'" in w]
    assert any("bob.xlsx: warning: Opportunities row 4" in w and "ann.xlsx Customers row 2" in w for w in ann)
    assert len(bob) == 1 and bob[0].startswith(f"{tmp_path / 'bob.xlsx'}: warning: Opportunities row 2")
    assert "of Customers row 2" in bob[0]  # where the usual spelling is first written, in the same file
