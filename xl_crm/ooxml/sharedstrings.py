"""The shared-string table's counts, kept true after cells are edited.

xl/sharedStrings.xml states `count`, how many cells of all sheets refer to
a shared string, and `uniqueCount`, how many strings it holds. Writing over
such a cell (a refresh puts numbers and inline strings where values were)
lowers the first, so after an edit both are counted again. The strings
themselves are never touched: each keeps its index and its bytes.
"""

from __future__ import annotations

import re

from .xmlbytes import attr, open_tag, set_attr_at

_REFERENCE = re.compile(rb'<(?:\w+:)?c\b[^>]*?\st="s"')
_ITEM = re.compile(rb"<(?:\w+:)?si\b")


def references(sheet: bytes) -> int:
    """How many cells of a worksheet part refer to a shared string."""
    return len(_REFERENCE.findall(sheet))


def recount(table: bytes, count: int) -> bytes:
    """The shared-string part with `count` (references, over all sheets) and `uniqueCount` set."""
    root = open_tag("sst").search(table)
    if root is None:
        return table
    counts = {"count": str(count), "uniqueCount": str(len(_ITEM.findall(table)))}
    for name, value in counts.items():
        if attr(root.group(0), name) != value:
            table = set_attr_at(table, root, name, value)
            root = open_tag("sst").search(table)
    return table
