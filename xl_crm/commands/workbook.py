"""`init` and `refresh`: build the standard workbook, and bring its synced values up to date.

Both follow one path: read (CSV or workbook) -> the compute step -> write
(a new file with XlsxWriter, or a lossless edit of the package).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path

import pandas as pd
import xlsxwriter

from ..adopt import later_rows
from ..adopt.import_ import Summary, import_rows
from ..adopt.load import headers_language, ignored_columns, load_csv_dir
from ..compute.history import first_sighting, record
from ..compute.step import Computed, compute
from ..errors import XlCrmError
from ..model import schema
from ..model.asof import AsOf
from ..model.cells import is_blank
from ..model.mapping import Mapping
from ..ooxml.package import Package
from ..ooxml.save import atomic_write
from ..ooxml.tables import grow_tables
from ..reports import funnel_model, write_funnel_sheet
from ..sheets import links
from ..sheets.new import write_new_workbook
from ..sheets.read import CrmData, Table, read_workbook
from ..sheets.settings_sheet import AS_OF_ROW, fixed_as_of
from ..sheets.today_sheet import write_today_sheet
from .check import require_tables


def generated_sheets(computed: Computed, lang: str):
    """The Funnel and Today sheet writers, as callbacks for an XlsxWriter workbook."""

    def funnel(workbook):
        write_funnel_sheet(workbook, funnel_model(computed.inputs.frames, computed.day, computed.settings), lang)

    def today_(workbook):
        write_today_sheet(workbook, computed.call_list, computed.day, lang)

    return [funnel, today_]


def init_workbook(path: str | Path, *, lang: str | None = None, data_dir: str | Path | None = None,
                  as_of: date | None = None, force: bool = False, backup: bool = True,
                  mapping: Mapping | None = None) -> list[str]:
    """Write the standard workbook, optionally filled from CSV files, with synced values computed.

    lang: of the sheets; by default the language of the CSV headers (English without data).
    Returns what the user should know about the data: the CSV columns that were not loaded.
    """
    path = Path(path)
    if lang not in (None, "en", "zh"):
        raise XlCrmError(f"unknown language {lang!r}: use en or zh")
    if path.exists() and not force:
        raise XlCrmError(f"{path} already exists: use --force to overwrite it")
    if path.suffix.lower() != ".xlsx":
        raise XlCrmError(f"{path}: the standard workbook is an .xlsx file")
    frames = load_csv_dir(data_dir, mapping) if data_dir else {}
    lang = lang or headers_language(frames)
    write_standard_workbook(path, frames, lang=lang, as_of=AsOf.resolve(as_of), backup=backup)
    return ignored_columns(frames)


def write_standard_workbook(path: Path, frames: dict[str, pd.DataFrame], *, lang: str, as_of: AsOf,
                            backup: bool = True) -> Path:
    """Compute `frames` at `as_of` and write them as a new standard workbook, atomically.

    History records each deal as first seen at `as_of`.
    """
    computed = compute(first_sighting(frames, as_of.day, lang), as_of)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda stream: write_new_workbook(
        stream, computed, lang=lang, extra_sheets=generated_sheets(computed, lang)), backup=backup)
    return path


def import_files(sources, into, sheet: str | None = None, mapping: Mapping | None = None,
                 on_duplicate: str = "skip", backup: bool = True, lang: str | None = None) -> Summary:
    """Import every source into the workbook `into` (adopt.import_.import_rows); a new one is the standard
    workbook, with its Funnel and Today, as `init` writes it."""
    def write_new(path: Path, frames: dict[str, pd.DataFrame], lang: str, backup: bool) -> None:
        write_standard_workbook(path, frames, lang=lang, as_of=AsOf.today(), backup=backup)

    return import_rows(sources, into, sheet, mapping, on_duplicate, backup, lang, write_new=write_new)


def changed_cells(table: Table, key: str, values: pd.Series) -> dict:
    """{(row, col): value} for one column of a table, leaving out cells that already hold the value."""
    col = table.columns[key]
    current = table.frame[key] if key in table.frame else pd.Series(None, index=values.index)
    cells = {}
    for row, value in values.items():
        value = None if is_blank(value) else value
        old = current.get(row)
        old = None if is_blank(old) else old
        if isinstance(old, datetime) and not isinstance(value, datetime):
            old = old.date()
        if old != value:
            cells[(row, col)] = value
    return cells


@dataclass(frozen=True)
class RefreshPlan:
    """What a refresh changes: synced cells and formulas' cached results, per sheet name.

    values also holds the ID cells a rep left blank and the customers appended (rows `appended`).
    """

    computed: Computed
    table_of: Callable[[str], pd.DataFrame | None]  # as refresh_cells takes it
    values: dict[str, dict]
    cached: dict[str, dict]
    appended: dict[str, list[int]] = field(default_factory=dict)


def require_synced_columns(data: CrmData) -> None:
    """Refuse, in one line, a workbook whose Customers or Opportunities lack a column refresh writes."""
    missing = [(spec, key) for spec in (schema.CUSTOMERS, schema.OPPORTUNITIES) if spec.key in data.tables
               for key in spec.refreshed if key not in data.tables[spec.key].columns]
    if missing:
        names = ", ".join(f"{spec.name(data.lang)}.{spec.column(key).header(data.lang)}" for spec, key in missing)
        where = data.path or "this workbook"
        raise XlCrmError(f"{where}: missing synced columns ({names}); run `xl-crm upgrade` first")


def plan_refresh(data: CrmData, as_of: AsOf, package: Package | None = None) -> RefreshPlan:
    """The cells a refresh at `as_of` must write; shared by the file and the live workbook (no package).

    A rep's tracker gets the IDs its new rows lack and the customers they name (xl_crm.sheets.links).
    """
    require_synced_columns(data)
    frames, appended = {key: data.frame(key) for key in data.tables}, None
    new_customers = later_rows.appended_customers(data, package)
    if len(new_customers):
        added = new_customers.reindex(columns=frames["customers"].columns).astype(object)
        frames["customers"] = pd.concat([frames["customers"], added.where(added.notna(), None)])
    history = data.tables.get("history")
    if history is not None:  # the changes recorded at as_of count at as_of (push_count)
        frames, appended = record(frames, as_of.day, data.lang, data.settings)
    computed = compute(frames, as_of, data.settings)
    table_of = cache(computed.table)
    values, cached = refresh_cells(data, table_of)
    if history is not None:
        values[history.sheet_name] = history_cells(history, appended)
    rows = {}
    if len(new_customers):
        customers = data.tables["customers"]
        values[customers.sheet_name].update(later_rows.input_cells(customers, new_customers))
        rows[customers.sheet_name] = new_customers.index.tolist()
    return RefreshPlan(computed, table_of, values, cached, rows)


def refresh_cells(data: CrmData, table_of: Callable[[str], pd.DataFrame | None]) -> tuple[dict, dict]:
    """Per sheet name: the synced cells that change (and the IDs a rep left blank), and the formulas' results.

    table_of(key): the computed table of the workbook's rows, indexed by
    their Excel rows (a team's file: its own rows of the team's table);
    None leaves the sheet alone.
    """
    values, cached = {}, {}
    for key, table in data.tables.items():
        full = table_of(key)
        if full is None:
            continue
        spec = schema.sheet(key)

        def shown(column_key):
            column = spec.column(column_key)
            return changed_cells(table, column_key, full[column_key].map(lambda v: column.cell(v, data.lang)))

        values[table.sheet_name] = {**links.filled_cells(table, data.lang),
                                    **{cell: v for k in spec.refreshed if k in table.columns
                                       for cell, v in shown(k).items()}}
        cached[table.sheet_name] = {cell: v for c in spec.role(schema.DERIVED) if c.key in table.columns
                                    for cell, v in shown(c.key).items()}
    return values, cached


def history_cells(history: Table, rows: pd.DataFrame) -> dict:
    """The History rows a refresh appends, as cells below the last record (DOMAIN section 12)."""
    first = max([history.header_row, *history.frame.index]) + 1
    return {(first + i, history.columns[key]): value for i, record in enumerate(rows.to_dict("records"))
            for key, value in record.items() if key in history.columns and value is not None}


def refresh_workbook(path: str | Path, *, as_of: date | None = None, backup: bool = True,
                     mapping: Mapping | None = None) -> bool:
    """Recompute the synced values and rebuild the Funnel and Today sheets, losslessly.

    Returns whether the file was written: a workbook that is already up to
    date is not written at all (its .bak stays as it is).
    """
    path = Path(path)
    data = read_workbook(path, mapping)
    require_tables(data)
    with Package.open(path) as package:
        plan = plan_refresh(data, AsOf.resolve(as_of, fixed_as_of(package, data)), package)
        return write_refresh(package, data, plan, generated_sheets(plan.computed, data.lang), as_of, backup=backup)


def write_refresh(package: Package, data: CrmData, plan: RefreshPlan, generated: list, as_of: date | None, *,
                  settings_cells: dict | None = None, backup: bool = True) -> bool:
    """Write a refresh into the workbook's package part by part, and save it if anything changed.

    Rows a rep added below a table get its formulas; History grows by the
    rows recorded; `generated` (XlsxWriter sheet writers) replace the Funnel
    and Today sheets; an `as_of` given is written into AsOf, and
    `settings_cells` (a team's thresholds) into Settings.
    """
    formula_rows = {t.sheet_name: later_rows.formula_rows(package, t) for t in data.tables.values()}
    for sheet_name, cells in plan.values.items():
        if formula_rows.get(sheet_name):  # new rows' cells look like the last row with formulas
            cells = later_rows.dressed(package, sheet_name, cells, min(formula_rows[sheet_name].values()))
        if cells:
            package.set_cells(sheet_name, cells)
    for key, table in data.tables.items():
        own = plan.table_of(key)
        if own is None:
            continue
        if table.sheet_name in plan.appended:
            grow_tables(package, table.sheet_name, table.header_row, max(own.index))
        formulas = later_rows.write_formulas(package, table, formula_rows[table.sheet_name], own.index,
                                             lambda own=own: own, data.lang)
        plan.cached[table.sheet_name] = {c: v for c, v in plan.cached.get(table.sheet_name, {}).items()
                                         if c not in formulas}
    history = data.tables.get("history")
    appended = plan.values.get(history.sheet_name) if history is not None else None
    if appended:
        grow_tables(package, history.sheet_name, history.header_row, max(row for row, _ in appended))
    for sheet_name, cells in plan.cached.items():
        if cells:
            package.set_cached(sheet_name, cells)
    if data.settings_name is not None:
        cells = dict(settings_cells or {})
        if as_of is not None and fixed_as_of(package, data) != as_of:
            cells[AS_OF_ROW, 1] = as_of
        if cells:
            package.set_cells(data.settings_name, cells)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "generated.xlsx"
        workbook = xlsxwriter.Workbook(source)
        for write in generated:
            write(workbook)
        workbook.close()
        for name in (schema.FUNNEL_NAME(data.lang), schema.TODAY_NAME(data.lang)):
            package.put_sheet(name, source, name)
    package.full_recalc_on_load()
    if not package.modified:
        return False
    package.save(backup=backup)
    return True
