"""Report files: sheets, charts, KPIs read back, file names, the CLI and --pdf."""

import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import REPORT_AS_OF as AS_OF
from helpers import REPORT_EXPECTED as EXPECTED
from helpers import write_report_workbook, xl_crm

from xl_crm.model import schema
from xl_crm.reports import write_reports

TEAM_SHEETS = ["Summary", "Funnel", "Reps", "Revenue", "Follow-ups", "Portfolio", "Stale deals", "VIP customers",
               "Forecast", "Collections", "KPIs"]


def kpis_of(path: Path) -> dict:
    ws = openpyxl.load_workbook(path, read_only=True)["KPIs"]
    header, *rows = ws.iter_rows(values_only=True)
    assert header == ("scope", "metric", "value")
    return {(s, m): v for s, m, v in rows}


@pytest.fixture(scope="module")
def march(tmp_path_factory) -> tuple[Path, list[Path]]:
    """The reports of March 2024, the workbook's present (its AsOf): every stage is known, as the hand
    computation has it. Returns the folder they are written to and the paths write_reports gave."""
    tmp = tmp_path_factory.mktemp("march")
    out = tmp / "reports"
    return out, write_reports(write_report_workbook(tmp / "crm.xlsx", as_of=AS_OF), ["2024-03"], out)


def test_one_file_for_the_team_and_one_for_each_rep(march):
    _, paths = march
    assert sorted(p.name for p in paths) == ["2024-03-Ann.xlsx", "2024-03-Bob.xlsx", "2024-03-team.xlsx",
                                             "2024-03-王伟.xlsx"]


def test_team_sheets_in_order_and_no_reps_sheet_in_a_rep_file(march):
    out, _ = march
    names = openpyxl.load_workbook(out / "2024-03-team.xlsx", read_only=True).sheetnames
    assert names[:8] == TEAM_SHEETS[:8] and names[-1] == "KPIs"  # the sections added since sit between
    assert "Reps" not in openpyxl.load_workbook(out / "2024-03-Ann.xlsx", read_only=True).sheetnames


def test_the_team_file_carries_the_charts_a_rep_file_two(march):
    out, _ = march
    charts = [n for n in zipfile.ZipFile(out / "2024-03-team.xlsx").namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) >= 6
    rep_charts = [n for n in zipfile.ZipFile(out / "2024-03-Ann.xlsx").namelist() if n.startswith("xl/charts/chart")]
    assert len(rep_charts) == 2  # funnel and trend: the team report carries the others


def test_team_kpis_are_the_hand_computed_ones(march):
    out, _ = march
    got = kpis_of(out / "2024-03-team.xlsx")
    for scope, metrics in EXPECTED.items():
        for metric, value in metrics.items():
            assert got[scope, metric] == (None if value is None else pytest.approx(value)), (scope, metric)


def test_a_rep_file_holds_only_its_reps_kpis(march):
    out, _ = march
    assert {s for s, _ in kpis_of(out / "2024-03-王伟.xlsx")} == {"王伟"}


def test_second_run_writes_the_same_kpis(report_workbook, tmp_path):
    write_reports(report_workbook, ["2024-03"], tmp_path / "a", reps=["Bob"], team=True, jobs=2)
    write_reports(report_workbook, ["2024-03"], tmp_path / "b", reps=["Bob"], team=True)
    for name in ("2024-03-team.xlsx", "2024-03-Bob.xlsx"):
        assert kpis_of(tmp_path / "a" / name) == kpis_of(tmp_path / "b" / name)


def test_chinese_labels(report_workbook, tmp_path):
    write_reports(report_workbook, ["2024-03"], tmp_path, reps=["王伟"], lang="zh")
    names = openpyxl.load_workbook(tmp_path / "2024-03-王伟.xlsx", read_only=True).sheetnames
    assert names[:2] == ["概要", schema.FUNNEL_NAME.zh] and names[-1] == "KPIs"


def test_cli_month_range_and_rep(report_workbook, tmp_path):
    done = xl_crm("report", report_workbook, "--from", "2024-02", "--to", "2024-03", "--rep", "Ann", "--out", tmp_path)
    assert done.exit_code == 0, done.stderr
    assert sorted(p.name for p in tmp_path.glob("2024-*.xlsx")) == ["2024-02-Ann.xlsx", "2024-03-Ann.xlsx"]
    assert kpis_of(tmp_path / "2024-03-Ann.xlsx")["Ann", "won_amount"] == 1000


def test_cli_refuses_a_bad_month_in_one_line(report_workbook, tmp_path):
    bad = xl_crm("report", report_workbook, "--month", "2024-13", "--out", tmp_path)
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1 and "2024-13" in bad.stderr


def test_cli_refuses_an_unknown_rep(report_workbook, tmp_path):
    nobody = xl_crm("report", report_workbook, "--month", "2024-03", "--rep", "Zoe", "--out", tmp_path)
    assert nobody.exit_code == 2 and "Zoe" in nobody.stderr


def test_as_of_defaults_to_month_end(report_workbook, tmp_path):
    write_reports(report_workbook, ["2024-03"], tmp_path, reps=[], team=True)
    title = openpyxl.load_workbook(tmp_path / "2024-03-team.xlsx", read_only=True)["Summary"]["A1"].value
    assert str(AS_OF) in title


def test_pdf(report_workbook, tmp_path):
    paths = write_reports(report_workbook, ["2024-03"], tmp_path, reps=[], team=True, pdf=True)
    pdf = tmp_path / "2024-03-team.pdf"
    assert pdf in paths and pdf.read_bytes().startswith(b"%PDF")


def test_parallel_runs_take_whole_months_when_there_are_enough():
    from xl_crm.reports.batch import _blocks
    tasks = [(m, None, rep, None) for m in ("2024-01", "2024-02", "2024-03") for rep in (None, "Ann", "Bob")]
    assert [[t[0] for t in b] for b in _blocks(tasks, 2)] == [["2024-01"] * 3 + ["2024-02"] * 3, ["2024-03"] * 3]


def test_processes_sharing_a_month_each_take_the_next_report_none_has_taken():
    import multiprocessing

    from xl_crm.reports.batch import _untaken
    tasks = [("2024-01", None, rep, None) for rep in (None, "Ann", "Bob", "Cy", "Di")]
    taken = multiprocessing.Value("i", 0)
    first, second = _untaken(tasks, taken), _untaken(tasks, taken)
    got = [next(first), next(second), next(second), next(first), *second, *first]
    assert got == tasks


def test_a_parallel_batch_writes_what_one_process_writes(report_workbook, tmp_path):
    months = ["2024-02", "2024-03", "2024-04"]
    one = write_reports(report_workbook, months, tmp_path / "one", reps=["Ann", "Bob"])
    two = write_reports(report_workbook, months, tmp_path / "two", reps=["Ann", "Bob"], jobs=2)
    assert [p.name for p in one] == [p.name for p in two]
    for a, b in zip(one, two):
        assert kpis_of(a) == kpis_of(b)


def test_without_fork_a_parallel_batch_is_written_in_one_process(report_workbook, tmp_path, monkeypatch):
    import multiprocessing

    from xl_crm.reports import batch
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])  # as on Windows
    monkeypatch.setattr(batch, "_in_parallel", lambda *args: pytest.fail("forked without fork"))
    paths = write_reports(report_workbook, ["2024-03"], tmp_path, reps=["Ann"], team=True, jobs=2)
    assert [p.name for p in paths] == ["2024-03-team.xlsx", "2024-03-Ann.xlsx"]
    assert kpis_of(paths[1]) == kpis_of(write_reports(report_workbook, ["2024-03"], tmp_path / "one", reps=["Ann"])[0])


def test_jobs_default_to_the_cpus_this_process_may_use():
    from xl_crm.reports.batch import default_jobs
    assert 1 <= default_jobs() <= (os.cpu_count() or 1)
