"""A team folder on the command line: check and refresh of a folder, and `xl-crm handover`."""

from __future__ import annotations

from pathlib import Path

import click

from ..commands.check import workbook_language
from ..commands.problems import ERROR, grouped, impacts, summary
from ..folder.parallel import reader
from ..folder.read import Team
from ..folder.scan import is_team
from ..model.mapping import load_mapping
from ..team.check import check_team
from ..team.handover import handover
from ..team.refresh import refresh_team
from . import main
from .options import AS_OF, MAPPING


def check_team_lines(paths, mapping, every: bool, scheduler=None) -> tuple[list[str], int, Team]:
    """What `check` prints for a team, file by file, the number of errors, and the team as read."""
    team, found = check_team(paths, mapping, reader=reader(scheduler))
    lines = list(team.notes)
    books = [team.team_book] * (team.team_book is not None) + team.members
    spoken = [workbook_language(data) for data in books]  # each file's problems in its own language
    for data, lang in zip(books, spoken):
        mine = [p for path, p in found if path == data.path]
        for line in [p.text(lang) for p in mine] if every else grouped(mine, lang):
            lines.append(f"{data.path}: {line}")
        lines += [f"{data.path}: {line}" for line in impacts(mine, lang)]
    lang = max(("en", "zh"), key=spoken.count)  # the summary in the language most files speak
    errors = sum(p.severity == ERROR for _, p in found)
    where = " ".join(map(str, paths))
    lines.append(f"{where}: {summary(errors, len(found) - errors, lang)}")
    return lines, errors, team


def refresh_team_lines(paths, *, as_of, backup: bool, mapping, scheduler=None) -> list[str]:
    """What `refresh` prints for a team: the files skipped, then each file written."""
    notes = []
    written = refresh_team(paths, as_of=as_of, backup=backup, mapping=mapping, reader=reader(scheduler),
                           notes=notes)
    return notes + [f"refreshed {path}" for path in written]


@main.command("handover")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--from", "rep", required=True, metavar="REP", help="The rep whose customers move.")
@click.option("--to", "to", required=True, metavar="REP|pool", help="The rep taking them over, or `pool` (公海).")
@click.option("--customers", "customers", multiple=True, metavar="ID",
              help="Only these customers (repeatable; default: every customer of --from).")
@click.option("--dry-run", is_flag=True, help="List what would move; change nothing.")
@AS_OF
@MAPPING
def handover_command(paths, rep, to, customers, dry_run, as_of, mapping_file):
    """Move a rep's customers, with their open deals, contacts, activities, payments and competitor rows."""
    source = paths if is_team(paths) else paths[0]
    plan = handover(source, rep, to, list(customers) or None, dry_run=dry_run, as_of=as_of,
                    mapping=load_mapping(mapping_file))
    for line in plan.lines(dry_run):
        click.echo(line)
