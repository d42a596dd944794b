"""`xl-crm upgrade` and `xl-crm import`: adopt existing workbooks and other tools' exports."""

from __future__ import annotations

import sys

import click

from ..adopt.upgrade import upgrade_workbook
from ..commands.workbook import import_files
from ..model import schema
from ..model.mapping import load_mapping
from . import main
from .options import MAPPING, NO_BACKUP


@main.command("upgrade")
@click.argument("path", type=click.Path(dir_okay=False))
@MAPPING
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None, help="Language of added headers and sheets.")
@click.option("--dry-run", is_flag=True, help="Print the mapping and the changes; write nothing.")
@NO_BACKUP
def upgrade(path, mapping_file, lang, dry_run, no_backup):
    """Make an existing workbook a CRM, keeping everything already in it."""
    plan = upgrade_workbook(path, load_mapping(mapping_file), lang, dry_run=dry_run, backup=not no_backup)
    for line in plan.lines():
        click.echo(line)
    if dry_run:
        click.echo("dry run: nothing written")


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
