"""Excel shared formulas in worksheet XML: new blocks, and blocks whose first cell is overwritten.

A shared formula stores its text once, in the block's first cell (the
master, which also holds the block's range); every other cell of the block
names it by its number only (`<f t="shared" si="3"/>`). Overwriting the
master would leave those cells pointing at nothing, and Excel repairs such
a file by dropping their formulas. So when an edit overwrites a master, the
first remaining cell of its block becomes the master, the formula moved to
it as a fill-down moves it (openpyxl's Translator shifts the relative
references).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openpyxl.formula.translate import Translator

from .sheetxml import SharedFormula, cell_ref
from .xmlbytes import attr, unescape
from .xstring import formula_text

_GROUP = re.compile(rb'<(?:\w+:)?f\b[^>]*?\ssi="(\d+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b([^>]*)>(.*?)</(?:\w+:)?f>", re.S)
_RANGE = re.compile(r"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?")


def column(group: int, col: int, rows: range, text: str, cached: dict[int, object]
           ) -> dict[tuple[int, int], SharedFormula]:
    """A column of consecutive rows holding one shared formula; text's references are those of rows.start."""
    ref = f"{cell_ref(rows.start, col)}:{cell_ref(rows[-1], col)}"
    cells = {(row, col): SharedFormula(group, cached.get(row)) for row in rows}
    cells[(rows.start, col)] = SharedFormula(group, cached.get(rows.start), text, ref)
    return cells


def next_group(xml: bytes) -> int:
    """The first shared-formula group number a worksheet does not use yet."""
    return max((int(m.group(1)) for m in _GROUP.finditer(xml)), default=-1) + 1


@dataclass(frozen=True)
class Master:
    """The first cell of a shared formula block: where it is, its group, the block's range, the formula."""

    cell: str
    group: str
    ref: str
    text: str  # without "=", XML entities resolved


def master(ref: str, cell: bytes | None) -> Master | None:
    """The shared formula block whose master this cell element is, if it is one."""
    if cell is None or b"shared" not in cell:
        return None
    found = _FORMULA.search(cell)
    if found is None or attr(found.group(1), "t") != "shared":
        return None
    group, block = attr(found.group(1), "si"), attr(found.group(1), "ref")
    if group is None or block is None:
        return None
    return Master(ref, group, block, unescape(found.group(2).decode()))


def reattach(xml: bytes, lost: list[Master]) -> bytes:
    """The worksheet with each block whose master was overwritten led by its first remaining cell."""
    for old in lost:
        block = _RANGE.fullmatch(old.ref)
        if block is None or block.group(3) is None:
            continue  # a one-cell block has no other cells
        member = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]+)(\d+)"[^>]*>\s*(<((?:\w+:)?)f\b(?=[^>]*\ssi="'
                            + old.group.encode() + rb'")[^>]*?(?:/>|>\s*</(?:\w+:)?f>))').search(xml)
        if member is None:
            continue
        here = (member.group(1) + member.group(2)).decode()
        moved = Translator("=" + old.text, origin=old.cell).translate_formula(here)[1:]
        ref = f"{block.group(1)}{member.group(2).decode()}:{block.group(3)}{block.group(4)}"
        p = member.group(4).decode()
        element = f'<{p}f t="shared" ref="{ref}" si="{old.group}">{formula_text(moved)}</{p}f>'.encode()
        xml = xml[:member.start(3)] + element + xml[member.end(3):]
    return xml
