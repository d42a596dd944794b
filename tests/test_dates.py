"""Dates as people type them: every spelling, and the day/month order decided per column."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from xl_crm.model.cells import Invalid
from xl_crm.model.dates import DMY, MDY, AmbiguousDates, order_of, parse_date

DAY = date(2026, 11, 23)


@pytest.mark.parametrize("text", [
    "2026-11-23", "2026/11/23", "2026.11.23", "2026年11月23日", "2026 年 11 月 23 日", "2026-11-23T10:30:00",
    "2026-11-23 10:30", "2026-11-23T10:30:00.000Z", "2026/11/23 9:05:00 PM", "20261123", "23-Nov-2026",
    "23 November 2026", "Nov 23, 2026", " 2026-11-23 ", "46349", "46349.75", "11/23/26", "23.11.26 18:00",
])
def test_every_spelling_reads_as_the_same_day(text):
    assert parse_date(text) == DAY


def test_two_digit_years_read_as_excel_reads_them():
    assert parse_date("1/2/30", MDY) == date(1930, 1, 2)
    assert parse_date("1/2/29", MDY) == date(2029, 1, 2)


def test_values_already_typed():
    assert parse_date(datetime(2026, 11, 23, 18, 0)) == DAY
    assert parse_date(DAY) == DAY
    assert parse_date(46349.5) == DAY  # an Excel serial, as a number cell holds it


@pytest.mark.parametrize("text", ["2026-13-45", "soon", "2026", "1/2", "31/11/2026", "2026-02-30", "123", "TRUE"])
def test_what_is_no_date_is_refused(text):
    with pytest.raises(Invalid):
        parse_date(text, DMY)


def test_day_and_month_order_comes_from_the_column():
    assert order_of(["10/20/2016", "03/04/2016", "2016-01-02"]) == MDY
    assert order_of(["20/10/2016", "03/04/2016"]) == DMY
    assert order_of(["2016-01-02", "junk"]) is None
    assert parse_date("03/04/2016", MDY) == date(2016, 3, 4)
    assert parse_date("03/04/2016", DMY) == date(2016, 4, 3)
    assert parse_date("03.04.2016", DMY) == date(2016, 4, 3)
    assert parse_date("05/05/2016") == date(2016, 5, 5)  # the same either way
    assert parse_date("20/10/2016") == date(2016, 10, 20)  # a part above 12 decides a lone value


def test_an_undecided_or_contradicting_column_asks_for_a_date_format():
    with pytest.raises(AmbiguousDates, match="could be month/day or day/month"):
        order_of(["03/04/2016", "05/06/2016"])
    with pytest.raises(AmbiguousDates, match="both orders"):
        order_of(["10/20/2016", "20/10/2016"])
    with pytest.raises(Invalid, match="date_format"):
        parse_date("03/04/2016")


def test_a_date_format_decides():
    assert order_of(["03/04/2016"], "MM/DD/YYYY") == MDY
    assert order_of(["03.04.2016"], "DD.MM.YYYY") == DMY
    assert order_of(["03/04/2016"], "D/M/YYYY") == DMY
    with pytest.raises(AmbiguousDates):
        order_of([], "whenever")
