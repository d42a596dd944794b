"""`check` on a dirty Settings sheet names each bad cell and blames no valid deal; cross-field checks."""

from __future__ import annotations

from datetime import date

from fixtures_book import sheets_workbook
from helpers import xl_crm

from xl_crm.commands.check import check_workbook
from xl_crm.commands.workbook import init_workbook
from xl_crm.ooxml.package import Package
from xl_crm.sheets.read import read_workbook
from xl_crm.sheets.settings_sheet import (
    AS_OF_ROW,
    FIRST_THRESHOLD_ROW,
    STAGE_HEADER_ROW,
)

DEALS = ("opportunity_id,customer_id,stage,status,amount,created,closed_date\n"
         + "".join(f"O{n},C1,{stage},Open,1000,2026-01-0{n},\n"
                   for n, stage in enumerate(["Qualify", "Develop", "Propose", "Negotiate", "Close"], 1))
         + "O6,C1,,Lost,500,2026-01-01,2026-02-01\n")


def _book(tmp_path, lang="en"):
    data = tmp_path / "data"
    data.mkdir()
    (data / "customers.csv").write_text("customer_id,name\nC1,Acme\n", encoding="utf-8")
    (data / "opportunities.csv").write_text(DEALS, encoding="utf-8")
    path = tmp_path / "crm.xlsx"
    init_workbook(path, data_dir=data, lang=lang, as_of=date(2026, 3, 1))
    return path


def _dirty(path, sheet="Settings"):
    cells = {(AS_OF_ROW, 1): "tomorrow", (FIRST_THRESHOLD_ROW, 1): -5, (FIRST_THRESHOLD_ROW + 3, 1): "abc",
             (STAGE_HEADER_ROW + 2, 3): "fifty"}
    with Package.open(path) as pkg:
        pkg.set_cells(sheet, cells)
        pkg.save(backup=False)
    return path


def test_a_clean_standard_workbook_has_no_problems(tmp_path):
    assert [str(p) for p in check_workbook(_book(tmp_path))] == []


def test_each_bad_settings_cell_is_named_and_no_deal_is_blamed(tmp_path):
    problems = [str(p) for p in check_workbook(_dirty(_book(tmp_path)))]
    assert problems == [
        "error: Settings!B2 (AsOf): 'tomorrow': expected a date or =TODAY(); today is used",
        "error: Settings!B3 (GradeDaysA): -5: expected a number of days, 0 or more",
        "error: Settings!B6 (CadenceA): 'abc': expected a number of days, 0 or more; the default 1 is used",
        (f"error: Settings!D{STAGE_HEADER_ROW + 2} (Probability): 'fifty': expected a probability from 0 to 1 "
        "(50% = 0.5)"),
    ]
    settings = read_workbook(tmp_path / "crm.xlsx").settings
    assert [s.name for s in settings.stages] == ["Qualify", "Develop", "Propose", "Negotiate", "Close"]
    assert settings.stage(2).probability == 0.3  # the default stands in for the bad cell
    assert settings.cadence_a == 1


def test_the_stage_table_needs_unique_names_and_rot_days(tmp_path):
    path = _book(tmp_path)
    with Package.open(path) as pkg:
        pkg.set_cells("Settings", {(STAGE_HEADER_ROW + 3, 1): "develop", (STAGE_HEADER_ROW + 4, 4): -1})
        pkg.save(backup=False)
    problems = [str(p) for p in check_workbook(path)]
    assert problems == [
        (f"error: Settings!B{STAGE_HEADER_ROW + 3} (Stage): 'develop': the stage name is already used in row "
        f"{STAGE_HEADER_ROW + 2}"),
        f"error: Settings!E{STAGE_HEADER_ROW + 4} (Rot days): -1: expected a number of days, 0 or more",
        # deals at the renamed stage no longer read: that is the data's problem, not a Settings cell's
        ("error: Opportunities row 4, column F (Stage): 'Propose': expected a stage: 1 Qualify/确认商机, "
         "2 Develop/主导进程, 3 develop/方案论证, 4 Negotiate/商务谈判, 5 Close/成交"),
    ]


def test_chinese_workbook_gets_chinese_messages_and_summary(tmp_path):
    path = _dirty(_book(tmp_path, "zh"), "参数")
    result = xl_crm("check", str(path))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[-1].endswith("4 个错误，0 个警告")
    assert "错误：参数!B6 (CadenceA)：'abc'：应为不小于 0 的天数；按默认值 1 计算" in lines[2]


DEALS_SHEET = ["Opportunity ID", "Customer ID", "Stage", "Status", "Amount", "Created", "Closed Date", "Stage Since"]


def test_cross_field_checks_and_a_lost_deal_without_stage(tmp_path):
    book = {"Customers": [["Customer ID", "Name"], ["C1", "Acme"]],
            "Opportunities": [DEALS_SHEET,
                              ["O1", "C1", None, "Lost", 5, date(2026, 1, 1), date(2026, 2, 1), None],
                              ["O2", "C1", 5, "Won", 5, date(2026, 1, 1), None, None],
                              ["O3", "C1", 2, "Open", 5, date(2026, 1, 1), date(2026, 2, 1), None],
                              ["O4", "C1", 5, "Won", 5, date(2026, 3, 1), date(2026, 2, 1), None],
                              ["O5", "C1", 2, "Open", 5, date(2026, 3, 1), None, date(2026, 2, 1)],
                              ["O6", "C1", None, "Open", 5, None, None, None]]}
    problems = [str(p) for p in check_workbook(sheets_workbook(tmp_path / "x.xlsx", book))
                if p.sheet == "Opportunities"]
    assert problems == [  # row 2: a lost deal's unknown furthest stage is fine
        ("warning: Opportunities row 3, column G (Closed Date): a won or lost deal without a closed date counts in "
        "no month"),
        "warning: Opportunities row 4, column G (Closed Date): 2026-02-01: an open deal with a closed date",
        "error: Opportunities row 5, column G (Closed Date): 2026-02-01: closed date before the created date",
        "error: Opportunities row 6, column H (Stage Since): 2026-02-01: stage since date before the created date",
        "error: Opportunities row 7, column C (Stage): required value is blank",
    ]


def test_repeated_problems_are_grouped_with_what_they_change(tmp_path):
    rows = [[f"O{i}", "C1", 2, "Open", "lots", date(2026, 1, 1)] for i in range(1, 9)]
    book = {"Customers": [["Customer ID", "Name"], ["C1", "Acme"]],
            "Opportunities": [DEALS_SHEET[:6], *rows]}
    path = sheets_workbook(tmp_path / "g.xlsx", book)
    grouped = xl_crm("check", str(path)).output.strip().splitlines()
    assert [line.split(": ", 1)[1] for line in grouped] == [
        "error: Opportunities, column E (Amount): expected a number: 8 rows (2, 3, 4, 5, 6, ...; first value 'lots')",
        "deals without a readable amount count as 0 in the pipeline and in revenue: 8",
        "8 errors, 0 warnings",
    ]
    every = xl_crm("check", "--all", str(path)).output.strip().splitlines()
    assert len(every) == 8 + 2


def test_a_workbook_without_a_crm_table_is_one_line_and_a_failure(tmp_path):
    path = sheets_workbook(tmp_path / "notes.xlsx", {"Notes": [["Topic", "Text"], ["a", "b"]]})
    for command in (["check", str(path)], ["report", str(path), "--month", "2026-01", "--out", str(tmp_path)]):
        result = xl_crm(*command)
        assert result.exit_code == 2, result.output
        assert "no customer or deal table found" in result.output and len(result.output.strip().splitlines()) == 1


def test_a_chinese_users_own_sheet_gets_chinese_messages(tmp_path):
    book = {"客户": [["客户编号", "客户名称"], ["C1", "华为"]],
            "商机": [["商机编号", "客户编号", "阶段", "状态", "金额"], ["O1", "C1", "主导进程", "跟进中", "很多"],
                   ["O2", "C1", "主导进程", "跟进中", "很多"]]}
    result = xl_crm("check", str(sheets_workbook(tmp_path / "zh.xlsx", book)))
    lines = [line.split(": ", 1)[1] for line in result.output.strip().splitlines()]
    assert lines == ["错误：商机 E列（金额）：应为数字：共 2 行（第 2, 3 行；首个值 '很多'）",
                     "2 个商机金额无法读取，在管道和收入中按 0 计", "2 个错误，0 个警告"]


def test_thresholds_in_order_and_a_missing_stage_table():
    from xl_crm.commands.settings_check import settings_problems
    rows = [["Name", "Value"], ["AsOf", None], ["GradeDaysA", 100], ["GradeDaysB", 90], ["TierVIP", 1.5]]
    problems = [str(p) for p in settings_problems(rows, "Settings", as_of_formula=True)]
    assert problems[:3] == [
        "error: Settings!B5 (TierVIP): 1.5: expected a fraction from 0 to 1 (50% = 0.5)",
        "warning: Settings: no GradeDaysC row; the default is used",
        "warning: Settings: no CadenceA row; the default is used",
    ]
    assert "error: Settings!B4 (GradeDaysB): 90: expected at least GradeDaysA (100)" in problems
    assert problems[-1] == "error: Settings: no stage table; the default stages are used"
    blank = [str(p) for p in settings_problems(rows, "Settings", as_of_formula=False)]
    assert blank[0] == "error: Settings!B2 (AsOf): expected a date or =TODAY(); today is used"


def test_an_empty_workbook_is_said_to_be_empty(tmp_path):
    path = sheets_workbook(tmp_path / "empty.xlsx", {"Sheet1": []})
    result = xl_crm("check", str(path))
    assert result.exit_code == 2 and "the workbook is empty" in result.output


def test_what_the_problems_change_in_the_numbers():
    from xl_crm.commands.problems import Problem, impacts

    def deal(row, key, severity="error"):
        return Problem(severity, "Opportunities", row, "E", "x", "expected something", "", f"opportunities.{key}")

    problems = [deal(2, "dates"), deal(2, "amount"), deal(3, "amount"), deal(4, "closed_date", "warning")]
    assert impacts(problems) == [
        "deals without a readable amount count as 0 in the pipeline and in revenue: 2",
        "won or lost deals without a closed date count in no month's results: 1",
        "deals with an unreadable date count in no month, cycle or days in stage by it: 1",
    ]
