"""`xl-crm upgrade` and `xl-crm import`: adopt existing workbooks and other tools' exports."""

from __future__ import annotations

import sys

import click

from ..adopt.upgrade import upgrade_workbook
from ..commands.workbook import import_files
from ..errors import XlCrmError
from ..folder.scan import is_team
from ..model import schema
from ..model.mapping import load_mapping
from ..team.upgrade import upgrade_team
from . import main
from .options import MAPPING, NO_BACKUP


@main.command("upgrade")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@MAPPING
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None, help="Language of added headers and sheets.")
@click.option("--dry-run", is_flag=True, help="Print the mapping and the changes; write nothing.")
@NO_BACKUP
def upgrade(paths, mapping_file, lang, dry_run, no_backup):
    """Make an existing workbook (or every rep workbook of a team folder) a CRM, keeping everything in it."""
    mapping = load_mapping(mapping_file)
    if is_team(paths):
        done = upgrade_team(paths, mapping, lang, dry_run=dry_run, backup=not no_backup)
        lines, failed = done.lines(), done.failed
        if not done.plans and not failed:  # every file skipped: nothing that was asked could be done
            for line in lines:
                click.echo(line)
            raise XlCrmError("no workbook with customers or deals to upgrade: every file was skipped")
    else:
        lines, failed = upgrade_workbook(paths[0], mapping, lang, dry_run=dry_run, backup=not no_backup).lines(), []
    for line in lines:
        click.echo(line)
    if dry_run:
        click.echo("dry run: nothing written")
    for line in failed:
        click.echo(f"xl-crm: {line}", err=True)
    if failed:
        click.echo(f"xl-crm: {len(failed)} of the workbooks could not be upgraded (the rest were)", err=True)
        sys.exit(1)


@main.command("import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--into", required=True, type=click.Path(dir_okay=False), help="The CRM workbook (created if missing).")
@click.option("--sheet", type=click.Choice([s.key for s in schema.DATA_SHEETS if s.key != "history"]), default=None,
              help="Which table the rows belong to (default: recognised from the headers).")
@MAPPING
@click.option("--on-duplicate", type=click.Choice(["skip", "update", "error"]), default="skip",
              help="What to do with a row whose ID already exists.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None,
              help="Language of a new workbook (default: the language of the headers).")
@click.option("--all", "every", is_flag=True, help="One line per rejected cell instead of grouped lines.")
@NO_BACKUP
def import_(sources, into, sheet, mapping_file, on_duplicate, lang, every, no_backup):
    """Import CSV (UTF-8 or GBK) and XLSX exports into a CRM workbook."""
    summary = import_files(sources, into, sheet, load_mapping(mapping_file), on_duplicate, backup=not no_backup,
                           lang=lang)
    for line in summary.lines(every):
        click.echo(line)
    if not summary.written and not summary.skipped:  # every row rejected, or none to import
        click.echo(f"xl-crm: no row imported; {into} was not written", err=True)
        sys.exit(1)
