"""Which header names which column: canonical names, both languages, and the words people really use.

Reps' own workbooks and other CRMs' exports say "Company", "Account",
"客户名称" or "Sales Rep" rather than "Name" and "Owner" (the built-in
words are in xl_crm.model.synonyms). A Mapping adds a file's own words,
per sheet, from a TOML or JSON file:

    [opportunities]
    sheet = "sales_pipeline"       # a sheet of the workbook, or sales_pipeline.csv in a --data folder
    date_format = "MM/DD/YYYY"     # every date column of this sheet (or a table: column -> format)
    [opportunities.columns]
    "deal_stage" = "stage"
    "account" = ["customer_id", "name"]   # one source column feeding several fields
    [opportunities.values.stage]
    Prospecting = "Qualify"
    "Closed Won" = "Won"
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import XlCrmError
from . import schema
from .cells import cell_text
from .synonyms import LINKS, SYNONYMS

# date formats as users write them: YYYY, MM (or M) and DD (or D), in any order, one separator
_DATE_FORMAT = re.compile(r"(YYYY|MM?|DD?)([-/. ])(YYYY|MM?|DD?)\2(YYYY|MM?|DD?)")
_STRPTIME = {"YYYY": "%Y", "MM": "%m", "M": "%m", "DD": "%d", "D": "%d"}


def fold(value) -> str:
    """A value as value maps compare it: trimmed, case-folded text."""
    return cell_text(value).strip().casefold()


def date_format_pattern(date_format: str) -> str:
    """A user's date format as a strptime pattern: `MM/DD/YYYY` -> `%m/%d/%Y`."""
    match = _DATE_FORMAT.fullmatch(date_format.strip().upper())
    if match is None:
        raise ValueError(date_format)
    sep = match.group(2)
    return sep.join(_STRPTIME[part] for part in (match.group(1), match.group(3), match.group(4)))


@dataclass
class Mapping:
    """Header synonyms plus a mapping file's words: pinned sheets, columns, value maps and date formats."""

    columns: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # sheet -> normalised header -> keys
    sheets: dict[str, str] = field(default_factory=dict)  # sheet key -> sheet name (or CSV file stem)
    values: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # sheet -> key -> folded -> value
    date_formats: dict[str, dict[str | None, str]] = field(default_factory=dict)  # sheet -> key (None: all) -> fmt
    # what each header cell names, per sheet: finding a table matches every cell of its first rows
    _named: dict[tuple, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def fields(self, sheet_key: str, source_header) -> list[str]:
        """The canonical keys a source column feeds (usually one; none when the header names nothing)."""
        return [k for k in self._targets(sheet_key, source_header) if k not in LINKS]

    def link(self, sheet_key: str, source_header) -> str | None:
        """`customer_name` when the header names the row's customer by name (a deal, contact or activity sheet)."""
        return next((k for k in self._targets(sheet_key, source_header) if k in LINKS), None)

    def _targets(self, sheet_key: str, source_header) -> tuple[str, ...]:
        memo = (sheet_key, type(source_header), source_header)
        if memo not in self._named:
            self._named[memo] = tuple(self._match(sheet_key, source_header))
        return self._named[memo]

    def _match(self, sheet_key: str, source_header) -> list[str]:
        if source_header is None or str(source_header).strip() == "":
            return []
        spec = schema.sheet(sheet_key)
        for header in dict.fromkeys((str(source_header), plain_header(source_header))):
            override = self.columns.get(sheet_key, {}).get(schema.normalise_header(header))
            if override:
                return list(override)
            key = schema.column_key(spec, header) or _synonym(sheet_key, header)
            if key:
                return [key]
        return []

    def column_key(self, spec: schema.Sheet, header) -> str | None:
        """The (first) canonical key a header cell names in this sheet, if any."""
        keys = self.fields(spec.key, header)
        return keys[0] if keys else None

    def value_map(self, sheet_key: str, column_key: str) -> dict[str, str]:
        """Source value (trimmed, case-folded) -> the value to read instead; empty when none."""
        return self.values.get(sheet_key, {}).get(column_key, {})

    def map_value(self, sheet_key: str, column_key: str, value):
        """A cell's value after the column's value map (unchanged when the map does not name it)."""
        table = self.value_map(sheet_key, column_key)
        if not table or value is None:
            return value
        return table.get(fold(value), value)

    def date_format(self, sheet_key: str, column_key: str) -> str | None:
        """The column's date format if given, else the sheet's, else None."""
        formats = self.date_formats.get(sheet_key, {})
        return formats.get(column_key) or formats.get(None)

    def csv_name(self, sheet_key: str) -> str:
        """The file a --data folder holds this sheet in: `sheet =` of the mapping, else the sheet key."""
        name = self.sheets.get(sheet_key, sheet_key)
        return name if name.lower().endswith(".csv") else f"{name}.csv"


_MARKS = re.compile(r"^[*＊\s]+|[*＊\s]+$|[(（\[【]\s*(必填|选填|必输|required|optional)\s*[)）\]】]", re.IGNORECASE)


def plain_header(header) -> str:
    """A header as an import template dresses it, undressed: `*客户名称（必填）` -> `客户名称`.

    Full-width forms fold (NFKC); required marks go, and so do line breaks and spaces next to Chinese
    characters (`预计成交\n日期` -> `预计成交日期`).
    """
    text = unicodedata.normalize("NFKC", str(header))
    text = _MARKS.sub("", text).strip()
    return re.sub(r"(?<=[\u3400-\u9fff])\s+|\s+(?=[\u3400-\u9fff])", "", text)


def _synonym(sheet_key: str, header) -> str | None:
    norm = schema.normalise_header(header)
    for key, words in SYNONYMS.get(sheet_key, {}).items():
        if norm in _normalised(words):
            return key
    return None


_NORMALISED: dict[tuple[str, ...], frozenset[str]] = {}


def _normalised(words: tuple[str, ...]) -> frozenset[str]:
    if words not in _NORMALISED:
        _NORMALISED[words] = frozenset(schema.normalise_header(w) for w in words)
    return _NORMALISED[words]


DEFAULT = Mapping()


def load_mapping(path: str | Path | None) -> Mapping:
    """A Mapping from a TOML or JSON file (None gives the built-in synonyms only)."""
    if path is None:
        return DEFAULT
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
        raw = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except OSError as exc:
        raise XlCrmError(f"{path}: cannot read the mapping file ({exc.strerror})") from exc
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise XlCrmError(f"{path}: not valid {'JSON' if path.suffix.lower() == '.json' else 'TOML'} ({exc})") from exc
    return parse_mapping(raw, str(path))


def parse_mapping(raw: dict, source: str = "mapping") -> Mapping:
    """A Mapping from a mapping file's parsed content; errors name the file and the entry."""
    mapping = Mapping()
    keys = {s.key for s in schema.DATA_SHEETS}
    for sheet_key, entry in raw.items():
        if sheet_key not in keys or not isinstance(entry, dict):
            raise XlCrmError(f"{source}: unknown section {sheet_key!r}; expected one of {', '.join(sorted(keys))}")
        spec = schema.sheet(sheet_key)
        unknown = set(entry) - {"sheet", "columns", "values", "date_format"}
        if unknown:
            raise XlCrmError(f"{source}: [{sheet_key}] {min(unknown)!r}: expected sheet, columns, values or "
                             f"date_format")
        if "sheet" in entry:
            mapping.sheets[sheet_key] = str(entry["sheet"])
        for header, target in entry.get("columns", {}).items():
            targets = [target] if isinstance(target, str) else target
            for key in targets:
                link = key in LINKS and spec is not schema.CUSTOMERS
                if not isinstance(key, str) or (key not in spec.keys and not link):
                    raise XlCrmError(f"{source}: [{sheet_key}.columns] {header!r} = {target!r}: no column {key!r} "
                                     f"in {spec.en}")
            mapping.columns.setdefault(sheet_key, {})[schema.normalise_header(header)] = list(targets)
        for column, table in entry.get("values", {}).items():
            key = _entry_key(mapping, spec, column, f"{source}: [{sheet_key}.values.{column}]")
            if not isinstance(table, dict):
                raise XlCrmError(f"{source}: [{sheet_key}.values.{column}] must be a table: source value = value")
            mapping.values.setdefault(sheet_key, {})[key] = {
                fold(src): _value_target(spec.column(key), src, dst, f"{source}: [{sheet_key}.values.{column}]")
                for src, dst in table.items()}
        formats = entry.get("date_format")
        if formats is not None:
            per_column = formats if isinstance(formats, dict) else {None: formats}
            for column, text in per_column.items():
                where = f"{source}: [{sheet_key}] date_format" + (f".{column}" if column else "")
                key = None if column is None else _entry_key(mapping, spec, column, where)
                mapping.date_formats.setdefault(sheet_key, {})[key] = _checked_format(text, where)
    return mapping


def _entry_key(mapping: Mapping, spec: schema.Sheet, column: str, where: str) -> str:
    """A column named by its canonical key or by a source header the mapping reads."""
    if column in spec.keys:
        return column
    keys = mapping.fields(spec.key, column)
    if len(keys) != 1:
        raise XlCrmError(f"{where}: no column {column!r} in {spec.en}")
    return keys[0]


def _value_target(column: schema.Column, source, target, where: str) -> str:
    """A value map's target, checked against the column's vocabulary (stages depend on Settings: any text)."""
    if not isinstance(target, str) or not target.strip():
        raise XlCrmError(f"{where}: {source!r} = {target!r}: expected a value as text")
    if column.vocab is not None:
        try:
            column.vocab.parse(target)
        except ValueError:
            allowed = ", ".join(column.vocab.values)
            raise XlCrmError(f"{where}: {source!r} = {target!r}: expected one of {allowed}") from None
    return target.strip()


def _checked_format(text, where: str) -> str:
    try:
        date_format_pattern(str(text))
    except ValueError:
        raise XlCrmError(f"{where} = {text!r}: expected a format such as YYYY-MM-DD, MM/DD/YYYY, DD/MM/YYYY, "
                         f"DD.MM.YYYY or YYYY/MM/DD") from None
    return str(text).strip().upper()
