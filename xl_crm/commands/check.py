"""`xl-crm check`: every problem in a CRM workbook, with where it is and what was expected.

Problems are found on the values as read (read_workbook), by the same
parsers the rules use, so what check calls bad is exactly what makes a
derived cell blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter

from ..model import schema
from ..sheets.read import CrmData, Table, read_workbook
from ..model.mapping import Mapping
from ..model.settings import Settings
from ..model.typed import ids
from ..model.cells import Invalid, as_date, as_number, cell_text, is_blank

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    severity: str
    sheet: str
    row: int | None
    column: str | None  # "H (Amount)" or None for sheet-level problems
    value: object
    message: str

    def __str__(self) -> str:
        where = self.sheet
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f", column {self.column}"
        if self.value is None:
            value = ""
        else:
            value = f": {self.value!r}" if isinstance(self.value, str) else f": {cell_text(self.value)}"
        return f"{self.severity}: {where}{value}: {self.message}"


def _expectation(column: schema.Column, settings: Settings) -> str | None:
    if column.kind == "date":
        return "expected a date"
    if column.kind in ("number", "money", "int", "score"):
        return "expected a number"
    if column.kind == "stage":
        names = ", ".join(f"{s.number} {s.name}/{s.name_zh}" for s in settings.stages)
        return f"expected a stage: {names}"
    if column.vocab is not None:
        return "expected one of " + ", ".join(f"{e[0]}/{e[1]}" for e in column.vocab.entries)
    return None


def _read(column: schema.Column, value, settings: Settings):
    """Parse one cell the way the rules will; raises Invalid when they could not."""
    if column.kind == "date":
        return as_date(value)
    if column.kind in ("number", "money", "int", "score"):
        return as_number(value)
    if column.kind == "stage":
        return settings.stage_index(value)
    if column.vocab is not None:
        return column.vocab.parse(value)
    return value


def check_table(table: Table, settings: Settings) -> list[Problem]:
    """Missing columns and values, unreadable cells, out-of-range scores and negative amounts."""
    spec, problems = table.spec, []

    def where(key):
        return f"{get_column_letter(table.columns[key] + 1)} ({table.headers[table.columns[key]]})"

    for column in spec.columns:
        if column.required and column.key not in table.columns:
            problems.append(Problem(ERROR, table.sheet_name, table.header_row, None, None,
                                    f"missing required column {column.header('en')!r} ({column.zh})"))
    for column in spec.columns:
        if column.key not in table.columns or column.role == schema.DERIVED:
            continue
        expected = _expectation(column, settings)
        for row, value in table.frame[column.key].items():
            if is_blank(value):
                if column.required:
                    problems.append(Problem(ERROR, table.sheet_name, row, where(column.key), None,
                                            "required value is blank"))
                continue
            try:
                parsed = _read(column, value, settings)
            except Invalid:
                problems.append(Problem(ERROR, table.sheet_name, row, where(column.key), value, expected))
                continue
            if column.kind == "score" and not 0 <= parsed <= 10:
                problems.append(Problem(ERROR, table.sheet_name, row, where(column.key), value,
                                        "expected a score from 0 to 10"))
            elif column.kind == "money" and parsed < 0:
                problems.append(Problem(ERROR, table.sheet_name, row, where(column.key), value,
                                        "expected an amount of 0 or more"))
    if spec.id_column and spec.id_column in table.columns:
        keys = ids(table.frame[spec.id_column])
        first_row = {}
        for row, key in keys.items():
            if key is None:
                continue
            if key in first_row:
                problems.append(Problem(ERROR, table.sheet_name, row, where(spec.id_column), key,
                                        f"duplicate ID (first used in row {first_row[key]})"))
            else:
                first_row[key] = row
    return problems


def check_references(data: CrmData) -> list[Problem]:
    """Every customer, opportunity and contact an ID points to must exist."""
    problems = []
    targets = {}
    for key, id_column in (("customers", "customer_id"), ("opportunities", "opportunity_id"),
                           ("contacts", "contact_id")):
        if key in data.tables and id_column in data.tables[key].columns:
            targets[id_column] = (set(ids(data.tables[key].frame[id_column]).dropna()), data.tables[key].sheet_name)
    for table in data.tables.values():
        for id_column, (known, target_sheet) in targets.items():
            if id_column == table.spec.id_column or id_column not in table.columns:
                continue
            j = table.columns[id_column]
            column = f"{get_column_letter(j + 1)} ({table.headers[j]})"
            for row, key in ids(table.frame[id_column]).items():
                if key is not None and key not in known:
                    problems.append(Problem(ERROR, table.sheet_name, row, column, key,
                                            f"unknown {id_column.replace('_', ' ')}: not in {target_sheet}"))
    return problems


def check_workbook(path: str | Path, mapping: Mapping | None = None) -> list[Problem]:
    """Every problem in a workbook, sheet by sheet, in row order (headers read through `mapping`)."""
    data = read_workbook(path, mapping)
    problems = []
    for spec in schema.DATA_SHEETS:
        if spec.key not in data.tables:
            severity = ERROR if spec.key in ("customers", "opportunities") else WARNING
            problems.append(Problem(severity, spec.name(data.lang), None, None, None,
                                    "sheet not found (no sheet with its headers)"))
            continue
        problems += check_table(data.tables[spec.key], data.settings)
    problems += check_references(data)
    order = {spec.key: i for i, spec in enumerate(schema.DATA_SHEETS)}
    sheet_order = {t.sheet_name: order[k] for k, t in data.tables.items()}
    return sorted(problems, key=lambda p: (sheet_order.get(p.sheet, -1), p.row or 0))
