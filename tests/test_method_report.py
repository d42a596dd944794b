"""The report's political map, competitors and plays against DOMAIN sections 10 and 14 computed here by hand."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from xl_crm.reports import report_model
from xl_crm.reports.model import as_book
from xl_crm.reports.writer import write_report

AS_OF = date(2026, 6, 30)
MONTH = "2026-06"
REPS = ["Ann", "Ben", "Cai"]
RIVALS = ["Apex", " Apex ", "Bolt", None]
REASONS = {"Price": "Price", "价格": "Price", "Relationship": "Relationship", "方案": "Solution", None: None,
           "whatever": None}
STAGES = {"Qualify": 0.1, "Develop": 0.3, "Propose": 0.5, "Negotiate": 0.7}
PROB = {1: 0.1, 2: 0.3, 3: 0.5, 4: 0.7}


def _frames(seed: int = 4):
    rng = random.Random(seed)
    customers = [{"customer_id": f"C{i}", "name": f"Customer {i}", "owner": REPS[i % 3]} for i in range(12)]
    contacts = []
    for c in customers:
        for j in range(rng.randint(0, 3)):
            contacts.append({"contact_id": f"{c['customer_id']}P{j}", "customer_id": c["customer_id"], "name": "x",
                             "level": rng.choice(["Executive", "Management", None]),
                             "department": rng.choice(["IT", "Finance", None]),
                             "role": rng.choice(["D", "A", "U", None]), "attitude": rng.choice(["+", "-", "=", None]),
                             "is_coach": rng.choice(["Y", "N", None])})
    opps, deal_contacts = [], []
    for i in range(80):
        c = rng.choice(customers)
        status = rng.choice(["Open", "Open", "Won", "Lost", "Lost"])
        closed = AS_OF - timedelta(days=rng.randint(-20, 500)) if status != "Open" else None
        opps.append({"opportunity_id": f"O{i}", "customer_id": c["customer_id"], "name": f"Deal {i}",
                     "owner": c["owner"] if rng.random() < 0.9 else None, "stage": rng.choice(list(STAGES)),
                     "status": status, "amount": float(rng.randint(1, 50) * 1000),
                     "created": AS_OF - timedelta(days=rng.randint(30, 600)), "closed_date": closed,
                     "competitor": rng.choice(RIVALS),
                     "reason": rng.choice(list(REASONS)) if status == "Lost" else None,
                     "territory": rng.choice(["Ours", "Neutral", "Theirs"]),
                     "lead": rng.choice(["Ahead", "Even", "Behind"])})
        mine = [p for p in contacts if p["customer_id"] == c["customer_id"]]
        if mine and rng.random() < 0.5:
            p = rng.choice(mine)
            deal_contacts.append({"opportunity_id": f"O{i}", "contact_id": p["contact_id"],
                                  "role": rng.choice(["D", None]), "attitude": rng.choice(["*", None]),
                                  "is_coach": None})
    moves = [{"customer_id": "C1", "competitor": "Apex", "last_move": "Discount", "last_move_date": date(2026, 6, 3)},
             {"customer_id": "C2", "competitor": "Bolt", "last_move": "Pilot", "last_move_date": date(2026, 5, 31)},
             {"customer_id": "C4", "competitor": "Bolt", "last_move": "Dinner", "last_move_date": date(2026, 6, 30)}]
    return {"customers": pd.DataFrame(customers), "opportunities": pd.DataFrame(opps),
            "activities": pd.DataFrame({"date": [AS_OF - timedelta(days=700)], "customer_id": ["C1"]}),
            "contacts": pd.DataFrame(contacts), "deal_contacts": pd.DataFrame(deal_contacts),
            "competitors": pd.DataFrame(moves)}


def records(frame: pd.DataFrame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _people(frames, deal):
    """Section 10: the deal's DealContacts rows, else its customer's contacts; blanks from Contacts."""
    own = {p["contact_id"]: p for p in records(frames["contacts"])}
    rows = [r for r in records(frames["deal_contacts"]) if r["opportunity_id"] == deal["opportunity_id"]]
    if not rows:
        rows = [{"contact_id": p["contact_id"]} for p in own.values() if p["customer_id"] == deal["customer_id"]]
    out = []
    for r in rows:
        p = own[r["contact_id"]]
        out.append({k: r.get(k) if r.get(k) is not None else p.get(k) for k in ("role", "attitude", "is_coach")}
                   | {"level": p["level"], "department": p["department"]})
    return out


def _oracle(frames, rep=None):
    deals = [d for d in records(frames["opportunities"]) if rep is None or d["owner"] == rep]
    warned, covered, total, counts = 0, 0.0, 0.0, {}
    for d in deals:
        if d["status"] != "Open" and d["closed_date"] <= AS_OF:
            continue  # open at as_of (section 11): every deal here was created before it
        people = _people(frames, d)
        weighted = d["amount"] * STAGES[d["stage"]]
        total += weighted
        executives = sum(p["level"] == "Executive" for p in people)
        covered += weighted if executives else 0.0
        if list(STAGES).index(d["stage"]) + 1 < 2:
            continue
        deciders = [p for p in people if p["role"] == "D"]
        holds = {"No decision maker": not deciders, "No approver": not any(p["role"] == "A" for p in people),
                 "Decision maker not with us": bool(deciders) and not any(p["attitude"] in "*+"
                                                                           for p in deciders if p["attitude"]),
                 "No executive contact": executives == 0,
                 "Too few coaches": sum(p["is_coach"] == "Y" for p in people) < 2,
                 "One department only": len({p["department"] for p in people if p["department"]}) < 2}
        if any(holds.values()):
            warned += 1
            for w, h in holds.items():
                counts[w] = counts.get(w, 0) + h
    return warned, (covered / total if total else None), counts


def _closed_oracle(frames, rep=None):
    rivals, reasons = {}, {}
    for d in records(frames["opportunities"]):
        if d["status"] == "Open" or not (AS_OF - timedelta(days=365) < d["closed_date"] <= AS_OF):
            continue
        if rep is not None and d["owner"] != rep:
            continue
        if d["competitor"]:
            row = rivals.setdefault(d["competitor"].strip(), [0, 0, 0.0])
            row[0 if d["status"] == "Won" else 1] += 1
            row[2] += d["amount"] if d["status"] == "Lost" else 0.0
        if d["status"] == "Lost":
            key = REASONS[d["reason"]] or "(none)"
            reasons[key] = reasons.get(key, 0) + 1
    return rivals, reasons


@pytest.mark.parametrize("rep", [None, *REPS])
def test_kpis_and_sheets_equal_the_sections(rep):
    frames = _frames()
    report = report_model(as_book(frames), MONTH, AS_OF, rep=rep)
    mine = report.kpis[report.kpis["scope"] == ("Team" if rep is None else rep)]
    kpis = dict(zip(mine["metric"], mine["value"]))
    warned, share, counts = _oracle(frames, rep)
    assert kpis["deals_with_map_warnings"] == warned
    assert kpis["weighted_with_executive_share"] == pytest.approx(share)
    pm = report.method.political_map
    assert len(pm.deals) == warned
    assert pm.deals["weighted_amount"].is_monotonic_decreasing
    row = pm.by_rep.set_index("rep").loc["Team" if rep is None else rep]
    assert {w: int(row[w]) for w in counts} == counts
    rivals, reasons = _closed_oracle(frames, rep)
    got = report.method.competitors.rivals.set_index("competitor")
    assert {k: [int(r["won"]), int(r["lost"]), r["lost_amount"]] for k, r in got.iterrows()} == rivals
    for name, (won, lost, _) in rivals.items():
        assert got.loc[name, "win_rate"] == pytest.approx(won / (won + lost))
    table = report.method.competitors.reasons.set_index("rep").loc["Team" if rep is None else rep]
    assert {k: int(v) for k, v in table.items() if v and k != "total"} == reasons


def test_a_comparison_month_leaves_the_map_figures_blank():
    """Contacts and their roles are kept only as they are today: last month's map is not known."""
    summary = report_model(as_book(_frames()), MONTH, AS_OF).summary
    assert summary.loc["deals_with_map_warnings", "current"] > 0
    for metric in ("deals_with_map_warnings", "weighted_with_executive_share"):
        assert pd.isna(summary.loc[metric, "previous"]) and pd.isna(summary.loc[metric, "year_ago"]), metric


def test_moves_of_the_month_and_the_sheets_written(tmp_path):
    frames = _frames()
    report = report_model(as_book(frames), MONTH, AS_OF)
    moves = report.method.competitors.moves
    assert moves["last_move"].tolist() == ["Dinner", "Discount"]
    assert moves["owner"].tolist() == ["Ben", "Ben"]
    path = write_report(report, tmp_path / "team.xlsx", "zh")
    book = CalamineWorkbook.from_path(str(path))
    assert {"政治地图", "竞争对手"} <= set(book.sheet_names)
    text = str(book.get_sheet_by_name("政治地图").to_python())
    assert "决策人" in text or "内线不足" in text


def test_problem_openings_with_their_plays():
    frames = _frames()
    openings = report_model(as_book(frames), MONTH, AS_OF).method.openings
    expected = {d["opportunity_id"] for d in records(frames["opportunities"]) if d["status"] == "Open"
                and (d["territory"], d["lead"]) in {("Ours", "Behind"), ("Theirs", "Ahead"), ("Ours", "Even"),
                                                     ("Theirs", "Even")}}
    assert set(openings["opportunity_id"]) == expected
    assert openings["opening"].isin(["A", "I", "D", "F"]).all() and openings["play"].notna().all()
    kinds = openings["opening_type"].tolist()
    assert kinds == sorted(kinds)  # Abnormal before Problem


def test_a_past_month_weighs_deals_by_their_stage_then():
    frames = {
        "customers": pd.DataFrame({"customer_id": ["C1"], "name": ["Acme"], "owner": ["Ann"]}),
        "opportunities": pd.DataFrame({"opportunity_id": ["O1"], "customer_id": ["C1"], "owner": ["Ann"],
                                       "stage": ["Propose"], "status": ["Open"], "amount": [1000.0],
                                       "created": [date(2026, 1, 5)]}),
        "contacts": pd.DataFrame({"contact_id": ["P1"], "customer_id": ["C1"], "name": ["x"], "role": ["U"]}),
        "history": pd.DataFrame({"date": [date(2026, 1, 5), date(2026, 5, 10)], "opportunity_id": ["O1", "O1"],
                                 "field": ["stage", "stage"], "old": [None, "Develop"], "new": ["Develop", "Propose"]}),
    }
    book = as_book(frames)
    book.present = AS_OF
    april = report_model(book, "2026-04", date(2026, 4, 30))
    assert april.method.political_map.deals["weighted_amount"].tolist() == [pytest.approx(300.0)]  # Develop then
    june = report_model(book, MONTH, AS_OF)
    assert june.method.political_map.deals["weighted_amount"].tolist() == [pytest.approx(500.0)]
