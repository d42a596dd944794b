"""The native row formulas give exactly what xl_crm.compute.derive gives, in two spreadsheet engines.

Workbooks with random and boundary rows (English and Chinese) are written
with no cached results, recalculated by LibreOffice headless and by
Gnumeric (`ssconvert --recalc`, stricter about array idioms), read back,
and every derived cell is compared with the Python rules.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import openpyxl
import pandas as pd
import pytest
from helpers import ENGINES, expected_cell, same
from helpers import PARITY_AS_OF as AS_OF
from helpers import parity_frames as frames
from xlsxwriter.utility import xl_col_to_name

from xl_crm.compute import derive
from xl_crm.compute.step import compute
from xl_crm.model import schema
from xl_crm.model.settings import DEFAULT, Stage
from xl_crm.sheets import formulas
from xl_crm.sheets.new import write_new_workbook


def mismatches(path, data, lang, settings, sheet_rows, serial_dates: bool = False) -> list[str]:
    """Every derived cell of the recalculated workbook that differs from xl_crm.compute.derive."""
    problems = []
    for key, rules in (("customers", derive.customer_columns), ("opportunities", derive.opportunity_columns)):
        spec = schema.sheet(key)
        frame = data[key].reindex(columns=spec.keys)
        expected = rules(frame, AS_OF, settings)
        rows = sheet_rows(path, spec.name(lang))
        header = rows[0]
        assert len(rows) - 1 == len(frame)
        for column in spec.role(schema.DERIVED):
            j = header.index(column.header(lang))
            for i, value in enumerate(expected[column.key].tolist()):
                want, got = expected_cell(column, value, lang), rows[i + 1][j]
                if not same(want, got, serial_dates):
                    inputs = {k: v for k, v in frame.iloc[i].items() if v is not None}
                    problems.append(f"{key} row {i + 2} {column.key}: python {want!r} sheet {got!r} {inputs}")
    return problems


def written_frames(computed) -> dict[str, pd.DataFrame]:
    """The frames as a new workbook holds them: the inputs with the synced values refresh computes."""
    return {key: computed.frame(key) for key in ("customers", "opportunities")}


def write(path, data: dict[str, pd.DataFrame], lang: str = "en", settings=DEFAULT, **options):
    """A workbook of `data` with no cached results; returns the frames as written."""
    computed = compute(data, AS_OF, settings)
    write_new_workbook(path, computed, lang=lang, cached=False, **options)
    return written_frames(computed)


@pytest.fixture(scope="module", params=["en", "zh"])
def written(request, tmp_path_factory):
    lang = request.param
    path = tmp_path_factory.mktemp(f"parity_{lang}") / "parity.xlsx"
    return lang, write(path, frames(seed=7 if lang == "en" else 11), lang), path


@pytest.fixture(scope="module", params=list(ENGINES))
def recalculated(request, written):
    lang, data, path = written
    return lang, data, request.getfixturevalue(request.param)(path), ENGINES[request.param]


def test_every_derived_cell_matches_the_python_rules(recalculated, sheet_rows):
    lang, data, path, serial_dates = recalculated
    problems = mismatches(path, data, lang, DEFAULT, sheet_rows, serial_dates)
    assert not problems, f"{len(problems)} mismatches, first ones:\n" + "\n".join(problems[:15])


def test_derived_cells_hold_formulas_and_calculated_columns(written):
    lang, data, written = written
    book = openpyxl.load_workbook(written)
    for key in ("customers", "opportunities"):
        spec = schema.sheet(key)
        sheet = book[spec.name(lang)]
        table = sheet.tables[schema.TABLE_NAMES[key]]
        letters = {k: xl_col_to_name(j) for j, k in enumerate(spec.keys)}

        def expected(row: int) -> dict[str, str]:
            return formulas.derived_formulas(key, lang, lambda k: f"${letters[k]}{row}")

        calculated = {c.name: c.calculatedColumnFormula.attr_text for c in table.tableColumns
                      if c.calculatedColumnFormula is not None}
        rows = range(2, len(data[key]) + 2)
        by_row = {row: expected(row) for row in rows[:3]} | {row: expected(row) for row in rows[-2:]}
        for column in spec.role(schema.DERIVED):
            col = spec.keys.index(column.key) + 1
            for row, rendered in by_row.items():  # one shared formula, shifted to every row
                assert sheet.cell(row, col).value == rendered[column.key], (column.key, row)
            assert "=" + calculated[column.header(lang)] == by_row[2][column.key], column.key


@pytest.mark.parametrize("engine", list(ENGINES))
def test_formulas_follow_edited_settings(tmp_path, engine, request, sheet_rows):
    stages = tuple(replace(s, probability=p, rot_days=r) for s, p, r in
                   zip(DEFAULT.stages, (0.05, 0.25, 0.45, 0.65, 0.85), (5, 6, 7, 8, 9)))
    # "Pilot? ~test*" read as a pattern would find "Pilot! tests" first: wildcards must stay literal
    stages += (Stage(6, "Contract", "合同", 0.95, 3), Stage(7, "Pilot! tests", "试点", 0.2, 50),
               Stage(8, "Pilot? ~test*", "试点?*", 0.4, 60))
    settings = replace(DEFAULT, grade_days_a=10, grade_days_b=20, cadence_b=3, cap_vip=7, value_high=5,
                       approval_director=1000, stages=stages)
    data = frames(seed=3, rows=200)
    data["opportunities"] = pd.concat([data["opportunities"], pd.DataFrame(
        [{"opportunity_id": "X1", "stage": 6, "status": "Open", "created": AS_OF - timedelta(days=4)},
         {"opportunity_id": "X2", "stage": "合同", "status": "Open", "amount": 1001},
         {"opportunity_id": "X3", "stage": " pilot? ~TEST* ", "status": "Open"},
         *({"opportunity_id": f"P{i}", "stage": s, "status": "Open"} for i, s in
           enumerate(["Pilot! tests", "试点?*", "试点??", "Pilot? ~test", "Pilot?  ~test*", "Pilot? ~tests"]))],
        dtype=object)], ignore_index=True)
    written = write(tmp_path / "edited.xlsx", data, settings=settings)
    out = request.getfixturevalue(engine)(tmp_path / "edited.xlsx")
    problems = mismatches(out, written, "en", settings, sheet_rows, ENGINES[engine])
    assert not problems, "\n".join(problems[:10])
    customers = records(sheet_rows(out, "Customers"), "Customer ID")
    thirty_days = data["customers"][(data["customers"]["need"] == "Now")
                                    & (data["customers"]["expected_close"] == AS_OF + timedelta(days=30))]
    assert len(thirty_days) and {customers[c]["Grade"] for c in thirty_days["customer_id"]} == {"C"}
    opps = records(sheet_rows(out, "Opportunities"), "Opportunity ID")
    assert opps["X1"]["Probability"] == pytest.approx(0.95) and opps["X1"]["Stale"] is True
    assert opps["X2"]["Approval Level"] == "VP"
    assert opps["X3"]["Probability"] == pytest.approx(0.4)
    assert [opps[f"P{i}"]["Probability"] for i in range(6)] == [pytest.approx(0.2), pytest.approx(0.4), "", "",
                                                                pytest.approx(0.4), ""]  # inner spaces fold


# functions Excel 2010, LibreOffice 7.4 and WPS all compute alike
PORTABLE = {"IF", "IFERROR", "AND", "OR", "NOT", "TRIM", "SUBSTITUTE", "LEN", "MID", "TEXT", "VALUE", "EXACT",
            "ISNUMBER", "ISLOGICAL", "INT", "MIN", "MAX", "NA", "MATCH", "INDEX", "ROWS", "CHOOSE", "DATE", "TODAY"}


@pytest.mark.parametrize("key", [s.key for s in schema.DATA_SHEETS if s.role(schema.DERIVED)])
def test_formulas_stay_within_excel_limits_and_portable_idioms(key):
    """Excel's limits (8,192 characters, 64 nested functions), portable functions, no array idioms.

    An array constant or an array-valued INDEX(..., 0) is what Gnumeric
    computes differently: OR(x={"a","b"}) compares the first element only.
    """
    for lang in ("en", "zh"):
        for column, formula in formulas.derived_formulas(key, lang, lambda k: "$ZZ1048576").items():
            code = re.sub(r'"(?:[^"]|"")*"', '""', formula)  # text constants left out
            depth = deepest = 0
            for char in code:
                depth += {"(": 1, ")": -1}.get(char, 0)
                deepest = max(deepest, depth)
            assert len(formula) <= 8192 and deepest <= 64, (column, len(formula), deepest)
            assert set(re.findall(r"([A-Z][A-Z0-9.]*)\(", code)) <= PORTABLE, column
            assert "{" not in code and not re.search(r"INDEX\([^,]*=", code), column  # INDEX(a=b, 0) is an array


def records(rows: list[list], id_header: str) -> dict[str, dict]:
    """Sheet rows as dicts by header, keyed by the id column."""
    header = rows[0]
    return {row[header.index(id_header)]: dict(zip(header, row)) for row in rows[1:]}


@pytest.mark.parametrize("engine", list(ENGINES))
def test_formulas_with_plain_cell_references(tmp_path, engine, request, sheet_rows):
    """Sheets that are not Excel Tables get the same formulas over `$F2`-style references."""
    data = written_frames(compute(frames(seed=5, rows=60), AS_OF))  # with their synced columns

    def plain_sheets(book):
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        for key in ("customers", "opportunities"):
            spec, frame = schema.sheet(key), data[key].reindex(columns=schema.sheet(key).keys)
            sheet = book.add_worksheet(f"Plain {key}")
            letters = {k: xl_col_to_name(j) for j, k in enumerate(spec.keys)}
            sheet.write_row(0, 0, [c.header() for c in spec.columns])
            for i, row in enumerate(frame.itertuples(index=False), 1):
                rendered = formulas.derived_formulas(key, "en", lambda k: f"${letters[k]}{i + 1}")
                for j, (k, value) in enumerate(zip(spec.keys, row)):
                    if k in rendered:
                        sheet.write_formula(i, j, rendered[k], day if spec.column(k).kind == "date" else None, "")
                    elif isinstance(value, str):
                        sheet.write_string(i, j, value)  # never a formula, even "=1+1"
                    elif not pd.isna(value):
                        sheet.write(i, j, value)  # dates, datetimes, booleans, numbers

    path = tmp_path / "plain.xlsx"
    write(path, {}, extra_sheets=[plain_sheets])
    out = request.getfixturevalue(engine)(path)
    renamed = {"Customers": "Plain customers", "Opportunities": "Plain opportunities"}
    problems = mismatches(out, data, "en", DEFAULT, lambda p, name: sheet_rows(p, renamed[name]), ENGINES[engine])
    assert not problems, "\n".join(problems[:10])
