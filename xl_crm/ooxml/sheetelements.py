"""Add column formats, data validation and conditional formats to a worksheet part, as bytes.

CT_Worksheet fixes the order of a sheet's elements, so a new element goes
after the last one that must precede it. What is already there -- the
user's own validations and highlights, the 2010+ ones inside <extLst>,
drawings, hyperlinks -- is copied as it was; only new elements are
inserted and a list's count updated. A new validation never overlaps an
existing one (Excel cannot hold two on one cell), and a new conditional
format takes priorities after every existing rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .sheetxml import col_index, col_letters, prefix_of
from .xmlbytes import append_children, attr, element_pattern, escape, insertion_point, quote, wrap

# CT_Worksheet children in schema order
ORDER = ("sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
         "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate",
         "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks",
         "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties",
         "cellWatches", "ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF",
         "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst")
_RANGE = re.compile(r"\$?([A-Za-z]{1,3})?\$?(\d+)?(?::\$?([A-Za-z]{1,3})?\$?(\d+)?)?")
_MAX_ROW, _MAX_COL = 1048576, 16383


@dataclass(frozen=True)
class Area:
    """A block of cells: rows 1-based, columns 0-based, both inclusive."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int

    @property
    def sqref(self) -> str:
        first = f"{col_letters(self.first_col)}{self.first_row}"
        last = f"{col_letters(self.last_col)}{self.last_row}"
        return first if first == last else f"{first}:{last}"

    def overlaps(self, other: "Area") -> bool:
        return (self.first_row <= other.last_row and other.first_row <= self.last_row
                and self.first_col <= other.last_col and other.first_col <= self.last_col)


@dataclass(frozen=True)
class Validation:
    """A dropdown list: formula1 is a quoted list ("a,b") or a name or range (StageName)."""

    area: Area
    formula1: str


@dataclass(frozen=True)
class Highlight:
    """A cellIs rule: cells comparing `operator` (equal, greaterThan ...) to `formula` get dxf `dxf_id`."""

    area: Area
    operator: str
    formula: str
    dxf_id: int


def parse_sqref(text: str) -> list[Area]:
    """The areas of a space-separated sqref (A1, A1:B5, whole columns C:C and rows 3:4 too)."""
    areas = []
    for piece in text.split():
        match = _RANGE.fullmatch(piece)
        if match is None or not any(match.groups()):
            continue
        c1, r1, c2, r2 = match.groups()
        if match.group(0).find(":") < 0:
            c2, r2 = c1, r1
        areas.append(Area(int(r1) if r1 else 1, col_index(c1) if c1 else 0,
                          int(r2) if r2 else _MAX_ROW, col_index(c2) if c2 else _MAX_COL))
    return areas


def _regions(xml: bytes, p: bytes) -> dict[str, tuple[int, int]]:
    """Where to look for elements before and after <sheetData> (never inside it, nor inside <extLst>)."""
    data = re.compile(rb"<" + p + rb"sheetData\b[^>]*?(/?)>").search(xml)
    end = data.end() if data.group(1) else xml.index(b"</" + p + b"sheetData>", data.end()) + len(p) + 12
    return {"before": (0, data.start()), "data": (data.start(), end), "after": (end, _extensions_start(xml, p, end))}


def _extensions_start(xml: bytes, p: bytes, start: int) -> int:
    """Start of the worksheet's own <extLst> (its last child; rules may hold nested ones), else of </worksheet>."""
    close = xml.rindex(b"</" + p + b"worksheet>")
    tail = xml[start:close].rstrip()
    if not tail.endswith(b"</" + p + b"extLst>"):
        return close
    depth = 0
    tags = re.compile(rb"<(/?)" + p + rb"extLst\b[^>]*?(/?)>").finditer(xml, start, start + len(tail))
    for tag in reversed(list(tags)):
        if tag.group(2):
            continue
        depth += 1 if tag.group(1) else -1
        if depth == 0:
            return tag.start()
    return close


def _find(xml: bytes, p: bytes, name: str, regions: dict[str, tuple[int, int]]) -> list[re.Match]:
    """Every element `name` (not sheetData) where the schema allows it."""
    where = "before" if ORDER.index(name) < ORDER.index("sheetData") else "after"
    return list(element_pattern(p, name).finditer(xml, *regions[where]))


def _insertion_point(xml: bytes, p: bytes, name: str) -> int:
    """After the last element that precedes `name` in schema order (or `name` itself)."""
    regions = _regions(xml, p)

    def end_of(before: str) -> int | None:
        if before == "sheetData":
            return regions["data"][1]
        found = _find(xml, p, before, regions)
        return found[-1].end() if found else None
    return insertion_point(xml, p, "worksheet", ORDER, name, end_of)


def _outside_cells(xml: bytes, p: bytes) -> bytes:
    """The sheet without its cells: what is left to scan for rules."""
    start, end = _regions(xml, p)["data"]
    return xml[:start] + xml[end:]


def existing_validation_areas(xml: bytes) -> list[Area]:
    """Areas every validation covers, the 2010+ ones in <extLst> included."""
    areas = []
    for match in re.finditer(rb"<(?:\w+:)?dataValidation\b([^>]*)>(.*?)</(?:\w+:)?dataValidation>|"
                             rb"<(?:\w+:)?dataValidation\b([^>]*)/>", _outside_cells(xml, prefix_of(xml)), re.S):
        sqref = attr(match.group(0), "sqref")
        if sqref:
            areas += parse_sqref(sqref)
        inner = re.search(rb"<(?:\w+:)?sqref>([^<]*)</(?:\w+:)?sqref>", match.group(2) or b"")
        if inner:
            areas += parse_sqref(inner.group(1).decode())
    return areas


def add_validations(xml: bytes, validations: list[Validation]) -> tuple[bytes, list[Validation]]:
    """The sheet with the validations added; and those skipped because a validation already covers a cell."""
    taken = existing_validation_areas(xml)
    added = [v for v in validations if not any(v.area.overlaps(a) for a in taken)]
    skipped = [v for v in validations if v not in added]
    if not added:
        return xml, skipped
    p = prefix_of(xml)
    tag = p.decode()
    elements = "".join(f'<{tag}dataValidation type="list" allowBlank="1" showInputMessage="1" '
                       f'sqref="{v.area.sqref}"><{tag}formula1>{escape(v.formula1)}</{tag}formula1>'
                       f"</{tag}dataValidation>" for v in added).encode()
    found = _find(xml, p, "dataValidations", _regions(xml, p))
    if found:
        return append_children(xml, found[0], p, "dataValidations", elements, count_of="dataValidation"), skipped
    at = _insertion_point(xml, p, "dataValidations")
    return xml[:at] + wrap(p, "dataValidations", elements, len(added)) + xml[at:], skipped


def add_highlights(xml: bytes, highlights: list[Highlight]) -> bytes:
    """The sheet with one conditionalFormatting element per highlight, after the existing ones."""
    if not highlights:
        return xml
    p = prefix_of(xml)
    tag = p.decode()
    priority = max([0, *(int(v) for v in re.findall(rb'\spriority="(\d+)"', _outside_cells(xml, p)))])
    elements = []
    for i, h in enumerate(highlights, start=priority + 1):
        elements.append(f'<{tag}conditionalFormatting sqref="{h.area.sqref}"><{tag}cfRule type="cellIs" '
                        f'dxfId="{h.dxf_id}" priority="{i}" operator={quote(h.operator)}>'
                        f"<{tag}formula>{escape(h.formula)}</{tag}formula></{tag}cfRule>"
                        f"</{tag}conditionalFormatting>")
    at = _insertion_point(xml, p, "conditionalFormatting")
    return xml[:at] + "".join(elements).encode() + xml[at:]


def add_column_formats(xml: bytes, formats: dict[int, tuple[float, int | None]]) -> bytes:
    """<col> entries (width, style) for columns no existing entry covers; existing entries kept as they are."""
    p = prefix_of(xml)
    tag = p.decode()
    found = _find(xml, p, "cols", _regions(xml, p))
    block = found[0].group(0) if found else b""
    existing = []
    for match in element_pattern(p, "col").finditer(block):
        low, high = attr(match.group(0), "min"), attr(match.group(0), "max")
        if low and high:
            existing.append((int(low) - 1, int(high) - 1, match.group(0)))
    new = []
    for col, (width, style) in sorted(formats.items()):
        if any(low <= col <= high for low, high, _ in existing):
            continue
        attrs = f'min="{col + 1}" max="{col + 1}" width="{width:g}"' + (f' style="{style}"' if style else "")
        new.append((col, col, f'<{tag}col {attrs} customWidth="1"/>'.encode()))
    if not new:
        return xml
    merged = b"".join(element for _, _, element in sorted(existing + new, key=lambda e: e[0]))
    content = f"<{tag}cols>".encode() + merged + f"</{tag}cols>".encode()
    if found:
        return xml[:found[0].start()] + content + xml[found[0].end():]
    at = _insertion_point(xml, p, "cols")
    return xml[:at] + content + xml[at:]
