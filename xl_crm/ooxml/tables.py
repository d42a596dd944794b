"""Excel Tables (table parts) of a worksheet: find them, widen them by new columns, grow them down.

A table's columns are listed in its part; a column added to the table (not
merely next to it) carries a calculatedColumnFormula, so Excel fills the
formula into every row a user adds. Only the table part's ref, autoFilter
ref and column list change; everything else in the part stays as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import parts
from .errors import PackageError
from .package import Package
from .sheetxml import cell_ref, col_index, col_letters
from .xmlbytes import attr, element_pattern, escape, open_tag, quote, root_prefix, set_attr_at

TABLE_REL = parts.OFFICE_REL + "/table"
_REF = re.compile(r"\$?([A-Za-z]+)\$?(\d+):\$?([A-Za-z]+)\$?(\d+)")
_TABLE_TAG = open_tag("table")


@dataclass(frozen=True)
class TablePart:
    """Where a table sits on its sheet; rows 1-based, columns 0-based, as in the sheet."""

    part: str
    name: str  # displayName, the name formulas use
    first_col: int
    last_col: int
    header_row: int  # 0 when the table shows no header row
    last_row: int
    totals: int  # totals rows at the bottom
    columns: tuple[str, ...]

    @property
    def data_rows(self) -> range:
        return range(self.header_row + 1, self.last_row - self.totals + 1)

    def widened(self, names: list[str]) -> "TablePart":
        """The same table with columns of these names added to its right."""
        return replace(self, last_col=self.last_col + len(names), columns=self.columns + tuple(names))


def _columns(data: bytes) -> list[re.Match]:
    return list(element_pattern(root_prefix(data, "table") or b"", "tableColumn").finditer(data))


def parse_table(part: str, data: bytes) -> TablePart | None:
    """The table described by a table part, or None when its ref cannot be read."""
    tag = _TABLE_TAG.search(data)
    ref = _REF.fullmatch(attr(tag.group(0), "ref") or "") if tag else None
    if ref is None:
        return None
    headers = int(attr(tag.group(0), "headerRowCount") or 1)
    top = int(ref.group(2))
    names = tuple(attr(m.group(0), "name") or "" for m in _columns(data))
    return TablePart(part, attr(tag.group(0), "displayName") or attr(tag.group(0), "name") or "",
                     col_index(ref.group(1)), col_index(ref.group(3)), top if headers else 0, int(ref.group(4)),
                     int(attr(tag.group(0), "totalsRowCount") or 0), names)


def sheet_tables(pkg: Package, sheet_name: str) -> list[TablePart]:
    found = [parse_table(p, pkg.read(p)) for p in pkg.related(pkg.sheet_part(sheet_name), TABLE_REL)]
    return [t for t in found if t is not None]


def table_with_header(pkg: Package, sheet_name: str, header_row: int, columns) -> TablePart | None:
    """The table whose header row is header_row and that holds every one of the given columns."""
    columns = list(columns)
    for table in sheet_tables(pkg, sheet_name):
        if table.header_row == header_row and all(table.first_col <= c <= table.last_col for c in columns):
            return table
    return None


def add_columns(pkg: Package, table: TablePart, new: list[tuple[str, str | None]]) -> TablePart:
    """Widen a table by columns (name, calculated formula without '=' or None) to its right."""
    data = pkg.read(table.part)
    taken = {c.lower() for c in table.columns}
    for name, _ in new:
        if name.lower() in taken:
            raise PackageError(f"{pkg.path}: table {table.name!r} already has a column named {name!r}")
        taken.add(name.lower())
    p = (root_prefix(data, "table") or b"").decode()
    wider = table.widened([n for n, _ in new])
    if not table.header_row:
        raise PackageError(f"{pkg.path}: table {table.name!r} has no header row to name new columns")
    ref = f"{col_letters(table.first_col)}{table.header_row}:{cell_ref(table.last_row, wider.last_col)}"
    tag = _TABLE_TAG.search(data)
    data = set_attr_at(data, tag, "ref", ref)
    auto = open_tag("autoFilter").search(data)
    if auto is not None:
        filter_ref = _REF.fullmatch(attr(auto.group(0), "ref") or "")
        if filter_ref is not None:
            widened = f"{filter_ref.group(1)}{filter_ref.group(2)}:{cell_ref(int(filter_ref.group(4)), wider.last_col)}"
            data = set_attr_at(data, auto, "ref", widened)
    ids = [int(attr(m.group(0), "id") or 0) for m in _columns(data)]
    elements = []
    for i, (name, formula) in enumerate(new, start=max(ids, default=0) + 1):
        inner = f"<{p}calculatedColumnFormula>{escape(formula)}</{p}calculatedColumnFormula>" if formula else ""
        head = f"<{p}tableColumn id=\"{i}\" name={quote(name)}"
        elements.append(f"{head}>{inner}</{p}tableColumn>" if inner else f"{head}/>")
    close = re.compile(rb"</" + p.encode() + rb"tableColumns>").search(data)
    if close is None:
        raise PackageError(f"{pkg.path}: table {table.name!r} has no column list")
    data = data[:close.start()] + "".join(elements).encode() + data[close.start():]
    columns = open_tag("tableColumns").search(data)
    data = set_attr_at(data, columns, "count", str(len(wider.columns)))
    pkg.write(table.part, data)
    return wider


def grow_tables(pkg: Package, sheet_name: str, header_row: int, last_row: int) -> list[str]:
    """Extend every table of the sheet whose header is header_row down to last_row; their part names."""
    grown = []
    for table in sheet_tables(pkg, sheet_name):
        if table.header_row != header_row or table.last_row >= last_row or table.totals:
            continue
        data = pkg.read(table.part)
        tag = _TABLE_TAG.search(data)
        ref = f"{col_letters(table.first_col)}{header_row}:{cell_ref(last_row, table.last_col)}"
        data = set_attr_at(data, tag, "ref", ref)
        auto = open_tag("autoFilter").search(data)
        if auto is not None:
            data = set_attr_at(data, auto, "ref", ref)
        pkg.write(table.part, data)
        grown.append(table.part)
    return grown
