"""The rules of DOMAIN.md at every boundary, in both languages, with blanks and bad input."""

from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_crm import rules
from xl_crm.model.cells import to_serial
from xl_crm.model.settings import DEFAULT, Settings
from xl_crm.model.text import DIAGNOSES

AS_OF = date(2026, 11, 23)


def days(n):
    return AS_OF + timedelta(days=n)


@pytest.mark.parametrize("offset, expected", [
    (-400, "A"), (0, "A"), (30, "A"), (31, "B"), (90, "B"), (91, "C"), (180, "C"), (181, "D"), (1000, "D"),
])
def test_grade_boundaries(offset, expected):
    assert rules.grade("Now", days(offset), AS_OF) == expected


@pytest.mark.parametrize("need, close, expected", [
    ("None", days(1), "E"), ("无需求", None, "E"), ("future", days(1), "D"), ("潜在需求", days(1), "D"),
    (None, days(1), "D"), ("   ", days(1), "D"), ("Now", None, "D"), (" NOW ", days(5), "A"),
    ("现有需求", days(60), "B"), ("maybe", days(1), None), ("Now", "next week", None),
    ("None", "next week", "E"), ("Future", "next week", "D"),
])
def test_grade_needs(need, close, expected):
    assert rules.grade(need, close, AS_OF) == expected


def test_grade_reads_serials_datetimes_and_next_close():
    assert rules.grade("Now", to_serial(days(31)), to_serial(AS_OF)) == "B"
    assert rules.grade("Now", datetime.combine(days(30), datetime.max.time()), AS_OF) == "A"
    assert rules.grade("Now", None, AS_OF, next_close=days(100)) == "C"
    assert rules.grade("Now", days(10), AS_OF, next_close=days(100)) == "A"


def test_grade_follows_settings():
    assert rules.grade("Now", days(20), AS_OF, settings=Settings(grade_days_a=10)) == "B"


@pytest.mark.parametrize("grade, tier, expected", [
    ("A", None, 1), ("B", None, 7), ("C", None, 15), ("D", None, 30), ("E", None, 365),
    ("E", "VIP", 30), ("E", "Key", 90), ("E", "重点客户", 90), ("D", "Key", 30), ("E", "Regular", 365),
    (None, "VIP", None), ("E", "Gold", None),
])
def test_cadence(grade, tier, expected):
    assert rules.cadence_days(grade, tier) == expected


def test_next_due_and_status():
    assert rules.next_due(days(-10), 7, None, AS_OF) == days(-3)
    assert rules.next_due(days(-10), 7, days(-5), AS_OF) == days(-5)
    assert rules.next_due(days(-10), 30, days(40), AS_OF) == days(20)
    assert rules.next_due(None, 7, days(4), AS_OF) == days(4)
    assert rules.next_due(None, None, None, AS_OF) == AS_OF
    assert rules.next_due(days(-1), None, None, AS_OF) is None
    assert rules.followup_status(None, None, AS_OF, AS_OF) == "Not contacted"
    assert rules.followup_status(days(-7), None, days(0), AS_OF) == "Due today"
    assert rules.followup_status(days(-8), None, days(-1), AS_OF) == "Overdue"
    assert rules.followup_status(days(-6), None, days(1), AS_OF) == "Upcoming"
    assert rules.followup_status(None, days(3), days(3), AS_OF) == "Upcoming"
    assert rules.days_overdue(days(-3), AS_OF) == 3
    assert rules.days_overdue(days(3), AS_OF) == 0


@pytest.mark.parametrize("offset, expected", [
    (-5, "Urgent"), (7, "Urgent"), (8, "Soon"), (30, "Soon"), (31, "Later"), (90, "Later"), (91, "Slow"),
])
def test_urgency(offset, expected):
    assert rules.urgency(days(offset), AS_OF) == expected


@pytest.mark.parametrize("stage, status, expected", [
    ("Qualify", "Open", 0.1), ("develop", "open", 0.3), ("方案论证", "跟进中", 0.5), (4, "Open", 0.7),
    ("5", "Open", 0.9), (5.0, "Open", 0.9), ("Bogus", "Won", 1.0), (None, "赢单", 1.0), ("Close", "Lost", 0.0),
    ("Bogus", "Open", None), (6, "Open", None), (2.5, "Open", None), ("Qualify", None, None),
    ("Qualify", "Pending", None),
])
def test_probability(stage, status, expected):
    assert rules.probability(stage, status) == expected


def test_weighted_days_in_stage_stale_approval():
    assert rules.weighted_amount(1000, 0.3) == pytest.approx(300)
    assert rules.weighted_amount(None, 0.3) == 0
    assert rules.weighted_amount("lots", 0.3) is None
    assert rules.weighted_amount(1000, None) is None
    assert rules.days_in_stage(days(-20), days(-50), AS_OF) == 20
    assert rules.days_in_stage(None, days(-50), AS_OF) == 50
    assert rules.days_in_stage(None, None, AS_OF) is None
    assert rules.stale("Open", "Qualify", 20) is False
    assert rules.stale("Open", "Qualify", 21) is True
    assert rules.stale("Open", "商务谈判", 11) is True
    assert rules.stale("Won", "Qualify", 500) is False
    assert rules.stale("Open", "Qualify", None) is False
    assert rules.stale("Open", "Bogus", 5) is None
    assert rules.approval_level(5_000_000) == "Director"
    assert rules.approval_level(5_000_001) == "VP"
    assert rules.approval_level(20_000_000) == "VP"
    assert rules.approval_level(20_000_001) == "President"
    assert rules.approval_level(None) is None


def test_qualify_counts_yes_in_every_spelling():
    assert rules.yes_count("Y", "yes", "TRUE", 1) == 4
    assert rules.yes_count("是", "有", True, " y ") == 4
    assert rules.yes_count("N", None, "无", False) == 0
    assert rules.yes_count("Y", "perhaps", None, None) is None
    assert rules.all_yes(4) is True
    assert rules.all_yes(3) is False
    assert rules.all_yes(None) is None


@pytest.mark.parametrize("short, long_, expected", [
    (6, 6, 1), (10, 10, 1), (5.99, 6, 2), (6, 5.99, 3), (0, 0, 4), (None, 5, None), (-1, 5, None),
    (10.5, 5, None), ("high", 5, None),
])
def test_value_class(short, long_, expected):
    assert rules.value_class(short, long_) == expected


@pytest.mark.parametrize("territory, lead, letter, kind", [
    ("Ours", "Behind", "A", "Abnormal"), ("中立地盘", "我方落后", "B", "Normal"), ("Theirs", "Behind", "C", "Normal"),
    ("ours", "even", "D", "Problem"), ("Neutral", "Even", "E", "Normal"), ("敌方地盘", "敌我相当", "F", "Problem"),
    ("Ours", "Ahead", "G", "Normal"), ("Neutral", "Ahead", "H", "Normal"), ("Theirs", "我方领先", "I", "Abnormal"),
])
def test_opening_grid(territory, lead, letter, kind):
    assert rules.opening(territory, lead) == letter
    assert rules.opening_type(letter) == kind
    assert rules.mirror(rules.mirror(letter)) == letter


def test_opening_blank_and_mirror_pairs():
    assert rules.opening(None, "Ahead") is None
    assert rules.opening("Mars", "Ahead") is None
    assert [rules.mirror(x) for x in "ABCDE"] == list("IHGFE")
    assert rules.opening_play("G").startswith("Speed")


def test_pyramid_tiers_with_ties():
    revenue = pd.Series({"a": 100.0, "b": 50.0, "c": 50.0, "d": 10.0, "e": 0.0})
    assert rules.tiers(revenue).to_dict() == {"a": "VIP", "b": "VIP", "c": "VIP", "d": "Regular", "e": "Regular"}
    revenue = pd.Series([80.0, 15.0, 5.0])
    assert rules.tiers(revenue).tolist() == ["VIP", "Key", "Regular"]
    assert rules.tiers(pd.Series([0.0, 0.0])).tolist() == ["Regular", "Regular"]


def test_revenue_window():
    opps = pd.DataFrame({
        "customer_id": ["a", "a", "a", "b", "b"],
        "status": ["Won", "赢单", "Won", "Lost", "Won"],
        "amount": [10, 20, 40, 100, None],
        "closed_date": [AS_OF, days(-364), days(-365), AS_OF, AS_OF],
    })
    assert rules.revenue_12m(opps, AS_OF).to_dict() == {"a": 30.0}


def test_funnel_reached_and_conversion():
    table = rules.funnel(pd.Series([1, 2, 2, 3, "Close", None]),
                         pd.Series(["Open", "Open", "Lost", "Open", "Won", "Won"]),
                         pd.Series([100, 200, 50, None, 10, 10]))
    assert table["reached"].tolist() == [6, 5, 3, 2, 2]
    assert table["open_count"].tolist() == [1, 1, 1, 0, 0]
    assert table["amount"].tolist() == [100, 200, 0, 0, 0]
    assert table["weighted_amount"].tolist() == pytest.approx([10, 60, 0, 0, 0])
    assert table["conversion"].tolist()[:4] == pytest.approx([5 / 6, 3 / 5, 2 / 3, 1.0])
    assert pd.isna(table["conversion"].iloc[-1])


# --- properties -------------------------------------------------------------------------------

offsets = st.integers(min_value=-2000, max_value=2000)


@given(offsets, offsets)
def test_grade_never_improves_as_close_moves_away(a, b):
    near, far = sorted((a, b))
    order = "ABCD"
    assert order.index(rules.grade("Now", days(near), AS_OF)) <= order.index(rules.grade("Now", days(far), AS_OF))


@given(st.sampled_from("ABCDE"), st.sampled_from([None, "VIP", "Key", "Regular"]), offsets,
       st.one_of(st.none(), offsets))
def test_followup_chain_is_consistent(grade, tier, last, planned):
    cadence = rules.cadence_days(grade, tier)
    due = rules.next_due(days(last), cadence, None if planned is None else days(planned), AS_OF)
    assert due <= days(last) + timedelta(days=cadence)
    overdue = rules.days_overdue(due, AS_OF)
    status = rules.followup_status(days(last), None, due, AS_OF)
    assert (overdue > 0) == (status == "Overdue")
    assert overdue >= 0


@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=30))
def test_equal_revenue_gets_equal_tier_and_bigger_is_never_lower(values):
    revenue = pd.Series([float(v) for v in values])
    tier = rules.tiers(revenue)
    rank = {"VIP": 0, "Key": 1, "Regular": 2}
    for i in range(len(values)):
        for j in range(len(values)):
            if values[i] == values[j]:
                assert tier[i] == tier[j]
            if values[i] > values[j]:
                assert rank[tier[i]] <= rank[tier[j]]


@given(st.lists(st.tuples(st.sampled_from([1, 2, 3, 4, 5, "Propose", None]),
                          st.sampled_from(["Open", "Won", "Lost", "丢单", None])), max_size=40))
def test_funnel_reached_never_grows(rows):
    stages = pd.Series([r[0] for r in rows], dtype=object)
    statuses = pd.Series([r[1] for r in rows], dtype=object)
    reached = rules.funnel(stages, statuses)["reached"].tolist()
    assert reached == sorted(reached, reverse=True)


@given(st.lists(st.tuples(st.sampled_from(["Now", "Future", "None", None, "x"]), offsets), min_size=1, max_size=20))
def test_vectorised_equals_scalar(rows):
    need = pd.Series([r[0] for r in rows], dtype=object)
    close = pd.Series([days(r[1]) for r in rows], dtype=object)
    expected = [rules.grade(n, c, AS_OF) for n, c in zip(need, close)]
    assert rules.vectorised(rules.grade, need, close, AS_OF).tolist() == expected


def test_default_stage_table():
    assert [s.rot_days for s in DEFAULT.stages] == [20, 30, 30, 10, 10]


@pytest.mark.parametrize("counts, expected", [
    ((0, 0, 0, 0), None),  # no open deals: nothing to diagnose
    ((5, 5, 0, 0), None),  # exactly MixAlert (50%) is not more than it
    ((6, 5, 0, 0), 1),
    ((0, 1, 0, 3), 4),
    ((2, 1, 1, 0), None),
])
def test_portfolio_diagnosis_when_one_class_holds_more_than_mix_alert(counts, expected):
    assert rules.diagnosis(counts) == expected


def test_each_value_class_diagnosis_reads_in_both_languages():
    assert all(DIAGNOSES[k]("en") and DIAGNOSES[k]("zh") != DIAGNOSES[k]("en") for k in (1, 2, 3, 4))
