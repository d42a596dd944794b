"""Time `upgrade` on a large user workbook (a plain range and an Excel Table) and a row-level edit of a
200,000-row sheet.

    python benchmarks/bench_upgrade.py [ROWS]
"""

from __future__ import annotations

import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

import xlsxwriter

from xl_crm.adopt.upgrade import upgrade_workbook
from xl_crm.ooxml.package import Package

HEADERS = ["Customer ID", "Company", "Sales Rep", "Need", "Close Date", "Notes"]


def user_workbook(path: Path, rows: int, table: bool = False) -> Path:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": not table})
    sheet = book.add_worksheet("Accounts")
    if table:
        sheet.add_table(0, 0, rows, len(HEADERS) - 1, {"name": "Accounts", "columns": [{"header": h} for h in HEADERS]})
    else:
        sheet.write_row(0, 0, HEADERS)
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for i in range(1, rows + 1):
        sheet.write_row(i, 0, [f"C{i:06d}", f"Company {i}", f"Rep {i % 20}", ("Now", "Future", "None")[i % 3]])
        sheet.write_datetime(i, 4, date(2026, 1, 1) + timedelta(days=i % 400), day)
        sheet.write(i, 5, "note")
    book.close()
    return path


def timed(label, fn):
    start = time.perf_counter()
    result = fn()
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return result


def sheet_size(path: Path) -> int:
    """Uncompressed bytes of the first worksheet part."""
    with zipfile.ZipFile(path) as z:
        return z.getinfo("xl/worksheets/sheet1.xml").file_size


def upgraded(label: str, path: Path, rows: int) -> None:
    """Upgrade and check the sheet part grew by its cells, not by a copy of every formula in every cell.

    Ten of the added columns hold cells (six formulas, four synced values), some 45 bytes each with its
    cached value; a formula's text is 300-1500 bytes.
    """
    before = sheet_size(path)
    timed(label, lambda: upgrade_workbook(path, backup=False))
    after = sheet_size(path)
    print(f"  sheet part {before / 2**20:.1f} MB -> {after / 2**20:.1f} MB ({after / before:.2f}x, "
          f"{(after - before) / rows:.0f} bytes a row added)")
    assert (after - before) / rows < 600, "each added column should store its formula once"


def main(rows: int = 30_000) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = timed(f"write a {rows}-row user workbook", lambda: user_workbook(Path(folder) / "big.xlsx", rows))
        upgraded("upgrade (16 columns added, formulas and cached values)", path, rows)
        timed("second upgrade (nothing to do)", lambda: upgrade_workbook(path))
        table = timed(f"write a {rows}-row user workbook holding an Excel Table",
                      lambda: user_workbook(Path(folder) / "table.xlsx", rows, table=True))
        upgraded("upgrade (the table widened by 16 calculated and synced columns)", table, rows)
        big = timed("write a 200000-row user workbook", lambda: user_workbook(Path(folder) / "huge.xlsx", 200_000))

        def edit():
            with Package.open(big) as pkg:
                pkg.set_cells("Accounts", {(r, 6): r for r in range(2, 200_002)})
                pkg.save(backup=False)
        timed("set one column on 200000 rows and save", edit)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30_000)
