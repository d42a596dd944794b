"""Reports refuse what they cannot know (DOMAIN.md section 11): one line, exit 2, nothing written."""

from datetime import date
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from helpers import write_report_workbook as build
from helpers import xl_crm

from xl_crm.errors import XlCrmError
from xl_crm.model import schema
from xl_crm.reports import running_month, write_reports

FIRST_DATE = date(2023, 12, 31)  # O2's created date: the earliest date of the hand-made data


def refused(workbook: Path, out: Path, *args: str) -> str:
    """Run `xl-crm report`, check it failed with one line and wrote nothing; return the line."""
    done = xl_crm("report", workbook, "--out", out, *args)
    assert done.exit_code == 2, (done.stdout, done.stderr)
    assert done.stderr.count("\n") == 1 and "written" not in done.stdout, done.stderr
    assert not out.exists() or not any(out.iterdir())
    return done.stderr


def test_a_range_whose_start_is_after_its_end(report_workbook, tmp_path):
    line = refused(report_workbook, tmp_path / "out", "--from", "2024-03", "--to", "2024-02")
    assert "2024-03" in line and "2024-02" in line


def test_a_month_before_the_first_data(report_workbook, tmp_path):
    line = refused(report_workbook, tmp_path / "out", "--month", "2023-11")
    assert "2023-11" in line and str(FIRST_DATE) in line
    refused(report_workbook, tmp_path / "out", "--from", "2023-11", "--to", "2024-01")  # a range that starts too early
    assert write_reports(report_workbook, ["2023-12"], tmp_path / "ok", reps=[], team=True)  # the first date's month


def test_a_month_that_begins_after_as_of(report_workbook, tmp_path):
    assert "2030-01" in refused(report_workbook, tmp_path / "out", "--month", "2030-01")  # after today
    line = refused(report_workbook, tmp_path / "out", "--month", "2024-04", "--as-of", "2024-03-15")
    assert "2024-03-15" in line


def test_the_workbooks_fixed_as_of_bounds_the_months(tmp_path):
    fixed = build(tmp_path / "fixed.xlsx", as_of=date(2024, 3, 20))
    assert "2024-03-20" in refused(fixed, tmp_path / "out", "--month", "2024-04")
    paths = write_reports(fixed, ["2024-03"], tmp_path / "ok", reps=[], team=True)
    assert paths == [tmp_path / "ok" / "2024-03-team.xlsx"]
    title = openpyxl.load_workbook(paths[0], read_only=True)["Summary"]["A1"].value
    assert "2024-03-20" in title  # the running month is evaluated at the workbook's AsOf, not at its end
    assert running_month(fixed) == "2024-03"


def test_a_repeated_month(report_workbook, tmp_path):
    assert "2024-03" in refused(report_workbook, tmp_path / "out", "--month", "2024-03", "--month", "2024-03")
    refused(report_workbook, tmp_path / "out", "--month", "2024-02", "--month", "2024-03")
    with pytest.raises(XlCrmError, match="2024-03"):
        write_reports(report_workbook, ["2024-03", "2024-02", "2024-03"], tmp_path / "lib")
    assert not (tmp_path / "lib").exists()


@pytest.mark.parametrize("months", [["2023-01"], ["2031-05"], ["2024-3"]])
def test_the_library_call_refuses_too(report_workbook, tmp_path, months):
    with pytest.raises(XlCrmError):
        write_reports(report_workbook, months, tmp_path / "lib")
    assert not (tmp_path / "lib").exists()


def test_rep_names_match_trimmed_and_case_insensitively(report_workbook, tmp_path):
    done = xl_crm("report", report_workbook, "--month", "2024-03", "--rep", "  ann ", "--out", tmp_path / "out")
    assert done.exit_code == 0, done.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["2024-03-Ann.xlsx"]  # no team report


def test_an_unknown_rep_lists_the_reps(report_workbook, tmp_path):
    line = refused(report_workbook, tmp_path / "out", "--month", "2024-03", "--rep", "Zoe")
    assert "Zoe" in line and "Ann, Bob, 王伟" in line


def test_a_rep_who_only_owns_a_customer_gets_a_report(tmp_path):
    path = build(tmp_path / "crm.xlsx", [("C5", "Epsilon", "Cy", "Retail", "West", "Future", None, None)])
    names = sorted(p.name for p in write_reports(path, ["2024-03"], tmp_path / "out"))
    assert names == ["2024-03-Ann.xlsx", "2024-03-Bob.xlsx", "2024-03-Cy.xlsx", "2024-03-team.xlsx",
                     "2024-03-王伟.xlsx"]


def test_refusals_speak_the_workbooks_language(tmp_path):
    from xl_crm.reports.batch import workbook_lang
    path = tmp_path / "zh.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet(schema.OPPORTUNITIES.zh).write_row(0, 0, ["商机编号", "客户编号"])
    book.close()
    assert workbook_lang(path) == "zh"
    line = refused(path, tmp_path / "out", "--from", "2024-03", "--to", "2024-02")
    assert "起始月份" in line


def test_history_dates_count_as_data():
    """Section 11: the first data is the earliest created, closed, expected close, Activities or History date."""
    from datetime import datetime

    import pandas as pd
    from helpers import report_frames

    from xl_crm.reports.data import ReportBook
    f = report_frames()
    history = pd.DataFrame([(datetime(2023, 6, 15), "O2", "stage", None, "Qualify")],
                           columns=["date", "opportunity_id", "field", "old", "new"], dtype=object)
    book = ReportBook(f["customers"], f["opportunities"], f["activities"], others={"history": history})
    assert book.first_date == date(2023, 6, 15)
    assert ReportBook(f["customers"], f["opportunities"], f["activities"]).first_date == FIRST_DATE
