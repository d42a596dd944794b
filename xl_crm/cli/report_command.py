"""`xl-crm report`: the month's team and per-rep reports, one month or a range."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..commands.check import Counts
from ..commands.check import note as check_note
from ..errors import XlCrmError
from ..folder.scan import is_team
from ..model.cells import Invalid, parse_iso_date
from ..model.mapping import load_mapping
from ..reports import labels
from ..reports.batch import default_jobs, month_list, workbook_lang, write_reports
from ..sheets.read import read_workbook
from . import main
from .options import MAPPING, SCHEDULER, STRICT
from .team_command import check_team_lines

PROGRESS_FROM = 10  # files; smaller batches finish before a bar would help


@main.command("report")
@click.argument("workbook", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--month", "month", multiple=True, metavar="YYYY-MM", help="The month to report.")
@click.option("--from", "first", metavar="YYYY-MM", help="First month of a batch.")
@click.option("--to", "last", metavar="YYYY-MM", help="Last month of a batch (default: --from).")
@click.option("--as-of", metavar="YYYY-MM-DD",
              help="Evaluation date (default: the month's last day, or while the month runs the workbook's AsOf, "
                   "else today); no month may begin after it.")
@click.option("--out", "out_dir", default="reports", show_default=True, type=click.Path(file_okay=False,
              path_type=Path), help="Output folder.")
@click.option("--rep", "reps", multiple=True, metavar="NAME",
              help="Only this rep's report, no team report (repeatable; case does not matter).")
@click.option("--lang", type=click.Choice(["en", "zh"]), help="Report language (default: the workbook's).")
@click.option("--pdf", is_flag=True, help="Also print each report to PDF with LibreOffice.")
@click.option("--jobs", type=click.IntRange(1), default=default_jobs, show_default="one per CPU",
              help="Processes writing reports at the same time.")
@MAPPING
@STRICT
@SCHEDULER
def report(workbook, month, first, last, as_of, out_dir, reps, lang, pdf, jobs, mapping_file, strict, scheduler):
    """Write DIR/<YYYY-MM>-team.xlsx and DIR/<YYYY-MM>-<rep>.xlsx from WORKBOOK (or a team folder, or several)."""
    workbook = workbook if is_team(workbook) else workbook[0]
    if bool(month) == bool(first):
        raise XlCrmError("give either --month or --from [--to]")
    told = workbook_lang(workbook)
    if len(month) > 1:
        raise XlCrmError(labels.refusal("month_twice", told, months=", ".join(month)))
    months = list(month) if month else month_list(first, last or first, told)
    mapping = load_mapping(mapping_file)
    # the workbook, or the team's files, read once, for the check line and the reports
    if is_team(workbook):
        lines, errors, team = check_team_lines(workbook, mapping, False, scheduler=scheduler)
        found, line, data = Counts(errors, 0), lines[-1], team.merged
    else:  # a workbook with no CRM table stops here, in one line
        data = read_workbook(workbook, mapping, threads=jobs)
        found, line = check_note(data)
    click.echo(line)
    if strict and found.errors:
        sys.exit(1)
    try:
        day = parse_iso_date(as_of) if as_of else None
    except Invalid as exc:
        raise XlCrmError(f"--as-of: {exc}") from None
    with Progress(TextColumn("reports"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  transient=True, disable=len(months) * 2 < PROGRESS_FROM) as bar:
        task = bar.add_task("reports", total=None)
        paths = write_reports(workbook, months, out_dir, as_of=day, reps=list(reps) or None, lang=lang, pdf=pdf,
                              jobs=jobs, mapping=mapping, data=data,
                              on_progress=lambda done, total: bar.update(task, completed=done, total=total))
    click.echo(f"{len(paths)} files written to {out_dir}")
