"""Load the four data sheets from CSV files (customers.csv, opportunities.csv, ...).

Headers are read through a Mapping, as `upgrade` and `import` read them:
canonical keys, English or Chinese headers, the usual synonyms, and a
mapping file's own names (which may also name the file: `sheet = "accounts"`
reads accounts.csv). A header no column takes is not loaded, and the frame
says so in attrs["ignored"], so the user learns what was left out. Cells
are typed by adopt.typing with the KEEP policy: dates, numbers and stage
numbers become values, and what cannot be read stays exactly the text that
was in the file (an id "00123" stays "00123", a name "=1+1" stays text) so
`check` can report it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from ..errors import XlCrmError
from ..model import schema
from ..model.mapping import DEFAULT as DEFAULT_MAPPING
from ..model.mapping import Mapping
from ..model.synonyms import FILE_NAMES
from ..ooxml import guards
from ..sheets import links
from ..sheets.read import Table
from .typing import KEEP, column_label, language_of, linked_columns, raw_frame, source_table, type_frame

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: .xls, or a password-protected .xlsx


def load_csv_dir(directory, mapping: Mapping | None = None) -> dict[str, pd.DataFrame]:
    """The sheets found in `directory` as canonical frames indexed by CSV row (header = row 1)."""
    directory, mapping = Path(directory), mapping or DEFAULT_MAPPING
    if not directory.is_dir():
        raise XlCrmError(f"{directory}: not a folder")
    tables = {}
    for spec in schema.DATA_SHEETS:
        path = csv_file(directory, spec, mapping)
        if path is not None:
            tables[spec.key] = load_csv(path, spec, mapping)
    about = {key: dict(table.frame.attrs) for key, table in tables.items()}
    frames = {key: frame.copy() for key, frame in links.complete(tables).items()}  # Customers, Contacts built
    frames.update({key: table.frame for key, table in tables.items()})
    for key, frame in frames.items():
        frame.attrs = about.get(key, {"file": None, "ignored": [], "headers": []})
    return frames


def csv_file(directory: Path, spec: schema.Sheet, mapping: Mapping = DEFAULT_MAPPING) -> Path | None:
    """The file of a --data folder that holds a sheet: the one the mapping names, else `<key>.csv`, else a
    file named as the sheet or as other CRMs' exports name it (`deals.csv`, 商机.csv), in that order."""
    if spec.key in mapping.sheets:
        path = directory / mapping.csv_name(spec.key)
        return path if path.is_file() else None
    names = [spec.key, spec.en, spec.zh, *FILE_NAMES.get(spec.key, ())]
    files = {schema.normalise_header(p.stem): p for p in sorted(directory.iterdir(), reverse=True)
             if p.suffix.lower() == ".csv" and p.is_file()}
    return next((files[n] for n in map(schema.normalise_header, names) if n in files), None)


def headers_language(frames: dict[str, pd.DataFrame]) -> str:
    """The language the files' headers are written in (an all-Chinese export makes a Chinese workbook)."""
    return language_of(h for frame in frames.values() for h in frame.attrs.get("headers", []))


def ignored_columns(frames: dict[str, pd.DataFrame]) -> list[str]:
    """One line per file whose headers were not all loaded."""
    return [f"{frame.attrs['file']}: columns not loaded (no standard column by that name; map them with "
            f"--mapping): {', '.join(frame.attrs['ignored'])}" for frame in frames.values() if frame.attrs["ignored"]]


def load_csv(path: Path, spec: schema.Sheet, mapping: Mapping = DEFAULT_MAPPING) -> Table:
    """One CSV file as a table whose frame is canonical typed cells (None for blanks), with its linking cells."""
    rows = _records(path)
    if not rows:
        frame = pd.DataFrame(columns=[], dtype=object)
        frame.attrs.update(file=path.name, ignored=[], headers=[])
        return Table(spec, path.name, 1, {}, [], frame)
    header, body = rows[0], rows[1:]
    columns: dict[str, int] = {}
    ignored = []
    linking = linked_columns(header, spec, mapping, ())
    for j, text in enumerate(header):
        keys = mapping.fields(spec.key, text)
        if not keys and text.strip() and j not in linking.values():
            ignored.append(text.strip())
        for key in keys:
            if key in columns:
                raise XlCrmError(f"{path.name}, row 1, column {j + 1}: header {text!r} repeats column "
                                 f"{header[columns[key]]!r}")
            columns[key] = j
    for number, row in enumerate(body, 2):
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header):]):
            raise XlCrmError(f"{path.name}, row {number}, column {len(header) + 1}: value "
                             f"{row[len(header)]!r} has no header")
    ordered = {key: columns[key] for key in spec.keys if key in columns}
    labels = {key: column_label(j, header[j]) for key, j in ordered.items()}
    texts = {key: header[j] for key, j in ordered.items()}
    frame, _ = type_frame(raw_frame(body, 2, ordered), spec, mapping, file=path.name, headers=labels, policy=KEEP,
                          texts=texts)
    frame.attrs.update(file=path.name, ignored=ignored, headers=header)
    return source_table(spec, path.name, header, body, 2, ordered, frame, mapping)


def _records(path: Path) -> list[list[str]]:
    text = decode_csv(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        return list(reader)
    except csv.Error as exc:
        raise XlCrmError(f"{path.name}, row {reader.line_num}: malformed CSV ({exc})") from exc


def decode_csv(path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise XlCrmError(f"{path}: cannot read ({exc})") from exc
    if raw.startswith(_OLE_MAGIC):
        guards.check_file(path)  # the legacy .xls (or password) message every command gives
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise XlCrmError(f"{path.name}: not UTF-8, UTF-16 or GB18030 text")
