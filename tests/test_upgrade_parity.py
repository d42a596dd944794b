"""Columns added by `upgrade` compute what xl_crm.compute.derive computes, as LibreOffice recalculates them.

A user's workbook holds random and boundary rows as a plain range (header
below a title line) on one sheet and as an Excel Table on the other, with
English headers in one workbook and Chinese in the other. After upgrade
and a LibreOffice recalculation, every derived cell equals the Python rules
applied to the cells the workbook holds, and so does the result upgrade
cached (for its own date). Each added column is one shared formula over
references to its first data row, which LibreOffice fills down to every
row; a table's calculated column holds the same formula.
"""

from __future__ import annotations

import re
from datetime import timedelta

import openpyxl
import pytest
from helpers import PARITY_AS_OF as AS_OF
from helpers import UPGRADE_LAYOUT as LAYOUT
from helpers import UPGRADE_ROWS as ROWS
from helpers import UPGRADE_SHEET_NAMES as SHEET_NAMES
from helpers import expected_cell, fix_as_of, same, upgrade_book
from helpers import parity_frames as frames

from xl_crm.adopt.upgrade import upgrade_workbook
from xl_crm.compute import derive
from xl_crm.compute.step import compute
from xl_crm.model import schema
from xl_crm.sheets.read import read_workbook

# upgrade caches results for another day than the pinned AsOf: matching results prove LibreOffice recalculated
CACHED_AS_OF = AS_OF + timedelta(days=45)


@pytest.fixture(scope="module", params=["en", "zh"])
def upgraded(request, tmp_path_factory, recalc):
    lang = request.param
    path = upgrade_book(tmp_path_factory.mktemp(f"upgrade_{lang}") / "mine.xlsx", lang, seed=5 if lang == "en" else 9)
    plan = upgrade_workbook(path, as_of=CACHED_AS_OF, backup=False)
    assert plan.lang == lang
    fix_as_of(path)
    return lang, path, recalc(path)


def expected_values(data, key: str, as_of):
    """The rules applied to the input and synced cells the workbook holds."""
    spec = schema.sheet(key)
    frame = data.tables[key].frame.reindex(columns=spec.keys).astype(object)
    frame = frame.where(frame.notna(), None)
    columns = derive.customer_columns if key == "customers" else derive.opportunity_columns
    return frame, columns(frame, as_of, data.settings)


def mismatches(data, lang: str, as_of) -> list[str]:
    problems = []
    for key in ("customers", "opportunities"):
        frame, expected = expected_values(data, key, as_of)
        got = data.tables[key].frame
        assert len(got) == len(frames(0, ROWS)[key])
        for column in schema.sheet(key).role(schema.DERIVED):
            for row, value in expected[column.key].items():
                want = expected_cell(column, value, lang)
                if not same(want, got.at[row, column.key]):
                    inputs = {k: v for k, v in frame.loc[row].items() if v is not None}
                    problems.append(f"{key} row {row} {column.key}: python {want!r} sheet "
                                    f"{got.at[row, column.key]!r} {inputs}")
    return problems


def test_added_formulas_match_the_rules_after_recalculation(upgraded):
    lang, _, recalculated = upgraded
    problems = mismatches(read_workbook(recalculated), lang, AS_OF)
    assert not problems, f"{len(problems)} mismatches, first ones:\n" + "\n".join(problems[:15])


def test_cached_results_are_the_rules_results_in_the_workbook_language(upgraded):
    lang, written, _ = upgraded
    problems = mismatches(read_workbook(written), lang, CACHED_AS_OF)
    assert not problems, f"{len(problems)} mismatches, first ones:\n" + "\n".join(problems[:15])


def test_synced_columns_hold_the_synced_values(upgraded):
    lang, written, _ = upgraded
    data = read_workbook(written)
    customers, opportunities = (expected_values(data, k, CACHED_AS_OF)[0] for k in ("customers", "opportunities"))
    synced = compute({"customers": customers, "opportunities": opportunities}, CACHED_AS_OF,
                     data.settings).customer_synced
    tiers = [schema.CUSTOMERS.column("tier").vocab.label(t, lang) for t in synced["tier"]]
    assert list(customers["tier"]) == tiers
    assert list(customers["revenue_12m"]) == list(synced["revenue_12m"])
    assert list(customers["touch_count"]) == list(synced["touch_count"]) == [0] * len(customers)


def test_each_added_column_is_one_first_row_formula_filled_down(upgraded):
    """Tables and ranges alike: `$F2`-style references to the first data row, shifted to each row."""
    lang, written, _ = upgraded
    book = openpyxl.load_workbook(written)
    for key in ("customers", "opportunities"):
        spec = schema.sheet(key)
        sheet = book[SHEET_NAMES[key]]
        derived = [c.header(lang) for c in spec.role(schema.DERIVED)]
        table_name = LAYOUT[lang][key]
        first_row = 2 if table_name else 4
        header = [c.value for c in sheet[first_row - 1]]
        calculated = {c.name: c.calculatedColumnFormula for c in sheet.tables[table_name].tableColumns} \
            if table_name else {}
        for name in derived:
            col = header.index(name) + 1
            first, last = sheet.cell(first_row, col).value, sheet.cell(sheet.max_row, col).value
            assert "[#This Row]" not in first and re.search(rf"\$[A-Z]{{1,2}}{first_row}\b", first)
            assert last == re.sub(rf"(\$[A-Z]{{1,2}}){first_row}\b", rf"\g<1>{sheet.max_row}", first)
            if table_name:
                assert calculated[name].attr_text == first[1:]
        if table_name:
            table = sheet.tables[table_name]
            assert table.ref.split(":")[1].rstrip("0123456789") == openpyxl.utils.get_column_letter(len(header))
        else:
            assert not sheet.tables
