"""`xl-crm excel-setup`: let the classic xlwings add-in find the =CRM_... functions."""

from __future__ import annotations

from pathlib import Path

import click

from ..excel.setup import add_xlwings_conf
from . import main


@main.command("excel-setup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--interpreter-win", metavar="PATH", help="python.exe with xl_crm installed (Windows).")
@click.option("--interpreter-mac", metavar="PATH", help="python with xl_crm installed (macOS).")
@click.option("--pythonpath", metavar="DIRS", help="Extra folders for Python to import from.")
@click.option("--no-backup", is_flag=True, help="Do not keep NAME.bak of the previous version.")
def excel_setup(path, interpreter_win, interpreter_mac, pythonpath, no_backup):
    """Add the xlwings.conf sheet to PATH (UDF Modules = xl_crm.excel.udfs)."""
    conf = add_xlwings_conf(path, interpreter_win=interpreter_win, interpreter_mac=interpreter_mac,
                            pythonpath=pythonpath, backup=not no_backup)
    click.echo(f"{path}: xlwings.conf sheet written (UDF Modules = {conf['UDF Modules']}).")
    if "Interpreter_Win" in conf:
        click.echo(f"Interpreter_Win = {conf['Interpreter_Win']}")
    else:
        click.echo("Interpreter_Win not set: the xlwings add-in's Interpreter setting applies.")
    click.echo("In Excel: save as .xlsm, tick xlwings in the VBA editor's Tools > References, "
               "then xlwings tab > Import Functions (see docs/excel.md).")
