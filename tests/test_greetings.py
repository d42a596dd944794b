"""Greetings due (DOMAIN.md section 17), against a list made by hand from a printed calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from xl_crm.compute.step import compute
from xl_crm.model.cells import Invalid
from xl_crm.rules.greetings import birthday, festival_dates
from xl_crm.sheets import settings_sheet
from xl_crm.sheets.today_sheet import layout

CUSTOMERS = pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "name": ["Acme", "Beta", "Gamma"],
                          "owner": ["Li", "Wang", "Li"]})
# one reason each to be greeted, and one person with none
CONTACTS = pd.DataFrame({
    "contact_id": ["P1", "P2", "P3", "P4", "P5"],
    "customer_id": ["C1", "C1", "C2", "C3", "C3"],
    "name": ["Ann", "Bob", "Cy", "Di", "Ed"],
    "level": ["Executive", "Operational", None, None, "Management"],
    "is_coach": [None, "N", "是", None, None],
    "category": [None, None, None, "Rising star", "Difficult"],
    "birthday": ["01-03", "12-30", date(1979, 12, 29), "2/8", "12-31"],
})


def due(as_of, contacts=CONTACTS, customers=CUSTOMERS, **frames):
    got = compute({"customers": customers, "contacts": contacts, **frames}, as_of).greetings
    return sorted(zip(got["date"], got["occasion"], got["contact_id"]))


def test_a_window_across_new_year():
    # Ed (Management, Difficult, Regular customer) and Bob (Operational) are not greeted
    assert due(date(2026, 12, 28)) == [
        (date(2026, 12, 29), "Birthday", "P3"),
        (date(2027, 1, 1), "New Year", "P1"), (date(2027, 1, 1), "New Year", "P3"),
        (date(2027, 1, 1), "New Year", "P4"),
        (date(2027, 1, 3), "Birthday", "P1"),
    ]


def test_a_window_across_the_spring_festival():
    # Spring Festival 2027 is on 6 February (lunar 1-1), Di's birthday 8 February; the Lantern Festival
    # (20 February) is outside the window
    assert due(date(2027, 2, 1)) == [
        (date(2027, 2, 6), "Spring Festival", "P1"), (date(2027, 2, 6), "Spring Festival", "P3"),
        (date(2027, 2, 6), "Spring Festival", "P4"), (date(2027, 2, 8), "Birthday", "P4"),
    ]


def test_the_window_is_as_of_to_greet_days_after_it():
    assert due(date(2027, 1, 3)) == [(date(2027, 1, 3), "Birthday", "P1")]
    # the window's last day counts; New Year is 10 days away
    assert due(date(2026, 12, 22)) == [(date(2026, 12, 29), "Birthday", "P3")]
    assert due(date(2026, 12, 21)) == []


def test_everyone_at_a_vip_or_key_customer_is_greeted():
    opps = pd.DataFrame({"opportunity_id": ["O1"], "customer_id": ["C1"], "stage": ["Close"], "status": ["Won"],
                         "amount": [100.0], "closed_date": [date(2026, 12, 1)]})
    got = due(date(2026, 12, 28), opportunities=opps)
    assert (date(2026, 12, 30), "Birthday", "P2") in got  # Bob, Operational, but at the VIP customer


def test_lunar_festivals_by_the_calendar():
    assert festival_dates(2026) == [
        ("New Year", date(2026, 1, 1)), ("Spring Festival", date(2026, 2, 17)),
        ("Lantern", date(2026, 3, 3)), ("Dragon Boat", date(2026, 6, 19)),
        ("Mid-Autumn", date(2026, 9, 25)), ("National Day", date(2026, 10, 1))]


def test_an_edited_festival_table_on_settings_is_what_greetings_read():
    cells, _ = settings_sheet.layout(lang="zh", as_of=date(2026, 12, 28))
    grid = {}
    for cell in cells:
        grid.setdefault(cell.row, {})[cell.col] = cell.value
    rows = [[grid.get(r, {}).get(c) for c in range(5)] for r in range(1, max(grid) + 1)]
    names = [row[0] for row in rows]
    assert "春节" in names and "中秋节" in names
    moved = [row if row[0] != "元旦" else [row[0], date(row[1].year, 1, 2), None, None, None] for row in rows]
    settings, _ = settings_sheet.parse(moved)
    assert ("元旦", date(2027, 1, 2)) in settings.festivals
    got = compute({"customers": CUSTOMERS, "contacts": CONTACTS}, date(2026, 12, 28), settings).greetings
    assert set(got.loc[got["occasion"] == "元旦", "date"]) == {date(2027, 1, 2)}


@pytest.mark.parametrize("cell, expected", [("03-15", (3, 15)), ("3/5", (3, 5)), ("--12-31", (12, 31)),
                                            ("3月15日", (3, 15)), ("1985-03-15", (3, 15)),
                                            (date(1990, 2, 28), (2, 28)), (32000, (8, 11)), (None, None)])
def test_birthdays_as_dates_or_month_and_day(cell, expected):
    assert birthday(cell) == expected


@pytest.mark.parametrize("cell", ["13-01", "02-30", "soon"])
def test_a_bad_birthday_is_bad_input(cell):
    with pytest.raises(Invalid):
        birthday(cell)


def test_leap_day_birthdays_fall_on_the_28th_in_other_years():
    contacts = CONTACTS.assign(birthday=["02-29", None, None, None, None])
    assert due(date(2027, 2, 25), contacts)[-1] == (date(2027, 2, 28), "Birthday", "P1")


def test_today_lists_the_greetings_below_the_follow_ups_in_chinese():
    computed = compute({"customers": CUSTOMERS, "contacts": CONTACTS}, date(2026, 12, 28))
    rows = layout(computed.call_list, computed.day, "zh")
    kinds = [kind for kind, _ in rows]
    assert kinds.index("greeting") > max(i for i, k in enumerate(kinds) if k == "call")
    greetings = [values for kind, values in rows if kind == "greeting"]
    assert [g[4] for g in greetings] == ["生日", "元旦", "元旦", "元旦", "生日"]


def test_a_greeting_is_not_a_touch():
    day = date(2026, 12, 28)
    activities = pd.DataFrame({"date": [day - timedelta(days=40), day - timedelta(days=1)],
                               "customer_id": ["C1", "C1"], "type": ["Visit", "问候"]})
    synced = compute({"customers": CUSTOMERS, "activities": activities}, day).customer_synced
    assert synced.loc[0, "touch_count"] == 1
    assert synced.loc[0, "last_contact"] == day - timedelta(days=40)
