"""The Excel functions' speed in Python: crm_grade over a 100,000-row range, and one scalar call.

Run: .venv/bin/python benchmarks/bench_udfs.py [--rows 100000]. The range holds what the classic
add-in passes (2-D lists, datetime closes, English and Chinese needs, some blanks); a second run
passes Excel serial numbers as xlwings Lite does; a third has no two rows alike, so nothing is
evaluated once for many rows (real close dates repeat: calendar days). Goal: the range under 0.2 s. Results go to
benchmarks/results/udfs.txt. (Excel's own cost of handing the range over is not measured here.)
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from xl_crm.excel import udfs
from xl_crm.model.cells import to_serial

RESULTS = Path(__file__).parent / "results" / "udfs.txt"
AS_OF = date(2025, 6, 30)


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    rng = random.Random(7)
    needs = [[rng.choice(["Now", "现有需求", "Future", "None", None])] for _ in range(args.rows)]
    closes = [[None if rng.random() < 0.1 else datetime(2025, 1, 1) + timedelta(days=rng.randrange(730))]
              for _ in range(args.rows)]
    serials = [[None if c is None else float(to_serial(c.date()))] for [c] in closes]
    as_of = datetime.combine(AS_OF, datetime.min.time())

    lines = [f"rows: {args.rows:,}"]
    for label, column, day in (("datetime closes", closes, as_of), ("serial closes (Lite)", serials,
                                                                    float(to_serial(AS_OF)))):
        seconds = best_of(lambda: udfs.crm_grade(needs, column, None, day), 3)
        lines.append(f"crm_grade over the range, {label}: {seconds:.3f} s (goal < 0.2 s)")
    distinct = [[as_of + timedelta(minutes=7 * i)] for i in range(args.rows)]  # no two rows alike
    seconds = best_of(lambda: udfs.crm_grade([["Now"]] * args.rows, distinct, None, as_of), 3)
    lines.append(f"crm_grade over the range, every row distinct (worst case): {seconds:.3f} s")
    calls = 20_000
    scalar = best_of(lambda: [udfs.crm_grade("Now", as_of, None, as_of) for _ in range(calls)], 3) / calls
    lines.append(f"crm_grade scalar call: {scalar * 1e6:.1f} us per call")
    status = best_of(lambda: [udfs.crm_followup_status(as_of, None, as_of, as_of) for _ in range(calls)],
                     3) / calls
    lines.append(f"crm_followup_status scalar call: {status * 1e6:.1f} us per call")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
