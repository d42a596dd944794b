"""`upgrade` over a team folder: each rep's workbook made a CRM in turn; the team workbook, reports and
workbooks with no customer or deal table are left as they are.

Each file is saved atomically on its own; a file that cannot be upgraded is
named with its reason and the others still are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..adopt.upgrade import Plan, upgrade_workbook
from ..errors import XlCrmError
from ..folder.read import is_team_book, read_member
from ..folder.scan import scan
from ..model.mapping import Mapping


@dataclass
class TeamUpgrade:
    """What `upgrade FOLDER` did: each upgraded file's plan, the files skipped and those that failed."""

    plans: list[Plan] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # files skipped, and why
    failed: list[str] = field(default_factory=list)  # one line per file that could not be upgraded

    def lines(self) -> list[str]:
        return [*self.notes, *(line for plan in self.plans for line in plan.lines())]


def upgrade_team(source, mapping: Mapping | None = None, lang: str | None = None, dry_run: bool = False,
                 backup: bool = True) -> TeamUpgrade:
    """Upgrade every rep workbook of a folder (or of the paths given): those holding customers or deals."""
    folder = scan(source)
    out = TeamUpgrade(notes=list(folder.notes))
    for path in folder.books:
        data = read_member(path, mapping, None)  # what check and report skip, upgrade skips too
        if isinstance(data, str):
            out.notes.append(data)
        elif is_team_book(path, data):
            out.notes.append(f"{path}: skipped (the team workbook: its Settings and Targets need no upgrade)")
        elif not {"customers", "opportunities"} & set(data.tables):
            out.notes.append(f"{path}: skipped (no customer or deal table: not made a CRM)")
        else:
            try:
                out.plans.append(upgrade_workbook(path, mapping, lang, dry_run=dry_run, backup=backup))
            except XlCrmError as exc:
                out.failed.append(str(exc) if str(exc).startswith(str(path)) else f"{path}: {exc}")
    return out
