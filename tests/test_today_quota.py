"""Today shows what a rep can do today: every overdue and due-today customer, and at most a day's
quota of never-contacted ones per rep, best grade first, the rest counted under the rep."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pandas as pd
from python_calamine import CalamineWorkbook

from xl_crm.commands.workbook import write_standard_workbook
from xl_crm.compute.step import compute
from xl_crm.compute.today import NEW_PER_REP
from xl_crm.model.asof import AsOf
from xl_crm.sheets.today_sheet import layout

AS_OF = date(2026, 3, 2)


def customer(cid, owner, grade=None, last_contact=None, next_action=None):
    """A customer whose grade is set by need and expected close (DOMAIN section 2)."""
    need, close = {"A": ("Now", AS_OF + timedelta(days=10)), "B": ("Now", AS_OF + timedelta(days=60)),
                   "D": ("Future", None), None: (None, None)}[grade]
    return {"customer_id": cid, "name": f"Customer {cid}", "owner": owner, "need": need, "expected_close": close,
            "last_contact": last_contact, "next_action_date": next_action}


def book():
    """Ann: 3 overdue, 1 due today, 25 never contacted (5 A, 5 B, 15 D, shuffled); Bob: 12 new; 2 with no owner."""
    rng = random.Random(7)
    new = [customer(f"N{i}", "Ann", grade) for i, grade in enumerate(["A"] * 5 + ["B"] * 5 + ["D"] * 15)]
    rng.shuffle(new)
    rows = [customer(f"O{i}", "Ann", "D", last_contact=AS_OF - timedelta(days=40 + i)) for i in range(3)]
    rows.append(customer("T1", "Ann", next_action=AS_OF))
    rows += new + [customer(f"B{i}", "Bob", "D") for i in range(12)] + [customer("X1", None), customer("X2", None)]
    rows.append(customer("U1", "Bob", "D", last_contact=AS_OF - timedelta(days=2)))  # upcoming: not due
    return pd.DataFrame(rows, dtype=object)


def test_never_contacted_customers_are_listed_up_to_the_quota_best_grade_first():
    calls = compute({"customers": book()}, AS_OF).call_list
    ann = calls[calls["owner"] == "Ann"]
    assert ann["followup_status"].tolist() == ["Overdue"] * 3 + ["Due today"] + ["Not contacted"] * NEW_PER_REP
    assert ann["grade"].tolist()[4:] == ["A"] * 5 + ["B"] * 5
    assert set(ann["customer_id"][:3]) == {"O0", "O1", "O2"} and "U1" not in set(calls["customer_id"])
    assert (calls["owner"] == "Bob").sum() == NEW_PER_REP and calls["owner"].isna().sum() == 2
    assert calls.attrs["not_listed"] == {"Ann": 15, "Bob": 2}


def test_the_sheet_says_the_rule_and_counts_the_rest(tmp_path):
    path = tmp_path / "crm.xlsx"
    write_standard_workbook(path, {"customers": book()}, lang="en", as_of=AsOf(AS_OF, fixed=True))
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Today").to_python()
    text = [" ".join(str(v) for v in row if v != "") for row in rows]
    assert text[0] == f"Follow-ups due on {AS_OF.isoformat()} (26)"
    assert text[1].startswith(f"Overdue and due today: all listed. Never contacted: at most {NEW_PER_REP} a rep")
    ann = text.index("Ann (14)")
    assert text[ann + 15] == "+ 15 more never-contacted customers, not listed today"
    assert text[ann + 16] == "Bob (10)" and "+ 2 more never-contacted customers, not listed today" in text


def test_a_long_list_of_new_names_is_not_all_urgent_today():
    owners = ["甲", "乙", "丙", "丁"]
    customers = pd.DataFrame([customer(f"C{i}", owners[i % 4]) for i in range(1732)], dtype=object)
    calls = compute({"customers": customers}, AS_OF).call_list
    assert len(calls) == 4 * NEW_PER_REP
    assert sum(calls.attrs["not_listed"].values()) == 1732 - 4 * NEW_PER_REP
    rows = layout(calls, AS_OF, "zh")
    assert rows[1][1][0].startswith("逾期和今日应跟进的客户全部列出")
    assert [v[0] for kind, v in rows if kind == "more"] == [f"另有 {433 - NEW_PER_REP} 位未联系客户今天未列出"] * 4
