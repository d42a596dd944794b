"""The play column (DOMAIN.md section 7): a native formula over the Settings play table, recalculated by LibreOffice."""

from __future__ import annotations

import itertools
from datetime import date

import openpyxl
import pandas as pd
import pytest

from xl_crm.compute.step import compute
from xl_crm.model import schema
from xl_crm.model.vocab import LEAD, TERRITORY
from xl_crm.rules.opening import opening, opening_play
from xl_crm.sheets.new import write_new_workbook

AS_OF = date(2026, 6, 30)
# every cell of the grid in both languages, and blank or bad input
PAIRS = list(itertools.product(TERRITORY.values + ["我方地盘", "中立地盘", "敌方地盘"],
                               LEAD.values + ["我方落后"]))
PAIRS += [(None, "Ahead"), ("Ours", None), ("  ours ", "EVEN"), ("nowhere", "Ahead"), (3, "Even")]


def _book(path, lang):
    opps = pd.DataFrame({"opportunity_id": [f"O{i}" for i in range(len(PAIRS))], "customer_id": "C1",
                         "stage": "Develop", "status": "Open",
                         "territory": [t for t, _ in PAIRS], "lead": [lead for _, lead in PAIRS]})
    computed = compute({"customers": pd.DataFrame({"customer_id": ["C1"], "name": ["Acme"]}),
                        "opportunities": opps}, AS_OF)
    write_new_workbook(path, computed, lang=lang, cached=False)
    return path


def _plays(path, lang, sheet_rows):
    rows = sheet_rows(path, schema.OPPORTUNITIES.name(lang))
    col = rows[0].index(schema.OPPORTUNITIES.column("play").header(lang))
    return [row[col] or None for row in rows[1:len(PAIRS) + 1]]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_recalculated_play_is_the_rule(tmp_path, recalc, sheet_rows, lang):
    out = recalc(_book(tmp_path / f"plays_{lang}.xlsx", lang))
    expected = [opening_play(opening(t, lead), lang) for t, lead in PAIRS]
    assert _plays(out, lang, sheet_rows) == expected
    # every pair of known words, and one in odd case and spacing
    assert sum(p is not None for p in expected) == 6 * 4 + 1


def test_a_manager_rewords_a_play_on_settings(tmp_path, recalc, sheet_rows):
    path = _book(tmp_path / "reworded.xlsx", "en")
    book = openpyxl.load_workbook(path)
    settings = book[schema.SETTINGS_NAME.en]
    (sheet, ref), = book.defined_names["PlayText"].destinations
    first = settings[ref.split(":")[0].replace("$", "")]
    first.offset(row=6).value = "Close it this quarter."  # G, the seventh letter
    book.save(path)
    plays = _plays(recalc(path), "en", sheet_rows)
    letters = [opening(t, lead) for t, lead in PAIRS]
    assert {p for p, g in zip(plays, letters) if g == "G"} == {"Close it this quarter."}
    assert {p for p, g in zip(plays, letters) if g == "H"} == {opening_play("H")}
