"""`upgrade` of a workbook an earlier release wrote: its Settings sheet gains what it lacks, nothing else moves.

The fixtures (tests/fixtures/README.md) were written by xl-crm 0.1.0, whose
Settings sheet has no MapFromStage, MinCoaches, MinDepartments or GreetDays.
After upgrade every formula names only defined names, every cell the
workbook held is as it was, LibreOffice's recalculation of the derived
columns equals the Python rules, and Settings reads back as the defaults
plus the user's own values, wherever they sit on the sheet.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from helpers import expected_cell, same, undefined_names, xl_crm

from xl_crm.adopt.upgrade import upgrade_workbook
from xl_crm.compute import derive
from xl_crm.model import schema
from xl_crm.model.settings import DEFAULT, THRESHOLDS
from xl_crm.model.vocab import PLAY
from xl_crm.ooxml.package import Package
from xl_crm.sheets import settings_sheet
from xl_crm.sheets.read import read_workbook

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = date(2026, 6, 30)  # the fixtures' fixed AsOf
ADDED = ("MapFromStage", "MinCoaches", "MinDepartments", "GreetDays")
SETTINGS = {"en": "Settings", "zh": "参数"}
CLEAN = {"en": "0 errors, 0 warnings", "zh": "0 个错误，0 个警告"}


def fixture(tmp_path, lang: str) -> Path:
    path = tmp_path / f"release_0_1_0_{lang}.xlsx"
    shutil.copy(FIXTURES / path.name, path)
    return path


def cells(path) -> dict:
    """Every non-empty cell (value or formula text) of every sheet, by (sheet, coordinate)."""
    book = openpyxl.load_workbook(path)
    return {(sheet.title, cell.coordinate): cell.value for sheet in book for row in sheet.iter_rows()
            for cell in row if cell.value is not None}


def threshold_cell(path, name: str) -> tuple[str, int]:
    """(sheet, 1-based row) of a threshold's value cell, by its defined name."""
    with Package.open(path) as pkg:
        found = re.fullmatch(r"'?(.*?)'?!\$B\$(\d+)", pkg.defined_names[name])
    return found.group(1), int(found.group(2))


def set_threshold(path, name: str, value) -> None:
    sheet, row = threshold_cell(path, name)
    with Package.open(path) as pkg:
        pkg.set_cells(sheet, {(row, 1): value})
        pkg.save(backup=False)


def derived_mismatches(path, lang: str) -> list[str]:
    """Derived cells of Customers and Opportunities that differ from the rules applied to the row's inputs."""
    data = read_workbook(path)
    problems, checked = [], 0
    for key in ("customers", "opportunities"):
        spec = schema.sheet(key)
        got = data.tables[key].frame
        frame = got.reindex(columns=spec.keys).astype(object)
        frame = frame.where(frame.notna(), None)
        columns = derive.customer_columns if key == "customers" else derive.opportunity_columns
        expected = columns(frame, AS_OF, data.settings)
        for column in spec.role(schema.DERIVED):
            for row, value in expected[column.key].items():
                checked += 1
                want = expected_cell(column, value, lang)
                if not same(want, got.at[row, column.key]):
                    problems.append(f"{key} row {row} {column.key}: python {want!r} sheet {got.at[row, column.key]!r}")
    assert checked > 50
    return problems


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_previous_release_upgrades_to_complete_settings(tmp_path, recalc, lang):
    path = fixture(tmp_path, lang)
    set_threshold(path, "GradeDaysA", 45)  # the user's own value, kept
    before, before_bytes = cells(path), path.read_bytes()
    with Package.open(path) as pkg:
        assert set(ADDED).isdisjoint(pkg.defined_names)

    said = "\n".join(upgrade_workbook(path, dry_run=True).lines())
    assert path.read_bytes() == before_bytes
    assert f"{SETTINGS[lang]!r}: add thresholds {', '.join(ADDED)}" in said
    assert all(f"define the name {name} " in said for name in ADDED)

    assert upgrade_workbook(path, backup=False).written
    after = cells(path)
    assert {k: after.get(k) for k in before} == before  # not a cell moved or changed
    assert not undefined_names(path)
    with Package.open(path) as pkg:
        assert set(settings_sheet.layout(lang=lang)[1]) <= set(pkg.defined_names)
    rows = {name: threshold_cell(path, name) for name in ADDED}
    assert {sheet for sheet, _ in rows.values()} == {SETTINGS[lang]}
    assert min(row for _, row in rows.values()) > max(int(re.sub(r"\D", "", c)) for s, c in before
                                                      if s == SETTINGS[lang])  # below everything it held

    data = read_workbook(path)
    plays = tuple((letter, PLAY.label(play, lang)) for letter, play in DEFAULT.plays)  # as the sheet words them
    assert replace(data.settings, festivals=()) == replace(DEFAULT, grade_days_a=45, plays=plays)
    assert len(data.settings.festivals) == 12
    assert CLEAN[lang] in xl_crm("check", path).output
    assert not upgrade_workbook(path, backup=False).written  # a second upgrade changes nothing

    set_threshold(path, "MinCoaches", 3)  # an appended threshold, edited, is read where it sits
    assert read_workbook(path).settings.min_coaches == 3

    problems = derived_mismatches(recalc(path), lang)
    assert not problems, "\n".join(problems[:15])


def test_settings_lacking_tables_and_names_gets_them(tmp_path, recalc):
    """A Settings sheet without its play and stage alias tables, and without their names: both come back."""
    path = fixture(tmp_path, "en")
    sheet, wipe = openpyxl.load_workbook(path)["Settings"], {}
    for label, width in (("Opening", 3), ("Stage alias", 2)):
        header = next(c.row for c in sheet["A"] if c.value == label)
        last = header
        while sheet.cell(last + 1, 1).value is not None:
            last += 1
        wipe |= {(r, c): None for r in range(header, last + 1) for c in range(width)}
    with Package.open(path) as pkg:
        pkg.set_cells("Settings", wipe)
        xml = pkg.read(pkg.workbook_part)
        xml = re.sub(rb'<definedName name="(PlayLetter|PlayText|StageAlias|StageAliasNo)"[^>]*>[^<]*</definedName>',
                     b"", xml)
        pkg.write(pkg.workbook_part, xml)
        pkg.save(backup=False)
    assert undefined_names(path)  # the play and probability formulas name what is gone
    before = cells(path)

    said = "\n".join(upgrade_workbook(path, dry_run=True).lines())
    assert "add the play table at rows" in said and "add the stage alias table at rows" in said
    upgrade_workbook(path, backup=False)
    after = cells(path)
    assert {k: after.get(k) for k in before} == before
    assert not undefined_names(path)
    assert not upgrade_workbook(path, backup=False).written
    assert "0 errors, 0 warnings" in xl_crm("check", path).output
    problems = derived_mismatches(recalc(path), "en")
    assert not problems, "\n".join(problems[:15])


def test_parse_reads_thresholds_below_the_tables():
    cells_, _ = settings_sheet.layout(DEFAULT, "en")
    rows = [[None] * 5 for _ in range(max(c.row for c in cells_))]
    for c in cells_:
        rows[c.row - 1][c.col] = c.value
    kept = [r for r in rows if r[0] not in ("PoolDays", "GreetDays")]
    appended = [*kept, [None] * 5, ["Name", "Value", "Description"], ["PoolDays", 60, ""], ["GreetDays", 3, ""]]
    settings, _ = settings_sheet.parse(appended)
    assert (settings.pool_days, settings.greet_days) == (60, 3)
    assert settings.stages == DEFAULT.stages
    assert all(getattr(settings, t.field) == getattr(DEFAULT, t.field) for t in THRESHOLDS
               if t.name not in ("PoolDays", "GreetDays"))
    assert settings_sheet.located(appended)["GreetDays"] == f"$B${len(appended)}"


def named_cell(path, name: str, index: int) -> tuple[str, int, int]:
    """(sheet, 1-based row, 0-based column) of the index-th cell of a defined name's range."""
    with Package.open(path) as pkg:
        found = re.fullmatch(r"'?(.*?)'?!\$([A-Z])\$(\d+)(?::\$[A-Z]\$\d+)?", pkg.defined_names[name])
    return found.group(1), int(found.group(3)) + index, ord(found.group(2)) - ord("A")


def test_a_reworded_play_and_a_new_stage_alias_reach_the_cached_values(tmp_path, recalc):
    """A manager rewords play G and lists "Proposal Sent" as stage 3; refresh caches what the formulas show."""
    data_dir = tmp_path / "data"
    shutil.copytree(FIXTURES / "release_0_1_0_data", data_dir)
    opps = pd.read_csv(data_dir / "opportunities.csv")
    opps["territory"], opps["lead"] = "Ours", "Ahead"  # opening G for every deal
    opps.to_csv(data_dir / "opportunities.csv", index=False)
    path = tmp_path / "crm.xlsx"
    xl_crm("init", path, "--data", data_dir, "--as-of", AS_OF, check=True)
    play, alias = "Close before the quarter ends.", "Proposal Sent"
    sheet, row, col = named_cell(path, "PlayText", "ABCDEFGHI".index("G"))
    _, alias_row, _ = named_cell(path, "StageAlias", 0)
    header = [c.value for c in openpyxl.load_workbook(path)["Opportunities"][1]]
    with Package.open(path) as pkg:
        pkg.set_cells(sheet, {(row, col): play, (alias_row, 0): alias, (alias_row, 1): 3})
        pkg.set_cells("Opportunities", {(3, header.index("Stage")): alias})  # O002, Qualify before
        pkg.save(backup=False)
    xl_crm("refresh", path, check=True)

    for source in (path, recalc(path)):
        deals = read_workbook(source).tables["opportunities"].frame.set_index("opportunity_id")
        assert set(deals["play"]) == {play}
        assert deals.at["O002", "probability"] == DEFAULT.stage(3).probability
    settings = read_workbook(path).settings
    assert settings.play("g") == play and settings.stage_alias("proposal sent") == 3
    assert not derived_mismatches(recalc(path), "en")
