"""A team folder on the command line: check and refresh of a folder, and `xl-crm handover`."""

from __future__ import annotations

from ..commands.problems import ERROR, grouped, impacts, summary
from ..team.check import check_team
from ..team.parallel import reader
from ..team.refresh import refresh_team


def check_team_lines(paths, mapping, every: bool, scheduler=None) -> tuple[list[str], int]:
    """What `check` prints for a team, file by file, and the number of errors."""
    team, found = check_team(paths, mapping, reader=reader(scheduler))
    lang = team.merged.lang
    lines = list(team.notes)
    for data in team.members:
        mine = [p for path, p in found if path == data.path]
        for line in [p.text(lang) for p in mine] if every else grouped(mine, lang):
            lines.append(f"{data.path}: {line}")
        lines += [f"{data.path}: {line}" for line in impacts(mine, lang)]
    errors = sum(p.severity == ERROR for _, p in found)
    where = " ".join(map(str, paths))
    lines.append(f"{where}: {summary(errors, len(found) - errors, lang)}")
    return lines, errors


def refresh_team_lines(paths, *, as_of, backup: bool, mapping, scheduler=None) -> list[str]:
    """What `refresh` prints for a team: the files skipped, then each file written."""
    notes = []
    written = refresh_team(paths, as_of=as_of, backup=backup, mapping=mapping, reader=reader(scheduler),
                           notes=notes)
    return notes + [f"refreshed {path}" for path in written]
