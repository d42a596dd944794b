"""Political map of a deal (DOMAIN.md section 10): who is on it, and what is missing.

`warnings` turns a deal's counts into the section's warnings, in order; the
compute step (compute.political_map) counts every deal at once with pandas
and calls it once per distinct combination, and `map_summary` counts one
deal's people for the UDF.
"""

from __future__ import annotations

from typing import Iterable

from ..model.cells import Invalid, cell_text, is_blank
from ..model.settings import DEFAULT, Settings
from ..model.vocab import ATTITUDE, LEVEL, MAP_WARNINGS, ROLE, YES_NO

WITH_US = ("Champion", "Supporter")
AGAINST = ("Not supporting", "Hostile")
COUNTS = ("map_contacts", "executives", "coaches", "departments", "support")


def warnings(has_decider: bool, has_approver: bool, decider_with_us: bool, executives: int, coaches: int,
             departments: int, settings: Settings = DEFAULT) -> str | None:
    """The warnings that hold, canonical and joined by "; " (MAP_WARNINGS.label shows them); None for none."""
    holds = (not has_decider, not has_approver, has_decider and not decider_with_us, executives == 0,
             coaches < settings.min_coaches, departments < settings.min_departments)
    found = [value for value, hold in zip(MAP_WARNINGS.values, holds) if hold]
    return "; ".join(found) or None


def warned_stage(stage_number: int | None, settings: Settings = DEFAULT) -> bool:
    """Whether a deal at this stage gets warnings: from MapFromStage on; an unknown stage gets none."""
    return stage_number is not None and stage_number >= settings.map_from_stage


def department_key(value) -> str | None:
    """A department as counted: trimmed and case-folded; None for blank."""
    return None if is_blank(value) else cell_text(value).casefold()


def _read(vocab, value):
    try:
        return vocab.parse(value)
    except Invalid:
        return None


def map_summary(roles: Iterable, attitudes: Iterable, levels: Iterable, coaches: Iterable, departments: Iterable,
                stage=None, settings: Settings = DEFAULT) -> dict:
    """The map's counts and warnings for one deal's people, one value per person in each argument.

    stage: the deal's stage (name or number), None when the warnings are
    wanted whatever the stage. Unreadable values count as unknown.
    """
    roles, attitudes = [_read(ROLE, v) for v in roles], [_read(ATTITUDE, v) for v in attitudes]
    levels, coaches = [_read(LEVEL, v) for v in levels], [_read(YES_NO, v) for v in coaches]
    depts = {d for d in map(department_key, departments) if d is not None}
    out = {"map_contacts": len(roles), "executives": levels.count("Executive"), "coaches": coaches.count("Yes"),
           "departments": len(depts),
           "support": sum(a in WITH_US for a in attitudes) - sum(a in AGAINST for a in attitudes)}
    number = None
    if stage is not None:
        try:
            number = settings.stage_index(stage)
        except Invalid:
            number = None
    deciders = [a for r, a in zip(roles, attitudes) if r == "Decision maker"]
    shown = stage is None or warned_stage(number, settings)
    out["map_warnings"] = warnings(bool(deciders), "Approver" in roles, any(a in WITH_US for a in deciders),
                                   out["executives"], out["coaches"], out["departments"], settings) if shown else None
    return out
