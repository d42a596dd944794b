"""The native row formulas give exactly what xl_crm.compute.derive gives, in two spreadsheet engines.

Workbooks with random and boundary rows (English and Chinese) are written
with no cached results, recalculated by LibreOffice headless and by
Gnumeric (`ssconvert --recalc`, stricter about array idioms), read back,
and every derived cell is compared with the Python rules.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import replace
from datetime import date, datetime, timedelta

import openpyxl
import pandas as pd
import pytest
from xlsxwriter.utility import xl_col_to_name

from xl_crm.compute import derive
from xl_crm.compute.step import compute
from xl_crm.model import schema, vocab
from xl_crm.model.cells import to_serial
from xl_crm.model.settings import DEFAULT, Stage
from xl_crm.sheets import formulas
from xl_crm.sheets.new import write_new_workbook

AS_OF = date(2024, 3, 15)
ROWS = 1000
BLANKS = [None, "", "   "]
BAD_TEXT = ["maybe", "N*", "?", "~", "=1+1", "#N/A"]
# only the ordinary space is trimmed, by TRIM() and by the rules alike
ODD_SPACES = ["\t", "\u3000", "Now\u3000", "\u00a0Now", "现有需求\u3000", "Y\t"]


def _variants(words: vocab.Vocab) -> list[str]:
    """Every spelling in odd case and with extra spaces."""
    out = []
    for value in words.values:
        for spelling in words.spellings(value):
            out += [spelling, spelling.upper(), f"  {spelling.lower()} ", spelling.swapcase()]
    return out


def _day(rng: random.Random):
    """A date-column value: dates, datetimes, serials, text, numbers out of range, blanks."""
    offset = rng.randint(-400, 400)
    day = AS_OF + timedelta(days=offset)
    return rng.choice([
        day, day, day,
        datetime.combine(day, datetime.min.time()) + timedelta(hours=rng.randint(1, 23), minutes=17),
        to_serial(day) + rng.choice([0, 0.25, 0.999]),
        day.isoformat(), "soon", -3, True, *BLANKS,
    ])


def _pick(rng, words: vocab.Vocab):
    return rng.choice(_variants(words) + BLANKS + BAD_TEXT + ODD_SPACES + [1, False])


def _yes_no(rng):
    return rng.choice(_variants(vocab.YES_NO) + BLANKS + ODD_SPACES + ["maybe", "N*", 2, 1, 0, 1.0, True, False])


STAGE_INPUTS = [1, 2, 3, 4, 5, 2.0, 2.5, 0, 6, -1, "3", " 4 ", "02", "2.0", "+2", "1e0", "5.", "200%", "$2",
                "2-1", "1:00", "Dev*", "Develop?", "*", "?", "~", "Develop~", "D~evelop", "~Close", "six", "２",
                "0_2", "3\t", "Close\t", "\u00a0Close", "Qualify\u3000", "Negotiate\n", "-1", "0",
                "12345678901234567890", True, *BLANKS]


def _stage(rng):
    names = [s for stage in DEFAULT.stages for s in (stage.name, stage.name_zh)]
    names += [f" {n.upper()} " for n in names] + [n.lower() for n in names]
    return rng.choice(names + STAGE_INPUTS)


def _amount(rng):
    return rng.choice([rng.randint(0, 30_000_000), round(rng.uniform(0, 1e6), 2), 0, -500, 5_000_000,
                       5_000_000.5, 20_000_000, 20_000_001, "1000", "abc", True, AS_OF,
                       datetime(2024, 1, 2, 12), *BLANKS])


def _score(rng):
    return rng.choice([-1, 0, 5.99, 6, 10, 10.5, rng.randint(0, 10), round(rng.uniform(0, 10), 2), "7", True,
                       *BLANKS])


def random_customers(rng: random.Random, n: int) -> list[dict]:
    return [{
        "customer_id": f"C{i:05d}",
        "name": rng.choice(["Acme", "=1+1", "+86 138", "-5%", "@sum", "  spaced  ", "华为"]),
        "need": _pick(rng, vocab.NEED),
        "expected_close": _day(rng),
        "last_contact": _day(rng),
        "next_action_date": _day(rng),
        "next_close": rng.choice([_day(rng), None, None]),
        "tier": _pick(rng, vocab.TIER),
    } for i in range(n)]


def boundary_customers() -> list[dict]:
    rows = []
    for days in (-5, 0, 30, 31, 90, 91, 180, 181):  # grade thresholds
        rows.append({"need": "Now", "expected_close": AS_OF + timedelta(days=days)})
        rows.append({"need": "现有需求", "next_close": AS_OF + timedelta(days=days)})
        rows.append({"need": " now ", "expected_close": "", "next_close": AS_OF + timedelta(days=days)})
    for need, tier in [("None", "VIP"), ("None", "Key"), ("Future", "Key"), ("Future", "VIP"), ("Now", "重点客户"),
                       ("无需求", "vip客户"), ("Future", "Regular"), ("Future", "gold")]:  # cadence caps
        rows.append({"need": need, "tier": tier, "last_contact": AS_OF - timedelta(days=40)})
    for cadence_days, need, tier in [(1, "Now", None), (7, "Now", None), (30, "Future", None), (365, "None", None),
                                     (30, "None", "VIP"), (90, "None", "Key")]:
        close = AS_OF + timedelta(days=5 if cadence_days == 1 else 60)
        for shift in (-1, 0, 1):  # last_contact + cadence == as_of, one day either side
            rows.append({"need": need, "tier": tier, "expected_close": close,
                         "last_contact": AS_OF - timedelta(days=cadence_days + shift)})
    for days in (-1, 0, 7, 8, 30, 31, 90, 91):  # urgency thresholds via next_action_date
        rows.append({"next_action_date": AS_OF + timedelta(days=days), "last_contact": AS_OF})
    rows += [{}, {"need": "  ", "last_contact": "  ", "next_action_date": ""},
             {"last_contact": datetime(2024, 3, 14, 23, 59), "need": "now", "expected_close": "2024-04-01"}]
    return [{"customer_id": f"B{i:03d}", "name": "boundary", **row} for i, row in enumerate(rows)]


def random_opportunities(rng: random.Random, n: int) -> list[dict]:
    rows = []
    for i in range(n):
        row = {
            "opportunity_id": f"O{i:05d}",
            "customer_id": f"C{i % 50:05d}",
            "name": rng.choice(["=SUM(A1)", "Deal", "-1", "@x"]),
            "stage": _stage(rng),
            "status": _pick(rng, vocab.STATUS),
            "amount": _amount(rng),
            "created": _day(rng),
            "stage_since": rng.choice([_day(rng), None]),
            "short_term_score": _score(rng),
            "long_term_score": _score(rng),
            "territory": _pick(rng, vocab.TERRITORY),
            "lead": _pick(rng, vocab.LEAD),
        }
        for key in ("need", "budget", "authority", "timeline", "tas_opportunity", "tas_solution", "tas_win",
                    "tas_worth"):
            row[key] = _yes_no(rng) if rng.random() < 0.8 else "Yes"
        rows.append(row)
    return rows


def boundary_opportunities() -> list[dict]:
    rows = []
    for stage in DEFAULT.stages:  # stale at rot_days and rot_days + 1, stage by name, Chinese name, number
        for ref in (stage.name, stage.name_zh, stage.number, str(stage.number)):
            for days in (stage.rot_days, stage.rot_days + 1):
                rows.append({"stage": ref, "status": "Open", "stage_since": AS_OF - timedelta(days=days)})
                rows.append({"stage": ref, "status": "跟进中", "created": AS_OF - timedelta(days=days)})
    for status in ("Won", "Lost", "赢单", "丢单", "open", "", "pending"):
        rows.append({"stage": "nonsense", "status": status, "amount": 100, "created": AS_OF})
    yes_all = {k: "Y" for k in ("need", "budget", "authority", "timeline")}
    rows += [yes_all, {**yes_all, "timeline": "是"}, {**yes_all, "timeline": "maybe"},
             {"tas_opportunity": True, "tas_solution": 1, "tas_win": "有", "tas_worth": " YES "}]
    for short, long_ in [(-1, 5), (0, 0), (5.99, 6), (6, 5.99), (10, 10), (10.5, 3), (6, None), ("x", 6)]:
        rows.append({"short_term_score": short, "long_term_score": long_})
    for territory in vocab.TERRITORY.values:
        for lead in vocab.LEAD.values:
            rows.append({"territory": vocab.TERRITORY.label(territory, "zh"), "lead": lead})
    rows += [{"amount": 5_000_000}, {"amount": 5_000_001}, {"amount": 20_000_000}, {"amount": 20_000_001}, {}]
    return [{"opportunity_id": f"BO{i:03d}", "customer_id": "C00001", **row} for i, row in enumerate(rows)]


def frames(seed: int, rows: int = ROWS) -> dict[str, pd.DataFrame]:
    rng = random.Random(seed)
    customers = pd.DataFrame(random_customers(rng, rows) + boundary_customers(), dtype=object)
    opportunities = pd.DataFrame(random_opportunities(rng, rows) + boundary_opportunities(), dtype=object)
    return {"customers": customers, "opportunities": opportunities}


def same(expected, actual, serial_dates: bool = False) -> bool:
    """A Python rule's result against a recalculated cell (blank == "" == None).

    serial_dates: a date may come back as its serial number (Gnumeric's
    xlsx export drops the cells' number formats).
    """
    if expected is None:
        return actual in ("", None)
    if isinstance(expected, bool):
        return actual is expected
    if isinstance(expected, date):
        if serial_dates and isinstance(actual, float):
            return actual == to_serial(expected)
        return isinstance(actual, date) and to_serial(actual) == to_serial(expected)
    if isinstance(expected, (int, float)):
        return isinstance(actual, float) and math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9)
    return actual == expected


def expected_cell(column: schema.Column, value, lang: str):
    if value is not None and column.vocab is not None:
        return column.vocab.label(value, lang)
    return value


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


ENGINES = {"recalc": False, "gnumeric": True}  # fixture -> whether dates come back as serial numbers


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
