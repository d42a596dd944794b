"""Forecast category of a deal and the month a target is for (DOMAIN.md section 13)."""

from __future__ import annotations

import re
from datetime import date

from ..model.cells import Invalid, as_date, blank_on_invalid, cell_text, is_blank
from ..model.settings import DEFAULT, Settings
from ..model.vocab import FORECAST_CATEGORY, STATUS


@blank_on_invalid
def forecast(category, status, stage, settings: Settings = DEFAULT) -> str | None:
    """The rep's category when given; else Closed for Won, Omitted for Lost, and by stage for Open deals."""
    given = FORECAST_CATEGORY.parse(category)
    if given is not None:
        return given
    status = STATUS.parse(status)
    if status == "Won":
        return "Closed"
    if status == "Lost":
        return "Omitted"
    if status is None:
        return None
    index = settings.stage_index(stage)
    if index is None:
        return None
    if index >= settings.commit_stage:
        return "Commit"
    return "Best case" if index >= settings.best_case_stage else "Pipeline"


_MONTH = re.compile(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?(?:\s*[-/.]\s*(\d{1,2})\s*日?)?")


def month_of(value) -> str | None:
    """"YYYY-MM" of a Targets month cell: a date in the month, or text 2024-03, 2024/3, 2024年3月, 2024-03-15.

    None for blank; raises Invalid for anything else.
    """
    if is_blank(value):
        return None
    if not isinstance(value, str):
        day = as_date(value)
        return f"{day.year:04d}-{day.month:02d}"
    found = _MONTH.fullmatch(cell_text(value))
    if found is None:
        raise Invalid(f"not a month: {value!r}")
    year, month, day = (int(g) if g else 1 for g in found.groups())
    try:
        date(year, month, day)
    except ValueError:
        raise Invalid(f"not a month: {value!r}") from None
    return f"{year:04d}-{month:02d}"
