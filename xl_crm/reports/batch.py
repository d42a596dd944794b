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

from ..sheets.read import read_workbook
from ..errors import XlCrmError
from ..model.mapping import Mapping
from .data import ReportBook
from .kpis import default_as_of, shift_month
from .model import date_tables, month_tables, report_model
from .pdf import to_pdf
from .writer import write_report

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def safe_name(name: str) -> str:
    """A file-name part for a rep: path and reserved characters replaced, Chinese kept."""
    return _UNSAFE.sub("_", name).strip(" .") or "_"


def month_list(first: str, last: str) -> list[str]:
    """Every "YYYY-MM" from first to last, inclusive."""
    months = [first]
    while months[-1] < last:
        months.append(shift_month(months[-1], 1))
    return months


def check_month(month: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise XlCrmError(f"month {month!r}: expected YYYY-MM")
    return month


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


def _worker(book: ReportBook, tasks: list[tuple], lang: str, queue) -> None:
    """A forked process: write some reports, telling the parent after each one."""
    try:
        for task in tasks:
            _write_one(book, task, lang)
            queue.put(1)
        queue.put(None)
    except Exception as exc:  # the parent reports it as one line
        queue.put(f"{tasks[0][3].name}...: {exc}")


def _blocks(tasks: list[tuple], jobs: int) -> list[list[tuple]]:
    """`jobs` runs of consecutive tasks: whole months when there are enough months to go round.

    Consecutive months share their comparison months, so each process
    computes little that another one also computes.
    """
    months = list(dict.fromkeys(t[0] for t in tasks))
    if len(months) < jobs:
        size = -(-len(tasks) // jobs)
        return [tasks[i:i + size] for i in range(0, len(tasks), size)]
    runs = [set(run) for run in np.array_split(np.array(months, dtype=object), jobs)]
    return [[t for t in tasks if t[0] in run] for run in runs]


def _in_parallel(book: ReportBook, tasks: list[tuple], lang: str, jobs: int, on_progress) -> None:
    """Split the tasks into `jobs` runs (_blocks), one forked process each.

    A month split between processes is computed before forking, so its
    tables are computed once and inherited by every process.
    """
    blocks = _blocks(tasks, jobs)
    for month, as_of in {(t[0], t[1]) for t in tasks}:
        if sum(any(t[0] == month for t in block) for block in blocks) > 1:
            _prepare(book, month, as_of)
    book.months  # noqa: B018 (computed once, inherited by every process)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    processes = [context.Process(target=_worker, args=(book, block, lang, queue), daemon=True) for block in blocks]
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
                  reps: list[str] | None = None, lang: str | None = None, pdf: bool = False, jobs: int = 1,
                  on_progress: Callable[[int, int], None] | None = None, mapping: Mapping | None = None) -> list[Path]:
    """Write `<month>-team.xlsx` and `<month>-<rep>.xlsx` for every month; return the paths written.

    reps: only these reps' files (default: every rep who owns a deal or logged
    an activity). as_of: the evaluation date (one month only; default the
    month's last day, or today while it runs). jobs: processes writing in
    parallel (where processes cannot be forked, as on Windows, one after
    another). on_progress(done, total) is called after each file. mapping:
    how the workbook's headers and values read (xl_crm.model.mapping).
    """
    months = [check_month(m) for m in months]
    if as_of is not None and len(months) != 1:
        raise XlCrmError("--as-of needs a single --month")
    data = read_workbook(workbook_path, mapping, sheets=("customers", "opportunities", "activities"), threads=jobs)
    book = ReportBook.from_data(data)
    lang = lang or data.lang
    chosen = book.reps if reps is None else list(dict.fromkeys(reps))
    unknown = [r for r in chosen if r not in book.reps]
    if unknown:
        raise XlCrmError(f"{workbook_path}: no deal or activity is owned by rep {unknown[0]!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    names = _file_names(chosen)
    tasks = []
    for month in months:
        day = as_of or default_as_of(month)
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
