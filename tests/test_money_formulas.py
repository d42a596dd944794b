"""The forecast and payment row formulas give exactly what the rules give, in LibreOffice and in Gnumeric.

Random and boundary rows (forecast categories in every spelling, bad text,
blanks; amounts due and received, dates of every kind around as_of and
the aging thresholds) are written with no cached results, recalculated by
each engine, read back and compared cell by cell with xl_crm.compute; the
UDFs give the same values as the rules.
"""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from xl_crm.compute import derive
from xl_crm.compute.payments import payment_columns
from xl_crm.compute.step import compute
from xl_crm.excel import udfs
from xl_crm.model import schema, vocab
from xl_crm.model.cells import to_serial
from xl_crm.model.settings import DEFAULT
from xl_crm.sheets.new import write_new_workbook

AS_OF = date(2024, 3, 15)
BLANKS = [None, "", "   "]
BAD = ["maybe", "Closed", "?", "=1+1", "\t", "Commit\t", 1, True]
ENGINES = {"recalc": False, "gnumeric": True}  # fixture -> dates come back as serial numbers


def variants(words: vocab.Vocab) -> list:
    return [form for value in words.values for s in words.spellings(value)
            for form in (s, s.upper(), f"  {s.lower()} ", s.swapcase())]


def day(rng: random.Random):
    shift = rng.choice([-400, -91, -90, -31, -30, -1, 0, 1, 30, rng.randint(-200, 200)])
    when = AS_OF + timedelta(days=shift)
    return rng.choice([when, when, datetime.combine(when, datetime.min.time()) + timedelta(hours=5),
                       to_serial(when) + 0.5, when.isoformat(), "soon", -3, True, *BLANKS])


def money(rng: random.Random):
    return rng.choice([rng.randint(0, 90000), round(rng.uniform(0, 5000), 2), 0, -200, "1000", "abc", True,
                       AS_OF, *BLANKS])


def opportunities(rng: random.Random, n: int) -> pd.DataFrame:
    stages = [1, 2, 3, 4, 5, "3", "Propose", "商务谈判", " close ", "6", 0, "x", None, True]
    statuses = variants(vocab.STATUS) + BLANKS + ["pending", 1]
    rows = [{"opportunity_id": f"O{i:04d}", "customer_id": "C1", "stage": rng.choice(stages),
             "status": rng.choice(statuses),
             "forecast_category": rng.choice(variants(vocab.FORECAST_CATEGORY) + BLANKS * 6 + BAD)}
            for i in range(n)]
    rows += [{"opportunity_id": f"B{k}", "customer_id": "C1", "stage": stage, "status": status,
              "forecast_category": category}
             for k, (stage, status, category) in enumerate(
                 (s, st, c) for s in (1, 2, 3, 4, 5) for st in ("Open", "Won", "Lost", "跟进中")
                 for c in (None, "乐观", "Omitted"))]
    return pd.DataFrame(rows, dtype=object)


def payments(rng: random.Random, n: int) -> pd.DataFrame:
    rows = [{"payment_id": f"P{i:04d}", "opportunity_id": "O0001", "due_date": day(rng),
             "amount_due": money(rng), "amount_received": rng.choice([money(rng), None, None])} for i in range(n)]
    for k, shift in enumerate((-91, -90, -31, -30, -1, 0, 1)):  # the aging thresholds, paid and unpaid
        for received in (None, 100, 40, 150):
            rows.append({"payment_id": f"B{k}-{received}", "opportunity_id": "O0001",
                         "due_date": AS_OF + timedelta(days=shift), "amount_due": 100, "amount_received": received})
    return pd.DataFrame(rows, dtype=object)


def same(expected, actual, serial_dates: bool) -> bool:
    if expected is None:
        return actual in ("", None)
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return isinstance(actual, (int, float)) and math.isclose(actual, expected, abs_tol=1e-9)
    return actual == expected


def mismatches(path, data, lang, settings, sheet_rows, serial_dates) -> list[str]:
    wanted = {"opportunities": derive.opportunity_columns(data["opportunities"], AS_OF, settings)[["forecast"]],
              "payments": payment_columns(data["payments"], AS_OF, settings)}
    problems = []
    for key, expected in wanted.items():
        spec = schema.sheet(key)
        rows = sheet_rows(path, spec.name(lang))
        header = rows[0]
        assert len(rows) - 1 == len(expected)
        for name in expected.columns:
            column = spec.column(name)
            j = header.index(column.header(lang))
            for i, value in enumerate(expected[name].tolist()):
                want = column.vocab.label(value, lang) if value is not None and column.vocab else value
                if not same(want, rows[i + 1][j], serial_dates):
                    inputs = {k: v for k, v in data[key].iloc[i].items() if v is not None}
                    problems.append(f"{key} row {i + 2} {name}: python {want!r} sheet {rows[i + 1][j]!r} {inputs}")
    return problems


def write(path, data, lang="en", settings=DEFAULT):
    write_new_workbook(path, compute(data, AS_OF, settings), lang=lang, cached=False)
    return path


@pytest.fixture(scope="module", params=["en", "zh"])
def written(request, tmp_path_factory):
    rng = random.Random(13 if request.param == "en" else 31)
    data = {"opportunities": opportunities(rng, 400), "payments": payments(rng, 400)}
    path = tmp_path_factory.mktemp(f"money_{request.param}") / "money.xlsx"
    return request.param, data, write(path, data, request.param)


@pytest.mark.parametrize("engine", list(ENGINES))
def test_forecast_and_payment_cells_match_the_rules(written, engine, request, sheet_rows):
    lang, data, path = written
    out = request.getfixturevalue(engine)(path)
    problems = mismatches(out, data, lang, DEFAULT, sheet_rows, ENGINES[engine])
    assert not problems, f"{len(problems)} mismatches:\n" + "\n".join(problems[:15])


@pytest.mark.parametrize("engine", list(ENGINES))
def test_formulas_follow_edited_settings(tmp_path, engine, request, sheet_rows):
    settings = replace(DEFAULT, commit_stage=3, best_case_stage=2, aging_days_1=10, aging_days_2=45)
    rng = random.Random(5)
    data = {"opportunities": opportunities(rng, 80), "payments": payments(rng, 120)}
    out = request.getfixturevalue(engine)(write(tmp_path / "edited.xlsx", data, settings=settings))
    problems = mismatches(out, data, "en", settings, sheet_rows, ENGINES[engine])
    assert not problems, "\n".join(problems[:10])
    forecast = derive.opportunity_columns(data["opportunities"], AS_OF, settings)["forecast"]
    assert "Commit" in forecast[(data["opportunities"]["stage"] == 3) & (data["opportunities"]["status"] == "Open")
                                & data["opportunities"]["forecast_category"].isna()].tolist()
    aging = payment_columns(data["payments"], AS_OF, settings)["aging"]
    assert {"Current", "1-30", "31-90", ">90"} <= set(aging.dropna())


def test_udfs_give_the_rules_values():
    rng = random.Random(9)
    opps, pays = opportunities(rng, 150), payments(rng, 150)
    forecast = derive.opportunity_columns(opps, AS_OF)["forecast"]
    got = udfs.crm_forecast(*([[v] for v in opps[k]] for k in ("forecast_category", "status", "stage")))
    assert [row[0] if row[0] in vocab.FORECAST.values else None for row in got] == forecast.tolist()
    clean = pays[pays["due_date"].map(lambda v: isinstance(v, date))]
    expected = payment_columns(clean, AS_OF)
    for (_, row), (_, want) in zip(clean.iterrows(), expected.iterrows()):
        left = udfs.crm_outstanding(row["amount_due"], row["amount_received"])
        assert (left if isinstance(left, float) else None) == want["outstanding"]
        if want["outstanding"] is None:
            continue
        late = udfs.crm_days_late(left, row["due_date"], AS_OF)
        assert late == want["days_late"] and udfs.crm_aging(late) == want["aging"]
    assert udfs.crm_aging(91, "zh") == "90天以上" and udfs.crm_forecast(None, "Won", 5, "zh") == "已成交"
