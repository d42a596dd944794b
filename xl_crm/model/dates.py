"""Dates as people type them in files coming in (CSV files, other tools' exports).

A workbook cell is read by cells.as_date, as the native formulas read it;
this module is for text on its way into a workbook, which is converted to
a real date before it is written. Accepted: ISO dates and date-times,
2026/11/23, 2026.11.23, 2026年11月23日, 20261123, 23-Nov-2026, Nov 23 2026,
Excel serial numbers, and day and month in either order (3/4/2026, or
3/4/26 with a two-digit year read as Excel reads it). The
order of such dates is decided per column (order_of): a first part above
12 means day first, a second part above 12 means month first, and a
column with neither needs a `date_format` in the mapping file.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta

from ..ooxml.serial import EXCEL_EPOCH
from .cells import Invalid, is_blank

MDY, DMY, YMD = "MDY", "DMY", "YMD"
FORMATS = {"YYYY-MM-DD": YMD, "YYYY/MM/DD": YMD, "MM/DD/YYYY": MDY, "DD/MM/YYYY": DMY, "DD.MM.YYYY": DMY}

_TIME = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?"
_YEAR_FIRST = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?" + _TIME)
_YEAR_LAST = re.compile(r"(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})" + _TIME)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")  # 10000 (1927) to 99999 (2173): a four-digit year is no serial
_MONTH_NAMES = ("%d-%b-%Y", "%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%b %d, %Y", "%B %d, %Y",
                "%d-%b-%y", "%Y-%b-%d")
_MAX_SERIAL = 2958466  # 9999-12-31


class AmbiguousDates(ValueError):
    """A column of day/month dates whose order the values do not decide (or contradict)."""


def order_of(texts, date_format: str | None = None) -> str | None:
    """MDY or DMY for a column's texts like 3/4/2026, from date_format or the values; None if none.

    Raises AmbiguousDates when the values leave the order open or contradict each other.
    """
    if date_format is not None:
        return format_order(date_format)
    seen, day_first, month_first = False, None, None
    for text in texts:
        match = _YEAR_LAST.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None:
            continue
        seen = True
        first, second = int(match.group(1)), int(match.group(3))
        if first > 12 and day_first is None:
            day_first = text.strip()
        if second > 12 and month_first is None:
            month_first = text.strip()
    if day_first and month_first:
        raise AmbiguousDates(f"dates in both orders ({month_first!r} is month first, {day_first!r} day first)")
    if day_first or month_first:
        return DMY if day_first else MDY
    if seen:
        raise AmbiguousDates("every date like 03/04/2026 could be month/day or day/month")
    return None


def format_order(date_format: str) -> str:
    """YMD, MDY or DMY: where a format like `MM/DD/YYYY` or `D.M.YYYY` puts the month and the day."""
    text = date_format.strip().upper()
    if not ("YY" in text and "M" in text and "D" in text):
        raise AmbiguousDates(f"date_format {date_format!r}: expected one of {', '.join(FORMATS)}")
    if text.startswith("Y"):
        return YMD
    return MDY if text.index("M") < text.index("D") else DMY


def parse_date(value, order: str | None = None) -> date:
    """A date from a typed or read value; `order` (MDY/DMY) reads dates like 3/4/2026. Raises Invalid."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or is_blank(value):
        raise Invalid(f"not a date: {value!r}")
    if isinstance(value, (int, float)):
        return _serial(value)
    text = str(value).strip()
    if match := _YEAR_FIRST.fullmatch(text):
        return _date(text, match.group(1), match.group(2), match.group(3))
    if match := _YEAR_LAST.fullmatch(text):
        first, second, year = match.group(1), match.group(3), match.group(4)
        if order is None:
            if int(first) > 12:
                order = DMY
            elif int(second) > 12:
                order = MDY
            elif first != second:
                raise Invalid(f"not a date: {value!r} (month/day or day/month? set date_format)")
        month, day = (second, first) if order == DMY else (first, second)
        return _date(text, year, month, day)
    if match := _COMPACT.fullmatch(text):
        return _date(text, *match.groups())
    if _SERIAL.fullmatch(text):
        return _serial(float(text))
    folded = " ".join(text.replace(".", " ").split())
    for pattern in _MONTH_NAMES:
        try:
            return datetime.strptime(folded, pattern).date()
        except ValueError:
            continue
    raise Invalid(f"not a date: {value!r}")


def _date(text: str, year: str, month: str, day: str) -> date:
    number = int(year)
    if len(year) == 2:  # as Excel reads a two-digit year: 00-29 are 2000-2029, 30-99 are 1930-1999
        number += 2000 if number < 30 else 1900
    try:
        return date(number, int(month), int(day))
    except ValueError:
        raise Invalid(f"not a date: {text!r}") from None


def _serial(number: float) -> date:
    if not (math.isfinite(number) and 1 <= number < _MAX_SERIAL):
        raise Invalid(f"not a date: {number!r}")
    return EXCEL_EPOCH + timedelta(days=math.floor(number))
