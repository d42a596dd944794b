"""Load the four data sheets from CSV files (customers.csv, opportunities.csv, ...).

Headers are read through a Mapping, as `upgrade` and `import` read them:
canonical keys, English or Chinese headers, the usual synonyms, and a
mapping file's own names (which may also name the file: `sheet = "accounts"`
reads accounts.csv). A header no column takes is not loaded, and the frame
says so in attrs["ignored"], so the user learns what was left out. Each
cell is typed by its column's kind the way a user would expect it in the
workbook: ISO dates become dates, numbers become numbers, and everything
else stays exactly the text that was in the file (an id "00123" stays
"00123", a name "=1+1" stays text) so `check` can report it.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from ..model import schema
from ..errors import XlCrmError
from ..model.mapping import DEFAULT as DEFAULT_MAPPING, Mapping
from ..model.settings import DEFAULT as DEFAULT_SETTINGS
from ..model.cells import Invalid, is_blank, parse_iso_date
from ..model.vocab import STATUS

NUMBER_KINDS = {"number", "money", "int", "score", "percent"}
_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d*)?([eE][+-]?\d+)?")
_DIGITS = re.compile(r"\d+")
_ISO_DATE = re.compile(r"\d{4}[-/]\d{1,2}[-/]\d{1,2}([ T].*)?")


def load_csv_dir(directory, mapping: Mapping | None = None) -> dict[str, pd.DataFrame]:
    """The sheets found in `directory` as canonical frames indexed by CSV row (header = row 1)."""
    directory, mapping = Path(directory), mapping or DEFAULT_MAPPING
    if not directory.is_dir():
        raise XlCrmError(f"{directory}: not a folder")
    frames = {}
    for spec in schema.DATA_SHEETS:
        path = directory / f"{mapping.sheets.get(spec.key, spec.key)}.csv"
        if path.is_file():
            frames[spec.key] = load_csv(path, spec, mapping)
    if "opportunities" in frames:
        frames["opportunities"] = _status_from_stage(frames["opportunities"])
    return frames


def _status_from_stage(opps: pd.DataFrame) -> pd.DataFrame:
    """Many CRM exports have one stage column ending in Won and Lost, and no status column.

    Read such a file as DOMAIN.md does: Won and Lost are statuses; a won
    deal passed the last stage, a lost one's furthest stage is unknown
    (blank, for `check` to report), and any other stage is an open deal's.
    """
    if "status" in opps.columns or "stage" not in opps.columns:
        return opps
    cells = opps["stage"].tolist()
    closed = [_closed_status(cell) for cell in cells]
    last = len(DEFAULT_SETTINGS.stages)
    stage = [cell if state is None else last if state == "Won" else None for cell, state in zip(cells, closed)]
    status = [state or (None if is_blank(cell) else "Open") for cell, state in zip(cells, closed)]
    column = lambda values: pd.Series(values, index=opps.index, dtype=object)  # noqa: E731
    return opps.assign(stage=column(stage), status=column(status))


def _closed_status(cell) -> str | None:
    try:
        status = STATUS.parse(cell)
    except Invalid:
        return None
    return status if status in ("Won", "Lost") else None


def ignored_columns(frames: dict[str, pd.DataFrame]) -> list[str]:
    """One line per file whose headers were not all loaded."""
    return [f"{frame.attrs['file']}: columns not loaded (no standard column by that name; map them with "
            f"--mapping): {', '.join(frame.attrs['ignored'])}" for frame in frames.values() if frame.attrs["ignored"]]


def load_csv(path: Path, spec: schema.Sheet, mapping: Mapping = DEFAULT_MAPPING) -> pd.DataFrame:
    """One CSV file as a canonical frame of typed cells (None for blanks)."""
    rows = _records(path)
    if not rows:
        frame = pd.DataFrame(columns=[], dtype=object)
        frame.attrs.update(file=path.name, ignored=[])
        return frame
    header, body = rows[0], rows[1:]
    columns: dict[str, int] = {}
    ignored = []
    for j, text in enumerate(header):
        key = mapping.column_key(spec, text)
        if key is None:
            if text.strip():
                ignored.append(text.strip())
            continue
        if key in columns:
            raise XlCrmError(f"{path.name}, row 1, column {j + 1}: header {text!r} repeats column "
                             f"{header[columns[key]]!r}")
        columns[key] = j
    kinds = {key: spec.column(key).kind for key in columns}
    data: dict[str, list] = {key: [] for key in spec.keys if key in columns}
    index = []
    for number, row in enumerate(body, 2):
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header):]):
            raise XlCrmError(f"{path.name}, row {number}, column {len(header) + 1}: value "
                             f"{row[len(header)]!r} has no header")
        cells = {key: _typed(row[j] if j < len(row) else "", kinds[key]) for key, j in columns.items()}
        if all(value is None for value in cells.values()):
            continue
        index.append(number)
        for key in data:
            data[key].append(cells[key])
    frame = pd.DataFrame(data, index=pd.Index(index, dtype=int), dtype=object)
    frame.attrs.update(file=path.name, ignored=ignored)
    return frame


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


def _typed(text: str, kind: str):
    """A cell typed by its column kind; what cannot be read as that kind stays text."""
    if is_blank(text):
        return None
    stripped = text.strip()
    if kind == "date" and _ISO_DATE.fullmatch(stripped):
        try:
            return parse_iso_date(stripped)
        except Invalid:
            return text
    if kind in NUMBER_KINDS and _NUMBER.fullmatch(stripped) and any(c.isdigit() for c in stripped):
        number = float(stripped.replace(",", ""))
        return int(number) if number.is_integer() and abs(number) < 2**53 and "." not in stripped else number
    if kind == "stage" and _DIGITS.fullmatch(stripped):
        return int(stripped)
    return text
