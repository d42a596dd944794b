"""pool_status (DOMAIN section 16): the native row formula gives what rules.pool gives, in LibreOffice
and Gnumeric, over random and boundary rows; open_deals counts each customer's Open deals."""

from __future__ import annotations

import random
from datetime import timedelta

import pandas as pd
import pytest
from helpers import BLANKS, ENGINES, expected_cell, pick, random_day, same
from helpers import PARITY_AS_OF as AS_OF

from xl_crm.compute import derive
from xl_crm.compute.step import compute
from xl_crm.model import schema, vocab
from xl_crm.model.settings import DEFAULT
from xl_crm.rules.pool import pool_status
from xl_crm.sheets.new import write_new_workbook

OWNERS = ["Ann", "李雷", 0, *BLANKS, "\t"]


def customers(seed: int, n: int = 400) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = [{"customer_id": f"C{i:04d}", "name": "x", "owner": rng.choice(OWNERS), "tier": pick(rng, vocab.TIER),
             "open_deals": rng.choice([0, 0, 1, 3, "2", None, True]), "last_contact": random_day(rng),
             "assigned_date": random_day(rng)} for i in range(n)]
    for days in (89, 90, 91):  # PoolDays, one day either side, from either date
        for last, assigned in ((days, None), (None, days), (days, 200), (200, days), (days, days)):
            rows.append({"owner": "Ann", "tier": "Regular", "open_deals": 0,
                         "last_contact": None if last is None else AS_OF - timedelta(days=last),
                         "assigned_date": None if assigned is None else AS_OF - timedelta(days=assigned)})
    for tier in ("VIP", "重点客户", "普通客户", None, "gold"):
        rows.append({"owner": "Ann", "tier": tier, "open_deals": 0, "last_contact": AS_OF - timedelta(days=300)})
    rows += [{"owner": "Ann", "open_deals": 1, "last_contact": AS_OF - timedelta(days=300)},
             {"owner": "Ann", "open_deals": 0}, {"owner": None, "open_deals": "x"}]
    return pd.DataFrame([{"customer_id": f"B{i:03d}", "name": "b", **r} if "customer_id" not in r else r
                         for i, r in enumerate(rows)], dtype=object)


@pytest.fixture(scope="module", params=["en", "zh"])
def written(request, tmp_path_factory):
    """A workbook whose Customers hold the rows as given (open_deals kept: no deals to count)."""
    lang = request.param
    frame = customers(3 if lang == "en" else 5)
    computed = compute({"customers": frame}, AS_OF)
    kept = computed.customer_synced.drop(columns=["open_deals"])
    computed.__dict__["customer_synced"] = kept.assign(open_deals=frame["open_deals"])
    path = tmp_path_factory.mktemp(f"pool_{lang}") / "pool.xlsx"
    write_new_workbook(path, computed, lang=lang, cached=False)
    return lang, computed.frame("customers"), path


@pytest.mark.parametrize("engine", list(ENGINES))
def test_pool_status_cells_match_the_rule(written, engine, request, sheet_rows):
    lang, frame, path = written
    recalculated = request.getfixturevalue(engine)(path)
    spec = schema.CUSTOMERS
    column = spec.column("pool_status")
    expected = derive.customer_columns(frame.reindex(columns=spec.keys), AS_OF, DEFAULT)["pool_status"]
    rows = sheet_rows(recalculated, spec.name(lang))
    j = rows[0].index(column.header(lang))
    bad = [(i + 2, want, rows[i + 1][j]) for i, want in enumerate(expected.tolist())
           if not same(expected_cell(column, want, lang), rows[i + 1][j], ENGINES[engine])]
    assert not bad, bad[:10]
    assert {"Pool", "Release", "Owned", None} <= set(expected)


def test_the_rule_by_hand():
    day = AS_OF
    ago = lambda n: day - timedelta(days=n)  # noqa: E731
    assert pool_status(None, "VIP", 2, ago(1), None, day) == "Pool"
    assert pool_status("Ann", "Regular", 0, ago(91), None, day) == "Release"
    assert pool_status("Ann", "Regular", 0, ago(90), None, day) == "Owned"
    assert pool_status("Ann", "Regular", 0, ago(200), ago(10), day) == "Owned"  # the later date counts
    assert pool_status("Ann", None, 0, None, ago(91), day) == "Release"
    assert pool_status("Ann", "Regular", 1, ago(300), None, day) == "Owned"
    assert pool_status("Ann", "Key", 0, ago(300), None, day) == "Owned"
    assert pool_status("Ann", "Regular", 0, None, None, day) is None  # since when is unknown
    assert pool_status("Ann", "Regular", None, ago(300), None, day) is None


def test_open_deals_count_each_customers_open_deals():
    frames = {"customers": pd.DataFrame({"customer_id": ["C1", "C2", "C3", None]}, dtype=object),
              "opportunities": pd.DataFrame({"opportunity_id": ["D1", "D2", "D3", "D4", "D5"],
                                             "customer_id": ["C1", "C1", "C2", "C2", None],
                                             "stage": "Qualify", "status": ["Open", "跟进中", "Won", "Lost", "Open"]},
                                            dtype=object)}
    assert compute(frames, AS_OF).customer_synced["open_deals"].tolist() == [2, 0, 0, 0]
