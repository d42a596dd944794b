"""`init` and `refresh`: build the standard workbook, and bring its synced values up to date.

Both follow one path: read (CSV or workbook) -> sync and derive (rules) ->
write (a new file with XlsxWriter, or a lossless edit of the package).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import xlsxwriter

from ..compute import derive, sync, today
from ..model import schema
from ..sheets.new import write_new_workbook
from ..ooxml.package import Package
from ..sheets.read import CrmData, Table, read_workbook
from ..ooxml.save import atomic_write
from ..sheets.settings_sheet import AS_OF_ROW, fixed_as_of
from ..sheets.today_sheet import write_today_sheet
from ..errors import XlCrmError
from ..adopt.load import ignored_columns, load_csv_dir
from ..model.mapping import Mapping
from ..reports import funnel_model, write_funnel_sheet
from ..model.settings import DEFAULT, Settings
from ..model.cells import is_blank

# what refresh writes as values: last_contact is an input that sync moves forward (DOMAIN.md section 1)
SYNCED_COLUMNS = {"customers": sync.SYNCED_CUSTOMER, "opportunities": ("touch_count",)}


@dataclass(frozen=True)
class Synced:
    """Frames with their synced columns filled in, and the derived columns of each."""

    frames: dict[str, pd.DataFrame]
    customer_derived: pd.DataFrame
    opportunity_derived: pd.DataFrame


def synchronise(frames: dict[str, pd.DataFrame], as_of: date, settings: Settings = DEFAULT) -> Synced:
    """Fill the synced columns of customers and opportunities from the other sheets."""
    empty = {key: pd.DataFrame(columns=schema.sheet(key).keys, dtype=object) for key in
             ("customers", "opportunities", "contacts", "activities")}
    frames = {**empty, **{k: v for k, v in frames.items() if v is not None}}
    customers, opportunities, activities = frames["customers"], frames["opportunities"], frames["activities"]
    customers = customers.assign(**sync.customer_sync(customers, opportunities, activities, as_of, settings))
    opportunities = opportunities.assign(touch_count=sync.opportunity_touches(opportunities, activities, as_of))
    frames = {**frames, "customers": customers, "opportunities": opportunities}
    return Synced(frames, derive.customer_columns(customers, as_of, settings),
                  derive.opportunity_columns(opportunities, as_of, settings))


def _generated_sheets(result: Synced, as_of: date, settings: Settings, lang: str):
    """The Funnel and Today sheet writers, as callbacks for an XlsxWriter workbook."""
    frames = result.frames

    def funnel(workbook):
        write_funnel_sheet(workbook, funnel_model(frames, as_of, settings), lang)

    def today_(workbook):
        rows = today.call_list(frames["customers"], result.customer_derived, frames["activities"], as_of)
        write_today_sheet(workbook, rows, as_of, lang)

    return [funnel, today_]


def init_workbook(path: str | Path, *, lang: str = "en", data_dir: str | Path | None = None,
                  as_of: date | None = None, force: bool = False, backup: bool = True,
                  mapping: Mapping | None = None) -> list[str]:
    """Write the standard workbook, optionally filled from CSV files, with synced values computed.

    Returns what the user should know about the data: the CSV columns that were not loaded.
    """
    path = Path(path)
    if lang not in ("en", "zh"):
        raise XlCrmError(f"unknown language {lang!r}: use en or zh")
    if path.exists() and not force:
        raise XlCrmError(f"{path} already exists: use --force to overwrite it")
    if path.suffix.lower() != ".xlsx":
        raise XlCrmError(f"{path}: the standard workbook is an .xlsx file")
    frames = load_csv_dir(data_dir, mapping) if data_dir else {}
    write_standard_workbook(path, frames, lang=lang, as_of=as_of, day=as_of or date.today(), backup=backup)
    return ignored_columns(frames)


def write_standard_workbook(path: Path, frames: dict[str, pd.DataFrame], *, lang: str, day: date,
                            as_of: date | None = None, backup: bool = True) -> Path:
    """Sync `frames` as of `day` and write them as a new standard workbook, atomically.

    `as_of` is what the AsOf cell holds: that date, or =TODAY() when None.
    """
    result = synchronise(frames, day, DEFAULT)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda stream: write_new_workbook(
        stream, result.frames, lang=lang, settings=DEFAULT, as_of=as_of,
        extra_sheets=_generated_sheets(result, day, DEFAULT, lang)), backup=backup)
    return path


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
    """What a refresh changes: synced cells, formulas' cached results, per sheet name."""

    day: date
    result: Synced
    values: dict[str, dict]
    cached: dict[str, dict]


def plan_refresh(data: CrmData, day: date) -> RefreshPlan:
    """The cells a refresh as of `day` must write; shared by the file and the live workbook."""
    missing = [(spec, key) for spec in (schema.CUSTOMERS, schema.OPPORTUNITIES) if spec.key in data.tables
               for key in SYNCED_COLUMNS[spec.key] if key not in data.tables[spec.key].columns]
    if missing:
        names = ", ".join(f"{spec.name(data.lang)}.{spec.column(key).header(data.lang)}" for spec, key in missing)
        where = data.path or "this workbook"
        raise XlCrmError(f"{where}: missing synced columns ({names}); run `xl-crm upgrade` first")
    frames = {key: data.frame(key) for key in ("customers", "opportunities", "contacts", "activities")}
    result = synchronise(frames, day, data.settings)
    values, cached = {}, {}
    derived = {"customers": result.customer_derived, "opportunities": result.opportunity_derived}
    for key, table in data.tables.items():
        if key not in SYNCED_COLUMNS:
            continue
        spec = schema.sheet(key)

        def shown(column_key, series):
            column = spec.column(column_key)
            return changed_cells(table, column_key, series.map(lambda v: column.display(v, data.lang)))

        values[table.sheet_name] = {cell: v for k in SYNCED_COLUMNS[key]
                                    for cell, v in shown(k, result.frames[key][k]).items()}
        cached[table.sheet_name] = {cell: v for c in spec.role(schema.DERIVED) if c.key in table.columns
                                    for cell, v in shown(c.key, derived[key][c.key]).items()}
    return RefreshPlan(day, result, values, cached)


def refresh_workbook(path: str | Path, *, as_of: date | None = None, backup: bool = True,
                     mapping: Mapping | None = None) -> Path:
    """Recompute the synced values and rebuild the Funnel and Today sheets, losslessly."""
    path = Path(path)
    data = read_workbook(path, mapping)
    with Package.open(path) as package:
        plan = plan_refresh(data, as_of or fixed_as_of(package, data) or date.today())
        for sheet_name, cells in plan.values.items():
            if cells:
                package.set_cells(sheet_name, cells)
        for sheet_name, cells in plan.cached.items():
            if cells:
                package.set_cached(sheet_name, cells)
        settings_name = schema.SETTINGS_NAME[data.lang]
        if as_of is not None and settings_name in package.sheet_names:
            package.set_cells(settings_name, {(AS_OF_ROW, 1): as_of})
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "generated.xlsx"
            workbook = xlsxwriter.Workbook(source)
            for write in _generated_sheets(plan.result, plan.day, data.settings, data.lang):
                write(workbook)
            workbook.close()
            for name in (schema.FUNNEL_NAME[data.lang], schema.TODAY_NAME[data.lang]):
                package.put_sheet(name, source, name)
        package.full_recalc_on_load()
        package.save(backup=backup)
    return path
