"""Cell values as a spreadsheet holds them, read the way the rules need them.

The rules take what a cell holds (numbers, text, booleans, dates, None) and
read it exactly as the native formulas do, so Python and the spreadsheet
agree on every row: numbers in a date column are Excel serial days, text in
a number or date column is bad input, and white space is folded like TRIM.
"""

from __future__ import annotations

import functools
import math
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from ..ooxml.serial import EXCEL_EPOCH, to_serial

_MAX_SERIAL = 2958466  # 9999-12-31


class Invalid(ValueError):
    """A cell value a rule cannot read; the rule then yields a blank."""


def is_blank(value) -> bool:
    """Empty cell, None, NaN/NaT, or text of only spaces.

    Only the ordinary space counts, as the spreadsheet's TRIM() folds only
    that one: a tab or a full-width space is text, in the formulas and here.
    """
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip(" ")
    return False


def cell_text(value) -> str:
    """The text a spreadsheet's TRIM() gives for a cell: inner runs of spaces folded."""
    if type(value) is str and "  " not in value and value[:1] != " " and value[-1:] != " ":
        return value  # already as TRIM() leaves it: most cells are
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, (float, np.floating)) and float(value).is_integer():
        text = str(int(value))
    else:
        text = str(value)
    return " ".join(word for word in text.split(" ") if word)


def as_date(value) -> date | None:
    """A calendar date, None for blank; numbers are Excel serial days, time parts dropped."""
    if type(value) is date:  # the common case, first
        return value
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).date()
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise Invalid(f"not a date: {value!r}")
    if not 0 <= value < _MAX_SERIAL:
        raise Invalid(f"not a date: {value!r}")
    return EXCEL_EPOCH + timedelta(days=math.floor(value))


def as_number(value) -> float | None:
    """A finite number, None for blank; text and booleans are bad input.

    A date is the number a spreadsheet holds for it (its serial), as formulas see it.
    """
    if is_blank(value):
        return None
    if isinstance(value, date):
        return float(to_serial(value))
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise Invalid(f"not a number: {value!r}")
    if not math.isfinite(value):
        raise Invalid(f"not a number: {value!r}")
    return float(value)


def parse_iso_date(text: str) -> date:
    """An ISO date (a time part is allowed and dropped); raises Invalid otherwise."""
    try:
        return datetime.fromisoformat(text.strip().replace("/", "-")).date()
    except ValueError as exc:
        raise Invalid(f"not a date: {text!r}") from exc


def id_key(value) -> str | None:
    """An ID as text, so 7 typed as a number matches the text "7"; None for blank."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def blank_on_invalid(rule):
    """Decorate a rule so that bad input gives a blank (None), never a guess."""

    @functools.wraps(rule)
    def wrapper(*args, **kwargs):
        try:
            return rule(*args, **kwargs)
        except Invalid:
            return None

    return wrapper
