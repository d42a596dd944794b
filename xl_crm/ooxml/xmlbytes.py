"""Byte-level XML helpers for the parts this package edits without parsing.

Worksheets, styles, tables and workbook.xml are scanned as bytes so that
what the tool does not understand is copied as it was. These are the few
operations every such edit needs: find an element, read or set an
attribute of its start tag, know the root's namespace prefix, insert a new
element where the part's schema wants it, and escape or unescape text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

_ENTITY = re.compile(r"&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def unescape(text: str) -> str:
    """Text or an attribute value with XML's five entities and character references resolved."""
    if "&" not in text:
        return text

    def one(match: re.Match) -> str:
        name = match.group(1)
        if name[0] != "#":
            return _NAMED[name]
        return chr(int(name.removeprefix("#x"), 16) if name[1] == "x" else int(name[1:]))
    return _ENTITY.sub(one, text)


def escape(text: str) -> str:
    """Text for element content."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quote(text: str) -> str:
    """An attribute value in double quotes; tabs and line breaks as references so they survive parsing."""
    text = escape(text).replace('"', "&quot;")
    if not text.isprintable():
        text = text.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")
    return f'"{text}"'


def start_tag(element: bytes) -> bytes:
    """An element's start tag without its closing '>' or '/>' (the whole input when it has none)."""
    end = element.find(b">")
    if end < 0:
        return element
    return element[:end - 1] if element[end - 1:end] == b"/" else element[:end]


@lru_cache(maxsize=256)
def _attr_pattern(name: bytes) -> re.Pattern:
    return re.compile(rb"\s" + re.escape(name) + rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def attr(element: bytes, name: str) -> str | None:
    """The value of attribute `name` in the element's start tag (entities resolved), None when absent."""
    found = _attr_pattern(name.encode()).search(start_tag(element))
    if found is None:
        return None
    value = found.group(1) if found.group(1) is not None else found.group(2)
    return unescape(value.decode())


def set_attr(element: bytes, name: str, value: str) -> bytes:
    """The element with attribute `name` of its start tag set to value (replaced in place, else appended)."""
    tag = start_tag(element)
    pair = b" " + name.encode() + b"=" + quote(value).encode()
    found = _attr_pattern(name.encode()).search(tag)
    if found is None:
        return tag + pair + element[len(tag):]
    return tag[:found.start()] + pair + tag[found.end():] + element[len(tag):]


def set_attr_at(data: bytes, tag: re.Match, name: str, value: str) -> bytes:
    """The part with attribute `name` set in the start tag `tag` matched in it."""
    return data[:tag.start()] + set_attr(tag.group(0), name, value) + data[tag.end():]


@lru_cache(maxsize=256)
def element_pattern(p: bytes, name: str) -> re.Pattern:
    """Matches a whole element `name` with namespace prefix p (`x:` or empty), empty or not (not nested in itself)."""
    tag = p + name.encode()
    return re.compile(rb"<" + tag + rb"\b[^>]*?(?:/>|>.*?</" + tag + rb">)", re.DOTALL)


@lru_cache(maxsize=64)
def open_tag(name: str) -> re.Pattern:
    """Matches a start tag of element `name` under any namespace prefix (group 1: the prefix)."""
    return re.compile(rb"<(\w+:)?" + name.encode() + rb"\b[^>]*>")


def root_prefix(xml: bytes, root: str, within: int = 4096) -> bytes | None:
    """The namespace prefix (`x:` or b"") of the root element `root`, None when the part has no such root."""
    match = open_tag(root).search(xml, 0, within)
    return None if match is None else match.group(1) or b""


def insertion_point(xml: bytes, p: bytes, root: str, order: tuple[str, ...], name: str,
                    end_of: Callable[[str], int | None] | None = None) -> int:
    """Where a new element `name` goes in schema `order`: after the last present one of those up to it.

    `end_of(element name)` gives where the last such element ends, or None; by default the last match
    anywhere in the part. With none present, the new element is the root's first child.
    """
    end_of = end_of or (lambda n: max((m.end() for m in element_pattern(p, n).finditer(xml)), default=None))
    at = None
    for before in order[:order.index(name) + 1]:
        end = end_of(before)
        if end is not None:
            at = end
    return at if at is not None else open_tag(root).search(xml).end()


def wrap(p: bytes, name: str, children: bytes, count: int | None = None) -> bytes:
    """A new element `name` holding children (with a count attribute when given)."""
    tag = p + name.encode()
    counted = b"" if count is None else b' count="%d"' % count
    return b"<" + tag + counted + b">" + children + b"</" + tag + b">"


def append_children(xml: bytes, found: re.Match, p: bytes, name: str, children: bytes,
                    count_of: str | None = None) -> bytes:
    """The part with children appended inside the element `name` matched as `found` (opened when empty).

    count_of: the child element whose number the element's count attribute states, updated here.
    """
    element, close = found.group(0), b"</" + p + name.encode() + b">"
    if element.endswith(b"/>"):
        element = element[:-2].rstrip() + b">" + children + close
    else:
        element = element[:-len(close)] + children + close
    if count_of is not None:
        count = len(re.findall(rb"<" + p + count_of.encode() + rb"\b", element))
        element = set_attr(element, "count", str(count))
    return xml[:found.start()] + element + xml[found.end():]
