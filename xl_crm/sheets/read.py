"""Read a CRM workbook into DataFrames in one pass (python-calamine).

Each data sheet is found by its English or Chinese name, or failing that
by its headers; its header row need not be row 1. Frames are indexed by
the Excel row number and keyed by canonical column names; cells keep the
values a spreadsheet holds (numbers, text, dates, booleans, None). An
Excel Table's totals row is not a record and is left out.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from ..model import schema
from ..model.mapping import DEFAULT as DEFAULT_MAPPING, Mapping
from ..errors import XlCrmError
from ..model.settings import DEFAULT, Settings
from . import settings_sheet
from ..ooxml import tables
from ..ooxml.package import Package

HEADER_SCAN_ROWS = 20


@dataclass
class Table:
    """One data sheet as read: where it is and what it holds."""

    spec: schema.Sheet
    sheet_name: str
    header_row: int  # 1-based Excel row of the headers
    columns: dict[str, int]  # canonical key -> 0-based column index
    headers: list[str]  # every header cell text of the header row
    frame: pd.DataFrame  # index = Excel row number; columns = canonical keys found


@dataclass
class CrmData:
    path: Path | None
    lang: str = "en"
    settings: Settings = DEFAULT
    as_of: object = None  # the AsOf cell's date, None when it is =TODAY() or missing
    tables: dict[str, Table] = field(default_factory=dict)
    sheet_names: list[str] = field(default_factory=list)

    def frame(self, key: str) -> pd.DataFrame:
        """The canonical frame of a data sheet; an empty one with every column when absent."""
        if key in self.tables:
            return self.tables[key].frame
        return pd.DataFrame(columns=schema.sheet(key).keys, dtype=object)


def _blank_to_none(value):
    return None if value == "" else value


def find_header(rows: list[list], spec: schema.Sheet, mapping: Mapping = DEFAULT_MAPPING
                ) -> tuple[int, dict[str, int]] | None:
    """The 0-based row index within the first rows whose cells name most of a sheet's columns.

    Headers are matched through the mapping: canonical names, both languages, synonyms, overrides.
    """
    best = None
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = {}
        for j, cell in enumerate(row):
            if cell in ("", None):
                continue
            key = mapping.column_key(spec, cell)
            if key and key not in found:
                found[key] = j
        # the first required column anchors the table; check reports the other missing ones
        anchor = next(c.key for c in spec.columns if c.required)
        if anchor in found and len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (i, found)
    return best


def frame_from_rows(rows: list[list], spec: schema.Sheet, header: int, columns: dict[str, int]) -> pd.DataFrame:
    """Canonical frame of the data below a header row; fully empty rows are dropped.

    Built column by column from one object array: a sheet of 200,000 rows
    costs a few array operations, not a Python call per cell.
    """
    body = _grid(rows[header + 1:], max(columns.values(), default=-1) + 1)
    for j in columns.values():
        cells = body[:, j]
        cells[cells == ""] = None  # calamine gives "" for an empty cell
    frame = pd.DataFrame({key: body[:, columns[key]] for key in spec.keys if key in columns},
                         index=range(header + 2, header + 2 + len(body)), dtype=object)
    inputs = [columns[c.key] for c in spec.columns if c.role == schema.INPUT and c.key in columns]
    if len(frame) and inputs:
        keep = pd.notna(body[:, inputs]).any(axis=1)
        frame = frame if keep.all() else frame[keep]
    return frame


def _grid(body: list[list], width: int) -> np.ndarray:
    """Rows as a 2-D object array of at least `width` columns (short rows padded with None)."""
    if not body:
        return np.empty((0, width), dtype=object)
    lengths = set(map(len, body))
    longest = max(width, *lengths)
    if lengths != {longest}:
        body = [[*r, *[None] * (longest - len(r))] for r in body]
    return np.array(body, dtype=object)


def read_workbook(path: str | Path, mapping: Mapping | None = None, sheets=None, threads: int = 1) -> CrmData:
    """Every data sheet, the Settings and the AsOf date of a CRM workbook (headers read through mapping).

    sheets: the keys of the data sheets wanted (default all); a sheet left
    out is not parsed when it is found by its name, which saves a batch
    the time of sheets it does not use. threads: sheets parsed at the same
    time (python-calamine parses outside the GIL, each thread with its own
    handle on the file).
    """
    mapping = mapping or DEFAULT_MAPPING
    path = Path(path)
    wanted = {s.key for s in schema.DATA_SHEETS} if sheets is None else set(sheets)
    with Package.open(path) as pkg:
        return _read(pkg, path, mapping, wanted, threads)


def _parse(book: CalamineWorkbook, name: str) -> list[list]:
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)


class _SheetRows:
    """Each sheet's rows, parsed once; the sheets expected to be read are parsed ahead in threads."""

    def __init__(self, path: Path, book: CalamineWorkbook, ahead: list[str], threads: int):
        self.book, self.pool, self.parsed = book, None, {}
        if threads > 1 and len(ahead) > 1:
            self.pool = ThreadPoolExecutor(min(threads, len(ahead)))
            own = lambda name: _parse(CalamineWorkbook.from_path(str(path)), name)  # noqa: E731
            self.parsed = {name: self.pool.submit(own, name) for name in ahead}

    def __call__(self, name: str) -> list[list]:
        return self.parsed[name].result() if name in self.parsed else _parse(self.book, name)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def _totals_rows(pkg: Package, sheet_name: str, header_row: int, columns: dict[str, int]) -> range:
    """The totals rows of the Excel Table headed by this row: they sum the records, they are none."""
    excel = tables.table_with_header(pkg, sheet_name, header_row, columns.values())
    if excel is None or not excel.totals:
        return range(0)
    return range(excel.last_row - excel.totals + 1, excel.last_row + 1)


def _read(pkg: Package, path: Path, mapping: Mapping, wanted: set[str], threads: int) -> CrmData:
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise XlCrmError(f"{path}: cannot read the workbook ({exc})") from exc
    names = set(book.sheet_names)
    ahead = [mapping.sheets.get(spec.key) or next((n for n in (spec.en, spec.zh) if n in names), None)
             for spec in schema.DATA_SHEETS if spec.key in wanted]
    sheet_rows = _SheetRows(path, book, [n for n in ahead if n in names], threads)
    try:
        return _read_sheets(pkg, path, mapping, wanted, book, sheet_rows)
    finally:
        sheet_rows.close()


def _read_sheets(pkg: Package, path: Path, mapping: Mapping, wanted: set[str], book: CalamineWorkbook,
                 sheet_rows: _SheetRows) -> CrmData:
    data = CrmData(path=path, sheet_names=list(book.sheet_names))
    names = set(book.sheet_names)
    if schema.SETTINGS_NAME["zh"] in names and schema.SETTINGS_NAME["en"] not in names:
        data.lang = "zh"
    for name in (schema.SETTINGS_NAME["en"], schema.SETTINGS_NAME["zh"]):
        if name in names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            data.settings, data.as_of = settings_sheet.parse([[_blank_to_none(v) for v in r] for r in rows])
            break
    taken: set[str] = set()
    reserved = {n for s in schema.DATA_SHEETS for n in (s.en, s.zh)} | set(schema.SETTINGS_NAME.values())
    for spec in schema.DATA_SHEETS:
        pinned = mapping.sheets.get(spec.key)
        if pinned is not None and pinned not in names:
            raise XlCrmError(f"{path}: the mapping names sheet {pinned!r} for {spec.en}, but there is no such sheet")
        candidates = [pinned] if pinned else [n for n in (spec.en, spec.zh) if n in names]
        if candidates and spec.key not in wanted:
            taken.add(candidates[0])  # as it would be when read, so no other sheet is searched differently
            if candidates[0] == spec.zh:
                data.lang = "zh"
            continue
        if not pinned:
            candidates += [n for n in book.sheet_names if n not in reserved and n not in taken]
        for name in candidates:
            rows = sheet_rows(name)
            found = find_header(rows, spec, mapping)
            if found is None:
                continue
            taken.add(name)
            header, columns = found
            frame = frame_from_rows(rows, spec, header, columns)
            totals = _totals_rows(pkg, name, header + 1, columns)
            data.tables[spec.key] = Table(spec, name, header + 1, columns, [str(c) for c in rows[header]],
                                          frame[~frame.index.isin(totals)] if len(totals) else frame)
            if name == spec.zh:
                data.lang = "zh"
            break
    return data
