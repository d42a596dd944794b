"""Dates as Excel stores them: serial days since 1899-12-30 (the 1900 date system)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

EXCEL_EPOCH = date(1899, 12, 30)


def to_serial(day: date | datetime) -> float:
    """Excel serial number of a date, with the time of a datetime as the fraction of a day."""
    if isinstance(day, datetime):
        midnight = datetime.combine(day.date(), datetime.min.time(), day.tzinfo)
        return (day.date() - EXCEL_EPOCH).days + (day - midnight) / timedelta(days=1)
    return (day - EXCEL_EPOCH).days
