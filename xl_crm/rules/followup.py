"""Follow-up cadence, due date, status and urgency (DOMAIN.md section 3).

The functions chain the way the workbook's derived columns do: grade ->
cadence_days -> next_due -> followup_status, days_overdue, urgency.
"""

from __future__ import annotations

from datetime import date, timedelta

from ..model.cells import Invalid, as_date, as_number, blank_on_invalid, is_blank
from ..model.settings import DEFAULT, Settings
from ..model.vocab import GRADE, TIER


@blank_on_invalid
def cadence_days(grade, tier=None, settings: Settings = DEFAULT) -> float | None:
    """Days between touches: the grade's cadence, capped for VIP and Key customers."""
    grade = GRADE.parse(grade)
    if grade is None:
        return None
    days = settings.cadence(grade)
    tier = TIER.parse(tier)
    if tier == "VIP":
        days = min(days, settings.cap_vip)
    elif tier == "Key":
        days = min(days, settings.cap_key)
    return days


@blank_on_invalid
def next_due(last_contact, cadence, next_action_date, as_of) -> date | None:
    """The earlier of last_contact + cadence and the planned next action; as_of if neither."""
    last = as_date(last_contact)
    planned = as_date(next_action_date)
    derived = None
    if last is not None:
        days = as_number(cadence)
        if days is None:
            raise Invalid("no cadence")
        derived = last + timedelta(days=days)
    candidates = [d for d in (derived, planned) if d is not None]
    return min(candidates) if candidates else as_date(as_of)


@blank_on_invalid
def followup_status(last_contact, next_action_date, due, as_of) -> str | None:
    """Not contacted / Overdue / Due today / Upcoming."""
    if is_blank(last_contact) and is_blank(next_action_date):
        return "Not contacted"
    due = as_date(due)
    if due is None:
        return None
    today = as_date(as_of)
    if due < today:
        return "Overdue"
    if due == today:
        return "Due today"
    return "Upcoming"


@blank_on_invalid
def days_overdue(due, as_of) -> int | None:
    """Whole days past due, 0 when not yet due."""
    due = as_date(due)
    if due is None:
        return None
    return max(0, (as_date(as_of) - due).days)


@blank_on_invalid
def urgency(due, as_of) -> str | None:
    """Urgent / Soon / Later / Slow by days until due."""
    due = as_date(due)
    if due is None:
        return None
    days = (due - as_date(as_of)).days
    if days <= 7:
        return "Urgent"
    if days <= 30:
        return "Soon"
    if days <= 90:
        return "Later"
    return "Slow"
