"""Package plumbing: part names, relationships and content types, edited as bytes.

Relationship and content-type parts are small; they are parsed with
defusedxml to read them and changed by inserting elements, so what the
tool does not understand stays as it was.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from defusedxml import ElementTree

from .errors import PackageError
from .xmlbytes import quote

CONTENT_TYPES = "[Content_Types].xml"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKSHEET_REL = OFFICE_REL + "/worksheet"
STYLES_REL = OFFICE_REL + "/styles"
CALC_CHAIN_REL = OFFICE_REL + "/calcChain"
SHARED_STRINGS_REL = OFFICE_REL + "/sharedStrings"
# the sheets whose cells may refer to shared strings
CELL_SHEET_RELS = (WORKSHEET_REL, OFFICE_REL + "/xlMacrosheet", OFFICE_REL + "/xlIntlMacrosheet",
                   OFFICE_REL + "/dialogsheet")
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


@dataclass(frozen=True)
class Rel:
    id: str
    type: str
    target: str
    external: bool


def rels_name(part: str) -> str:
    """The relationships part of a part: xl/workbook.xml -> xl/_rels/workbook.xml.rels."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve(source_part: str, target: str) -> str:
    """A relationship target as a part name (targets are relative to the source part's folder)."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def relative(source_part: str, part: str) -> str:
    return posixpath.relpath(part, posixpath.dirname(source_part) or ".")


def parse_xml(data: bytes, what: str):
    try:
        return ElementTree.fromstring(data)
    except Exception as exc:  # defusedxml raises its own types for DTDs and entities
        raise PackageError(f"{what}: unreadable XML ({exc.__class__.__name__}: {exc})") from exc


def parse_rels(data: bytes | None, what: str) -> list[Rel]:
    if not data:
        return []
    root = parse_xml(data, what)
    return [Rel(e.get("Id"), e.get("Type"), e.get("Target"), e.get("TargetMode") == "External")
            for e in root if e.tag == f"{{{REL_NS}}}Relationship"]


def new_rel_id(rels: list[Rel]) -> str:
    used = {r.id for r in rels}
    n = 1
    while f"rId{n}" in used:
        n += 1
    return f"rId{n}"


_RELS_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<Relationships xmlns="' + REL_NS.encode() + b'">')


def _rel_element(rel: Rel) -> bytes:
    return (f"<Relationship Id={quote(rel.id)} Type={quote(rel.type)} Target={quote(rel.target)}"
            + (' TargetMode="External"' if rel.external else "") + "/>").encode()


def serialise_rels(rels: list[Rel]) -> bytes:
    return _RELS_HEAD + b"".join(_rel_element(r) for r in rels) + b"</Relationships>"


def add_rel(data: bytes | None, rel: Rel) -> bytes:
    """The relationships part with one more relationship (created when missing)."""
    if not data:
        return serialise_rels([rel])
    element = _rel_element(rel)
    if re.search(rb"<Relationships\b[^>]*/>", data):
        return re.sub(rb"(<Relationships\b[^>]*)/>", lambda m: m.group(1) + b">" + element + b"</Relationships>",
                      data, count=1)
    at = data.rindex(b"</Relationships>")
    return data[:at] + element + data[at:]


def remove_rel(data: bytes, rel_id: str) -> bytes:
    return re.sub(rb"<Relationship\b[^>]*\sId=\"" + re.escape(rel_id.encode()) + rb"\"[^>]*/>", b"", data, count=1)


class ContentTypes:
    """[Content_Types].xml: which content type each part has."""

    def __init__(self, data: bytes):
        self.data = data
        root = parse_xml(data, CONTENT_TYPES)
        self.defaults = {e.get("Extension").lower(): e.get("ContentType") for e in root if e.tag.endswith("Default")}
        self.overrides = {e.get("PartName").lstrip("/"): e.get("ContentType") for e in root
                          if e.tag.endswith("Override")}
        self._read = (dict(self.defaults), dict(self.overrides))

    @property
    def changed(self) -> bool:
        """Whether a part's content type differs from the file's: an entry removed and added back is no change."""
        return (self.defaults, self.overrides) != self._read

    def of(self, part: str) -> str | None:
        if part in self.overrides:
            return self.overrides[part]
        return self.defaults.get(posixpath.splitext(part)[1].lstrip(".").lower())

    def _insert(self, element: str) -> None:
        at = self.data.rindex(b"</Types>")
        self.data = self.data[:at] + element.encode() + self.data[at:]

    def ensure(self, part: str, content_type: str) -> None:
        """Make part's content type content_type: by its extension's default when that fits, else an override."""
        if self.of(part) == content_type:
            return
        ext = posixpath.splitext(part)[1].lstrip(".").lower()
        if part not in self.overrides and ext and ext not in self.defaults and ext not in ("xml", "rels"):
            self._insert(f"<Default Extension={quote(ext)} ContentType={quote(content_type)}/>")
            self.defaults[ext] = content_type
            return
        if part in self.overrides:
            self.remove(part)
        self._insert(f"<Override PartName={quote('/' + part)} ContentType={quote(content_type)}/>")
        self.overrides[part] = content_type

    def remove(self, part: str) -> None:
        if part not in self.overrides:
            return
        self.data = re.sub(rb"<Override\b[^>]*PartName=\"/" + re.escape(part.encode()) + rb"\"[^>]*/>", b"",
                           self.data, count=1)
        del self.overrides[part]


def free_name(taken, template: str) -> str:
    """A part name like template (xl/drawings/drawing1.xml) whose number is not taken yet."""
    folder, name = posixpath.split(template)
    stem, ext = posixpath.splitext(name)
    stem = stem.rstrip("0123456789")
    n = 1
    while posixpath.join(folder, f"{stem}{n}{ext}") in taken:
        n += 1
    return posixpath.join(folder, f"{stem}{n}{ext}")
