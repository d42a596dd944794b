"""`upgrade FOLDER`: every rep's tracker of a team folder becomes a CRM in one command; the team workbook,
lock files and backups are left alone, and a file that cannot be upgraded is named while the others are."""

from __future__ import annotations

from datetime import datetime

import openpyxl
from helpers import TEAM_DAY, kpi_rows, parts_of, tracker, write_team_book, xl_crm


def _folder(root):
    root.mkdir()
    tracker(root / "王芳.xlsx")
    tracker(root / "刘洋.xlsx", rows=[["东方电子", "陈静", "13700000003", "刘洋", "需求确认", 50000,
                                        datetime(2026, 10, 20), None]])
    write_team_book(root / "team.xlsx", {})
    return root


def test_check_speaks_each_trackers_language_and_says_upgrade_builds_the_customers(tmp_path):
    folder = _folder(tmp_path / "team")
    run = xl_crm("check", folder)
    assert run.exit_code == 1
    lines = run.output.splitlines()
    assert f"{folder / '王芳.xlsx'}: 错误：客户：未找到该表；`xl-crm upgrade` 会按商机中的客户建立" in lines
    assert lines[-1] == f"{folder}: 2 个错误，2 个警告"


def test_upgrade_of_a_folder_makes_every_tracker_a_crm_and_leaves_the_team_workbook(tmp_path):
    folder = _folder(tmp_path / "team")
    team_book = parts_of(folder / "team.xlsx")
    run = xl_crm("upgrade", folder)
    assert run.exit_code == 0, run.output
    assert f"{folder / 'team.xlsx'}: skipped (the team workbook" in run.output
    assert parts_of(folder / "team.xlsx") == team_book
    assert sorted(p.name for p in folder.iterdir()) == ["team.xlsx", "刘洋.xlsx", "刘洋.xlsx.bak", "王芳.xlsx",
                                                          "王芳.xlsx.bak"]
    checked = xl_crm("check", folder)
    assert "错误" not in checked.output.replace("0 个错误", ""), checked.output
    assert xl_crm("refresh", folder, "--as-of", TEAM_DAY.isoformat()).exit_code == 0
    report = xl_crm("report", folder, "--month", "2026-11", "--out", tmp_path / "out")
    assert report.exit_code == 0, report.output
    kpis = {(scope, metric): value for scope, metric, value in kpi_rows(tmp_path / "out" / "2026-11-team.xlsx")}
    # open from the refresh that first recorded them (no created dates); the won and lost ones are not
    assert (kpis["Team", "open_count"], kpis["王芳", "open_count"], kpis["刘洋", "open_count"]) == (3, 2, 1)


def test_reports_and_other_workbooks_in_the_folder_are_skipped_by_every_command(tmp_path):
    folder = _folder(tmp_path / "team")
    assert xl_crm("upgrade", folder).exit_code == 0
    assert xl_crm("report", folder, "--month", "2026-11", "--out", folder).exit_code == 0  # saved beside the data
    budget = openpyxl.Workbook()
    budget.active.append(["Month", "Budget"])
    budget.active.append(["2026-11", 5000])
    budget.save(folder / "budget.xlsx")
    untouched = {p.name: p.read_bytes() for p in folder.iterdir() if p.name.startswith(("2026-11", "budget"))}
    assert len(untouched) == 4  # the team's report, two reps' and the budget
    for command in (("check", folder), ("upgrade", folder), ("refresh", folder, "--as-of", TEAM_DAY.isoformat())):
        run = xl_crm(*command)
        assert run.exit_code == 0, (command, run.output)
        assert f"{folder / '2026-11-team.xlsx'}: skipped (a report written by `xl-crm report`" in run.output, run.output
        assert f"{folder / 'budget.xlsx'}: skipped" in run.output
    assert {name: (folder / name).read_bytes() for name in untouched} == untouched
    alone = xl_crm("check", folder / "2026-11-王芳.xlsx")
    assert alone.exit_code == 2 and "a report written by `xl-crm report`" in alone.output


def test_a_workbook_open_in_excel_is_named_and_the_others_are_upgraded(tmp_path):
    folder = _folder(tmp_path / "team")
    (folder / "~$王芳.xlsx").write_bytes(b"")
    before = (folder / "王芳.xlsx").read_bytes()
    run = xl_crm("upgrade", folder)
    assert run.exit_code == 1
    assert "王芳.xlsx: the workbook is open in a spreadsheet program" in run.output
    assert run.output.strip().splitlines()[-1] == "xl-crm: 1 of the workbooks could not be upgraded (the rest were)"
    assert (folder / "王芳.xlsx").read_bytes() == before
    assert (folder / "刘洋.xlsx.bak").exists()  # upgraded


def test_a_folder_with_nothing_to_upgrade_says_so_and_exits_non_zero(tmp_path):
    folder = tmp_path / "team"
    folder.mkdir()
    write_team_book(folder / "team.xlsx", {})
    before = (folder / "team.xlsx").read_bytes()
    run = xl_crm("upgrade", folder)
    assert run.exit_code == 2
    assert run.output.strip().splitlines()[-1] == ("xl-crm: no workbook with customers or deals to upgrade: "
                                                   "every file was skipped")
    assert (folder / "team.xlsx").read_bytes() == before
