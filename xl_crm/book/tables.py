"""Excel Tables (table parts) of a worksheet: grow them over rows appended below."""

from __future__ import annotations

import re

from . import parts
from .package import Package
from .sheetxml import cell_ref, col_index

TABLE_REL = parts.OFFICE_REL + "/table"
_REF = re.compile(r"([A-Z]+)(\d+):([A-Z]+)(\d+)")


def grow_tables(pkg: Package, sheet_name: str, header_row: int, last_row: int) -> list[str]:
    """Extend every table of the sheet whose header is header_row down to last_row; their part names."""
    sheet = pkg.sheet_part(sheet_name)
    grown = []
    for part in pkg.related(sheet, TABLE_REL):
        data = pkg.read(part)
        found = re.search(rb'<table\b[^>]*?\sref="([^"]*)"', data)
        match = _REF.fullmatch(found.group(1).decode()) if found else None
        if not match or int(match.group(2)) != header_row or int(match.group(4)) >= last_row:
            continue
        old = match.group(0)
        new = f"{match.group(1)}{match.group(2)}:{cell_ref(last_row, col_index(match.group(3)))}"
        data = data.replace(f'ref="{old}"'.encode(), f'ref="{new}"'.encode())
        pkg.write(part, data)
        grown.append(part)
    return grown
