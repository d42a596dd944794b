"""Copy a worksheet and everything it refers to from one package into another.

New standard sheets (Settings, Funnel ...) are written by XlsxWriter, which
handles charts, tables and validation well; this module moves such a sheet
into a user's workbook without touching anything else there: its formats
are merged into the target's styles (appended), its shared strings become
inline strings, and its drawing, charts, images, comments and tables are
copied under free part names.
"""

from __future__ import annotations

import re

from . import parts, workbookxml
from .errors import PackageError
from .package import Package
from .xmlbytes import attr, open_tag, set_attr, set_attr_at

_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_SI = re.compile(rb"<si>(.*?)</si>|<si/>", re.S)
TABLE_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"


def _shared_strings(pkg: Package) -> list[bytes]:
    found = pkg.related(pkg.workbook_part, parts.SHARED_STRINGS_REL)
    if not found:
        return []
    return [m.group(1) or b"" for m in _SI.finditer(pkg.read(found[0]))]


def _remap(attrs: bytes, name: bytes, mapping: list[int]) -> bytes:
    def sub(match):
        index = int(match.group(2))
        return match.group(1) + str(mapping[index] if index < len(mapping) else index).encode() + b'"'
    return re.sub(rb"(\s" + name + rb'=")(\d+)"', sub, attrs)


def restyle(xml: bytes, xf_map: list[int], dxf_map: list[int], strings: list[bytes]) -> bytes:
    """A source sheet's XML with style indexes remapped and shared strings inlined."""
    def cell(match):
        attrs, inner = _remap(match.group(1), b"s", xf_map), match.group(2)
        if attr(attrs, "t") == "s" and inner is not None:
            index = int(re.search(rb"<v>(\d+)</v>", inner).group(1))
            attrs = set_attr(attrs, "t", "inlineStr")
            return b"<c" + attrs + b"><is>" + strings[index] + b"</is></c>"
        return b"<c" + attrs + (b"/>" if inner is None else b">" + inner + b"</c>")

    xml = _CELL.sub(cell, xml)
    xml = re.sub(rb"<row\b[^>]*>", lambda m: _remap(m.group(0), b"s", xf_map), xml)
    xml = re.sub(rb"<col\b[^>]*>", lambda m: _remap(m.group(0), b"style", xf_map), xml)
    xml = _remap(xml, b"dxfId", dxf_map)
    return re.sub(rb'\stabSelected="1"', b"", xml)


def _table_names(pkg: Package) -> tuple[set[str], int]:
    """Display names (lower case) and the highest id of the tables already in the package."""
    names, top = set(), 0
    for name in pkg.part_names:
        if pkg.content_types.of(name) == TABLE_TYPE:
            tag = open_tag("table").search(pkg.read(name), 0, 4096)
            if tag is None:
                continue
            names.add((attr(tag.group(0), "displayName") or "").lower())
            top = max(top, int(attr(tag.group(0), "id") or 0))
    return names, top


def _copy_part(pkg: Package, src: Package, name: str, dxf_map: list[int]) -> str:
    """Copy a part and, recursively, the parts it refers to; returns its name in pkg."""
    new = parts.free_name(set(pkg.part_names), name)
    data = src.read(name)
    content_type = src.content_types.of(name)
    if content_type == TABLE_TYPE:
        taken, top = _table_names(pkg)
        tag = open_tag("table").search(data)
        display = attr(tag.group(0), "displayName") or ""
        if display.lower() in taken:
            raise PackageError(f"{pkg.path}: a table named {display!r} already exists in the workbook")
        data = set_attr_at(data, tag, "id", str(top + 1))
        data = _remap(data, b"headerRowDxfId", dxf_map)
        data = _remap(_remap(data, b"dataDxfId", dxf_map), b"totalsRowDxfId", dxf_map)
    pkg.write(new, data)
    if content_type:
        pkg.content_types.ensure(new, content_type)
    _copy_related(pkg, src, name, new, dxf_map)
    return new


def _copy_related(pkg: Package, src: Package, source: str, copy: str, dxf_map: list[int]) -> None:
    """Copy the parts `source` refers to and give its copy in pkg the same relationships to theirs."""
    rels = []
    for rel in src.rels(source):
        target = rel.target if rel.external else parts.relative(
            copy, _copy_part(pkg, src, parts.resolve(source, rel.target), dxf_map))
        rels.append(parts.Rel(rel.id, rel.type, target, rel.external))
    if rels:
        pkg.write(parts.rels_name(copy), parts.serialise_rels(rels))


def _remove_tree(pkg: Package, part: str) -> None:
    """Remove the parts only this one uses (drawings, charts, tables, comments); images may be shared."""
    for rel in pkg.rels(part):
        target = parts.resolve(part, rel.target)
        if rel.external or target.startswith("xl/media/") or not pkg.has(target):
            continue
        _remove_tree(pkg, target)
        pkg.remove(target)
    if pkg.has(parts.rels_name(part)):
        pkg.remove(parts.rels_name(part))


def _new_sheet_part(pkg: Package, name: str) -> str:
    part = parts.free_name(set(pkg.part_names), "xl/worksheets/sheet1.xml")
    rels_part = parts.rels_name(pkg.workbook_part)
    rel = parts.Rel(parts.new_rel_id(pkg.rels(pkg.workbook_part)), parts.WORKSHEET_REL,
                    parts.relative(pkg.workbook_part, part), False)
    pkg.write(rels_part, parts.add_rel(pkg.read(rels_part) if pkg.has(rels_part) else None, rel))
    book = pkg.read(pkg.workbook_part)
    sheet_id = max([0, *(s.sheet_id for s in workbookxml.sheets(book))]) + 1
    pkg.write(pkg.workbook_part, workbookxml.add_sheet(book, name, sheet_id, rel.id))
    return part


def transplant(pkg: Package, name: str, src: Package, source_sheet: str) -> None:
    src_part = src.sheet_part(source_sheet)
    xf_map, dxf_map = pkg.styles.merge(src.styles)
    xml = restyle(src.read(src_part), xf_map, dxf_map, _shared_strings(src))
    if name.lower() in (n.lower() for n in pkg.sheet_names):
        part = pkg.sheet_part(name)
        _remove_tree(pkg, part)
    else:
        part = _new_sheet_part(pkg, name)
    pkg.write(part, b"")  # reserve the name before copying the parts it refers to
    _copy_related(pkg, src, src_part, part, dxf_map)
    pkg.write(part, xml)
    pkg.content_types.ensure(part, parts.WORKSHEET_TYPE)
