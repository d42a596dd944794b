"""`check` names every bad value with its sheet, row and column, and exits 1 on errors."""

from datetime import date

from fixtures_book import sheets_workbook
from helpers import xl_crm

from xl_crm.commands.check import check_workbook

CLEAN = {
    "Customers": [["Customer ID", "Name", "Need", "Expected Close"],
                  ["C1", "Acme", "Now", date(2026, 12, 1)],
                  ["C2", "Globex", "潜在需求", None]],
    "Opportunities": [["Opportunity ID", "Customer ID", "Stage", "Status", "Amount", "Short Term Score", "Closed Date"],
                      ["O1", "C1", "Qualify", "Open", 1000, 5, None],
                      ["O2", "C2", 3, "赢单", None, 10, date(2026, 10, 2)]],
    "Activities": [["Date", "Customer ID", "Opportunity ID"], [date(2026, 11, 1), "C1", "O1"]],
    "Contacts": [["Contact ID", "Customer ID", "Name", "Role"], ["P1", "C1", "Li Lei", "D"]],
}


def test_clean_workbook_has_no_problems(tmp_path):
    assert check_workbook(sheets_workbook(tmp_path / "clean.xlsx", CLEAN)) == []


def test_every_bad_value_is_named(tmp_path):
    dirty = {
        "Customers": [["Customer ID", "Name", "Need", "Expected Close"],
                      ["C1", "Acme", "Now", "2026-13-45"],
                      ["C1", "Acme again", "Maybe", None],
                      ["C3", None, "Now", None]],
        "Opportunities": [["Opportunity ID", "Customer ID", "Stage", "Status", "Amount", "Short Term Score"],
                          ["O1", "C9", "Negotiating", "Open", "a lot", 11],
                          ["O2", "C1", 3, "Pending", -5, 5]],
        "Activities": [["Date", "Customer ID", "Opportunity ID"], ["yesterday", "C1", "O7"]],
    }
    problems = [str(p) for p in check_workbook(sheets_workbook(tmp_path / "dirty.xlsx", dirty))]
    expected = [
        "Customers row 2, column D (Expected Close): '2026-13-45': expected a date",
        "Customers row 3, column A (Customer ID): 'C1': duplicate ID (first used in row 2)",
        "Customers row 3, column C (Need): 'Maybe': expected one of Now/现有需求",
        "Customers row 4, column B (Name): required value is blank",
        "Opportunities row 2, column B (Customer ID): 'C9': unknown customer id: not in Customers",
        "Opportunities row 2, column C (Stage): 'Negotiating': expected a stage: 1 Qualify/确认商机",
        "Opportunities row 2, column E (Amount): 'a lot': expected a number",
        "Opportunities row 2, column F (Short Term Score): 11: expected a score from 0 to 10",
        "Opportunities row 3, column D (Status): 'Pending': expected one of Open/跟进中",
        "Opportunities row 3, column E (Amount): -5: expected an amount of 0 or more",
        "Activities row 2, column A (Date): 'yesterday': expected a date",
        "Activities row 2, column C (Opportunity ID): 'O7': unknown opportunity id: not in Opportunities",
    ]
    for text in expected:
        assert any(p.startswith("error: " + text) for p in problems), (text, problems)
    assert sum(p.startswith("error") for p in problems) == len(expected)


def test_missing_required_column(tmp_path):
    book = {**CLEAN, "Contacts": [["Contact ID", "Name", "Role"], ["P1", "Li Lei", "D"]]}
    problems = [str(p) for p in check_workbook(sheets_workbook(tmp_path / "m.xlsx", book))]
    assert "error: Contacts row 1: missing required column 'Customer ID' (客户编号)" in problems


def test_cli_on_a_clean_workbook_exits_0_with_its_summary(tmp_path):
    clean = sheets_workbook(tmp_path / "clean.xlsx", CLEAN)
    run = xl_crm("check", clean)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.strip().endswith("clean.xlsx: 0 errors, 0 warnings")


def test_cli_on_errors_exits_1_with_its_summary_and_leaves_the_file_alone(tmp_path):
    dirty = sheets_workbook(tmp_path / "dirty.xlsx",
                            {**CLEAN, "Customers": CLEAN["Customers"] + [["C1", "Dup", "Now"]]})
    before = dirty.read_bytes()
    run = xl_crm("check", dirty)
    assert run.exit_code == 1
    assert run.stdout.strip().splitlines()[-1].endswith("dirty.xlsx: 1 errors, 0 warnings")
    assert dirty.read_bytes() == before


def test_cli_refuses_a_non_workbook_in_one_line(tmp_path):
    bogus = tmp_path / "notes.xlsx"
    bogus.write_text("not a workbook")
    run = xl_crm("check", bogus)
    assert run.exit_code == 2
    assert len(run.stderr.strip().splitlines()) == 1
    assert "Traceback" not in run.stderr
