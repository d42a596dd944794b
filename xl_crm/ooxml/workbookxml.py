"""Edits of workbook.xml as bytes: add a sheet, set a defined name, ask for a full recalculation.

Elements of CT_Workbook must come in schema order, so a missing element is
inserted after the last element that precedes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .parts import OFFICE_REL, parse_xml
from .xmlbytes import (
    append_children,
    attr,
    element_pattern,
    escape,
    insertion_point,
    open_tag,
    quote,
    root_prefix,
    set_attr_at,
    wrap,
)

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
    return root_prefix(data, "workbook", len(data)) or b""


def _insert_in_order(data: bytes, p: bytes, name: str, element: bytes) -> bytes:
    at = insertion_point(data, p, "workbook", _ORDER, name)
    return data[:at] + element + data[at:]


def _add_to_list(data: bytes, p: bytes, name: str, element: bytes) -> bytes:
    """The workbook with element appended to the list `name` (sheets, definedNames), created when absent."""
    found = element_pattern(p, name).search(data)
    if found:
        return append_children(data, found, p, name, element)
    return _insert_in_order(data, p, name, wrap(p, name, element))


def add_sheet(data: bytes, name: str, sheet_id: int, rel_id: str) -> bytes:
    p = _prefix(data)
    element = (f"<{p.decode()}sheet name={quote(name)} sheetId=\"{sheet_id}\" r:id={quote(rel_id)}/>"
               .encode())
    if b"xmlns:r=" not in data[:data.index(b">", data.index(b"<" + p + b"workbook")) + 1]:
        element = element.replace(b" r:id=", f' xmlns:r="{OFFICE_REL}" r:id='.encode())
    return _add_to_list(data, p, "sheets", element)


def set_defined_name(data: bytes, name: str, ref: str) -> bytes:
    """Add or replace the workbook-level defined name (names compare case-insensitively, as in Excel)."""
    p = _prefix(data)
    element = f"<{p.decode()}definedName name={quote(name)}>{escape(ref)}</{p.decode()}definedName>".encode()
    for match in element_pattern(p, "definedName").finditer(data):
        found = attr(match.group(0), "name")
        if found is not None and found.lower() == name.lower() and attr(match.group(0), "localSheetId") is None:
            if match.group(0) == element:
                return data
            return data[:match.start()] + element + data[match.end():]
    return _add_to_list(data, p, "definedNames", element)


def defined_names(data: bytes) -> dict[str, str]:
    """Workbook-level defined names -> their formula text."""
    root = parse_xml(data, "workbook.xml")
    return {el.get("name"): el.text or "" for group in root if group.tag.endswith("}definedNames")
            for el in group if el.get("localSheetId") is None}


def full_calc_on_load(data: bytes) -> bytes:
    p = _prefix(data)
    match = open_tag("calcPr").search(data)
    if match is None:
        return _insert_in_order(data, p, "calcPr", b"<" + p + b'calcPr fullCalcOnLoad="1"/>')
    if attr(match.group(0), "fullCalcOnLoad") in ("1", "true"):
        return data
    return set_attr_at(data, match, "fullCalcOnLoad", "1")
