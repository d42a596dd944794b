"""Synced values: last contact, touches, next close, revenue and tier from the other sheets."""

from datetime import date, datetime, timedelta

import pandas as pd

from xl_crm.compute.step import compute

AS_OF = date(2026, 11, 23)


def day(n):
    return AS_OF + timedelta(days=n)


def frames():
    customers = pd.DataFrame({
        "customer_id": ["C1", "C2", "C3", 7.0],
        "last_contact": [day(-3), None, "last week", day(-400)],
    })
    opportunities = pd.DataFrame({
        "opportunity_id": ["O1", "O2", "O3", "O4"],
        "customer_id": ["C1", "C1", "C2", "7"],
        "status": ["Open", "跟进中", "Won", "Lost"],
        "expected_close": [day(40), day(10), day(5), day(1)],
        "amount": [10, 20, 300, 50],
        "closed_date": [None, None, day(-100), day(-1)],
    })
    activities = pd.DataFrame({
        "date": [day(-10), datetime.combine(day(-1), datetime.min.time()), day(1), day(-500), "soon"],
        "customer_id": ["C1", "C2", "C2", "7", "C1"],
        "opportunity_id": ["O1", "O3", "O3", None, "O1"],
    })
    return customers, opportunities, activities


def customer_sync(customers, opportunities, activities, as_of):
    frames_ = {"customers": customers, "opportunities": opportunities, "activities": activities}
    return compute(frames_, as_of).customer_synced


def test_customer_sync():
    out = customer_sync(*frames(), AS_OF)
    assert out["last_contact"].tolist() == [day(-3), day(-1), "last week", day(-400)]
    assert out["touch_count"].tolist() == [1, 1, 0, 1]
    assert out["next_close"].tolist() == [day(10), None, None, None]
    assert out["revenue_12m"].tolist() == [0.0, 300.0, 0.0, 0.0]
    assert out["tier"].tolist() == ["Regular", "VIP", "Regular", "Regular"]


def test_future_activities_do_not_count():
    customers, opportunities, activities = frames()
    later = customer_sync(customers, opportunities, activities, day(2))
    assert later["touch_count"].tolist() == [1, 2, 0, 1]
    assert later["last_contact"].tolist()[1] == day(1)


def test_opportunity_touches():
    _, opportunities, activities = frames()
    computed = compute({"opportunities": opportunities, "activities": activities}, AS_OF)
    assert computed.opportunity_synced["touch_count"].tolist() == [1, 0, 1, 0]


def test_empty_sheets():
    empty = pd.DataFrame(columns=["customer_id", "opportunity_id", "status", "amount", "closed_date",
                                  "expected_close", "date", "last_contact"])
    customers = pd.DataFrame({"customer_id": ["C1"], "last_contact": [None]})
    out = customer_sync(customers, empty, empty, AS_OF)
    # no payments: nothing receivable; no deals: none open
    assert out.iloc[0].tolist() == [None, 0, None, 0.0, "Regular", 0.0, 0.0, 0]


def test_a_last_contact_after_as_of_is_not_seen_at_that_date():
    """DOMAIN section 1: a past as_of sees only the contacts made by then, not the cell's later date."""
    customers, opportunities, activities = frames()
    earlier = customer_sync(customers, opportunities, activities, day(-5))
    # C1's cell says day(-3), after day(-5): only its activity of day(-10) counts
    assert earlier["last_contact"].tolist()[0] == day(-10)
    # the 7's cell date of day(-400) is before day(-5) and later than its activity of day(-500)
    assert earlier["last_contact"].tolist()[3] == day(-400)
