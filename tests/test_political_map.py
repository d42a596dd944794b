"""The political map synced on Opportunities (DOMAIN.md section 10), against a plain reading of the section."""

from __future__ import annotations

import random
from datetime import date

import pandas as pd
import pytest

from xl_crm.compute.step import compute
from xl_crm.model.settings import DEFAULT
from xl_crm.rules.political_map import map_summary

AS_OF = date(2026, 6, 30)
ROLES = {"A": "A", "D": "D", "E": "E", "C": "C", "U": "U", "Approver": "A", "决策人": "D", "批准人": "A",
         "Decision maker": "D", "User": "U"}
ATTITUDES = {"*": "*", "+": "+", "=": "=", "-": "-", "X": "X", "Champion": "*", "支持": "+", "敌对": "X",
             "Not supporting": "-"}
YES, NO = {"Y", "Yes", "是", "TRUE"}, {"N", "No", "否"}
WARNING_TEXT = ["No decision maker", "No approver", "Decision maker not with us", "No executive contact",
                "Too few coaches", "One department only"]
STAGE_NUMBER = {"Qualify": 1, "Develop": 2, "Propose": 3, "Negotiate": 4, "Close": 5, 1: 1, 3: 3}


def blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def oracle(opps, contacts, deal_contacts, min_coaches=2, min_departments=2, from_stage=2):
    """Section 10 read directly, one deal at a time."""
    by_id = {c["contact_id"]: c for c in contacts}
    out = []
    for opp in opps:
        if opp["status"] != "Open":
            out.append(dict.fromkeys(["map_contacts", "executives", "coaches", "departments", "support",
                                      "map_warnings"]))
            continue
        rows = [r for r in deal_contacts if r["opportunity_id"] == opp["opportunity_id"]]
        if not rows:
            rows = [{"contact_id": c["contact_id"]} for c in contacts if c["customer_id"] == opp["customer_id"]]
        people = []
        for r in rows:
            own = by_id[r["contact_id"]]
            pick = lambda k: own.get(k) if blank(r.get(k)) else r.get(k)  # noqa: E731
            people.append({"role": ROLES.get(pick("role")), "attitude": ATTITUDES.get(pick("attitude")),
                           "coach": pick("is_coach") in YES, "level": own.get("level"),
                           "department": None if blank(own.get("department"))
                           else " ".join(own["department"].split()).casefold()})
        executives = sum(p["level"] == "Executive" for p in people)
        coaches = sum(p["coach"] for p in people)
        departments = len({p["department"] for p in people if p["department"] is not None})
        support = sum(p["attitude"] in "*+" for p in people if p["attitude"]) - sum(
            p["attitude"] in "-X" for p in people if p["attitude"])
        deciders = [p for p in people if p["role"] == "D"]
        holds = [not deciders, not any(p["role"] == "A" for p in people),
                 bool(deciders) and not any(p["attitude"] in ("*", "+") for p in deciders),
                 executives == 0, coaches < min_coaches, departments < min_departments]
        text = "; ".join(w for w, h in zip(WARNING_TEXT, holds) if h) or None
        if STAGE_NUMBER[opp["stage"]] < from_stage:
            text = None
        out.append({"map_contacts": len(people), "executives": executives, "coaches": coaches,
                    "departments": departments, "support": support, "map_warnings": text})
    return out


def synced(opps, contacts, deal_contacts, settings=DEFAULT):
    frames = {"opportunities": pd.DataFrame(opps), "contacts": pd.DataFrame(contacts),
              "deal_contacts": pd.DataFrame(deal_contacts, columns=["opportunity_id", "contact_id", "role",
                                                                    "attitude", "is_coach"])}
    table = compute(frames, AS_OF, settings).table("opportunities")
    keys = ["map_contacts", "executives", "coaches", "departments", "support", "map_warnings"]
    return [{k: row[k] for k in keys} for row in table[keys].to_dict("records")]


def person(cid, customer, level=None, department=None, role=None, attitude=None, coach=None):
    return {"contact_id": cid, "customer_id": customer, "name": cid, "level": level, "department": department,
            "role": role, "attitude": attitude, "is_coach": coach}


def deal(oid, customer, stage="Propose", status="Open"):
    return {"opportunity_id": oid, "customer_id": customer, "stage": stage, "status": status}


# a well covered customer: decision maker and approver on our side, an executive, two coaches, two departments
COVERED = [person("P1", "C1", "Executive", "Board", "A", "+", "Y"),
           person("P2", "C1", "Management", "IT", "D", "*", "Y"),
           person("P3", "C1", "Operational", "IT", "U", "-", "N")]


def test_a_well_covered_deal_has_no_warning_and_its_counts():
    (row,) = synced([deal("O1", "C1")], COVERED, [])
    assert row == {"map_contacts": 3, "executives": 1, "coaches": 2, "departments": 2, "support": 1,
                   "map_warnings": None}


@pytest.mark.parametrize("change, warning", [
    ({"P2": {"role": "E"}}, "No decision maker"),
    ({"P1": {"role": "U"}}, "No approver"),
    ({"P2": {"attitude": "="}}, "Decision maker not with us"),
    ({"P1": {"level": "Management"}}, "No executive contact"),
    ({"P2": {"is_coach": "N"}}, "Too few coaches"),
    ({"P1": {"department": " it "}}, "One department only"),
])
def test_each_warning_alone(change, warning):
    contacts = [{**c, **change.get(c["contact_id"], {})} for c in COVERED]
    (row,) = synced([deal("O1", "C1")], contacts, [])
    assert row["map_warnings"] == warning


def test_every_warning_at_once_in_order_and_in_chinese_on_the_cell():
    contacts = [person("P9", "C9", "Operational", "Shop", "U", "X", "N")]
    (row,) = synced([deal("O9", "C9")], contacts, [])
    assert row["map_warnings"] == "No decision maker; No approver; No executive contact; Too few coaches; " \
                                  "One department only"
    assert row["support"] == -1
    from xl_crm.model import schema
    shown = schema.OPPORTUNITIES.column("map_warnings").cell(row["map_warnings"], "zh")
    assert shown == "无决策人; 无批准人; 未接触高层; 内线不足; 关系单一"


def test_deal_contacts_rows_replace_the_customers_contacts_and_blank_cells_fall_back():
    deal_rows = [{"opportunity_id": "O1", "contact_id": "P2", "role": None, "attitude": "-", "is_coach": None}]
    (row,) = synced([deal("O1", "C1")], COVERED, deal_rows)
    # P2 alone: role D from Contacts, attitude - from the deal, coach Y from Contacts
    assert row == {"map_contacts": 1, "executives": 0, "coaches": 1, "departments": 1, "support": -1,
                   "map_warnings": "No approver; Decision maker not with us; No executive contact; "
                                   "Too few coaches; One department only"}


def test_the_same_person_decides_one_deal_and_uses_another():
    deal_rows = [{"opportunity_id": "O1", "contact_id": "P3", "role": "D", "attitude": "+", "is_coach": "Y"},
                 {"opportunity_id": "O2", "contact_id": "P3", "role": None, "attitude": None, "is_coach": None}]
    first, second = synced([deal("O1", "C1"), deal("O2", "C1")], COVERED, deal_rows)
    assert "No decision maker" not in first["map_warnings"] and first["support"] == 1
    assert second["map_warnings"].startswith("No decision maker") and second["support"] == -1


def test_won_and_lost_deals_are_blank_and_early_stages_have_counts_but_no_warning():
    rows = synced([deal("O1", "C9", status="Won"), deal("O2", "C9", status="Lost"), deal("O3", "C9", "Qualify")],
                  [person("P9", "C9", "Operational", "Shop", "U")], [])
    assert rows[0] == rows[1] == dict.fromkeys(rows[0])
    assert rows[2]["map_contacts"] == 1 and rows[2]["map_warnings"] is None


def test_settings_change_the_thresholds():
    from dataclasses import replace
    settings = replace(DEFAULT, min_coaches=3, min_departments=1, map_from_stage=4)
    rows = synced([deal("O1", "C1"), deal("O2", "C1", "Negotiate")], COVERED, [], settings)
    assert rows[0]["map_warnings"] is None
    assert rows[1]["map_warnings"] == "Too few coaches"


def test_random_books_equal_the_oracle():
    rng = random.Random(10)
    for _ in range(20):
        customers = [f"C{i}" for i in range(5)]
        contacts = [person(f"P{i}", rng.choice(customers), rng.choice(["Executive", "Management", "Operational",
                                                                        None]),
                           rng.choice(["IT", " it", "Finance", "Plant  One", "plant one", None, " "]),
                           rng.choice(list(ROLES) + [None]), rng.choice(list(ATTITUDES) + [None, " "]),
                           rng.choice(sorted(YES | NO) + [None]))
                    for i in range(rng.randint(0, 14))]
        opps = [deal(f"O{i}", rng.choice(customers), rng.choice(list(STAGE_NUMBER)),
                     rng.choice(["Open", "Open", "Won", "Lost"])) for i in range(8)]
        deal_rows = []
        for opp in opps[:5]:
            for c in rng.sample(contacts, min(len(contacts), rng.randint(0, 3))):
                deal_rows.append({"opportunity_id": opp["opportunity_id"], "contact_id": c["contact_id"],
                                  "role": rng.choice(list(ROLES) + [None, None]),
                                  "attitude": rng.choice(list(ATTITUDES) + [None, None]),
                                  "is_coach": rng.choice(sorted(YES | NO) + [None, None])})
        assert synced(opps, contacts, deal_rows) == oracle(opps, contacts, deal_rows)


def test_the_scalar_rule_agrees_with_the_step():
    got = map_summary(["A", "D", "U"], ["+", "*", "-"], ["Executive", "Management", "Operational"],
                      ["Y", "Y", "N"], ["Board", "IT", "it"], stage="Propose")
    assert got == {"map_contacts": 3, "executives": 1, "coaches": 2, "departments": 2, "support": 1,
                   "map_warnings": None}
    assert map_summary(["U"], ["="], [None], [None], [None], stage="Qualify")["map_warnings"] is None
