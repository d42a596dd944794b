"""Benchmark `xl-crm report` against a plain python-calamine read of the same workbook.

Generates 100,000 opportunities, 10,000 customers, 200,000 activities,
100,000 payments, two years of monthly targets and 50 reps, and writes
them twice: as the bare rows under canonical headers (the hardest case:
the read is all there is to parse, so the report's own work weighs
most), and as the standard workbook `xl-crm init --data` makes (derived
columns as formulas with cached results, as a rep's workbook holds them). For each it times, in one run:
  read   python-calamine reading every sheet (the yardstick)
  month  one month's team report and 50 rep reports, parse included
  year   a 12-month batch, parse included
each the best of --repeat rounds in which the three take turns (the
machines are shared: the best run is the one least disturbed), and writes
the ratios to benchmarks/results/report.txt.

    .venv/bin/python benchmarks/bench_report.py [--scale 0.1] [--jobs 2] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import xlsxwriter
from python_calamine import CalamineWorkbook

from xl_crm.commands.workbook import write_standard_workbook
from xl_crm.model import schema
from xl_crm.model.asof import AsOf
from xl_crm.reports import write_reports
from xl_crm.sheets import settings_sheet

RESULTS = Path(__file__).parent / "results" / "report.txt"
END = date(2025, 12, 31)
INDUSTRIES = ["Manufacturing", "Retail", "Finance", "Energy", "Health", "Education", "Logistics"]
REGIONS = ["North", "South", "East", "West", "Central"]
PRODUCTS = ["ERP", "CRM", "BI", "Cloud", "Support", "Training"]


def _day(rng: random.Random, days_back: int) -> date:
    return END - timedelta(days=rng.randrange(days_back))


def data_frames(opportunities: int, customers: int, activities: int, reps: int, payments: int = 0,
                seed: int = 7) -> dict[str, pd.DataFrame]:
    """Random but plausible canonical rows for the data sheets (Targets and Payments too)."""
    rng = random.Random(seed)
    names = [f"Rep {i:02d}" for i in range(reps)]
    owners = [rng.choice(names) for _ in range(customers)]
    customer_rows = [
        [f"C{i:05d}", f"Customer {i}", owners[i], rng.choice(INDUSTRIES), rng.choice(REGIONS),
         rng.choice(["Now", "Future", "None", None]), _day(rng, 200) + timedelta(days=150),
         _day(rng, 120) if rng.random() < 0.8 else None,
         _day(rng, 60) + timedelta(days=30) if rng.random() < 0.3 else None]
        for i in range(customers)]
    opportunity_rows = []
    for i in range(opportunities):
        c = rng.randrange(customers)
        created = _day(rng, 1100)
        status = rng.choices(["Open", "Won", "Lost"], [3, 4, 3])[0]
        stage = 5 if status == "Won" else rng.randint(1, 5)
        closed = None if status == "Open" else min(END, created + timedelta(days=rng.randint(10, 200)))
        opportunity_rows.append([
            f"O{i:06d}", f"C{c:05d}", f"Deal {i}", owners[c] if rng.random() < 0.97 else None,
            rng.choice(PRODUCTS), stage, status,
            round(rng.uniform(5e3, 5e5), 2) if status != "Open" or rng.random() < 0.9 else None,
            created if rng.random() < 0.98 else None, created + timedelta(days=120), closed,
            created + timedelta(days=rng.randint(0, 60)), rng.randint(0, 10), rng.randint(0, 10),
            rng.choice(["Ours", "Neutral", "Theirs"]), rng.choice(["Ahead", "Even", "Behind"])])
    activity_rows = [
        [_day(rng, 1100), f"C{rng.randrange(customers):05d}", f"O{rng.randrange(opportunities):06d}", None,
         rng.choice(names), rng.choice(["Call", "Visit", "Email"]), "Touch"]
        for _ in range(activities)]
    contact_rows = [[f"P{i:05d}", f"C{i % customers:05d}", f"Person {i}"] for i in range(customers)]
    columns = {
        "customers": ["customer_id", "name", "owner", "industry", "region", "need", "expected_close",
                      "last_contact", "next_action_date"],
        "opportunities": ["opportunity_id", "customer_id", "name", "owner", "product", "stage", "status", "amount",
                          "created", "expected_close", "closed_date", "stage_since", "short_term_score",
                          "long_term_score", "territory", "lead"],
        "contacts": ["contact_id", "customer_id", "name"],
        "activities": ["date", "customer_id", "opportunity_id", "contact_id", "owner", "type", "summary"],
    }
    target_rows = [[name, f"{year}-{month:02d}", round(rng.uniform(2e5, 2e6), -3)]
                   for name in names for year in (2024, 2025) for month in range(1, 13)]
    won = [row for row in opportunity_rows if row[6] == "Won"]
    payment_rows = []
    for i in range(payments if won else 0):
        deal = rng.choice(won)
        due = deal[10] + timedelta(days=rng.randint(0, 365))
        owed = round(rng.uniform(1e3, 2e5), 2)
        paid = rng.random() < 0.7 and due <= END
        payment_rows.append([f"PAY{i:06d}", deal[0], deal[1], rng.choice(["Advance", "Delivery", "Acceptance"]),
                             due, owed, due + timedelta(days=rng.randint(-5, 60)) if paid else None,
                             owed if paid else None])
    columns["targets"] = ["owner", "month", "target"]
    columns["payments"] = ["payment_id", "opportunity_id", "customer_id", "milestone", "due_date", "amount_due",
                           "received_date", "amount_received"]
    rows = {"customers": customer_rows, "opportunities": opportunity_rows, "contacts": contact_rows,
            "activities": activity_rows, "targets": target_rows, "payments": payment_rows}
    return {key: pd.DataFrame(rows[key], columns=keys, dtype=object) for key, keys in columns.items()}


def write_plain(path: Path, frames: dict[str, pd.DataFrame]) -> Path:
    """The rows alone under canonical headers, plus Settings: nothing but input cells to parse."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for spec in (spec for spec in schema.DATA_SHEETS if spec.key in frames):
        frame = frames[spec.key]
        ws = book.add_worksheet(spec.en)
        ws.write_row(0, 0, [spec.column(k).en for k in frame.columns])
        for r, row in enumerate(frame.itertuples(index=False), start=1):
            for c, value in enumerate(row):
                if isinstance(value, date):
                    ws.write_datetime(r, c, value, date_format)
                elif value is not None:
                    ws.write(r, c, value)
    ws = book.add_worksheet(schema.SETTINGS_NAME.en)
    cells, defined = settings_sheet.layout()
    for cell in cells:
        if cell.value != "=TODAY()":
            ws.write(cell.row - 1, cell.col, cell.value)
    for name, ref in defined.items():
        book.define_name(name, f"='{schema.SETTINGS_NAME.en}'!{ref}")
    book.close()
    return path


def read_all(path: Path) -> None:
    """The yardstick: python-calamine reading every sheet into Python values."""
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def timed(fn, *args, **kwargs) -> float:
    start = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - start


def measure(book: Path, out: Path, jobs: int, repeat: int) -> tuple[float, float, float]:
    """The best seconds to read the workbook, to write one month's reports and to write a 12-month batch.

    The three take turns, `repeat` rounds of them, so a busy spell of the
    machine slows one round of all three rather than one of them only.
    """
    best = [float("inf")] * 3
    for _ in range(repeat):
        runs = (timed(read_all, book),
                timed(write_reports, book, ["2025-11"], out / "month", jobs=jobs),
                timed(write_reports, book, [f"2025-{m:02d}" for m in range(1, 13)], out / "year", jobs=jobs))
        best = [min(b, r) for b, r in zip(best, runs)]
    return tuple(best)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full row counts")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the best counts")
    args = parser.parse_args()
    s = args.scale
    tmp = Path(tempfile.mkdtemp(prefix="bench_report_"))
    n = args.repeat
    lines = [
        "command: .venv/bin/python benchmarks/bench_report.py " + " ".join(sys.argv[1:]),
        (f"{int(100_000 * s)} opportunities, {int(10_000 * s)} customers, {int(200_000 * s)} activities, "
         f"{int(100_000 * s)} payments, 50 reps with 24 monthly targets; --jobs {args.jobs}; "
         f"each time the best of {n} rounds"),
    ]
    try:
        frames = data_frames(int(100_000 * s), int(10_000 * s), int(200_000 * s), 50, int(100_000 * s))
        books = {
            "data only (the rows under their headers)": write_plain(tmp / "plain.xlsx", frames),
            "made by xl-crm init --data (derived columns with cached results)":
                write_standard_workbook(tmp / "crm.xlsx", frames, lang="en", as_of=AsOf(END), backup=False),
        }
        for label, book in books.items():
            read, month, year = measure(book, tmp / book.stem, args.jobs, n)
            lines += [
                f"workbook {label}, {book.stat().st_size / 1e6:.1f} MB:",
                f"  python-calamine read:             {read:7.2f} s",
                f"  one month (team + 50 reps):       {month:7.2f} s  = {month / read:.2f}x read (goal <= 2)",
                f"  12-month batch:                   {year:7.2f} s  = {year / month:.2f}x one month (goal <= 3)",
            ]
            print("\n".join(lines[-4:]), flush=True)
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
