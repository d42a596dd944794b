"""A payment's outstanding amount, days late and aging bucket (DOMAIN.md section 15)."""

from __future__ import annotations

from ..model.cells import as_date, as_number, blank_on_invalid
from ..model.settings import DEFAULT, Settings


@blank_on_invalid
def outstanding(amount_due, amount_received) -> float | None:
    """max(0, amount due - amount received); a blank received amount is 0, a blank amount due unknown."""
    due = as_number(amount_due)
    if due is None:
        return None
    return max(0.0, due - (as_number(amount_received) or 0.0))


@blank_on_invalid
def days_late(outstanding_, due_date, as_of) -> int | None:
    """Days past the due date while money is still outstanding; 0 when paid or not yet due."""
    left, due = as_number(outstanding_), as_date(due_date)
    if left is None or due is None:
        return None
    today = as_date(as_of)
    return (today - due).days if left > 0 and due < today else 0


@blank_on_invalid
def aging(days, settings: Settings = DEFAULT) -> str | None:
    """Current, 1-30, 31-90 or >90 (AgingDays1, AgingDays2)."""
    days = as_number(days)
    if days is None:
        return None
    if days <= 0:
        return "Current"
    if days <= settings.aging_days_1:
        return "1-30"
    return "31-90" if days <= settings.aging_days_2 else ">90"
