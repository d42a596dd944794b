"""The `xl-crm` command: thin, one command = one library call.

Each command module registers itself on `main`; an XlCrmError becomes one
line on stderr and exit code 2 (a full traceback only with --debug).
"""

from __future__ import annotations

import sys

import click

from .. import __version__
from ..errors import XlCrmError


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except XlCrmError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"xl-crm: {exc}", err=True)
            sys.exit(2)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # unexpected: still one line unless --debug
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"xl-crm: unexpected error: {exc.__class__.__name__}: {exc} (rerun with --debug)", err=True)
            sys.exit(3)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="xl-crm", message="%(prog)s %(version)s")
@click.option("--debug", is_flag=True, help="Show full tracebacks.")
@click.pass_context
def main(ctx, debug):
    """xl-crm: a lightweight CRM inside an Excel workbook."""
    ctx.obj = {"debug": debug}


# each command module registers its commands on `main`
from . import (  # noqa: E402, F401
    adopt_commands,  # upgrade, import
    excel_command,  # excel-setup
    report_command,  # report
    team_command,  # handover
    workbook_commands,  # init, refresh, check, demo
)
