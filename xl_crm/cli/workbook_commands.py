"""init, refresh, check and demo: the standard workbook's commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..commands.check import ERROR, check_data, workbook_language
from ..commands.check import note as check_note
from ..commands.problems import grouped, impacts, summary
from ..commands.workbook import init_workbook, refresh_workbook
from ..folder.scan import is_team
from ..model.asof import AsOf
from ..model.mapping import load_mapping
from ..sheets.read import read_workbook
from . import main
from .options import AS_OF, MAPPING, NO_BACKUP, SCHEDULER, STRICT
from .team_command import check_team_lines, refresh_team_lines


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None,
              help="Sheet names, headers and labels in English or Chinese (default: the language of the --data "
                   "headers, else English).")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Folder with customers.csv, opportunities.csv, contacts.csv, activities.csv.")
@MAPPING
@AS_OF
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@STRICT
@NO_BACKUP
def init(path, lang, data_dir, mapping_file, as_of, force, strict, no_backup):
    """Write the standard CRM workbook at PATH."""
    notes = init_workbook(path, lang=lang, data_dir=data_dir, as_of=as_of, force=force, backup=not no_backup,
                          mapping=load_mapping(mapping_file))
    for note in notes:
        click.echo(f"{data_dir}/{note}")
    click.echo(f"wrote {path}")
    if data_dir:
        _tell_check(path, load_mapping(mapping_file), strict)


def _tell_check(path: Path, mapping, strict: bool) -> None:
    """The line of what `check` would report on the workbook just written; with --strict, errors exit 1."""
    found, line = check_note(read_workbook(path, mapping))
    click.echo(line)
    if strict and found.errors:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@AS_OF
@MAPPING
@NO_BACKUP
@SCHEDULER
@STRICT
def refresh(paths, as_of, mapping_file, no_backup, scheduler, strict):
    """Recompute synced values and rebuild the Funnel and Today sheets (of a workbook, a team folder or several)."""
    if is_team(paths):
        for line in refresh_team_lines(paths, as_of=as_of, backup=not no_backup, mapping=load_mapping(mapping_file),
                                       scheduler=scheduler):
            click.echo(line)
        return
    mapping = load_mapping(mapping_file)
    written = refresh_workbook(paths[0], as_of=as_of, backup=not no_backup, mapping=mapping)
    click.echo(f"refreshed {paths[0]}" if written else f"{paths[0]} is up to date: nothing written")
    _tell_check(paths[0], mapping, strict)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@MAPPING
@click.option("--all", "every", is_flag=True, help="Every problem on its own line (default: repeats grouped).")
@SCHEDULER
def check(paths, mapping_file, every, scheduler):
    """List the problems in the workbook (or a team folder) and what they change in the numbers; exit 1 on errors."""
    if is_team(paths):
        lines, errors, _ = check_team_lines(paths, load_mapping(mapping_file), every, scheduler=scheduler)
        for line in lines:
            click.echo(line)
        sys.exit(1 if errors else 0)
    path = paths[0]
    data = read_workbook(path, load_mapping(mapping_file))
    problems, lang = check_data(data), workbook_language(data)
    for line in [p.text(lang) for p in problems] if every else grouped(problems, lang):
        click.echo(f"{path}: {line}")
    for line in impacts(problems, lang):
        click.echo(f"{path}: {line}")
    errors = sum(p.severity == ERROR for p in problems)
    click.echo(f"{path}: {summary(errors, len(problems) - errors, lang)}")
    sys.exit(1 if errors else 0)


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("workbooks"),
              show_default=True, help="Folder for demo_crm.xlsx and demo_crm_zh.xlsx.")
@AS_OF
@click.option("--reports/--no-reports", default=True, show_default=True,
              help="Also write this month's reports into reports/.")
def demo(out_dir, as_of, reports):
    """Build the demo workbooks (English and Chinese) and this month's reports."""
    from ..commands.demo import build_demo

    for path in build_demo(out_dir, as_of=AsOf.resolve(as_of), reports=reports):
        click.echo(f"wrote {path}")

