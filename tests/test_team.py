"""A folder of rep workbooks is one data set (DOMAIN section 16): the same rows split across files
in several ways give the report of one workbook holding them all; files that are no CRM workbook
are skipped with a note."""

from __future__ import annotations

import pytest
import xlsxwriter
from helpers import TEAM_DAY as DAY
from helpers import TEAM_MONTH as MONTH
from helpers import kpi_rows, round_robin, team_folder, write_team_book, xl_crm
from python_calamine import CalamineWorkbook

from xl_crm.commands.demo import demo_frames
from xl_crm.folder.read import read_team
from xl_crm.reports.batch import write_reports
from xl_crm.team.refresh import refresh_team


@pytest.fixture(scope="module")
def frames():
    return demo_frames(DAY, customers=40, opportunities=120, contacts=60, activities=500)


def _by_owner(frames):
    owners = {r["customer_id"]: r["owner"] for r in frames["customers"].to_dict("records")}

    def assign(key, row):
        owner = row.get("owner") or owners.get(row.get("customer_id"))
        return f"rep_{owner}".replace(" ", "_") if owner else "rep_nobody"
    return assign


@pytest.mark.parametrize("split", ["owner", "round_robin"])
def test_a_folder_reports_as_one_workbook_holding_its_rows(frames, tmp_path, split):
    one = write_team_book(tmp_path / "one.xlsx", frames)
    folder = team_folder(tmp_path / "team", frames, _by_owner(frames) if split == "owner" else round_robin(3))
    single = write_reports(one, [MONTH], tmp_path / "out_one")
    team = write_reports(folder, [MONTH], tmp_path / "out_team")
    assert sorted(p.name for p in single) == sorted(p.name for p in team)
    assert len(single) > 3
    for a, b in zip(sorted(single), sorted(team)):
        assert kpi_rows(a) == kpi_rows(b), a.name


def test_lock_files_backups_and_other_workbooks_are_skipped_with_a_note(frames, tmp_path):
    folder = team_folder(tmp_path / "team", frames, round_robin(2))
    (folder / "~$book0.xlsx").write_bytes(b"lock")
    (folder / "book0.xlsx.bak").write_bytes(b"old")
    other = xlsxwriter.Workbook(str(folder / "shopping.xlsx"))
    other.add_worksheet("List").write_row(0, 0, ["milk", "eggs"])
    other.close()
    team = read_team(folder)
    assert sorted(d.path.name for d in team.members) == ["book0.xlsx", "book1.xlsx"]
    notes = "\n".join(team.notes)
    for name in ("~$book0.xlsx", "book0.xlsx.bak", "shopping.xlsx"):
        assert name in notes
    assert len(team.merged.frame("customers")) == len(frames["customers"])


def _customers(paths) -> dict:
    """customer_id -> the Customers sheet's cells (by header), over the files given."""
    out = {}
    for path in paths:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Customers").to_python()
        for row in rows[1:]:
            out[row[0]] = dict(zip(rows[0], row))
    return out


def test_refresh_computes_over_the_team_and_writes_each_file_its_own_rows(frames, tmp_path):
    one = write_team_book(tmp_path / "one.xlsx", frames)
    folder = team_folder(tmp_path / "team", frames, round_robin(3))
    books = sorted(folder.glob("*.xlsx"))
    before = _customers(books)
    expected = _customers([one])
    synced = ("Touch Count", "Last Contact", "Next Close", "Revenue 12M", "Tier", "Followup Status")
    differs = lambda got: [c for c in expected for h in synced if got[c][h] != expected[c][h]]
    assert differs(before), "the split must leave some customers' activities in another file"
    counts = {p.name: len(_customers([p])) for p in books}
    written = refresh_team(folder, as_of=DAY, backup=False)
    assert sorted(written) == books
    after = _customers(books)
    assert differs(after) == []
    assert {p.name: len(_customers([p])) for p in books} == counts


def test_the_commands_take_a_folder(frames, tmp_path):
    folder = team_folder(tmp_path / "team", frames, round_robin(2))
    (folder / "~$closed.xlsx").write_bytes(b"lock")  # left behind by a crash: the book is no longer open
    run = xl_crm("refresh", str(folder), "--as-of", DAY.isoformat(), "--no-backup")
    assert run.exit_code == 0, run.output
    assert "~$closed.xlsx: skipped (an Excel lock file)" in run.output
    assert run.output.count("refreshed ") == 2
    run = xl_crm("report", str(folder / "book0.xlsx"), str(folder / "book1.xlsx"), "--month", MONTH,
                 "--out", str(tmp_path / "out"), "--jobs", "1")
    assert run.exit_code == 0, run.output
    assert (tmp_path / "out" / f"{MONTH}-team.xlsx").exists()


def test_a_reps_workbook_open_in_excel_stops_the_refresh_before_any_file_is_written(frames, tmp_path):
    folder = team_folder(tmp_path / "team", frames, round_robin(2))
    (folder / "~$book1.xlsx").write_bytes(b"lock")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    run = xl_crm("refresh", str(folder), "--as-of", DAY.isoformat())
    assert run.exit_code == 2
    assert "book1.xlsx: the workbook is open in a spreadsheet program" in run.output
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # book0 not refreshed alone, no .bak


def test_the_team_workbooks_settings_win(frames, tmp_path):
    from dataclasses import replace

    from xl_crm.compute.step import compute
    from xl_crm.model.settings import DEFAULT, THRESHOLDS
    from xl_crm.ooxml.package import Package
    from xl_crm.sheets.read import read_workbook
    from xl_crm.sheets.settings_sheet import FIRST_THRESHOLD_ROW

    folder = team_folder(tmp_path / "team", frames, round_robin(2))
    team_book = write_team_book(folder / "team.xlsx", {})
    row = FIRST_THRESHOLD_ROW + [t.name for t in THRESHOLDS].index("PoolDays")
    with Package.open(team_book) as package:
        package.set_cells("Settings", {(row, 1): 10})
        package.save(backup=False)
    team = read_team(folder)
    assert team.team_book.path == team_book and team.merged.settings.pool_days == 10
    refresh_team(folder, as_of=DAY, backup=False)
    merged = read_team(folder).merged
    want = compute({k: merged.frame(k) for k in ("customers", "opportunities", "activities")}, DAY,
                   replace(DEFAULT, pool_days=10)).customer_derived["pool_status"]
    released = set(merged.frame("customers")["customer_id"][want == "Release"])
    assert released
    got = set()
    for path in ("book0.xlsx", "book1.xlsx"):
        assert read_workbook(folder / path).settings.pool_days == 10  # the rep's formulas read the team's
        got |= {c for c, row in _customers([folder / path]).items() if row["Pool Status"] == "Release"}
    assert got == released


def test_a_deal_typed_below_a_reps_table_gets_the_formulas_and_the_teams_values(frames, tmp_path, recalc):
    from xl_crm.adopt.later_rows import formula_rows
    from xl_crm.compute.step import compute
    from xl_crm.ooxml.package import Package
    from xl_crm.sheets.read import read_workbook

    folder = team_folder(tmp_path / "team", frames, round_robin(2))
    deals = read_workbook(folder / "book0.xlsx").tables["opportunities"]
    customer = read_workbook(folder / "book1.xlsx").frame("customers")["customer_id"].iloc[0]  # the other file's
    row = max(deals.frame.index) + 1
    stage = frames["opportunities"]["stage"].iloc[0]
    typed = {"opportunity_id": "NEW-1", "customer_id": customer, "owner": "Ann", "stage": stage,
             "status": "Open", "amount": 50000, "created": DAY}
    with Package.open(folder / "book0.xlsx") as pkg:
        pkg.set_cells(deals.sheet_name, {(row, deals.columns[k]): v for k, v in typed.items()})
        pkg.save(backup=False)
    refresh_team(folder, as_of=DAY, backup=False)
    with Package.open(folder / "book0.xlsx") as pkg:  # formulas, not values that would not follow an edit
        assert set(formula_rows(pkg, read_workbook(folder / "book0.xlsx").tables["opportunities"]).values()) == {row}

    merged = read_team(folder).merged
    want = compute({k: merged.frame(k) for k in ("customers", "opportunities", "activities")}, DAY,
                   merged.settings).table("opportunities")
    want = want[want["opportunity_id"] == "NEW-1"].iloc[0]
    values = CalamineWorkbook.from_path(str(recalc(folder / "book0.xlsx"))).get_sheet_by_name(
        deals.sheet_name).to_python()
    got = dict(zip(values[deals.header_row - 1], values[row - 1]))
    spec = deals.spec
    assert got[spec.column("probability").header("en")] == pytest.approx(want["probability"])
    assert got[spec.column("weighted_amount").header("en")] == pytest.approx(want["weighted_amount"])
    assert got[spec.column("touch_count").header("en")] == want["touch_count"]
