"""Customer grade A-E (DOMAIN.md section 2): how soon a customer with a need will buy."""

from __future__ import annotations

from ..model.cells import as_date, blank_on_invalid, is_blank
from ..model.settings import DEFAULT, Settings
from ..model.vocab import NEED


@blank_on_invalid
def grade(need, expected_close, as_of, next_close=None, settings: Settings = DEFAULT) -> str | None:
    """A-E from the need and the close date (own expected_close, else the synced next_close)."""
    need = NEED.parse(need) or "Future"
    if need == "None":
        return "E"
    if need == "Future":
        return "D"
    close = as_date(next_close if is_blank(expected_close) else expected_close)
    if close is None:
        return "D"
    days = (close - as_date(as_of)).days
    if days <= settings.grade_days_a:
        return "A"
    if days <= settings.grade_days_b:
        return "B"
    if days <= settings.grade_days_c:
        return "C"
    return "D"
