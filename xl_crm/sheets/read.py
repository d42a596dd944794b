"""Read a CRM workbook into DataFrames in one pass (python-calamine).

Each data sheet is found by its English or Chinese name (or the sheet a
mapping names), or failing that by its headers, the way a person would
find it: a deal table by its stage, status or amount, a customer table by
the customer's name, with or without ID columns; the header row may be
any of the first rows (title rows above it). xl_crm's own other sheets
(Today, Funnel, History, reports ...) are never taken for data. Frames are
indexed by the Excel row number and keyed by canonical column names; cells
keep the values a spreadsheet holds (numbers, text, dates, booleans,
None), after the mapping's value maps. An Excel Table's totals row is not
a record and is left out. What a rep's own table lacks (IDs, the status a
stage implies, the customers its rows name) is completed by
xl_crm.sheets.links, in the frames only.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from ..errors import XlCrmError
from ..model import schema, vocab
from ..model.cells import Invalid, is_blank
from ..model.mapping import DEFAULT as DEFAULT_MAPPING
from ..model.mapping import Mapping
from ..model.settings import DEFAULT, Settings
from ..ooxml import tables
from ..ooxml.package import Package
from . import links, settings_sheet

HEADER_SCAN_ROWS = 20

REPORT_KPIS = "KPIs"  # a report's tidy sheet, so named in every language
# xl_crm's own sheets besides the data sheets, in both languages: never data, whatever their headers say
OWN_SHEETS = frozenset({
    *schema.SETTINGS_NAME, *schema.FUNNEL_NAME, *schema.TODAY_NAME,
    "History", "变更记录", "Targets", "指标", "Payments", "回款", "回款计划", "DealContacts", "商机联系人",
    "Competitors", "竞争对手",
    # report sheets (xl_crm.reports.labels.SHEETS), should a rep copy one into the workbook; not 跟进 (Follow-ups)
    # nor 收入 (Revenue): reps name their own tracker or takings sheet so
    "Summary", "概要", "Reps", "销售代表", "Revenue", "Follow-ups", "Portfolio", "客户组合",
    "Stale deals", "停滞商机", "VIP customers", "VIP客户", REPORT_KPIS,
})
# the kinds a sheet is found as by its headers, in the order that breaks a tie: a deal table names customers too
PRECEDENCE = ("opportunities", "activities", "contacts", "customers")
_GENERIC_NAMES = {"name", "名称", "姓名"}


@dataclass
class Table:
    """One data sheet as read: where it is and what it holds."""

    spec: schema.Sheet
    sheet_name: str
    header_row: int  # 1-based Excel row of the headers
    columns: dict[str, int]  # canonical key -> 0-based column index
    headers: list[str]  # every header cell text of the header row
    frame: pd.DataFrame  # index = Excel row number; columns = canonical keys found (+ links.IMPLIED)
    links: dict[str, int] = field(default_factory=dict)  # customer_name, contact_name ... -> 0-based column
    linked: pd.DataFrame | None = None  # the links' cells, indexed as frame
    implied: list[str] = field(default_factory=list)  # frame columns the sheet lacks, completed by sheets.links
    filled: dict[str, list[int]] = field(default_factory=dict)  # column key -> rows whose blank cell was completed
    renamed: dict[str, str] = field(default_factory=dict)  # other CRMs' stage names in the sheet -> Settings name


@dataclass
class CrmData:
    path: Path | None
    lang: str = "en"
    settings: Settings = DEFAULT
    as_of: object = None  # the AsOf cell's date, None when it is =TODAY() or missing
    tables: dict[str, Table] = field(default_factory=dict)
    sheet_names: list[str] = field(default_factory=list)
    built: dict[str, pd.DataFrame] = field(default_factory=dict)  # sheets the workbook lacks, from others' rows
    also: dict[str, str] = field(default_factory=dict)  # sheet name -> the kind it reads as, already found elsewhere
    settings_name: str | None = None  # the sheet holding xl_crm's Settings, found by its content
    problems: list | None = None  # what `check` found, when a team's file was checked where it was read

    def frame(self, key: str) -> pd.DataFrame:
        """The canonical frame of a data sheet (or the one built from other sheets); empty when absent."""
        if key in self.tables:
            return self.tables[key].frame
        if key in self.built:
            return self.built[key]
        return pd.DataFrame(columns=schema.sheet(key).keys, dtype=object)


def _blank_to_none(value):
    return None if value == "" else value


@dataclass
class Header:
    """A header row a table is recognised by: canonical columns and links (0-based columns)."""

    row: int
    columns: dict[str, int]
    links: dict[str, int]


def find_header(rows: list[list], spec: schema.Sheet, mapping: Mapping = DEFAULT_MAPPING
                ) -> tuple[int, dict[str, int]] | None:
    """The 0-based row index within the first rows whose cells name most of a sheet's columns.

    Headers are matched through the mapping: canonical names, both languages, synonyms, overrides.
    A sheet named as the standard one needs only its first required column and one more.
    """
    found = scan(rows, spec, mapping, named=True)
    return None if found is None else (found.row, found.columns)


def scan(rows: list[list], spec: schema.Sheet, mapping: Mapping = DEFAULT_MAPPING, named: bool = False
         ) -> Header | None:
    """The header row, within the first rows, that names most columns of a table it is recognised as."""
    best = None
    one_each = not mapping.columns.get(spec.key)  # no mapping file feeds one column into several fields
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if best is not None and one_each and sum(cell not in ("", None) for cell in row) <= _score(best):
            continue  # each cell names one column or link at most: this row cannot score higher
        candidates: dict[str, list[int]] = {}
        found_links: dict[str, int] = {}
        for j, cell in enumerate(row):
            if cell in ("", None):
                continue
            keys = mapping.fields(spec.key, cell)
            for key in keys:
                candidates.setdefault(key, []).append(j)
            if not keys:
                link = links.header_link(spec.key, mapping, cell)
                if link and link not in found_links:
                    found_links[link] = j
        if not candidates:
            continue
        found = {key: next((j for j in cols if _reads_as(spec, key, rows, i, j)), None)
                 for key, cols in candidates.items()}
        header = Header(i, {key: j for key, j in found.items() if j is not None}, found_links)
        if _recognised(spec, header.columns, found_links, row, named) and (best is None or
                                                                          _score(header) > _score(best)):
            best = header
    return best


def _reads_as(spec: schema.Sheet, key: str, rows: list[list], header: int, j: int) -> bool:
    """A customer's need is a column of Now/Future/None, not a free-text description that shares its name."""
    if spec.key != "customers" or key != "need":
        return True
    values = [r[j] for r in rows[header + 1:header + 201] if j < len(r) and not is_blank(r[j])]
    readable = 0
    for value in values:
        try:
            vocab.NEED.parse(value)
            readable += 1
        except Invalid:
            pass
    return readable * 2 >= len(values)


def _recognised(spec: schema.Sheet, found: dict[str, int], found_links: dict[str, int], row: list,
                named: bool) -> bool:
    """Whether these columns make a table of this kind; `named` sheets also by their first required column."""
    anchor = next((c.key for c in spec.columns if c.required), None)
    if named and (anchor is None or anchor in found) and len(found) >= 2:
        return True
    if spec.key not in PRECEDENCE or sum(not is_blank(c) for c in row) < 2:
        return False  # a lone word in a notes sheet is no header
    customer = "customer_id" in found or "customer_name" in found_links
    if spec.key == "customers":
        if "name" not in found:
            return False
        generic = schema.normalise_header(row[found["name"]]) in _GENERIC_NAMES
        return len(found) >= 2 or not generic
    if spec.key == "opportunities":
        return bool({"stage", "status", "amount"} & set(found)) and len(found) + len(found_links) >= 3
    if spec.key == "contacts":
        return (("contact_id" in found and len(found) >= 2)
                or ("name" in found and customer and bool({"title", "department"} & set(found))))
    return "date" in found and customer and len(found) + len(found_links) >= 3


def _records(body: np.ndarray, spec: schema.Sheet, header: int, columns: dict[str, int]) -> pd.DataFrame:
    """The canonical frame of the grid below a header row; fully empty rows are dropped.

    Built from one 2-D object array: a sheet of 200,000 rows costs a few
    array operations, not a Python call per cell.
    """
    keys = [key for key in spec.keys if key in columns]
    cells = _columns(body, [columns[key] for key in keys])
    frame = _frame(cells, keys, header)
    inputs = [keys.index(c.key) for c in spec.columns if c.role == schema.INPUT and c.key in columns]
    if len(frame) and inputs:
        keep = pd.notna(cells[inputs]).any(axis=0)
        frame = frame if keep.all() else frame[keep]
    return frame


def _columns(body: np.ndarray, picked: list[int]) -> np.ndarray:
    """The picked columns of a grid, one per row of the result, with None for calamine's "" of an empty cell."""
    cells = body.T[picked]
    cells[cells == ""] = None
    return cells


def _frame(cells: np.ndarray, keys: list[str], header: int) -> pd.DataFrame:
    """Columns of cells below a header row as an object frame indexed by Excel row number (the array, not a copy)."""
    return pd.DataFrame(cells.T, columns=keys, index=range(header + 2, header + 2 + cells.shape[1]), dtype=object,
                        copy=False)


def _grid(body: list[list], width: int) -> np.ndarray:
    """Rows as a 2-D object array of at least `width` columns (short rows padded with None).

    Filled from one flat run of the cells: np.array(rows) would look into every cell for a nested sequence.
    """
    if not body:
        return np.empty((0, width), dtype=object)
    lengths = set(map(len, body))
    longest = max(width, *lengths)
    if lengths != {longest}:
        body = [[*r, *[None] * (longest - len(r))] for r in body]
    cells = np.fromiter(chain.from_iterable(body), dtype=object, count=len(body) * longest)
    return cells.reshape(len(body), longest)


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
        self.book, self.pool, self.parsed, self.rows = book, None, {}, {}
        if threads > 1 and len(ahead) > 1:
            self.pool = ThreadPoolExecutor(min(threads, len(ahead)))
            own = lambda name: _parse(CalamineWorkbook.from_path(str(path)), name)
            self.parsed = {name: self.pool.submit(own, name) for name in ahead}

    def __call__(self, name: str) -> list[list]:
        if name not in self.rows:  # a sheet is looked at to find its header, then read: parsed once for both
            self.rows[name] = self.parsed[name].result() if name in self.parsed else _parse(self.book, name)
        return self.rows[name]

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
        return read_rows(path, list(book.sheet_names), sheet_rows, mapping, wanted,
                         totals=lambda name, header_row, columns: _totals_rows(pkg, name, header_row, columns))
    finally:
        sheet_rows.close()


Totals = Callable[[str, int, dict[str, int]], range]


def _is_report(sheet_names: list[str], sheet_rows: Callable[[str], list[list]]) -> bool:
    """A report xl-crm wrote, saved in a team folder or opened by mistake: a KPIs sheet headed scope, metric,
    value (section 11) and no customer, deal, contact or activity sheet by name. Its lists are no data."""
    data_names = {n for key in PRECEDENCE for n in (schema.sheet(key).en, schema.sheet(key).zh)}
    if REPORT_KPIS not in sheet_names or data_names & set(sheet_names):
        return False
    rows = sheet_rows(REPORT_KPIS)
    return bool(rows) and [str(v).strip().casefold() for v in rows[0][:3]] == ["scope", "metric", "value"]


def read_rows(path: Path | None, sheet_names: list[str], sheet_rows: Callable[[str], list[list]],
              mapping: Mapping | None = None, wanted: set[str] | None = None, totals: Totals | None = None
              ) -> CrmData:
    """A CRM workbook from any source of rows: the file (calamine) or the book open in Excel (the buttons).

    sheet_rows(name) gives a sheet's cell values from A1; totals(name,
    header_row, columns) the Excel Table totals rows under a header, which
    are no records (a source that cannot tell gives none).
    """
    mapping = mapping or DEFAULT_MAPPING
    wanted = {s.key for s in schema.DATA_SHEETS} if wanted is None else wanted
    if _is_report(sheet_names, sheet_rows):
        raise XlCrmError(f"{path}: a report written by `xl-crm report` (its KPIs sheet says so), not a CRM workbook")
    data = CrmData(path=path, sheet_names=list(sheet_names))
    names = set(sheet_names)

    def cells(name: str) -> list[list]:
        return [[_blank_to_none(v) for v in r] for r in sheet_rows(name)]

    data.settings_name = settings_sheet.find(sheet_names, cells)
    if data.settings_name is not None:
        found = cells(data.settings_name)
        data.settings, data.as_of = settings_sheet.parse(found)
        data.lang = settings_sheet.language(data.settings_name, found)
    taken: set[str] = set()
    for spec in schema.DATA_SHEETS:
        name = _named_sheet(spec, mapping, names, path)
        if name is None:
            continue
        taken.add(name)
        if name == spec.zh:
            data.lang = "zh"
        if spec.key in wanted:  # a sheet left out is not parsed when it is found by its name
            found = scan(sheet_rows(name), spec, mapping, named=True)
            if found is not None:
                _add_table(data, totals, mapping, spec, name, sheet_rows(name), found)
            elif name == mapping.sheets.get(spec.key):
                raise XlCrmError(f"{path}: sheet {name!r}, which the mapping names for {spec.en}, has no header row "
                                 f"in its first {HEADER_SCAN_ROWS} rows that names its columns; map them under "
                                 f"[{spec.key}.columns]")
    reserved = {n for s in schema.DATA_SHEETS for n in (s.en, s.zh)} | OWN_SHEETS | taken | {data.settings_name}
    missing = {key for key in PRECEDENCE if key in wanted and key not in data.tables and key not in mapping.sheets}
    for name in sheet_names if missing else ():
        if name in reserved:
            continue
        rows = sheet_rows(name)
        kind = _kind(rows, mapping)
        if kind is None:
            continue
        key, found = kind
        if key in missing:
            missing.discard(key)
            _add_table(data, totals, mapping, schema.sheet(key), name, rows, found)
        else:
            data.also[name] = key
    _complete(data, mapping)
    return data


def _kind(rows: list[list], mapping: Mapping) -> tuple[str, Header] | None:
    """The kind a sheet reads as: the one whose columns it names most (ties: PRECEDENCE), taken or not.

    By the count, not the order alone, so the standard columns upgrade adds keep a table the kind it was.
    """
    best = None
    for key in PRECEDENCE:
        found = scan(rows, schema.sheet(key), mapping)
        if found is not None and (best is None or _score(found) > _score(best[1])):
            best = (key, found)
    return best


def _score(header: Header) -> int:
    return len(header.columns) + len(header.links)


def _named_sheet(spec: schema.Sheet, mapping: Mapping, names: set[str], path: Path) -> str | None:
    """The sheet a mapping names for this table (`accounts` or `accounts.csv`), else the standard sheet, if any.

    A mapping written for the CSV files of `init --data` names files that became the standard sheets.
    """
    standard = next((n for n in (spec.en, spec.zh) if n in names), None)
    pinned = mapping.sheets.get(spec.key)
    if pinned is None:
        return standard
    for name in (pinned, pinned[:-4] if pinned.lower().endswith(".csv") else None):
        if name in names:
            return name
    if standard is None:
        raise XlCrmError(f"{path}: the mapping names sheet {pinned!r} for {spec.en}, but there is no such sheet")
    return standard


def _add_table(data: CrmData, totals: Totals | None, mapping: Mapping, spec: schema.Sheet, name: str,
               rows: list[list], found: Header) -> None:
    header, columns = found.row, found.columns
    body = _grid(rows[header + 1:], max([*columns.values(), *found.links.values()], default=-1) + 1)
    frame = _records(body, spec, header, columns)
    linked = None
    if found.links:
        linked = _frame(_columns(body, list(found.links.values())), list(found.links), header).reindex(frame.index)
    left_out = totals(name, header + 1, columns) if totals is not None else range(0)
    if len(left_out):
        frame = frame[~frame.index.isin(left_out)]
        linked = None if linked is None else linked.loc[frame.index]
    for key in columns:
        if mapping.value_map(spec.key, key):
            frame[key] = frame[key].map(lambda v, k=key: mapping.map_value(spec.key, k, v))
    data.tables[spec.key] = Table(spec, name, header + 1, columns, [str(c) for c in rows[header]], frame,
                                  found.links, linked)
    if name == spec.zh:
        data.lang = "zh"


def _complete(data: CrmData, mapping: Mapping) -> None:
    """What a rep's own tables lack, in the frames: IDs, status, the close date's meaning, built sheets."""
    opps = data.tables.get("opportunities")
    if opps is not None:
        links.deal_columns(opps, data.settings)
    data.built.update(links.complete(data.tables))
