"""Lossless editing of an existing .xlsx/.xlsm at the package (zip part) level.

openpyxl drops shapes, form controls, sparklines and 2010+ extensions when
it loads and saves a workbook, so existing files are never round-tripped
through an object model. A Package copies every part it does not touch,
byte for byte; it rewrites only the rows of the sheets it edits, the
workbook part (sheets, defined names, calcPr), relationships and content
types, the two counts of the shared-string table (never its strings), and
it only ever appends to styles.xml.

    with Package.open("book.xlsx") as pkg:
        pkg.set_cells("Customers", {(2, 15): Formula("IF(A2=\\"\\",\\"\\",1)")})
        pkg.save()
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from . import guards, parts, shared_formulas, sharedstrings, sheetxml, workbookxml
from .errors import PackageError
from .save import atomic_write
from .sheetxml import Formula
from .styles import Styles

__all__ = ["Formula", "Package"]


class Package:
    """An opened workbook package; changes stay in memory until save()."""

    def __init__(self, path: Path | None, archive: zipfile.ZipFile):
        self.path = path
        self._zip = archive
        self._infos = {i.filename: i for i in archive.infolist() if not i.is_dir()}
        self._order = list(self._infos)
        self._changed: dict[str, bytes] = {}
        self._removed: set[str] = set()
        self._parsed: dict[tuple[str, str], object] = {}  # (what, part) -> parsed once, until the part changes
        self.content_types = parts.ContentTypes(self.read(parts.CONTENT_TYPES))
        root = [r for r in self.rels("") if r.type.endswith("/officeDocument")]
        if not root:
            raise PackageError(f"{self._where}: not an Excel workbook (no workbook part)")
        self.workbook_part = parts.resolve("", root[0].target)
        if not self.has(self.workbook_part):
            raise PackageError(f"{self._where}: not an Excel workbook ({self.workbook_part} is missing)")
        self._styles: Styles | None = None

    @classmethod
    def open(cls, path: str | Path) -> "Package":
        """Open after every guard (size, signature, encryption, zip damage, zip bombs, XML entities)."""
        path = Path(path)
        archive = guards.open_zip(path)
        try:
            return cls(path, archive)
        except BaseException:
            archive.close()
            raise

    @classmethod
    def from_bytes(cls, data: bytes) -> "Package":
        """A package held in memory (a workbook just written by XlsxWriter)."""
        archive = zipfile.ZipFile(io.BytesIO(data))
        guards.check_parts(Path("<memory>"), archive)
        return cls(None, archive)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> "Package":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def _where(self) -> str:
        return str(self.path) if self.path else "<workbook>"

    # -- parts ---------------------------------------------------------------
    def has(self, name: str) -> bool:
        return name not in self._removed and (name in self._changed or name in self._infos)

    @property
    def part_names(self) -> list[str]:
        return [n for n in self._order if self.has(n)] + [n for n in self._changed if n not in self._infos]

    def read(self, name: str) -> bytes:
        if name in self._removed:
            raise PackageError(f"{self._where}: part {name} was removed")
        if name in self._changed:
            return self._changed[name]
        return guards.read_part(Path(self._where), self._zip, name)

    def _forget(self, name: str) -> None:
        self._parsed = {key: value for key, value in self._parsed.items() if key[1] != name}

    def _parse(self, what: str, name: str, parse):
        """parse() of a part, kept until the part is written or removed (a read looks up every sheet's part)."""
        if (what, name) not in self._parsed:
            self._parsed[what, name] = parse()
        return self._parsed[what, name]

    def write(self, name: str, data: bytes) -> None:
        """Replace a part; writing back what the file holds is no change (a rebuilt sheet that came out the same)."""
        self._forget(name)
        self._removed.discard(name)
        source = self._infos.get(name)
        if source is not None and source.file_size == len(data) and self._zip.read(source) == data:
            self._changed.pop(name, None)
            return
        self._changed[name] = data

    def remove(self, name: str) -> None:
        self._forget(name)
        self._changed.pop(name, None)
        self._removed.add(name)
        self.content_types.remove(name)

    def rels(self, part: str) -> list[parts.Rel]:
        name = parts.rels_name(part) if part else "_rels/.rels"
        return list(self._parse("rels", name, lambda: parts.parse_rels(self.read(name) if self.has(name) else None,
                                                                       f"{self._where}: {name}")))

    def related(self, part: str, rel_type: str) -> list[str]:
        return [parts.resolve(part, r.target) for r in self.rels(part) if r.type == rel_type and not r.external]

    # -- sheets --------------------------------------------------------------
    def _sheet_entries(self) -> list[workbookxml.SheetEntry]:
        return list(self._parse("sheets", self.workbook_part,
                                lambda: workbookxml.sheets(self.read(self.workbook_part))))

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self._sheet_entries()]

    def sheet_part(self, name: str) -> str:
        """The worksheet part of a sheet (names compare case-insensitively, as in Excel)."""
        targets = {r.id: r for r in self.rels(self.workbook_part)}
        for entry in self._sheet_entries():
            if entry.name.lower() == name.lower():
                rel = targets.get(entry.rel_id)
                if rel is None:
                    raise PackageError(f"{self._where}: sheet {name!r} has no part")
                if rel.type != parts.WORKSHEET_REL:
                    raise PackageError(f"{self._where}: sheet {name!r} is not a worksheet (a chart sheet?)")
                return parts.resolve(self.workbook_part, rel.target)
        raise PackageError(f"{self._where}: no sheet named {name!r}")

    @property
    def styles(self) -> Styles:
        if self._styles is None:
            found = self.related(self.workbook_part, parts.STYLES_REL)
            if not found:
                raise PackageError(f"{self._where}: the workbook has no styles part")
            self._styles = Styles(self.read(found[0]))
            self._styles_part = found[0]
        return self._styles

    # -- cells ---------------------------------------------------------------
    def _edit(self, sheet_name: str, values: dict[tuple[int, int], object], cached: bool) -> None:
        part = self.sheet_part(sheet_name)
        cells = sheetxml.Cells(sheetxml.prefix_of(self.read(part)), self.styles.date_style)
        render = cells.cached if cached else cells.value
        lost_formula, lost_masters = [], []

        def apply(ref, value, old):
            new = render(ref, value, old)
            if old is not None and b"<f" in old:
                if b"<f" not in new:
                    lost_formula.append(ref)
                master = shared_formulas.master(ref, old)
                if master is not None and shared_formulas.master(ref, new) != master:
                    lost_masters.append(master)
            return new

        edits: dict[int, dict] = {}
        for (row, col), value in values.items():
            if row < 1 or col < 0:
                raise PackageError(f"{self._where}: sheet {sheet_name!r}: bad cell position row {row}, column {col}")
            edits.setdefault(row, {})[col] = value
        xml = sheetxml.edit_cells(self.read(part), edits, apply)
        self.write(part, shared_formulas.reattach(xml, lost_masters) if lost_masters else xml)
        if lost_formula:
            self.drop_calc_chain()

    def set_cells(self, sheet_name: str, values: dict[tuple[int, int], object]) -> None:
        """Write values at (1-based row, 0-based column): None clears, Formula(text, cached) writes a formula.

        A cell keeps its style; a date gets a date format derived from it. A shared formula whose first
        cell is overwritten keeps its other cells' formulas (xl_crm.ooxml.shared_formulas).
        """
        self._edit(sheet_name, values, cached=False)

    def set_cached(self, sheet_name: str, values: dict[tuple[int, int], object]) -> None:
        """Replace only the cached result of existing formula cells (a plain value where there is no formula)."""
        self._edit(sheet_name, values, cached=True)

    def drop_calc_chain(self) -> None:
        """Excel's calculation-order cache must not name cells that lost their formula; Excel rebuilds it."""
        rels_part = parts.rels_name(self.workbook_part)
        data = self.read(rels_part)
        for rel in self.rels(self.workbook_part):
            if rel.type == parts.CALC_CHAIN_REL:
                self.remove(parts.resolve(self.workbook_part, rel.target))
                data = parts.remove_rel(data, rel.id)
        self.write(rels_part, data)

    # -- workbook ------------------------------------------------------------
    def set_defined_name(self, name: str, ref: str) -> None:
        """Add or replace a workbook-level defined name; ref like `Settings!$B$2` (no leading '=')."""
        ref = ref[1:] if ref.startswith("=") else ref
        data = self.read(self.workbook_part)
        new = workbookxml.set_defined_name(data, name, ref)
        if new != data:
            self.write(self.workbook_part, new)

    @property
    def defined_names(self) -> dict[str, str]:
        return workbookxml.defined_names(self.read(self.workbook_part))

    def full_recalc_on_load(self) -> None:
        """Ask Excel and LibreOffice to recalculate every formula when the file is opened."""
        data = self.read(self.workbook_part)
        new = workbookxml.full_calc_on_load(data)
        if new != data:
            self.write(self.workbook_part, new)

    def put_sheet(self, name: str, source: bytes | Path, source_sheet: str) -> None:
        """Copy a whole worksheet (cells, formats, drawing, charts, tables, comments) from another workbook.

        The sheet named `name` is replaced in place when it exists, else appended.
        """
        from .transplant import transplant

        data = Path(source).read_bytes() if isinstance(source, (str, Path)) else source
        with Package.from_bytes(data) as other:
            transplant(self, name, other, source_sheet)

    # -- saving --------------------------------------------------------------
    @property
    def modified(self) -> bool:
        return bool(self._changed or self._removed or self.content_types.changed
                    or (self._styles is not None and self._styles.changed))

    def _recount_shared_strings(self) -> None:
        """After cells changed, the shared-string table's counts over every sheet (its strings stay as they are)."""
        found = self.related(self.workbook_part, parts.SHARED_STRINGS_REL)
        sheets = [part for rel_type in parts.CELL_SHEET_RELS for part in self.related(self.workbook_part, rel_type)
                  if self.has(part)]
        if not found or not self.has(found[0]) or not any(part in self._changed for part in sheets):
            return
        count = sum(sharedstrings.references(self.read(part)) for part in sheets)
        data = self.read(found[0])
        new = sharedstrings.recount(data, count)
        if new != data:
            self.write(found[0], new)

    def _flush_index_parts(self) -> None:
        self._recount_shared_strings()
        if self._styles is not None and self._styles.changed:
            self.write(self._styles_part, self._styles.xml)
        if self.content_types.changed:
            self.write(parts.CONTENT_TYPES, self.content_types.data)

    def write_to(self, stream) -> None:
        """The package as a zip: untouched parts streamed across unchanged, changed ones rewritten."""
        self._flush_index_parts()
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as out:
            for name in self.part_names:
                source = self._infos.get(name)
                info = zipfile.ZipInfo(name, source.date_time if source else (1980, 1, 1, 0, 0, 0))
                info.compress_type = source.compress_type if source and source.compress_type in (
                    zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) else zipfile.ZIP_DEFLATED
                if name in self._changed:
                    out.writestr(info, self._changed[name])
                    continue
                try:
                    with self._zip.open(source) as src, out.open(info, "w") as dst:
                        while chunk := src.read(1 << 20):
                            dst.write(chunk)
                except guards.ZIP_ERRORS as exc:
                    raise PackageError(f"{self._where}: the workbook is damaged ({name}: {exc})") from exc

    def save(self, path: str | Path | None = None, backup: bool = True) -> Path:
        """Atomically write the package to path (default: where it came from), keeping NAME.bak."""
        target = Path(path) if path else self.path
        if target is None:
            raise PackageError("a package read from memory needs a path to save to")
        return atomic_write(target, self.write_to, backup=backup)
