"""CRM_MAP_WARNINGS and CRM_PLAY: the political map and nine-grid rules as Excel functions."""

from __future__ import annotations

from datetime import date

import pandas as pd

from xl_crm.compute.step import compute
from xl_crm.excel.udfs import crm_map_warnings, crm_play
from xl_crm.model.vocab import MAP_WARNINGS


def column(*values):
    return [[v] for v in values]


def test_map_warnings_over_ranges_in_both_languages():
    people = (column("D", "A", "U"), column("+", "*", "X"), column("Executive", None, "Operational"),
              column("Y", "是", "N"), column("IT", "Finance", " it "))
    assert crm_map_warnings(*people, "Propose") is None
    assert crm_map_warnings(column("决策人"), column("中立"), column(None), column(None), column("IT"),
                            "Develop", "zh") == "无批准人; 决策人未支持; 未接触高层; 内线不足; 关系单一"
    assert crm_map_warnings(column("U"), column("="), column(None), column(None), column(None), "Qualify") is None
    assert crm_map_warnings(column("D", "A"), column("+"), column(None), column(None), column(None)) == \
        "ranges differ in size"


def test_map_warnings_equal_the_synced_column_of_the_same_deal():
    contacts = pd.DataFrame({"contact_id": ["P1", "P2"], "customer_id": "C1", "name": ["a", "b"],
                             "role": ["E", "A"], "attitude": ["+", "-"], "level": ["Management", "Executive"],
                             "is_coach": ["Y", None], "department": ["IT", "Board"]})
    opps = pd.DataFrame({"opportunity_id": ["O1"], "customer_id": ["C1"], "stage": ["Propose"], "status": ["Open"]})
    synced = compute({"opportunities": opps, "contacts": contacts}, date(2026, 6, 30)).opportunity_synced
    udf = crm_map_warnings(*(column(*contacts[k]) for k in ("role", "attitude", "level", "is_coach", "department")),
                           "Propose")
    assert udf == MAP_WARNINGS.label(synced.loc[0, "map_warnings"], "en") == "No decision maker; Too few coaches"


def test_play_from_territory_and_lead():
    assert crm_play("Ours", "Ahead") == "Speed the purchase up."
    plays = crm_play(column("敌方地盘", None), column("我方落后", "Even"), "zh")
    assert plays == [["放慢采购节奏、等待机会，或接受配角。"], [None]]
    assert crm_play("Nowhere", "Ahead").startswith("unknown territory")
