"""Workbooks made by `init --data` and by `upgrade`: Gnumeric, LibreOffice and the cached results agree.

Every derived cell of every data sheet, as the file was written (results
cached by Python), as LibreOffice recalculates it and as Gnumeric does,
is the same value. A formula idiom one engine computes and another blanks
shows here as a difference between the two engines.
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from helpers import PARITY_AS_OF as AS_OF
from helpers import differences, fix_as_of, upgrade_book
from helpers import parity_frames as frames

from xl_crm.adopt.upgrade import upgrade_workbook
from xl_crm.commands.workbook import init_workbook


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
    path = upgrade_book(tmp_path / "mine.xlsx", lang, seed=13)
    upgrade_workbook(path, as_of=AS_OF, backup=False)
    fix_as_of(path)
    problems = differences(path, {"libreoffice": recalc(path), "gnumeric": gnumeric(path)})
    assert not problems, f"{len(problems)} differences, first ones:\n" + "\n".join(problems[:10])
