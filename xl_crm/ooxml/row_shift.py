"""Where references read once rows of a sheet are deleted: the arithmetic of ooxml.rows.

A reference into the deleted rows' sheet moves up by the rows deleted
above it; a range shrinks by those inside it; a reference whose cells are
all gone becomes #REF!, as in Excel. Whole columns and names need nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from openpyxl.formula.tokenizer import Token, Tokenizer

MAX_ROW = 1048576
_END = r"\$?[A-Za-z]{1,3}\$?\d+|\$?[A-Za-z]{1,3}|\$?\d+"
_REFERENCE = re.compile(rf"((?:'(?:[^']|'')+'|[^'!:\[\]]+)!)?({_END})(?::({_END}))?")
_ENDPOINT = re.compile(r"(\$?)([A-Za-z]*)(\$?)(\d*)")


class Shift:
    """Where each row of the sheet `sheet` goes when its rows `gone` (1-based) are deleted."""

    def __init__(self, gone: list[int], sheet: str):
        self.gone = gone
        self.first = gone[0]
        self.sheet = sheet.casefold()  # whose rows they are

    def row(self, row: int) -> int | None:
        """The row's new number; None when it is deleted."""
        i = bisect_left(self.gone, row)
        return None if i < len(self.gone) and self.gone[i] == row else row - i

    def surviving(self, top: int, bottom: int) -> tuple[int, int] | None:
        """The first and last rows of top..bottom that stay (old numbers); None when none stays."""
        i = bisect_left(self.gone, top)
        while i < len(self.gone) and self.gone[i] == top:
            top, i = top + 1, i + 1
        j = bisect_right(self.gone, bottom) - 1
        while j >= 0 and self.gone[j] == bottom:
            bottom, j = bottom - 1, j - 1
        return (top, bottom) if top <= bottom else None

    def span(self, top: int, bottom: int) -> tuple[int, int] | None:
        """A block of rows after the deletion, shrunk by its deleted rows; a block down to the sheet's end stays so."""
        kept = self.surviving(top, bottom)
        if kept is None:
            return None
        return self.row(kept[0]), bottom if bottom >= MAX_ROW else self.row(kept[1])

    def touches(self, top: int, bottom: int) -> bool:
        """Whether a row of top..bottom is deleted."""
        i = bisect_left(self.gone, top)
        return i < len(self.gone) and self.gone[i] <= bottom


@dataclass(frozen=True)
class _End:
    """One end of a reference: `$A$5`, `B7`, `C` (a whole column) or `$3` (a whole row)."""

    col: str
    col_abs: str
    row: int | None
    row_abs: bool

    @classmethod
    def parse(cls, text: str) -> "_End":
        lead, letters, mid, digits = _ENDPOINT.fullmatch(text).groups()
        col_abs, row_abs = (lead, mid) if letters else ("", lead)
        return cls(letters, col_abs, int(digits) if digits else None, bool(row_abs))

    def at(self, row: int) -> str:
        return f"{self.col_abs}{self.col}{'$' if self.row_abs else ''}{row}"


def _sheet_named(prefix: str) -> str:
    name = prefix[:-1]
    if name.startswith("'"):
        name = name[1:-1].replace("''", "'")
    return name.casefold()


def _ours(prefix: str | None, shift: Shift, own: bool) -> bool:
    """Whether a reference with this sheet prefix (or none) reads the sheet whose rows go."""
    return _sheet_named(prefix) == shift.sheet if prefix else own


def _reference(value: str, shift: Shift, own: bool) -> tuple[str, _End, _End | None] | None:
    """(sheet prefix, first end, last end or None) of a reference with rows into the sheet whose rows go."""
    match = _REFERENCE.fullmatch(value)
    if match is None:
        return None
    prefix, first, last = match.groups()
    if not _ours(prefix, shift, own):
        return None
    first = _End.parse(first)
    last = _End.parse(last) if last else None
    if first.row is None or (last is None and not first.col):
        return None  # whole columns, or a number
    return prefix or "", first, last


def moved_reference(value: str, shift: Shift, own: bool = True) -> str:
    """A reference (`A5`, `$B$2:C9`, `3:5`, `Sheet!A5`) after the deletion; #REF! when its cells are all gone
    (without the sheet name, which LibreOffice would not read).

    own: the reference stands on the sheet whose rows go (one without a sheet name reads that sheet)."""
    found = _reference(value, shift, own)
    if found is None:
        return value
    prefix, first, last = found
    if last is None:
        row = shift.row(first.row)
        return "#REF!" if row is None else prefix + first.at(row)
    rows = shift.span(first.row, last.row)
    return "#REF!" if rows is None else f"{prefix}{first.at(rows[0])}:{last.at(rows[1])}"


def _references(text: str):
    tokens = Tokenizer("=" + text)
    return tokens, [t for t in tokens.items if t.type == Token.OPERAND and t.subtype == Token.RANGE]


def moved_formula(text: str, shift: Shift, own: bool = True) -> str:
    """A formula (without "=") with its references into the sheet whose rows go moved with them."""
    if not any(ch.isdigit() for ch in text):
        return text
    tokens, found = _references(text)
    changed = False
    for token in found:
        new = moved_reference(token.value, shift, own)
        changed |= new != token.value
        token.value = new
    return tokens.render()[1:] if changed else text


def moves_together(text: str, row: int, shift: Shift, kept: tuple[int, int]) -> bool:
    """Whether a shared formula written at `row` still gives each remaining cell of its block (rows `kept`) its
    own formula once re-anchored: every reference relative by rows reads rows that move by the same count."""
    for token in _references(text)[1]:
        match = _REFERENCE.fullmatch(token.value)
        if match is None:
            continue
        prefix, ends = match.group(1), [_End.parse(e) for e in match.groups()[1:] if e]
        for end in ends:
            if end.row is None or end.row_abs:
                continue
            d = end.row - row
            if not _ours(prefix, shift, True):  # another sheet's rows stay: the block's rows must not close up
                if shift.touches(*kept):
                    return False
            elif d and shift.touches(min(kept[0], kept[0] + d), max(kept[1], kept[1] + d)):
                return False
    return True
