"""Delete rows of a worksheet as Excel's "Delete table rows" does: the rows go, the rows below move up.

Rows emptied in place would stay as blank rows inside the tables. So what
names a row of the sheet follows the move: the cells and their formulas;
shared formulas, re-anchored on their first remaining cell, or written out
cell by cell where the rows a block reads no longer move together; the
sheet's tables, merged cells, conditional formats, validations, hyperlinks
and dimension; and the plain formulas and defined names elsewhere in the
workbook that point into the sheet. A reference to a deleted cell becomes
#REF!, as in Excel; whole columns and table columns need nothing.

What a byte edit cannot move safely is not guessed at: a drawing, button
or comment anchored at or below the first deleted row, a chart or pivot
table reading the sheet, a rule or validation formula naming a cell, Excel
2010 rules in <extLst>, page breaks, a sheet filter, a shared formula on
another sheet reading this one, a header or totals row, a cell beside the
rows' own columns (Excel's "Delete table rows" would leave it; deleting
the sheet row would take it). The rows are then emptied instead (values cleared, formulas kept, reading blank) and the
reason returned. A table keeps one data row, as in Excel: when all of its
data rows go, its first stays, emptied.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl.formula.translate import Translator

from . import parts
from .package import Package
from .row_shift import Shift, moved_formula, moved_reference, moves_together
from .sheetelements import parse_sqref
from .sheetxml import (
    cell_ref,
    col_index,
    col_letters,
    has_content,
    prefix_of,
    row_cells,
    row_number,
    sheet_data,
    split_row,
)
from .tables import TablePart, sheet_tables
from .xmlbytes import attr, element_pattern, escape, set_attr, unescape
from .xstring import formula_text

_SI = re.compile(rb'\ssi="([^"]*)"')
_CELL_IN_RULE = re.compile(r"(?<![A-Za-z_.\d])\$?[A-Za-z]{1,3}\$?\d+(?![\d(])|\d:\$?\d")
_AREAS = {"dimension": "ref", "mergeCell": "ref", "hyperlink": "ref", "conditionalFormatting": "sqref",
          "dataValidation": "sqref"}
_UNMOVABLE = ("rowBreaks", "protectedRanges", "autoFilter", "sortState", "customSheetViews", "scenarios")
DRAWING_REL = parts.OFFICE_REL + "/drawing"
VML_REL = parts.OFFICE_REL + "/vmlDrawing"
COMMENTS_REL = parts.OFFICE_REL + "/comments"


@dataclass
class _Group:
    """A shared formula block of the sheet: its first cell, its range, and how its cells are written now."""

    si: str
    origin: str
    text: str
    cols: tuple[int, int]
    kept: tuple[int, int] | None  # its first and last rows that stay
    together: bool = True  # it stays one shared formula, anchored on its first remaining cell
    anchored: bool = False  # that cell has been written

    def cell(self, shift: Shift, row: int, col: int, p: str) -> bytes | None:
        """The <f> element of a remaining cell of the block (old row numbers); None: as it was."""
        here = cell_ref(row, col)
        if self.anchored and self.together:
            return None
        own = self.text if here == self.origin else Translator("=" + self.text, origin=self.origin
                                                               ).translate_formula(here)[1:]
        text = formula_text(moved_formula(own, shift))
        if not self.together:
            return f"<{p}f>{text}</{p}f>".encode()
        self.anchored = True
        top, bottom = shift.row(row), shift.row(self.kept[1])
        ref = f"{col_letters(self.cols[0])}{top}:{col_letters(self.cols[1])}{bottom}"
        if top == bottom and self.cols[0] == self.cols[1]:
            ref = cell_ref(top, col)
        return f'<{p}f t="shared" ref="{ref}" si="{self.si}">{text}</{p}f>'.encode()


def _f_pattern(p: bytes) -> re.Pattern:
    return re.compile(rb"<" + p + rb"f\b([^>]*?)(?:/>|>(.*?)</" + p + rb"f>)", re.S)


def _blocks(p: bytes) -> re.Pattern:
    """The formulas that cover a block of cells (shared formulas' first cells, array formulas): those with a ref."""
    return re.compile(rb"<" + p + rb"f\b(?=[^>]*\sref=)([^>]*?)(?:/>|>(.*?)</" + p + rb"f>)", re.S)


def _with_text(element: bytes, text: str, p: bytes) -> bytes:
    """An <f> element holding another formula text, its attributes kept."""
    return element[:element.index(b">") + 1] + formula_text(text).encode() + b"</" + p + b"f>"


def _cell_of(element: bytes, p: bytes, at: int) -> tuple[int, int] | None:
    """(row, column) of the cell holding position `at` of a row element, from its r attribute."""
    start = max(element.rfind(b"<" + p + b"c ", 0, at), element.rfind(b"<" + p + b"c\t", 0, at))
    ref = attr(element[start:at], "r") if start >= 0 else None
    match = re.fullmatch(r"([A-Za-z]+)(\d+)", ref or "")
    return (int(match.group(2)), col_index(match.group(1))) if match else None


def _groups(xml: bytes, p: bytes, span: tuple[int, int], shift: Shift) -> dict[str, _Group] | str:
    """The sheet's shared formula blocks by group number, each told whether it can stay one; or why not."""
    groups = {}
    for match in _blocks(p).finditer(xml, *span):
        if attr(match.group(0), "t") != "shared":
            continue
        area = parse_sqref(attr(match.group(0), "ref"))
        where = _cell_of(xml, p, match.start()) if area else None
        if where is None or where[0] != area[0].first_row:
            return f"a shared formula at {attr(match.group(0), 'ref')} the tool cannot place"
        block = area[0]
        text = unescape((match.group(2) or b"").decode())
        group = _Group(attr(match.group(0), "si"), cell_ref(*where), text, (block.first_col, block.last_col),
                       shift.surviving(block.first_row, block.last_row))
        if group.kept is not None:
            group.together = moves_together(text, where[0], shift, group.kept)
        groups[group.si] = group
    return groups


def _moved_rows(xml: bytes, p: bytes, span: tuple[int, int], shift: Shift, groups: dict[str, _Group]) -> bytes:
    """<sheetData> without the deleted rows, every later row renumbered, every formula following the move."""
    f_re, ps = _f_pattern(p), p.decode()
    cell_r = re.compile(rb"(<" + p + rb"c\b[^>]*?\sr=\"[A-Za-z]+)(\d+)\"")

    def formula(match: re.Match, row: int) -> bytes:
        element = match.group(0)
        si = _SI.search(element, 0, element.find(b">")) if b"shared" in element else None
        group = groups.get(si.group(1).decode()) if si else None
        if group is not None:
            if group.anchored and group.together:
                return element  # a cell of a block that stays shared
            where = _cell_of(match.string, p, match.start())
            new = group.cell(shift, row, where[1], ps) if where else None
            return element if new is None else new
        if match.group(2) is None:
            return element
        text = unescape(match.group(2).decode())
        moved = moved_formula(text, shift)
        if attr(element, "ref") is not None:
            element = set_attr(element, "ref", moved_reference(attr(element, "ref"), shift))
        return element if moved == text else _with_text(element, moved, p)

    out, pos, row = [xml[:span[0]]], span[0], 0
    for match in element_pattern(p, "row").finditer(xml, *span):
        element = match.group(0)
        row = row_number(element[:element.index(b">")], row)
        out.append(xml[pos:match.start()])
        pos = match.end()
        new = shift.row(row)
        if new is None:
            continue
        if new != row:
            head = element.index(b">")
            element = set_attr(element[:head + 1], "r", str(new)) + element[head + 1:]
            element = cell_r.sub(lambda m, n=str(new).encode(): m.group(1) + n + b'"', element)
        if b"<" + p + b"f" in element:
            element = f_re.sub(lambda m, r=row: formula(m, r), element)
        out.append(element)
    out.append(xml[pos:])
    return b"".join(out)


def _moved_element(element: bytes, key: str, shift: Shift) -> bytes:
    areas = [moved_reference(piece, shift) for piece in (attr(element, key) or "").split()]
    areas = [a for a in areas if a != "#REF!"]
    return set_attr(element, key, " ".join(areas)) if areas else b""


def _recount(xml: bytes, p: bytes, container: str, child: str) -> bytes:
    """A list element with its count attribute restated, or gone when nothing is left in it."""
    found = element_pattern(p, container).search(xml)
    if found is None:
        return xml
    children = len(re.findall(rb"<" + p + child.encode() + rb"\b", found.group(0)))
    new = set_attr(found.group(0), "count", str(children)) if attr(found.group(0), "count") else found.group(0)
    return xml[:found.start()] + (new if children else b"") + xml[found.end():]


def _moved_areas(xml: bytes, p: bytes, shift: Shift) -> bytes:
    """Merged cells, rules, validations, hyperlinks and the dimension moved or shrunk with the rows."""
    for name, key in _AREAS.items():
        xml = element_pattern(p, name).sub(lambda m, k=key: _moved_element(m.group(0), k, shift), xml)
    for container, child in (("mergeCells", "mergeCell"), ("dataValidations", "dataValidation"),
                             ("hyperlinks", "hyperlink")):
        xml = _recount(xml, p, container, child)
    return xml


def _anchored_rows(pkg: Package, part: str) -> list[int]:
    """The rows (1-based) drawings, buttons and comments of the sheet are anchored on."""
    rows = []
    for drawing in pkg.related(part, DRAWING_REL):
        rows += [int(r) + 1 for r in re.findall(rb"<(?:\w+:)?row>(\d+)</(?:\w+:)?row>", pkg.read(drawing))]
    for vml in pkg.related(part, VML_REL):
        data = pkg.read(vml)
        rows += [int(r) + 1 for r in re.findall(rb"<x:Row>\s*(\d+)\s*</x:Row>", data)]
        for anchor in re.findall(rb"<x:Anchor>([^<]*)</x:Anchor>", data):
            numbers = [int(n) for n in anchor.replace(b" ", b"").split(b",") if n.isdigit()]
            rows += [n + 1 for n in numbers[2::4]]
    for comments in pkg.related(part, COMMENTS_REL):
        rows += [a.first_row for ref in re.findall(rb'<(?:\w+:)?comment\b[^>]*\sref="([^"]+)"', pkg.read(comments))
                 for a in parse_sqref(ref.decode())]
    return rows


def _named(sheet: str) -> list[bytes]:
    """How a formula names the sheet, as it stands in XML: Name! or 'Name'!."""
    quoted = "'" + sheet.replace("'", "''") + "'!"
    return [escape(quoted).encode(), escape(quoted).replace("'", "&apos;").encode(), escape(sheet + "!").encode()]


def _names_sheet(data: bytes, sheet: str) -> bool:
    folded = data.lower()
    return any(name.lower() in folded for name in _named(sheet))


def _beside(xml: bytes, p: bytes, span: tuple[int, int], shift: Shift, columns: set[int],
            tables: list[TablePart]) -> int | None:
    """A deleted row holding something outside `columns` and its tables (a note beside a table): it would go too."""
    row = 0
    for match in element_pattern(p, "row").finditer(xml, *span):
        row = row_number(match.group(0)[:match.group(0).index(b">")], row)
        if shift.row(row) is not None:
            continue
        inside = [t for t in tables if t.header_row < row <= t.last_row]
        for col, cell in split_row(p, row, match.group(0))[1].items():
            if has_content(cell) and col not in columns and not any(t.first_col <= col <= t.last_col for t in inside):
                return row
    return None


def _why_not(pkg: Package, sheet: str, part: str, xml: bytes, tables: list[TablePart], shift: Shift,
             columns: set[int] | None) -> str | None:
    """Why the rows cannot be deleted safely, or None."""
    for table in tables:
        if not table.header_row:
            return f"table {table.name} has no header row"
        ends = [table.header_row, *range(table.last_row - table.totals + 1, table.last_row + 1)]
        if any(shift.row(r) is None for r in ends):
            return f"a deleted row is the header or totals row of table {table.name}"
    p = prefix_of(xml)
    span = sheet_data(xml, p) or (0, 0)
    outside = xml[:span[0]] + xml[span[1]:]
    beside = _beside(xml, p, span, shift, columns, tables) if columns is not None else None
    if beside is not None:
        return f"row {beside} holds cells beside the rows' own columns"
    for name in _UNMOVABLE:
        if re.search(rb"<" + p + name.encode() + rb"\b", outside):
            return f"the sheet has {name}"
    if re.search(rb"<(?:\w+:)?extLst\b.*sqref", outside, re.S):
        return "the sheet has Excel 2010 rules or validations (extLst)"
    for text in re.findall(rb"<(?:\w+:)?formula[12]?>(.*?)</(?:\w+:)?formula[12]?>", outside, re.S):
        if _CELL_IN_RULE.search(unescape(text.decode())):
            return "a rule or validation formula names a cell"
    for match in _blocks(p).finditer(xml, *span):
        if attr(match.group(0), "t") == "array":
            block = parse_sqref(attr(match.group(0), "ref") or "")
            if block and shift.touches(block[0].first_row, block[0].last_row):
                return f"an array formula at {attr(match.group(0), 'ref')} spans deleted rows"
    if any(row >= shift.first for row in _anchored_rows(pkg, part)):
        return f"a drawing, button or comment is anchored at or below row {shift.first}"
    for name in pkg.part_names:
        if name.startswith(("xl/charts/", "xl/pivotCache/")) and _names_sheet(pkg.read(name), sheet):
            return f"{name} reads the sheet"
    for other in _other_sheets(pkg, part):
        data = pkg.read(other)
        if not _names_sheet(data, sheet):
            continue
        p_other = prefix_of(data)
        cells = sheet_data(data, p_other) or (0, 0)
        if _names_sheet(data[:cells[0]] + data[cells[1]:], sheet):
            return f"a rule or validation on {other} reads the sheet"
        for match in _f_pattern(p_other).finditer(data, *cells):
            if attr(match.group(0), "t") == "shared" and _names_sheet(match.group(0), sheet):
                return f"a shared formula on {other} reads the sheet"
    return None


def _other_sheets(pkg: Package, part: str) -> list[str]:
    return [o for o in pkg.related(pkg.workbook_part, parts.WORKSHEET_REL) if o != part and pkg.has(o)]


def _elsewhere(pkg: Package, sheet: str, part: str, shift: Shift) -> None:
    """Formulas of other sheets and defined names that point into the sheet, moved with its rows."""
    for other in _other_sheets(pkg, part):
        data = pkg.read(other)
        if not _names_sheet(data, sheet):
            continue
        p = prefix_of(data)

        def formula(match: re.Match, p=p) -> bytes:
            element = match.group(0)
            if match.group(2) is None or not _names_sheet(element, sheet):
                return element
            text = unescape(match.group(2).decode())
            moved = moved_formula(text, shift, own=False)
            return element if moved == text else _with_text(element, moved, p)
        pkg.write(other, _f_pattern(p).sub(formula, data))
    workbook = pkg.read(pkg.workbook_part)
    if _names_sheet(workbook, sheet):
        name_re = re.compile(rb"(<(?:\w+:)?definedName\b[^>]*>)(.*?)(</(?:\w+:)?definedName>)", re.S)
        pkg.write(pkg.workbook_part, name_re.sub(
            lambda m: m.group(1) + escape(moved_formula(unescape(m.group(2).decode()), shift, own=False)).encode()
            + m.group(3), workbook))


def _empty_rows(pkg: Package, sheet_name: str, rows: Iterable[int], columns: set[int] | None) -> None:
    """The rows' values cleared (in `columns`; None: all), their formulas kept (they read blank): the rows stay,
    reading as none."""
    rows = sorted(set(rows))
    if not rows:
        return
    found = row_cells(pkg.read(pkg.sheet_part(sheet_name)), range(rows[0], rows[-1] + 1))
    pkg.set_cached(sheet_name, {(row, col): None for row in rows for col in found.get(row, {})
                                if columns is None or col in columns})


def delete_rows(pkg: Package, sheet_name: str, rows: Iterable[int], columns: Iterable[int] | None = None
                ) -> str | None:
    """Delete the rows (1-based) of a sheet, the rows below moving up; None when done, else why they were only
    emptied (see the module's docstring).

    columns: the 0-based columns the rows' records fill. A deleted row holding something in another column,
    outside its table, is not deleted (the cell would go with it), and only these columns are emptied.
    None: whole rows.
    """
    columns = None if columns is None else set(columns)
    gone = set(rows)
    if not gone:
        return None
    part = pkg.sheet_part(sheet_name)
    tables = sheet_tables(pkg, sheet_name)
    last_rows = [t.data_rows[0] for t in tables if t.data_rows and set(t.data_rows) <= gone]
    gone -= set(last_rows)
    if not gone:
        _empty_rows(pkg, sheet_name, last_rows, columns)
        return None
    shift = Shift(sorted(gone), sheet_name)
    xml = pkg.read(part)
    p = prefix_of(xml)
    span = sheet_data(xml, p)
    reason = _why_not(pkg, sheet_name, part, xml, tables, shift, columns)
    groups = _groups(xml, p, span, shift) if span and reason is None else {}
    if isinstance(groups, str):
        reason = groups
    if reason is not None:
        _empty_rows(pkg, sheet_name, gone | set(last_rows), columns)
        return reason
    _empty_rows(pkg, sheet_name, last_rows, columns)
    xml = pkg.read(part)
    if span:
        xml = _moved_rows(xml, p, sheet_data(xml, p), shift, groups)
    pkg.write(part, _moved_areas(xml, p, shift))
    for table in tables:
        data = pkg.read(table.part)
        pkg.write(table.part, re.sub(rb'(\sref=")([^"]*)(")', lambda m: m.group(1) + escape(
            moved_reference(unescape(m.group(2).decode()), shift)).encode() + m.group(3), data))
    _elsewhere(pkg, sheet_name, part, shift)
    pkg.drop_calc_chain()  # the cells it lists have moved; Excel rebuilds it
    return None
