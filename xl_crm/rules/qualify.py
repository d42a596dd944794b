"""Qualifying a deal (section 5): BANT and the four questions both count yes answers."""

from __future__ import annotations

from ..model.cells import as_number, blank_on_invalid
from ..model.vocab import YES_NO


@blank_on_invalid
def yes_count(*answers) -> int | None:
    """How many answers are yes; blank counts as no (bant_score, tas_score)."""
    return sum(YES_NO.parse(a) == "Yes" for a in answers)


@blank_on_invalid
def all_yes(score, questions: int = 4) -> bool | None:
    """True when every question is answered yes (qualified, pursue)."""
    score = as_number(score)
    return None if score is None else score >= questions
