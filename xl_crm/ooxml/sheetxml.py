"""Byte-level edits of a worksheet part: only the rows that change are rewritten.

A worksheet can hold 200,000 rows, drawings, comments, conditional
formats and extension lists the tool knows nothing about. Parsing it into
a tree and serialising it back would be slow and would risk changing what
it does not understand, so the part is scanned as bytes: every row without
an edit and everything outside <sheetData> is copied as it was.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

from openpyxl.utils.cell import column_index_from_string, get_column_letter

from .errors import PackageError
from .serial import to_serial
from .xmlbytes import attr, element_pattern, root_prefix, start_tag
from .xstring import formula_text, xml_text


@dataclass(frozen=True)
class Formula:
    """A formula cell: text without the leading '=', and the value shown until recalculation."""

    text: str
    cached: object = None


@dataclass(frozen=True)
class SharedFormula:
    """A cell of an Excel shared formula: one formula stored once for a block of cells.

    The block's first cell holds the text and the cells it covers (`ref`, e.g. "Z2:Z30001"); every
    other cell names only the block (`group`, unique in its sheet). Spreadsheets shift the first
    cell's relative references to each cell, as when a formula is filled down, so a 30,000-row
    column stores its formula text once instead of 30,000 times.
    """

    group: int
    cached: object = None
    text: str | None = None  # only in the first cell
    ref: str | None = None  # only in the first cell


@dataclass(frozen=True)
class Styled:
    """A value (or Formula) written with the given cell format instead of the old cell's."""

    value: object
    style: int


# (cell reference, new value, old <c> element or None) -> the new <c> element (None drops the cell)
Render = Callable[[str, object, bytes | None], bytes | None]

_REF = re.compile(rb'\sr="([A-Za-z]*)(\d*)"')


def col_letters(col: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    return get_column_letter(col + 1)


def col_index(letters: str) -> int:
    """Excel letters -> 0-based column index; -1 for none (a reference without its column)."""
    return column_index_from_string(letters.upper()) - 1 if letters else -1


def cell_ref(row: int, col: int) -> str:
    return f"{col_letters(col)}{row}"


def _number(value) -> str:
    if isinstance(value, numbers.Integral):
        return str(int(value))
    return repr(float(value))


def is_missing(value) -> bool:
    """None, NaN, NaT and pandas NA all mean an empty cell."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def cell_style(cell: bytes | None) -> int | None:
    if cell is None:
        return None
    style = attr(cell, "s")
    return int(style) if style is not None else None


class Cells:
    """Renders cell elements; styles(kind, existing style index) picks the style for dates."""

    def __init__(self, prefix: bytes, date_style: Callable[[int | None], int]):
        self.p = prefix.decode()
        self.date_style = date_style

    def _el(self, ref: str, style: int | None, kind: str | None, inner: str) -> bytes:
        p = self.p
        attrs = f' r="{ref}"' + (f' s="{style}"' if style else "") + (f' t="{kind}"' if kind else "")
        return (f"<{p}c{attrs}/>" if not inner else f"<{p}c{attrs}>{inner}</{p}c>").encode()

    def _cached(self, value) -> tuple[str | None, str]:
        p = self.p
        if is_missing(value):
            return None, ""
        if isinstance(value, bool):
            return "b", f"<{p}v>{int(value)}</{p}v>"
        if isinstance(value, (date, datetime)):
            return None, f"<{p}v>{_number(to_serial(value))}</{p}v>"
        if isinstance(value, numbers.Real):
            if not math.isfinite(float(value)):
                return None, ""
            return None, f"<{p}v>{_number(value)}</{p}v>"
        return "str", f"<{p}v>{xml_text(str(value))}</{p}v>"

    def _formula(self, formula: Formula | SharedFormula) -> str:
        p = self.p
        if isinstance(formula, SharedFormula):
            if formula.text is None:
                return f'<{p}f t="shared" si="{formula.group}"/>'
            attrs = f't="shared" ref="{formula.ref}" si="{formula.group}"'
            return f"<{p}f {attrs}>{formula_text(formula.text.removeprefix('='))}</{p}f>"
        return f"<{p}f>{formula_text(formula.text.removeprefix('='))}</{p}f>"

    def value(self, ref: str, value, old: bytes | None) -> bytes:
        """A cell holding value; the old cell's style is kept (dates get a date style based on it)."""
        p = self.p
        style = cell_style(old)
        if isinstance(value, Styled):
            value, style = value.value, value.style
        if isinstance(value, (Formula, SharedFormula)):
            kind, cached = self._cached(value.cached)
            if isinstance(value.cached, (date, datetime)):
                style = self.date_style(style)
            return self._el(ref, style, kind, self._formula(value) + cached)
        if is_missing(value):
            return self._el(ref, style, None, "")
        if isinstance(value, bool):
            return self._el(ref, style, "b", f"<{p}v>{int(value)}</{p}v>")
        if isinstance(value, (date, datetime)):
            return self._el(ref, self.date_style(style), None, f"<{p}v>{_number(to_serial(value))}</{p}v>")
        if isinstance(value, numbers.Real):
            if not math.isfinite(float(value)):
                return self._el(ref, style, None, "")
            return self._el(ref, style, None, f"<{p}v>{_number(value)}</{p}v>")
        text = xml_text(str(value))
        space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
        return self._el(ref, style, "inlineStr", f"<{p}is><{p}t{space}>{text}</{p}t></{p}is>")

    def cached(self, ref: str, value, old: bytes | None) -> bytes:
        """The old formula cell with only its cached value replaced; a plain value where there is no formula."""
        formula = None if old is None else re.search(rb"<(\w+:)?f\b[^>]*?(?:/>|>.*?</(\w+:)?f>)", old, re.S)
        if formula is None:
            return self.value(ref, value, old)
        style = cell_style(old)
        if isinstance(value, (date, datetime)):
            style = self.date_style(style)
        kind, cached = self._cached(value)
        return self._el(ref, style, kind, formula.group(0).decode() + cached)


def prefix_of(xml: bytes) -> bytes:
    found = root_prefix(xml, "worksheet")
    if found is None:
        raise PackageError("a worksheet part has no <worksheet> root")
    return found


def row_number(tag: bytes, previous: int) -> int:
    value = attr(tag, "r")
    return int(value) if value else previous + 1


def split_row(p: bytes, row: int, element: bytes | None) -> tuple[bytes, dict[int, bytes], bytes]:
    """A <row> element as (start tag, {column: cell element}, what follows the cells)."""
    cell_re = element_pattern(p, "c")
    if element is None:
        return b"<" + p + b'row r="' + str(row).encode() + b'"', {}, b""
    end = element.index(b">")
    closed = element[end - 1:end] == b"/"
    tag = element[:end - 1] if closed else element[:end]
    body = b"" if closed else element[end + 1:-len(b"</" + p + b"row>")]
    cells: dict[int, bytes] = {}
    col, last = -1, 0
    for match in cell_re.finditer(body):
        cell = match.group(0)
        ref = _REF.search(start_tag(cell))
        if ref and ref.group(1):
            col = col_index(ref.group(1).decode())
        else:
            col += 1
            cell = cell[:len(p) + 2] + f' r="{cell_ref(row, col)}"'.encode() + cell[len(p) + 2:]
        cells[col] = cell
        last = match.end()
    return tag, cells, body[last:].strip()


def _rewrite_row(p: bytes, row: int, element: bytes | None, values: dict[int, object], render: Render) -> bytes:
    """One <row> with its cells merged with the new values, in column order."""
    tag, cells, tail = split_row(p, row, element)
    tag = re.sub(rb'\sspans="[^"]*"', b"", tag)
    number = str(row)
    for c, value in values.items():
        new = render(col_letters(c) + number, value, cells.get(c))
        if new is None:
            cells.pop(c, None)
        else:
            cells[c] = new
    inner = b"".join(cells[c] for c in sorted(cells)) + tail
    if not inner:
        return tag + b"/>"
    return tag + b">" + inner + b"</" + p + b"row>"


def sheet_data(xml: bytes, p: bytes) -> tuple[int, int] | None:
    """Start and end of the content of <sheetData>; None when it is empty (<sheetData/>)."""
    open_tag = re.compile(rb"<" + p + rb"sheetData\b[^>]*?(/?)>").search(xml)
    if open_tag is None:
        raise PackageError("a worksheet part has no <sheetData>")
    if open_tag.group(1):
        return None
    return open_tag.end(), xml.index(b"</" + p + b"sheetData>", open_tag.end())


def row_cells(xml: bytes, rows: range) -> dict[int, dict[int, bytes]]:
    """The cell elements of the given rows: {row: {column: element}} (rows without cells left out)."""
    p = prefix_of(xml)
    span = sheet_data(xml, p)
    if span is None or not rows:
        return {}
    row_re = element_pattern(p, "row")
    found, row = {}, 0
    for match in row_re.finditer(xml, *span):
        row = row_number(match.group(0)[:match.group(0).index(b">")], row)
        if row > rows[-1]:
            break
        if row >= rows[0]:
            cells = split_row(p, row, match.group(0))[1]
            if cells:
                found[row] = cells
    return found


def has_content(cell: bytes) -> bool:
    """A cell that shows something: a value, an inline string or a formula (not only a format)."""
    return not cell.rstrip().endswith(b"/>")


def edit_cells(xml: bytes, edits: dict[int, dict[int, object]], render: Render) -> bytes:
    """The worksheet with new values {row: {col: value}} rendered in; untouched rows are copied as they were."""
    if not edits:
        return xml
    p = prefix_of(xml)
    span = sheet_data(xml, p)
    if span is None:
        open_tag = re.compile(rb"<" + p + rb"sheetData\b[^>]*?/>").search(xml)
        start = end = open_tag.end()
        head, foot = xml[:open_tag.start()] + b"<" + p + b"sheetData>", b"</" + p + b"sheetData>" + xml[end:]
    else:
        start, end = span
        head, foot = xml[:start], xml[end:]
    row_re = element_pattern(p, "row")
    pending = sorted(edits)
    out, i, pos, row = [head], 0, start, 0
    for match in row_re.finditer(xml, start, end):
        tag = match.group(0)[:match.group(0).index(b">")]
        row = row_number(tag, row)
        while i < len(pending) and pending[i] < row:
            out.append(xml[pos:match.start()])
            pos = match.start()
            out.append(_rewrite_row(p, pending[i], None, edits[pending[i]], render))
            i += 1
        if i < len(pending) and pending[i] == row:
            out.append(xml[pos:match.start()])
            out.append(_rewrite_row(p, row, match.group(0), edits[row], render))
            pos = match.end()
            i += 1
    out.append(xml[pos:end])
    out.extend(_rewrite_row(p, r, None, edits[r], render) for r in pending[i:])
    out.append(foot)
    return _widen_dimension(b"".join(out), p, max(edits), max(max(cols) for cols in edits.values()))


def _widen_dimension(xml: bytes, p: bytes, max_row: int, max_col: int) -> bytes:
    """Grow <dimension ref> so readers that trust it see the new cells."""
    match = re.compile(rb"<" + p + rb'dimension\s+ref="([^"]*)"').search(xml, 0, 8192)
    if match is None:
        return xml
    first, _, last = match.group(1).decode().partition(":")
    last = last or first
    m = re.fullmatch(r"([A-Za-z]+)(\d+)", last)
    if m is None:
        return xml
    new_col = max(col_index(m.group(1)), max_col)
    new_row = max(int(m.group(2)), max_row)
    ref = f"{first if first else 'A1'}:{cell_ref(new_row, new_col)}"
    if ref == match.group(1).decode():
        return xml
    return xml[:match.start(1)] + ref.encode() + xml[match.end(1):]
