"""Append-only edits of styles.xml: existing formats keep their index and their bytes.

Cells refer to formats by position, so anything the tool needs (a date
format for a written date, the formats of a sheet copied from another
workbook) is added at the end of its list and the list's count updated.
An identical element already present is reused instead of added again, so
repeated edits do not grow the file.
"""

from __future__ import annotations

import re

from .errors import PackageError
from .xmlbytes import append_children, attr, element_pattern, insertion_point, quote, set_attr, wrap

DATE_FORMAT = "yyyy-mm-dd"
# built-in number formats every spreadsheet knows by id; other codes become custom formats (id >= 164)
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10, "@": 49}
_BUILTIN_DATES = set(range(14, 23)) | set(range(27, 37)) | {45, 46, 47} | set(range(50, 59))
# the order CT_Stylesheet requires, used to place a list that does not exist yet
_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
          "tableStyles", "colors", "extLst")
_CHILD = {"numFmts": "numFmt", "fonts": "font", "fills": "fill", "borders": "border", "cellStyleXfs": "xf",
          "cellXfs": "xf", "dxfs": "dxf"}


def is_date_code(code: str) -> bool:
    """A number format code that shows dates or times (quoted text and [colours] ignored)."""
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code).lower()
    return any(ch in bare for ch in "dmyhs") and "general" not in bare


class Styles:
    """styles.xml held as bytes, with its lists indexed for lookups and appends."""

    def __init__(self, xml: bytes):
        if b"<styleSheet" not in xml[:4096]:
            raise PackageError("styles.xml has no <styleSheet> root (prefixed style parts are not supported)")
        self.xml = xml
        self.changed = False
        self._date_xf: dict[int | None, int] = {}

    # -- lists -------------------------------------------------------------
    def _span(self, name: str) -> tuple[int, int, int, int] | None:
        """(start, inner start, inner end, end) of a list element, or None when it is absent."""
        match = re.compile(rb"<" + name.encode() + rb"\b[^>]*?(/?)>").search(self.xml)
        if match is None:
            return None
        if match.group(1):
            return match.start(), match.end(), match.end(), match.end()
        close = self.xml.index(b"</" + name.encode() + b">", match.end())
        return match.start(), match.end(), close, close + len(name) + 3

    def _end(self, name: str) -> int | None:
        span = self._span(name)
        return span[3] if span else None

    def items(self, name: str) -> list[bytes]:
        span = self._span(name)
        if span is None:
            return []
        return [m.group(0) for m in element_pattern(b"", _CHILD[name]).finditer(self.xml, span[1], span[2])]

    def append(self, name: str, element: bytes) -> int:
        """Index of element in the list, appending it when no identical one is there."""
        existing = self.items(name)
        if element in existing:
            return existing.index(element)
        found = element_pattern(b"", name).search(self.xml)
        if found is None:
            at = insertion_point(self.xml, b"", "styleSheet", _ORDER, name, self._end)
            self.xml = self.xml[:at] + wrap(b"", name, element, 1) + self.xml[at:]
        else:
            self.xml = append_children(self.xml, found, b"", name, element, count_of=_CHILD[name])
        self.changed = True
        return len(existing)

    # -- number formats ----------------------------------------------------
    def number_formats(self) -> dict[int, str]:
        return {int(attr(e, "numFmtId")): attr(e, "formatCode") or "" for e in self.items("numFmts")}

    def number_format_id(self, code: str) -> int:
        """The id of a number format code: a built-in one, else a custom one appended when absent."""
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        formats = self.number_formats()
        for fmt_id, existing in formats.items():
            if existing == code:
                return fmt_id
        fmt_id = max([163, *formats]) + 1
        self.append("numFmts", f'<numFmt numFmtId="{fmt_id}" formatCode={quote(code)}/>'.encode())
        return fmt_id

    def is_date_xf(self, index: int) -> bool:
        xfs = self.items("cellXfs")
        if not 0 <= index < len(xfs):
            return False
        fmt_id = int(attr(xfs[index], "numFmtId") or 0)
        return fmt_id in _BUILTIN_DATES or is_date_code(self.number_formats().get(fmt_id, ""))

    def date_style(self, existing: int | None) -> int:
        """A cell format showing dates, based on the cell's current one (kept when it already shows dates)."""
        if existing in self._date_xf:
            return self._date_xf[existing]
        if existing is not None and self.is_date_xf(existing):
            result = existing
        else:
            result = self.format_style(DATE_FORMAT, existing)
        self._date_xf[existing] = result
        return result

    def format_style(self, code: str, base: int | None = None) -> int:
        """A cell format like `base` (default: the workbook's default format) showing numbers as `code`."""
        xfs = self.items("cellXfs")
        if not xfs:
            raise PackageError("styles.xml has no cell formats")
        xf = xfs[base] if base is not None and base < len(xfs) else xfs[0]
        xf = set_attr(set_attr(xf, "numFmtId", str(self.number_format_id(code))), "applyNumberFormat", "1")
        return self.append("cellXfs", xf)

    def differential(self, font_rgb: str, fill_rgb: str) -> int:
        """The index of a differential format (used by conditional formats): font colour on a fill colour."""
        dxf = (f'<dxf><font><color rgb="{font_rgb}"/></font>'
               f'<fill><patternFill><bgColor rgb="{fill_rgb}"/></patternFill></fill></dxf>').encode()
        return self.append("dxfs", dxf)

    # -- merging another workbook's formats ----------------------------------
    def merge(self, source: "Styles") -> tuple[list[int], list[int]]:
        """Bring in every cell format and differential format of source; (xf map, dxf map) by source index."""
        fmt_map = {fid: (fid if fid < 164 else self.number_format_id(code))
                   for fid, code in source.number_formats().items()}
        maps = {name: [self.append(name, e) for e in source.items(name)] for name in ("fonts", "fills", "borders")}
        xf_map = []
        for xf in source.items("cellXfs"):
            fmt = int(attr(xf, "numFmtId") or 0)
            xf = set_attr(xf, "numFmtId", str(fmt_map.get(fmt, fmt)))
            for attr_name, name in (("fontId", "fonts"), ("fillId", "fills"), ("borderId", "borders")):
                value = attr(xf, attr_name)
                if value is not None and int(value) < len(maps[name]):
                    xf = set_attr(xf, attr_name, str(maps[name][int(value)]))
            xf = set_attr(xf, "xfId", "0")
            xf_map.append(self.append("cellXfs", xf))
        dxf_map = []
        for dxf in source.items("dxfs"):
            dxf = re.sub(rb'numFmtId="(\d+)"', lambda m: b'numFmtId="%d"' % fmt_map.get(int(m.group(1)),
                                                                                      int(m.group(1))), dxf)
            dxf_map.append(self.append("dxfs", dxf))
        return xf_map, dxf_map

