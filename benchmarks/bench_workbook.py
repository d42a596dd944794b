"""init --data + refresh at scale, and LibreOffice's full recalculation against a plain load.

Run: .venv/bin/python benchmarks/bench_workbook.py [--customers 20000 --opportunities 200000
--activities 300000]. Prints the timings and ratios, all measured in this one run, and writes them
to benchmarks/results/workbook.txt.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

import xlsxwriter
from python_calamine import CalamineWorkbook

from xl_crm.commands.demo import demo_frames
from xl_crm.commands.workbook import init_workbook, refresh_workbook
from xl_crm.ooxml.soffice import convert

RESULTS = Path(__file__).parent / "results" / "workbook.txt"


def timed(label, fn, lines):
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    lines.append(f"{label}: {seconds:.1f} s")
    print(lines[-1], flush=True)
    return result, seconds


def values_copy(source: Path, target: Path) -> None:
    """The same cells with every formula replaced by its value: what LibreOffice loads without formulas."""
    book = CalamineWorkbook.from_path(str(source))
    out = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False})
    for name in book.sheet_names:
        sheet = out.add_worksheet(name)
        for r, row in enumerate(book.get_sheet_by_name(name).to_python()):
            for c, value in enumerate(row):
                if value != "":
                    sheet.write(r, c, value)
    out.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--opportunities", type=int, default=200_000)
    parser.add_argument("--activities", type=int, default=300_000)
    args = parser.parse_args()
    as_of = date(2026, 11, 23)
    lines = [f"{args.customers} customers, {args.opportunities} opportunities, {args.activities} activities"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        frames = demo_frames(as_of, customers=args.customers, opportunities=args.opportunities,
                             contacts=args.customers, activities=args.activities)
        for key, frame in frames.items():
            frame.to_csv(tmp / f"{key}.csv", index=False)
        book = tmp / "crm.xlsx"
        _, t_init = timed("xl-crm init --data", lambda: init_workbook(book, data_dir=tmp, as_of=as_of), lines)
        _, t_refresh = timed("xl-crm refresh", lambda: refresh_workbook(book, as_of=as_of, backup=False), lines)
        plain = tmp / "plain.xlsx"
        values_copy(book, plain)
        (tmp / "a").mkdir()
        (tmp / "b").mkdir()
        _, t_recalc = timed("LibreOffice load + full recalculation", lambda: convert(book, "xlsx", tmp / "a"),
                            lines)
        _, t_plain = timed("LibreOffice load of the same cells without formulas",
                           lambda: convert(plain, "xlsx", tmp / "b", recalc=False), lines)
        lines.append(f"ratio recalculation / plain load: {t_recalc / t_plain:.2f}")
        lines.append(f"size: {book.stat().st_size / 1e6:.1f} MB")
    print("\n".join(lines[-2:]))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
