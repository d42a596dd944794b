"""Write the reports of many months and reps from one read of the workbook.

The parent process parses the workbook once and computes the shared,
date-dependent tables (snapshots, metric tables) for every month; forked
worker processes inherit them and only assemble and write their files.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

from ..book.read import read_workbook
from ..errors import XlCrmError
from .book import ReportBook
from .kpis import default_as_of, shift_month
from .model import metrics, report_model
from .pdf import to_pdf
from .writer import write_report

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')
_BOOK: ReportBook | None = None  # the batch's data, inherited by forked workers


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


def _write_one(task: tuple) -> Path:
    month, as_of, rep, path, lang = task
    return write_report(report_model(_BOOK, month, as_of, rep), path, lang)


def write_reports(workbook_path, months: list[str], out_dir="reports", *, as_of: date | None = None,
                  reps: list[str] | None = None, lang: str | None = None, pdf: bool = False, jobs: int = 1,
                  on_progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Write `<month>-team.xlsx` and `<month>-<rep>.xlsx` for every month; return the paths written.

    reps: only these reps' files (default: every rep who owns a deal or logged
    an activity). as_of: the evaluation date (one month only; default the
    month's last day, or today while it runs). on_progress(done, total) is
    called after each file.
    """
    global _BOOK
    months = [check_month(m) for m in months]
    if as_of is not None and len(months) != 1:
        raise XlCrmError("--as-of needs a single --month")
    data = read_workbook(workbook_path)
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
        for m, d in ((month, day), (shift_month(month, -1), None), (shift_month(month, -12), None)):
            metrics(book, m, d)  # shared by every report of the month: compute before forking
        book.snapshot(day).touches
        tasks.append((month, day, None, out / f"{month}-team.xlsx", lang))
        tasks += [(month, day, rep, out / f"{month}-{names[rep]}.xlsx", lang) for rep in chosen]
    _BOOK = book
    try:
        paths = []
        if jobs > 1 and len(tasks) > 1:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                for path in pool.map(_write_one, tasks, chunksize=max(1, len(tasks) // (jobs * 4))):
                    paths.append(path)
                    on_progress and on_progress(len(paths), len(tasks))
        else:
            for task in tasks:
                paths.append(_write_one(task))
                on_progress and on_progress(len(paths), len(tasks))
    finally:
        _BOOK = None
    if pdf:
        paths += to_pdf(paths, jobs)
    return paths
