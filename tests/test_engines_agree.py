"""Workbooks made by `init --data` and by `upgrade`: Gnumeric, LibreOffice and the cached results agree.

Every derived cell of every data sheet, as the file was written (results
cached by Python), as LibreOffice recalculates it and as Gnumeric does,
is the same value. A formula idiom one engine computes and another blanks
shows here as a difference between the two engines.
"""

from __future__ import annotations

import csv
import math
from datetime import date, datetime

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook
from test_formulas_parity import AS_OF, frames
from test_upgrade_parity import build, fix_as_of

from xl_crm.adopt.upgrade import upgrade_workbook
from xl_crm.commands.workbook import init_workbook
from xl_crm.model import schema
from xl_crm.model.cells import to_serial
from xl_crm.sheets.read import read_workbook


def cell(value):
    """A cell as the engines' files can both hold it: dates as serials (Gnumeric drops date formats)."""
    if value in ("", None):
        return None
    if isinstance(value, (date, datetime)):
        return float(to_serial(value))
    return value


def agree(a, b) -> bool:
    a, b = cell(a), cell(b)
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return type(a) is type(b) and a == b


def differences(written, recalculated: dict) -> list[str]:
    """Derived cells where a recalculated copy differs from the cached result of the written file."""
    data = read_workbook(written)
    problems, checked = [], 0
    for key in ("customers", "opportunities"):
        table = data.tables[key]
        derived = [c.key for c in schema.sheet(key).role(schema.DERIVED)]
        assert set(derived) <= set(table.columns), key
        cached = CalamineWorkbook.from_path(str(written)).get_sheet_by_name(table.sheet_name)
        grids = {"cached": cached.to_python(skip_empty_area=False)}
        grids |= {engine: CalamineWorkbook.from_path(str(path)).get_sheet_by_name(table.sheet_name)
                  .to_python(skip_empty_area=False) for engine, path in recalculated.items()}
        for row in table.frame.index:
            for column in derived:
                j = table.columns[column]
                values = {engine: grid[row - 1][j] for engine, grid in grids.items()}
                checked += 1
                if not all(agree(values["cached"], v) for v in values.values()):
                    problems.append(f"{table.sheet_name!r} row {row} {column}: {values}")
    assert checked > 1000
    return problems


def write_csvs(folder, seed: int) -> None:
    """The random and boundary rows as CSV files, every value as its text."""
    folder.mkdir()
    for key, frame in frames(seed, 150).items():
        with open(folder / f"{key}.csv", "w", newline="", encoding="utf-8") as handle:
            out = csv.writer(handle)
            out.writerow(frame.columns)
            out.writerows([["" if pd.isna(v) else v for v in row] for row in frame.itertuples(index=False)])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_init_with_data(tmp_path, lang, recalc, gnumeric):
    write_csvs(tmp_path / "data", seed=21)
    path = tmp_path / "crm.xlsx"
    init_workbook(path, lang=lang, data_dir=tmp_path / "data", as_of=AS_OF)
    problems = differences(path, {"libreoffice": recalc(path), "gnumeric": gnumeric(path)})
    assert not problems, f"{len(problems)} differences, first ones:\n" + "\n".join(problems[:10])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_upgrade(tmp_path, lang, recalc, gnumeric):
    path = build(tmp_path / "mine.xlsx", lang, seed=13)
    upgrade_workbook(path, as_of=AS_OF, backup=False)
    fix_as_of(path)
    problems = differences(path, {"libreoffice": recalc(path), "gnumeric": gnumeric(path)})
    assert not problems, f"{len(problems)} differences, first ones:\n" + "\n".join(problems[:10])
