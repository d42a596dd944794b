"""Import rows from CSV and XLSX exports of other tools into a CRM workbook.

Headers go through the same mapping as `upgrade`, and cells through the
same typing as `init --data` (adopt.typing) with the REJECT policy: a row
that cannot be read is left out with its reason rather than guessed at.
Rows whose ID already exists, in the workbook or earlier in the same
file, are skipped (and named), updated or refused (on_duplicate). Text
stays text: "=1+1" imported as a name is written as a string, never as a
formula. When no row can be imported, nothing is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from ..errors import XlCrmError
from ..model import schema
from ..model.cells import id_key, is_blank
from ..model.mapping import DEFAULT, Mapping
from ..model.settings import DEFAULT as DEFAULT_SETTINGS
from ..model.settings import Settings
from ..ooxml import guards
from ..ooxml.package import Package
from ..ooxml.tables import grow_tables, table_with_header
from ..sheets import links
from ..sheets.read import Table, find_header, read_workbook
from .added_columns import formula_cells
from .load import decode_csv
from .typing import (
    REJECT,
    Unreadable,
    column_label,
    language_of,
    raw_frame,
    reject_missing,
    source_table,
    type_frame,
    zh_column,
)

SHOWN_ROWS = 5  # rows named in a grouped line


@dataclass
class Summary:
    added: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)  # "export.csv row 6: Customer ID 'C1' already in row 2"
    rejected: list[Unreadable] = field(default_factory=list)
    written: bool = False  # whether a workbook was written (nothing is when no row could be imported)
    lang: str = "en"  # of the workbook imported into: the language of these lines

    def lines(self, every: bool = False) -> list[str]:
        """What happened; rejections grouped by file, column and reason unless `every`."""
        say = _SAY[self.lang]
        rows = len({(r.file, r.row) for r in self.rejected})
        out = [say["head"].format(self.added, self.updated, len(self.skipped), rows)]
        shown_skips = self.skipped if every else self.skipped[:SHOWN_ROWS]
        out += [f"  {say['skipped']} {s}" for s in shown_skips]
        if len(self.skipped) > len(shown_skips):
            out.append("  " + say["more"].format(len(self.skipped) - SHOWN_ROWS))
        groups: dict[tuple, list[Unreadable]] = {}
        for r in self.rejected:
            groups.setdefault((r.file, r.column, r.reason), []).append(r)
        for (file, column, _), items in groups.items():
            if every or len(items) == 1:
                out += [f"  {say['rejected']} {r.text(self.lang)}" for r in items]
                continue
            shown = ", ".join(str(r.row) for r in items[:SHOWN_ROWS]) + (", ..." if len(items) > SHOWN_ROWS else "")
            first = "" if items[0].value is None else say["first"].format(items[0].value)
            reason = items[0].zh if self.lang == "zh" else items[0].reason
            where = file + (say["column"].format(zh_column(column) if self.lang == "zh" else column) if column else "")
            out.append("  " + say["group"].format(n=len(items), where=where, reason=reason, rows=shown, first=first))
        return out


_SAY = {
    "en": {"head": "added {}, updated {}, skipped {}, rejected {}", "skipped": "skipped", "rejected": "rejected",
           "more": "skipped {} more rows whose ID was already there (--all lists them)",
           "group": "rejected {n} rows of {where}: {reason} (rows {rows}{first})",
           "column": ", column {}", "first": "; first value {!r}"},
    "zh": {"head": "新增 {}，更新 {}，跳过 {}，拒绝 {}", "skipped": "跳过", "rejected": "拒绝",
           "more": "另有 {} 行编号已存在，已跳过（--all 全部列出）",
           "group": "拒绝 {where} 共 {n} 行：{reason}（第 {rows} 行{first}）",
           "column": " {}", "first": "；首个值 {!r}"},
}


def read_csv(path: Path) -> list[list]:
    """Rows of a CSV file in UTF-8 (with or without BOM) or GB18030/GBK, as Chinese Excel saves it."""
    text = decode_csv(path)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def read_sheets(path: Path, mapping: Mapping = DEFAULT) -> list[list[list]]:
    """The rows of a CSV file, or of each sheet of a workbook (a sheet the mapping names first)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        guards.open_zip(path).close()
        book = CalamineWorkbook.from_path(str(path))
        names = sorted(book.sheet_names, key=lambda name: name not in mapping.sheets.values())
        return [book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in names]
    if not path.exists():
        raise XlCrmError(f"{path}: no such file")
    return [read_csv(path)]


def _pick_sheet(sheets: list[list[list]], sheet: str | None, mapping: Mapping, path: Path):
    """The first sheet with a header row of a data sheet: (its rows, the spec, header row index)."""
    specs = [schema.sheet(sheet)] if sheet else schema.DATA_SHEETS
    for rows in sheets:
        best = None
        for spec in specs:
            found = find_header(rows, spec, mapping)
            if found and (best is None or len(found[1]) > len(best[2])):
                best = (spec, found[0], found[1])
        if best is not None:
            return rows, best[0], best[1]
    raise XlCrmError(f"{path}: no header row naming the required columns of {' or '.join(s.en for s in specs)}")


@dataclass
class Source:
    """One source file's typed rows (index = its row numbers) and the headers it gave.

    frame also holds the cells that name a row's customer or contact (customer_name ...), for a tracker
    imported into a tracker; built: a Customers or Contacts sheet made from a tracker's rows.
    """

    path: Path
    spec: schema.Sheet
    frame: pd.DataFrame
    headers: list[str]
    built: bool = False


def source_frame(path: Path, sheet: str | None, mapping: Mapping, summary: Summary,
                 settings: Settings = DEFAULT_SETTINGS, customers: pd.DataFrame | None = None) -> list[Source]:
    """The canonical, typed rows of one source file, and the customers and contacts a tracker's rows name;
    unreadable rows go to summary.rejected.

    customers: the Customers rows of the workbook imported into, whose IDs a tracker's customer names take.
    """
    rows, spec, header = _pick_sheet(read_sheets(path, mapping), sheet, mapping, path)
    columns = {}
    for j, text in enumerate(rows[header]):
        for key in mapping.fields(spec.key, text) if not is_blank(text) else []:
            columns.setdefault(key, j)
    columns = {key: columns[key] for key in spec.keys if key in columns}
    labels = {key: column_label(j, rows[header][j]) for key, j in columns.items()}
    raw = raw_frame(rows[header + 1:], header + 2, columns)
    frame, rejected = type_frame(raw, spec, mapping, file=path.name, headers=labels, policy=REJECT,
                                 settings=settings, texts={k: rows[header][j] for k, j in columns.items()},
                                 required=False)
    table = source_table(spec, path.name, rows[header], rows[header + 1:], header + 2, columns, frame, mapping)
    built = links.complete({spec.key: table}, customers)
    frame, missing = reject_missing(table.frame, spec, path.name)
    if table.linked is not None:
        frame = frame.join(table.linked)
    summary.rejected += sorted(rejected + missing, key=lambda u: u.row)
    headers = [str(c) for c in rows[header] if not is_blank(c)]
    return [Source(path, spec, frame, headers),
            *(Source(path, schema.sheet(key), rows, [], built=True) for key, rows in built.items())]


def _dedupe(spec, source: Source, existing: dict[str, int], seen: dict[str, str], on_duplicate: str,
            summary: Summary):
    """Split a source's rows into new ones and updates of existing rows (by ID).

    existing: ID -> workbook row; seen: ID -> "row N of FILE" for the rows imported so far.
    """
    new, updates = [], {}
    id_header = spec.column(spec.id_column).en if spec.id_column else None
    for row, record in zip(source.frame.index, source.frame.to_dict("records")):
        key = id_key(record.get(spec.id_column)) if spec.id_column else None
        if key is not None and (key in existing or key in seen):
            where = f"row {existing[key]} of the workbook" if key in existing else seen[key]
            if on_duplicate == "error":
                raise XlCrmError(f"{source.path} row {row}: {id_header} {key!r} already exists ({where})")
            if on_duplicate == "update" and key in existing:
                updates[existing[key]] = record
            else:
                summary.skipped.append(f"{source.path.name} row {row}: {id_header} {key!r} already in {where}")
            continue
        if key is not None:
            seen[key] = f"row {row} of {source.path.name}"
        new.append(record)
    return new, updates


def _last_row(pkg: Package, table: Table) -> int:
    """The row new records go below: the last data row, or a table's totals row (never overwritten)."""
    last = max([table.header_row, *table.frame.index])
    excel = table_with_header(pkg, table.sheet_name, table.header_row, table.columns.values())
    return max(last, excel.last_row) if excel is not None and excel.totals else last


def import_rows(sources, into, sheet: str | None = None, mapping: Mapping | None = None,
                on_duplicate: str = "skip", backup: bool = True, lang: str | None = None, *,
                write_new: Callable[[Path, dict[str, pd.DataFrame], str, bool], object]) -> Summary:
    """Import every source into the workbook `into` (created when missing); a Summary of what happened.

    lang: the language of a new workbook; by default the language of the sources' headers.
    write_new(path, frames, lang, backup) writes a new workbook of the rows
    (commands.workbook.import_files gives the standard one's writer).
    """
    if on_duplicate not in ("skip", "update", "error"):
        raise XlCrmError(f"--on-duplicate must be skip, update or error, not {on_duplicate!r}")
    mapping = mapping or DEFAULT
    into = Path(into)
    summary = Summary()
    data = read_workbook(into, mapping) if into.exists() else None
    settings = data.settings if data is not None else DEFAULT_SETTINGS
    known = data.frame("customers") if data is not None else None
    loaded = [s for source in sources for s in source_frame(Path(source), sheet, mapping, summary, settings, known)]
    summary.lang = data.lang if data is not None else lang or language_of(h for s in loaded for h in s.headers)
    if not any(len(source.frame) for source in loaded if not source.built):
        return summary  # every row rejected, or none at all: nothing to write
    if data is None:
        write_new(into, _new_frames(loaded, on_duplicate, summary), summary.lang, backup)
        summary.written = True
    else:
        _import_into(into, data, loaded, on_duplicate, summary, backup)
    return summary


def _new_frames(loaded: list[Source], on_duplicate: str, summary: Summary) -> dict[str, pd.DataFrame]:
    """The rows of a new workbook, per sheet, duplicates handled as for an existing one."""
    out, seen = {}, {}
    for source in loaded:
        new, _ = _dedupe(source.spec, source, {}, seen.setdefault(source.spec.key, {}), on_duplicate, summary)
        out.setdefault(source.spec.key, []).extend(new)
        summary.added += 0 if source.built else len(new)
    return {key: pd.DataFrame(records, columns=schema.sheet(key).keys, dtype=object) for key, records in out.items()}


def _import_into(into: Path, data, loaded: list[Source], on_duplicate: str, summary: Summary, backup: bool):
    with Package.open(into) as pkg:
        for key in dict.fromkeys(source.spec.key for source in loaded):
            table = data.tables.get(key)
            built = all(s.built for s in loaded if s.spec.key == key)
            if table is None and built:
                continue  # a tracker's customers or contacts a workbook keeps no sheet of: refresh builds them
            if table is None:
                raise XlCrmError(f"{into}: no {schema.sheet(key).en} table; run `xl-crm upgrade {into}` first")
            spec = table.spec
            existing = {}
            if spec.id_column in table.frame:
                existing = {id_key(v): row for row, v in table.frame[spec.id_column].items() if id_key(v)}
            cells, last, seen = {}, _last_row(pkg, table), {}
            new_rows = []
            written = {**table.columns, **table.links}  # a tracker's own customer and contact cells too
            for source in (s for s in loaded if s.spec.key == key):
                if source.built:  # the customers and contacts the workbook has are no duplicates to report
                    source.frame = source.frame[~source.frame[spec.id_column].map(id_key).isin(existing)]
                new, updates = _dedupe(spec, source, existing, seen, on_duplicate, summary)
                for row, record in updates.items():
                    cells.update({(row, written[k]): v for k, v in record.items() if k in written})
                    summary.updated += 1
                for record in new:
                    last += 1
                    new_rows.append(last)
                    cells.update({(last, written[k]): v for k, v in record.items() if k in written})
                summary.added += 0 if source.built else len(new)
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
            summary.written = True
