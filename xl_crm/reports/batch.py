"""Write the reports of many months and reps from one read of the workbook.

The parent process parses the workbook once into a ReportBook; forked
processes inherit it and each writes a run of consecutive months, computing
the tables of each month and evaluation date once (model.py).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from queue import Empty

import numpy as np

from ..errors import XlCrmError
from ..folder.read import inputs_only, read_source
from ..folder.scan import first_book
from ..model import schema
from ..model.mapping import Mapping
from ..ooxml.package import Package
from ..sheets.read import CrmData, read_workbook
from ..sheets.settings_sheet import fixed_as_of
from . import labels
from .data import OTHER_SHEETS, ReportBook
from .kpis import default_as_of, month_bounds, shift_month
from .model import date_tables, month_tables, report_model
from .pdf import to_pdf
from .writer import write_report

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def safe_name(name: str) -> str:
    """A file-name part for a rep: path and reserved characters replaced, Chinese kept."""
    return _UNSAFE.sub("_", name).strip(" .") or "_"


def month_list(first: str, last: str, lang: str = "en") -> list[str]:
    """Every "YYYY-MM" from first to last, inclusive; a range whose start is after its end is refused."""
    first, last = check_month(first, lang), check_month(last, lang)
    if first > last:
        raise XlCrmError(labels.refusal("reversed", lang, first=first, last=last))
    months = [first]
    while months[-1] < last:
        months.append(shift_month(months[-1], 1))
    return months


def check_month(month: str, lang: str = "en") -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise XlCrmError(labels.refusal("month_format", lang, month=month))
    return month


def workbook_lang(path) -> str:
    """The workbook's language from its sheet names alone (read before the workbook is parsed)."""
    with Package.open(first_book(path)) as pkg:
        names = set(pkg.sheet_names)
    english = {s.en for s in schema.DATA_SHEETS} | {schema.SETTINGS_NAME.en}
    chinese = {s.zh for s in schema.DATA_SHEETS} | {schema.SETTINGS_NAME.zh}
    return "zh" if names & chinese and not names & english else "en"


def _workbook_day(path, data) -> date:
    """The date the workbook is evaluated at: its fixed AsOf, else today."""
    if data.path is None:  # a team's: its team workbook's AsOf, else the latest a rep workbook holds
        return data.as_of or date.today()
    with Package.open(path) as pkg:
        return fixed_as_of(pkg, data) or date.today()


def running_month(workbook_path) -> str:
    """"YYYY-MM" of the workbook's evaluation date (its fixed AsOf, else today): the month a button reports."""
    return _workbook_day(workbook_path, read_workbook(workbook_path, sheets=())).strftime("%Y-%m")


def _dates(book: ReportBook, months: list[str], as_of: date | None, limit: date, path, lang: str) -> list[date]:
    """Each month's evaluation date; a month the workbook cannot know is refused (section 11).

    limit: the latest date a report may look at when as_of is not given (the
    workbook's fixed AsOf, else today). The first data comes from
    ReportBook.first_date.
    """
    if book.first_date is None:
        raise XlCrmError(labels.refusal("no_dates", lang, path=path))
    days = []
    for month in months:
        first, last = month_bounds(month)
        if last < book.first_date:
            raise XlCrmError(labels.refusal("before_data", lang, path=path, month=month, first=book.first_date))
        if first > (as_of or limit):
            raise XlCrmError(labels.refusal("after_as_of", lang, path=path, month=month, as_of=as_of or limit))
        days.append(as_of or default_as_of(month, limit))
    return days


def _choose_reps(book: ReportBook, asked: list[str], path, lang: str) -> list[str]:
    """The reps asked for, matched trimmed and case-insensitively; an unknown name lists the reps."""
    by_key: dict[str, list[str]] = {}
    for rep in book.reps:
        by_key.setdefault(rep.strip().casefold(), []).append(rep)
    chosen = []
    for name in asked:
        found = by_key.get(str(name).strip().casefold())
        if not found:
            raise XlCrmError(labels.refusal("unknown_rep", lang, path=path, rep=name, reps=", ".join(book.reps)))
        chosen += found
    return list(dict.fromkeys(chosen))


def _file_names(reps: list[str]) -> dict[str, str]:
    """One distinct safe file name per rep (a numbered suffix when two names clash)."""
    names, used = {}, set()
    for rep in reps:
        base, n = safe_name(rep), 1
        name = base
        while name.casefold() in used or name.casefold() == "team":
            n += 1
            name = f"{base}_{n}"
        used.add(name.casefold())
        names[rep] = name
    return names


def _write_one(book: ReportBook, task: tuple, lang: str) -> Path:
    month, as_of, rep, path = task
    return write_report(report_model(book, month, as_of, rep), path, lang)


def _prepare(book: ReportBook, month: str, as_of: date) -> None:
    """Compute a month's shared tables (its own, the previous month's and the year-ago month's)."""
    month_tables(book, month, as_of)
    date_tables(book, as_of)


def _worker(book: ReportBook, tasks: list[tuple], lang: str, queue, taken=None) -> None:
    """A forked process: write reports, telling the parent after each one.

    taken: a counter the processes share; each then writes the next of `tasks`
    that none has taken yet. Else (None) the process writes `tasks` in turn.
    """
    task = tasks[0]
    try:
        for task in tasks if taken is None else _untaken(tasks, taken):
            _write_one(book, task, lang)
            queue.put(1)
        queue.put(None)
    except Exception as exc:  # the parent reports it as one line
        queue.put(f"{task[3].name}: {exc}")


def _untaken(tasks: list[tuple], taken):
    """The tasks no other process has taken, one at a time."""
    while True:
        with taken.get_lock():
            i = taken.value
            taken.value += 1
        if i >= len(tasks):
            return
        yield tasks[i]


def _blocks(tasks: list[tuple], jobs: int) -> list[list[tuple]]:
    """`jobs` runs of whole consecutive months (there are at least `jobs` months).

    Consecutive months share their comparison months, so each process
    computes little that another one also computes.
    """
    months = list(dict.fromkeys(t[0] for t in tasks))
    runs = [set(run) for run in np.array_split(np.array(months, dtype=object), jobs)]
    return [[t for t in tasks if t[0] in run] for run in runs]


def _in_parallel(book: ReportBook, tasks: list[tuple], lang: str, jobs: int, on_progress) -> None:
    """Write the tasks in `jobs` forked processes.

    With at least as many months as processes, each writes a run of whole
    months (_blocks). With fewer, the months' tables are computed before
    forking, so every process inherits them, and each process takes the next
    report as it finishes one: the team's, the longest, first, then the reps'.
    They end together, however unevenly the machine shares its cores, where
    halves of the list fixed in advance had one wait for the other.
    """
    context = multiprocessing.get_context("fork")
    months = {(t[0], t[1]) for t in tasks}
    if len({month for month, _ in months}) < jobs:
        for month, as_of in months:
            _prepare(book, month, as_of)
        taken = context.Value("i", 0)
        runs = [(tasks, taken)] * jobs
    else:
        runs = [(block, None) for block in _blocks(tasks, jobs)]
    book.months
    queue = context.Queue()
    processes = [context.Process(target=_worker, args=(book, run, lang, queue, shared), daemon=True)
                 for run, shared in runs]
    for process in processes:
        process.start()
    written, finished = 0, 0
    try:
        while finished < len(processes):
            try:
                message = queue.get(timeout=1)
            except Empty:
                if any(p.exitcode not in (None, 0) for p in processes):
                    raise XlCrmError("a report process stopped unexpectedly") from None
                continue
            if message is None:
                finished += 1
            elif message == 1:
                written += 1
                on_progress and on_progress(written, len(tasks))
            else:
                raise XlCrmError(message)
    finally:
        for process in processes:
            if process.is_alive() and finished < len(processes):
                process.terminate()
            process.join()


def default_jobs() -> int:
    """The processes a batch uses unless told: one per CPU this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def write_reports(workbook_path, months: list[str], out_dir="reports", *, as_of: date | None = None,
                  reps: list[str] | None = None, team: bool | None = None, lang: str | None = None,
                  pdf: bool = False, jobs: int = 1,
                  on_progress: Callable[[int, int], None] | None = None, mapping: Mapping | None = None,
                  reader=None, data: CrmData | None = None) -> list[Path]:
    """Write `<month>-team.xlsx` and `<month>-<rep>.xlsx` for every month; return the paths written.

    reps: only these reps' files, names matched trimmed and case-insensitively
    (default: every rep who owns a customer, a deal or an activity). team:
    write the team report too (default: only when reps is not given).
    as_of: the evaluation date (one month only; default the month's last
    day, or the workbook's fixed AsOf, or today, while the month runs).
    jobs: processes writing in parallel (where processes cannot be forked,
    as on Windows, one after another). on_progress(done, total) is called
    after each file. mapping: how the workbook's headers and values read
    (xl_crm.model.mapping). A month the workbook cannot know (before its first
    date, or beginning after as_of) is refused with XlCrmError before
    anything is written. workbook_path may be a team folder or several
    workbooks (xl_crm.folder); reader says where their files are read
    (folder.parallel.reader). data: the workbook already read (the command
    line reads it once, for the check line too).
    """
    if data is None:
        data = read_source(workbook_path, mapping, sheets=("customers", "opportunities", "activities", *OTHER_SHEETS),
                           threads=jobs, reader=reader, reduce=inputs_only)
    told = data.lang  # refusals speak the workbook's language
    months = [check_month(m, told) for m in months]
    repeated = next((m for m in months if months.count(m) > 1), None)
    if repeated:
        raise XlCrmError(labels.refusal("repeated", told, month=repeated))
    if as_of is not None and len(months) != 1:
        raise XlCrmError(labels.refusal("one_month", told))
    limit = _workbook_day(workbook_path, data)
    book = ReportBook.from_data(data)
    book.present = limit  # a cached TODAY() is no fixed date: before today, History tells the state
    days = _dates(book, months, as_of, limit, workbook_path, told)
    lang = lang or data.lang
    team = reps is None if team is None else team
    chosen = book.reps if reps is None else _choose_reps(book, reps, workbook_path, told)
    if not team and not chosen:
        raise XlCrmError(labels.refusal("nothing", told))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    names = _file_names(chosen)
    tasks = []
    for month, day in zip(months, days):
        if team:
            tasks.append((month, day, None, out / f"{month}-team.xlsx"))
        tasks += [(month, day, rep, out / f"{month}-{names[rep]}.xlsx") for rep in chosen]
    # the book's millions of cells live as long as the batch: garbage collections need not walk them
    # again and again (nor touch, and so copy, the pages forked processes share)
    gc.freeze()
    try:
        if jobs > 1 and len(tasks) > 1 and "fork" in multiprocessing.get_all_start_methods():
            _in_parallel(book, tasks, lang, min(jobs, len(tasks)), on_progress)
        else:
            for done, task in enumerate(tasks, start=1):
                _write_one(book, task, lang)
                on_progress and on_progress(done, len(tasks))
    finally:
        gc.unfreeze()
    paths = [task[3] for task in tasks]
    if pdf:
        paths += to_pdf(paths, jobs)
    return paths
