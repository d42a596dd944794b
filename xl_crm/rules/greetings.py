"""Greetings and key dates (DOMAIN.md section 17): birthdays and festivals, lunar ones included.

The festival table is computed for a year with lunardate (Chinese lunar
calendar, 1900-2099) and written on the Settings sheet, where a manager may
correct it; greetings then read the table as the sheet holds it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from lunardate import LunarDate

from ..model.cells import Invalid, as_date, cell_text, is_blank

# (English, Chinese, calendar, month, day)
FESTIVALS = (
    ("New Year", "元旦", "solar", 1, 1),
    ("Spring Festival", "春节", "lunar", 1, 1),
    ("Lantern", "元宵节", "lunar", 1, 15),
    ("Dragon Boat", "端午节", "lunar", 5, 5),
    ("Mid-Autumn", "中秋节", "lunar", 8, 15),
    ("National Day", "国庆节", "solar", 10, 1),
)
BIRTHDAY = ("Birthday", "生日")
_MONTH_DAY = re.compile(r"^-{0,2}(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def festival_dates(year: int, lang: str = "en") -> list[tuple[str, date]]:
    """Each festival's name (in the language) and its date in a Gregorian year, in date order."""
    rows = []
    for en, zh, calendar, month, day in FESTIVALS:
        when = date(year, month, day) if calendar == "solar" else LunarDate(year, month, day).to_solar_date()
        rows.append((zh if lang == "zh" else en, when))
    return sorted(rows, key=lambda row: row[1])


def birthday(value) -> tuple[int, int] | None:
    """(month, day) of a birthday cell: a date (serial or text), or month and day as MM-DD; None for blank.

    Raises Invalid for anything else, so check can say why.
    """
    if is_blank(value):
        return None
    if isinstance(value, str):
        text = cell_text(value)
        match = _MONTH_DAY.match(text)
        if match:
            month, day = int(match[1]), int(match[2])
            try:
                date(2000, month, day)  # a leap year: 02-29 is a birthday
            except ValueError:
                raise Invalid(f"not a birthday (a date or MM-DD): {value!r}") from None
            return month, day
        try:
            when = date.fromisoformat(text[:10])
        except ValueError:
            raise Invalid(f"not a birthday (a date or MM-DD): {value!r}") from None
        return when.month, when.day
    when = as_date(value)
    return when.month, when.day


def next_birthday(month: int, day: int, as_of: date) -> date:
    """The first birthday on or after as_of; 29 February falls on the 28th in other years."""
    for year in (as_of.year, as_of.year + 1):
        when = date(year, month, 28) if (month, day) == (2, 29) and not _leap(year) else date(year, month, day)
        if when >= as_of:
            return when
    raise AssertionError("unreachable: a birthday recurs within a year")


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def in_window(when: date, as_of: date, days: float) -> bool:
    """On or after as_of and at most `days` days after it: a greeting due today is still due."""
    return as_of <= when <= as_of + timedelta(days=days)
