"""Cell text that XML cannot hold, written so every reader shows the same thing.

XML 1.0 has no room for the C0 controls (but tab and line feed) nor for
U+FFFE, U+FFFF and lone surrogates. OOXML writes such a character as
`_xHHHH_` (and a literal `_xHHHH_` as `_x005F_xHHHH_`), as Excel and
XlsxWriter do. Excel, LibreOffice and calamine all decode the escapes of
the controls, so those are kept as typed. calamine leaves `_xFFFE_`,
`_xFFFF_` and `_xD800_`..`_xDFFF_` undecoded, so the same text would read
differently in Python than in a spreadsheet (a customer name showed the
literal `_xFFFE_` on Today): these are not text anyway (a noncharacter,
half a surrogate pair; in practice the mark of a file decoded with the
wrong encoding), and every sheet xl_crm writes shows them as U+FFFD, as
it does the undecoded escape calamine hands back for them.
"""

from __future__ import annotations

import re

from .xmlbytes import escape

REPLACEMENT = "\ufffd"
_NOT_TEXT = re.compile("[\ufffe\uffff\ud800-\udfff]|_x(?:[Ff]{3}[EeFf]|[Dd][89A-Fa-f][0-9A-Fa-f]{2})_")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def cell_text(text: str) -> str:
    """The text every sheet xl_crm writes shows: what XML cannot hold and no reader restores becomes U+FFFD.

    Writers that escape the rest themselves (XlsxWriter) call this on each string they write.
    """
    if text.isprintable() and "_x" not in text:
        return text  # the common case: nothing to look at
    return _NOT_TEXT.sub(REPLACEMENT, text)


def xml_text(text: str) -> str:
    """Cell text as element content: cell_text, then OOXML's _xHHHH_ escapes, then XML's entities."""
    if text.isprintable() and "_x" not in text:
        return escape(text)  # the common case
    text = cell_text(text)
    if "_x" in text:
        text = _ESCAPE_LIKE.sub(r"_x005F_\1", text)
    if not text.isprintable():
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    return escape(text)


def formula_text(text: str) -> str:
    """Formula text as element content: spreadsheets read it as it stands (no _xHHHH_), so what XML cannot
    hold is dropped."""
    return escape(text if text.isprintable() else _NOT_XML.sub("", text))
