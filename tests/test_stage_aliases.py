"""Other CRMs' stage names (`Prospecting`, `appointmentscheduled`, 商务洽谈) in the row formulas.

Python reads such a stage cell as the Settings stage at its place
(xl_crm.sheets.read); the formulas fall back to the Settings alias table
(StageAlias, StageAliasNo) and must give what Python gives, in LibreOffice
and Gnumeric alike: the stage's probability, rot days and forecast, a blank
for text that only looks like an alias (wildcards, tabs, a letter short),
and no alias at all once the stage table is not the five stages the
aliases stand for.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pandas as pd
import pytest
from helpers import ENGINES, expected_cell, same
from helpers import PARITY_AS_OF as AS_OF

from xl_crm.compute.step import compute
from xl_crm.model import schema, vocab
from xl_crm.model.settings import DEFAULT, Stage
from xl_crm.sheets.new import write_new_workbook
from xl_crm.sheets.read import read_workbook

ALIASES = {alias: number for number, *spellings in vocab.STAGE_ALIASES for alias in spellings}
NOT_ALIASES = ["Prospect*", "Prospecting\t", "Pro?pecting", "~Prospecting", "Prospectin", "Closed*", "*", "?",
               "Negotiation/Review\u3000", "\u00a0Proposal"]
CHECKED = ("probability", "weighted_amount", "stale", "forecast")


def stage_cells() -> list:
    """Every alias as typed, in odd case and spacing, and texts that only look like one."""
    cells = []
    for alias in ALIASES:
        cells += [alias, alias.upper(), f"  {alias.lower()} ", alias.replace(" ", "  ")]
    return cells + NOT_ALIASES + ["Qualify", "方案论证", 3]


def workbook(path, settings, lang="en"):
    """A standard workbook whose deals are at those stages, open for 15 days, with no cached results."""
    stages = stage_cells()
    deals = pd.DataFrame({"opportunity_id": [f"D{i}" for i in range(len(stages))], "customer_id": "C1",
                          "stage": stages, "status": "Open", "amount": 1000,
                          "created": AS_OF - timedelta(days=15)}, dtype=object)
    customers = pd.DataFrame({"customer_id": ["C1"], "name": ["Acme"]}, dtype=object)
    write_new_workbook(path, compute({"customers": customers, "opportunities": deals}, AS_OF, settings),
                       lang=lang, cached=False)
    return path


def python_reads(path) -> pd.DataFrame:
    """The derived values Python gives the workbook as it reads it (refresh, report)."""
    data = read_workbook(path)
    return compute({key: data.frame(key) for key in data.tables}, AS_OF, data.settings).opportunity_derived


def mismatches(path, recalculated, lang, serial_dates) -> list[str]:
    expected = python_reads(path)
    frame = read_workbook(recalculated).tables["opportunities"].frame
    problems = []
    for key in CHECKED:
        column = schema.OPPORTUNITIES.column(key)
        for (row, stage), want, got in zip(frame["stage"].items(), expected[key].tolist(), frame[key].tolist()):
            if not same(expected_cell(column, want, lang), got, serial_dates):
                problems.append(f"row {row} {key} stage {stage!r}: python {want!r} sheet {got!r}")
    return problems


@pytest.mark.parametrize("engine", list(ENGINES))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_alias_stages_compute_as_python_reads_them(tmp_path, engine, lang, request):
    path = workbook(tmp_path / "aliases.xlsx", DEFAULT, lang)
    recalculated = request.getfixturevalue(engine)(path)
    problems = mismatches(path, recalculated, lang, ENGINES[engine])
    assert not problems, f"{len(problems)} mismatches:\n" + "\n".join(problems[:15])
    # and what DOMAIN section 4 says, computed here: the stage's probability, stale past its rot days
    frame = read_workbook(recalculated).tables["opportunities"].frame
    stages = stage_cells()
    for i, cell in enumerate(stages[:4 * len(ALIASES)]):
        stage = DEFAULT.stage(ALIASES[stages[4 * (i // 4)]])
        row = frame.iloc[i]
        assert row["probability"] == stage.probability, cell
        assert row["stale"] is (15 > stage.rot_days), cell
    assert all(v in ("", None) for v in frame["probability"].tolist()[4 * len(ALIASES):][:len(NOT_ALIASES)])


@pytest.mark.parametrize("engine", list(ENGINES))
def test_no_alias_once_the_stage_table_is_not_the_five_stages(tmp_path, engine, request):
    settings = replace(DEFAULT, stages=DEFAULT.stages + (Stage(6, "Contract", "合同", 0.95, 3),))
    path = workbook(tmp_path / "six.xlsx", settings)
    recalculated = request.getfixturevalue(engine)(path)
    assert not mismatches(path, recalculated, "en", ENGINES[engine])
    probability = read_workbook(recalculated).tables["opportunities"].frame["probability"].tolist()
    assert all(v in ("", None) for v in probability[:4 * len(ALIASES)])
    assert probability[-3:] == [0.1, 0.5, 0.5]
