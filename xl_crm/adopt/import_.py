"""Import rows from CSV and XLSX exports of other tools into a CRM workbook.

Headers go through the same mapping as `upgrade`; every cell is coerced to
its column's type, and a row that cannot be read is rejected with its
reason rather than guessed at. Rows whose ID already exists are skipped,
updated or refused (on_duplicate). Text stays text: "=1+1" imported as a
name is written as a string, never as a formula.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from ..model import schema
from ..ooxml import guards
from ..sheets.new import write_new_workbook
from ..ooxml.package import Package
from ..sheets.read import Table, find_header, read_workbook
from ..ooxml.save import atomic_write
from ..ooxml.tables import grow_tables, table_with_header
from ..errors import XlCrmError
from .load import decode_csv
from ..model.mapping import DEFAULT, Mapping
from .added_columns import formula_cells
from ..model.cells import Invalid, as_date, id_key, is_blank, parse_iso_date

_NUMBER_NOISE = re.compile(r"[,\s¥$€£￥元]")


@dataclass
class Summary:
    added: int = 0
    updated: int = 0
    skipped: int = 0
    rejected: list[str] = field(default_factory=list)  # "file row N: reason"

    def lines(self) -> list[str]:
        out = [f"added {self.added}, updated {self.updated}, skipped {self.skipped}, rejected {len(self.rejected)}"]
        return out + [f"  rejected {r}" for r in self.rejected]


def read_csv(path: Path) -> list[list]:
    """Rows of a CSV file in UTF-8 (with or without BOM) or GB18030/GBK, as Chinese Excel saves it."""
    text = decode_csv(path)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def read_rows(path: Path) -> list[list]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        guards.open_zip(path).close()
        book = CalamineWorkbook.from_path(str(path))
        return book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)
    if not path.exists():
        raise XlCrmError(f"{path}: no such file")
    return read_csv(path)


def coerce(column: schema.Column, value):
    """A cell value of the column's type; raises Invalid with what was expected."""
    if is_blank(value):
        return None
    kind = column.kind
    if kind == "date":
        if isinstance(value, (date, datetime)) or not isinstance(value, str):
            return as_date(value)
        return parse_iso_date(value)
    if kind in ("number", "money", "int", "score", "percent"):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        text = _NUMBER_NOISE.sub("", str(value))
        scale = 0.01 if kind == "percent" and text.endswith("%") else 1
        try:
            number = float(text.rstrip("%")) * scale
        except ValueError as exc:
            raise Invalid(f"not a number: {value!r}") from exc
        return int(number) if kind == "int" and number.is_integer() else number
    if kind == "id":
        return id_key(value)
    return value


def _pick_sheet(rows: list[list], sheet: str | None, mapping: Mapping, path: Path):
    specs = [schema.sheet(sheet)] if sheet else schema.DATA_SHEETS
    best = None
    for spec in specs:
        found = find_header(rows, spec, mapping)
        if found and (best is None or len(found[1]) > len(best[2])):
            best = (spec, found[0], found[1])
    if best is None:
        raise XlCrmError(f"{path}: no header row naming the required columns of "
                         f"{' or '.join(s.en for s in specs)}")
    return best


def source_frame(path: Path, sheet: str | None, mapping: Mapping, summary: Summary):
    """The canonical, coerced rows of one source file; unreadable rows go to summary.rejected."""
    rows = read_rows(path)
    spec, header, columns = _pick_sheet(rows, sheet, mapping, path)
    records, index = [], []
    for offset, row in enumerate(rows[header + 1:], start=header + 2):
        if all(is_blank(v) for v in row):
            continue
        record, problems = {}, []
        for key, j in columns.items():
            value = row[j] if j < len(row) else None
            value = None if value == "" else value
            try:
                record[key] = coerce(spec.column(key), value)
            except Invalid as exc:
                problems.append(f"{spec.column(key).en}: {exc}")
        missing = [spec.column(c.key).en for c in spec.columns if c.required and is_blank(record.get(c.key))]
        if missing:
            problems.append(f"missing {', '.join(missing)}")
        if problems:
            summary.rejected.append(f"{path.name} row {offset}: {'; '.join(problems)}")
            continue
        records.append(record)
        index.append(offset)
    return spec, pd.DataFrame(records, index=index, columns=list(columns), dtype=object)


def _dedupe(spec, frame: pd.DataFrame, existing: dict[str, int], on_duplicate: str, summary: Summary, path: Path):
    """Split rows into new ones and updates of existing rows (by ID)."""
    new, updates, seen = [], {}, set()
    for row, record in frame.iterrows():
        key = id_key(record.get(spec.id_column)) if spec.id_column else None
        if key is not None and (key in existing or key in seen):
            if on_duplicate == "error":
                raise XlCrmError(f"{path} row {row}: {spec.column(spec.id_column).en} {key!r} already exists")
            if on_duplicate == "update" and key in existing:
                updates[existing[key]] = record
            else:
                summary.skipped += 1
            continue
        if key is not None:
            seen.add(key)
        new.append(record)
    return new, updates


def _last_row(pkg: Package, table: Table) -> int:
    """The row new records go below: the last data row, or a table's totals row (never overwritten)."""
    last = max([table.header_row, *table.frame.index])
    excel = table_with_header(pkg, table.sheet_name, table.header_row, table.columns.values())
    return max(last, excel.last_row) if excel is not None and excel.totals else last


def import_files(sources, into, sheet: str | None = None, mapping: Mapping | None = None,
                 on_duplicate: str = "skip", backup: bool = True, lang: str = "en") -> Summary:
    """Import every source into the workbook `into` (created when missing); a Summary of what happened."""
    if on_duplicate not in ("skip", "update", "error"):
        raise XlCrmError(f"--on-duplicate must be skip, update or error, not {on_duplicate!r}")
    mapping = mapping or DEFAULT
    into = Path(into)
    summary = Summary()
    frames: dict[str, list] = {}
    for source in sources:
        spec, frame = source_frame(Path(source), sheet, mapping, summary)
        frames.setdefault(spec.key, []).append((Path(source), frame))
    if not into.exists():
        out = {}
        for key, items in frames.items():
            spec = schema.sheet(key)
            new, _ = _dedupe(spec, pd.concat([f for _, f in items]), {}, on_duplicate, summary, items[0][0])
            out[key] = pd.DataFrame(new, columns=spec.keys, dtype=object)
            summary.added += len(new)
        atomic_write(into, lambda stream: write_new_workbook(stream, out, lang=lang), backup=backup)
        return summary
    data = read_workbook(into, mapping)
    with Package.open(into) as pkg:
        for key, items in frames.items():
            table = data.tables.get(key)
            if table is None:
                raise XlCrmError(f"{into}: no {schema.sheet(key).en} table; run `xl-crm upgrade {into}` first")
            spec = table.spec
            existing = {}
            if spec.id_column in table.frame:
                existing = {id_key(v): row for row, v in table.frame[spec.id_column].items() if id_key(v)}
            cells, last = {}, _last_row(pkg, table)
            new_rows = []
            for path, frame in items:
                new, updates = _dedupe(spec, frame, existing, on_duplicate, summary, path)
                for row, record in updates.items():
                    cells.update({(row, table.columns[k]): v for k, v in record.items() if k in table.columns})
                    summary.updated += 1
                for record in new:
                    last += 1
                    new_rows.append(last)
                    cells.update({(last, table.columns[k]): v for k, v in record.items() if k in table.columns})
                    if spec.id_column and record.get(spec.id_column) is not None:
                        existing[id_key(record[spec.id_column])] = last
                summary.added += len(new)
            if new_rows:
                grow_tables(pkg, table.sheet_name, table.header_row, last)
            derived = [c.key for c in spec.role(schema.DERIVED)]
            if new_rows and derived and all(k in table.columns for k in spec.keys):
                cells.update(formula_cells(pkg, table, table.columns, derived, range(new_rows[0], last + 1),
                                           data.lang, None))
            if cells:
                pkg.set_cells(table.sheet_name, cells)
        if pkg.modified:
            pkg.full_recalc_on_load()
            pkg.save(backup=backup)
    return summary
