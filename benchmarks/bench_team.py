"""Benchmark a team folder's month report against reading every workbook once with python-calamine.

Generates a folder of --reps rep workbooks (500 deals, 50 customers,
1,000 activities each, as `init` writes them), then times, in one run:
  read     python-calamine reading every sheet of every workbook (the yardstick)
  report   the team month report and one report per rep, reading the folder on this machine's cores
  cluster  the same with the folder read on a two-worker distributed.LocalCluster (when Dask is installed)
each the best of --repeat rounds taken in turn, and writes the ratios to benchmarks/results/team.txt.

    .venv/bin/python benchmarks/bench_team.py [--reps 200] [--repeat 1] [--folder DIR]
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from python_calamine import CalamineWorkbook

from xl_crm.commands.demo import demo_frames
from xl_crm.commands.workbook import write_standard_workbook
from xl_crm.folder.parallel import reader
from xl_crm.model.asof import AsOf
from xl_crm.reports.batch import default_jobs, write_reports

RESULTS = Path(__file__).parent / "results" / "team.txt"
AS_OF = date(2026, 11, 20)
MONTH = "2026-11"
ID_COLUMNS = ("customer_id", "opportunity_id", "contact_id", "payment_id")


def rep_book(args) -> Path:
    """One rep's workbook: the demo's records with the rep's own IDs and name."""
    folder, i = args
    frames = demo_frames(AS_OF, customers=50, opportunities=500, contacts=50, activities=1000)
    # the demo gives every deal the touches its life needs (about 2,600 here): keep 1,000 of them
    frames["activities"] = frames["activities"].sample(n=1000, random_state=i).sort_index().reset_index(drop=True)
    for frame in frames.values():
        for key in ID_COLUMNS:
            if key in frame:
                frame[key] = frame[key].map(lambda v: None if v is None else f"R{i:03d}-{v}")
        if "owner" in frame:
            frame["owner"] = f"Rep {i:03d}"
        if "name" in frame and "customer_id" in frame and "opportunity_id" not in frame:
            frame["name"] = frame["name"].map(lambda v: f"{v} {i:03d}")
    return write_standard_workbook(Path(folder) / f"rep_{i:03d}.xlsx", frames, lang="en", as_of=AsOf(AS_OF),
                                   backup=False)


def make_folder(folder: Path, reps: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    missing = [(str(folder), i) for i in range(reps) if not (folder / f"rep_{i:03d}.xlsx").exists()]
    with multiprocessing.get_context("fork").Pool(default_jobs()) as pool:
        pool.map(rep_book, missing)


def read_all(folder: Path) -> None:
    for path in sorted(folder.glob("*.xlsx")):
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--folder", type=Path, help="Keep the generated folder here (reused when present).")
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp()) / "team"
    made = timed(lambda: make_folder(folder, args.reps))
    out = Path(tempfile.mkdtemp())
    jobs = default_jobs()
    runs = {"read": lambda: read_all(folder),
            "report": lambda: write_reports(folder, [MONTH], out / "local", jobs=jobs)}
    cluster = None
    try:
        from distributed import LocalCluster

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        runs["cluster"] = lambda: write_reports(folder, [MONTH], out / "cluster", jobs=jobs,
                                                reader=reader(cluster.scheduler_address))
    except ImportError:
        pass
    best = {key: min(timed(run) for _ in range(args.repeat)) for key, run in runs.items()}
    if cluster is not None:
        cluster.close()
    files = len(list((out / "local").glob("*.xlsx")))
    lines = [f"team folder: {args.reps} rep workbooks (50 customers, 500 deals, 1,000 activities each), "
             f"generated in {made:.0f} s; {jobs} cores; {files} report files",
             f"read (calamine, every sheet of every workbook): {best['read']:.1f} s"]
    for key in ("report", "cluster"):
        if key in best:
            lines.append(f"{key}: {best[key]:.1f} s = {best[key] / best['read']:.2f}x the read")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
