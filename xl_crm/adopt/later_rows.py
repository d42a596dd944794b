"""Rows added after `upgrade`: refresh gives them the row formulas and the customers they name.

Excel fills a Table's calculated columns into a row typed inside it, but
a plain range (most reps' trackers) gets nothing, and neither do rows
another tool wrote. Refresh therefore gives every row below a derived
column's last formula the formula `upgrade` wrote (one shared formula per
run of consecutive rows, cached results from the compute step), so the
row keeps computing with no Python running; a column that holds no formula
at all (values the user keeps there) is left alone. Customers a deal row
names and the Customers sheet lacks are appended below its last row. New
cells take the format of the same column in the row above them.
"""

from __future__ import annotations

import re
from typing import Callable

import pandas as pd

from ..model import schema
from ..ooxml import tables
from ..ooxml.package import Package
from ..ooxml.sheetxml import Styled, cell_style, col_letters, prefix_of, row_cells
from ..sheets import links
from ..sheets.read import CrmData, Table
from .added_columns import formula_cells


def first_free_row(table: Table, package: Package | None = None) -> int:
    """The row a record appended to the table goes to: below its last row and any totals row."""
    last = max([table.header_row, *table.frame.index])
    excel = None if package is None else tables.table_with_header(package, table.sheet_name, table.header_row,
                                                                   table.columns.values())
    return (max(last, excel.last_row) if excel is not None and excel.totals else last) + 1


def appended_customers(data: CrmData, package: Package | None = None) -> pd.DataFrame:
    """The customers deal rows name and the Customers sheet lacks, indexed by the rows they go to."""
    customers = data.tables.get("customers")
    new = links.new_customers(data)
    if customers is None or not len(new) or not {"customer_id", "name"} <= set(customers.columns):
        return pd.DataFrame(columns=["customer_id", "name"], dtype=object)
    first = first_free_row(customers, package)
    new.index = range(first, first + len(new))
    return new[[k for k in new.columns if k in customers.columns]]


def input_cells(table: Table, rows: pd.DataFrame) -> dict:
    """{(row, col): value} of the rows' input cells, as the sheet shows them."""
    return {(row, table.columns[key]): value for key in rows.columns
            for row, value in rows[key].items() if value is not None}


def last_formula_rows(xml: bytes, cols: list[int]) -> dict[int, int]:
    """The last row holding a formula in each of these 0-based columns (a column with none is left out).

    Rows are read from the bottom up, so a sheet of 200,000 rows costs the few rows below its last formulas.
    """
    letters = {col_letters(c): c for c in cols}
    p = prefix_of(xml)
    body = xml.find(b"<" + p + b"sheetData")
    end = xml.rfind(b"</" + p + b"sheetData>")
    if not letters or body < 0 or end < 0:
        return {}
    cell = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="(' + "|".join(letters).encode() + rb')(\d+)"[^>]*>\s*<(?:\w+:)?f\b')
    last: dict[int, int] = {}
    while len(last) < len(letters):
        start = xml.rfind(b"<" + p + b"row", body, end)
        if start < 0:
            break
        for found in cell.finditer(xml, start, end):
            last.setdefault(letters[found.group(1).decode()], int(found.group(2)))
        end = start
    return last


def derived_keys(table: Table) -> list[str]:
    """The derived columns refresh keeps as formulas: none when a formula would read a column the sheet lacks."""
    if not all(k in table.columns for k in table.spec.keys):
        return []  # `upgrade` adds the missing columns first
    return [c.key for c in table.spec.role(schema.DERIVED)]


def formula_rows(package: Package, table: Table) -> dict[str, int]:
    """The last row holding a formula in each derived column (a column with none left out)."""
    keys = derived_keys(table)
    if not keys:
        return {}
    last = last_formula_rows(package.read(package.sheet_part(table.sheet_name)), [table.columns[k] for k in keys])
    return {k: last[table.columns[k]] for k in keys if table.columns[k] in last}


def runs(rows) -> list[range]:
    """Sorted row numbers as runs of consecutive rows."""
    out: list[range] = []
    for row in sorted(rows):
        if out and out[-1].stop == row:
            out[-1] = range(out[-1].start, row + 1)
        else:
            out.append(range(row, row + 1))
    return out


def dressed(package: Package, sheet_name: str, cells: dict, below: int) -> dict:
    """The cells, those of rows below `below` that the sheet lacks styled as the same column in row `below`."""
    rows = sorted({row for row, _ in cells if row > below})
    if not rows:
        return cells
    xml = package.read(package.sheet_part(sheet_name))
    found = row_cells(xml, range(below, rows[-1] + 1))
    source = found.get(below, {})
    out = dict(cells)
    for (row, col), value in cells.items():
        style = cell_style(source.get(col))
        if row > below and style and col not in found.get(row, {}) and not isinstance(value, Styled):
            out[(row, col)] = Styled(value, style)
    return out


def write_formulas(package: Package, table: Table, last: dict[str, int], rows, values: Callable[[], pd.DataFrame],
                   lang: str) -> set:
    """Give the rows below each derived column's last formula (`last`, from formula_rows) that formula.

    rows: the table's data rows (those read and those appended); values(): every column's value per row,
    for the cached results. Returns the cells written.
    """
    written: set = set()
    for start in sorted(set(last.values())):
        keys = [k for k in last if last[k] == start]
        for run in runs(r for r in rows if r > start):
            cells = formula_cells(package, table, table.columns, keys, run, lang, values())
            package.set_cells(table.sheet_name, dressed(package, table.sheet_name, cells, start))
            written |= set(cells)
    if written:
        tables.grow_tables(package, table.sheet_name, table.header_row, max(row for row, _ in written))
    return written
