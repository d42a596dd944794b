"""Edits of workbook.xml as bytes: add a sheet, set a defined name, ask for a full recalculation.

Elements of CT_Workbook must come in schema order, so a missing element is
inserted after the last element that precedes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from .parts import OFFICE_REL, parse_xml

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ORDER = ("fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets",
          "functionGroups", "externalReferences", "definedNames", "calcPr")


@dataclass(frozen=True)
class SheetEntry:
    name: str
    sheet_id: int
    rel_id: str


def sheets(data: bytes) -> list[SheetEntry]:
    root = parse_xml(data, "workbook.xml")
    found = []
    for sheets_el in root:
        if sheets_el.tag.endswith("}sheets"):
            for el in sheets_el:
                found.append(SheetEntry(el.get("name"), int(el.get("sheetId")), el.get(f"{{{OFFICE_REL}}}id")))
    return found


def _prefix(data: bytes) -> bytes:
    match = re.search(rb"<(\w+:)?workbook\b", data)
    return match.group(1) or b"" if match else b""


def _element(data: bytes, p: bytes, name: str) -> re.Match | None:
    return re.compile(rb"<" + p + name.encode() + rb"\b[^>]*?(?:/>|>.*?</" + p + name.encode() + rb">)",
                      re.S).search(data)


def _insert_after_preceding(data: bytes, p: bytes, name: str, element: bytes) -> bytes:
    at = None
    for before in _ORDER[:_ORDER.index(name)]:
        match = _element(data, p, before)
        if match:
            at = match.end()
    if at is None:
        at = re.search(rb"<" + p + rb"workbook\b[^>]*>", data).end()
    return data[:at] + element + data[at:]


def add_sheet(data: bytes, name: str, sheet_id: int, rel_id: str) -> bytes:
    p = _prefix(data)
    element = (f"<{p.decode()}sheet name={quoteattr(name)} sheetId=\"{sheet_id}\" r:id={quoteattr(rel_id)}/>"
               .encode())
    if b"xmlns:r=" not in data[:data.index(b">", data.index(b"<" + p + b"workbook")) + 1]:
        element = element.replace(b" r:id=", f' xmlns:r="{OFFICE_REL}" r:id='.encode())
    match = re.compile(rb"</" + p + rb"sheets>").search(data)
    if match:
        return data[:match.start()] + element + data[match.start():]
    return _insert_after_preceding(data, p, "sheets", b"<" + p + b"sheets>" + element + b"</" + p + b"sheets>")


def set_defined_name(data: bytes, name: str, ref: str) -> bytes:
    """Add or replace the workbook-level defined name (names compare case-insensitively, as in Excel)."""
    p = _prefix(data)
    element = f"<{p.decode()}definedName name={quoteattr(name)}>{escape(ref)}</{p.decode()}definedName>".encode()
    pattern = re.compile(rb"<" + p + rb"definedName\b([^>]*)>.*?</" + p + rb"definedName>", re.S)
    for match in pattern.finditer(data):
        attrs = match.group(1)
        found = re.search(rb'\sname="([^"]*)"', attrs)
        if found and found.group(1).decode().lower() == name.lower() and b"localSheetId" not in attrs:
            if match.group(0) == element:
                return data
            return data[:match.start()] + element + data[match.end():]
    closing = re.compile(rb"</" + p + rb"definedNames>").search(data)
    if closing:
        return data[:closing.start()] + element + data[closing.start():]
    empty = re.compile(rb"<" + p + rb"definedNames\s*/>").search(data)
    if empty:
        return data[:empty.start()] + b"<" + p + b"definedNames>" + element + b"</" + p + b"definedNames>" \
            + data[empty.end():]
    return _insert_after_preceding(data, p, "definedNames",
                                   b"<" + p + b"definedNames>" + element + b"</" + p + b"definedNames>")


def defined_names(data: bytes) -> dict[str, str]:
    """Workbook-level defined names -> their formula text."""
    root = parse_xml(data, "workbook.xml")
    return {el.get("name"): el.text or "" for group in root if group.tag.endswith("}definedNames")
            for el in group if el.get("localSheetId") is None}


def full_calc_on_load(data: bytes) -> bytes:
    p = _prefix(data)
    match = re.compile(rb"<" + p + rb"calcPr\b[^>]*?/?>").search(data)
    if match is None:
        return _insert_after_preceding(data, p, "calcPr", b"<" + p + b'calcPr fullCalcOnLoad="1"/>')
    tag = match.group(0)
    if re.search(rb'\sfullCalcOnLoad="(1|true)"', tag):
        return data
    tag = re.sub(rb'\sfullCalcOnLoad="[^"]*"', b"", tag)
    end = len(tag) - (2 if tag.endswith(b"/>") else 1)
    tag = tag[:end] + b' fullCalcOnLoad="1"' + tag[end:]
    return data[:match.start()] + tag + data[match.end():]
