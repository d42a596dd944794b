"""`xl-crm check`: every problem in a CRM workbook, with where it is and what was expected.

Problems are found on the values as read (read_workbook), by the same
parsers the rules use, so what check calls bad is exactly what makes a
derived cell blank. The Settings sheet is checked cell by cell
(settings_check), deals field against field (a won deal needs its closed
date), and messages follow the workbook's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from ..adopt.typing import language_of
from ..errors import XlCrmError
from ..model import schema
from ..model.cells import Invalid, as_date, as_number, is_blank
from ..model.mapping import Mapping
from ..model.settings import Settings
from ..model.typed import dates, ids, parsed, per_value
from ..model.vocab import STATUS
from ..ooxml.package import Package
from ..sheets.read import CrmData, Table, read_workbook
from ..sheets.settings_sheet import as_of_is_formula
from .clashes import duplicate_customer_problems
from .method_check import check_method
from .money_check import money_problems
from .problems import ERROR, WARNING, Problem, summary
from .settings_check import settings_problems

__all__ = ["ERROR", "WARNING", "Problem", "check_data", "check_workbook", "counts", "workbook_language"]

DATE_KEYS = {"customers": ("expected_close", "last_contact", "next_action_date"),
             "opportunities": ("created", "expected_close", "closed_date", "stage_since")}


def _expectation(column: schema.Column, settings: Settings) -> tuple[str, str] | None:
    if column.kind == "date":
        return "expected a date", "应为日期"
    if column.kind in ("number", "money", "int", "score"):
        return "expected a number", "应为数字"
    if column.kind == "stage":
        names = ", ".join(f"{s.number} {s.name}/{s.name_zh}" for s in settings.stages)
        return f"expected a stage: {names}", f"应为阶段：{names}"
    if column.vocab is not None:
        names = ", ".join(f"{e[0]}/{e[1]}" for e in column.vocab.entries)
        return f"expected one of {names}", f"应为以下之一：{names}"
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


def _impact(spec: schema.Sheet, key: str) -> str:
    if key in DATE_KEYS.get(spec.key, ()):
        return f"{spec.key}.dates"
    return f"{spec.key}.{key}"


_SAID = {"score": ("expected a score from 0 to 10", "应为 0 到 10 的评分"),
         "money": ("expected an amount of 0 or more", "金额应不小于 0")}


def _verdict(column: schema.Column, value, settings: Settings) -> str | None:
    """None for a good cell; else "blank", "unreadable", or the range it is out of ("score", "money")."""
    if is_blank(value):
        return "blank" if column.required else None
    try:
        read = _read(column, value, settings)
    except Invalid:
        return "unreadable"
    if column.kind == "score" and not 0 <= read <= 10:
        return "score"
    if column.kind == "money" and read < 0:
        return "money"
    return None


def check_table(table: Table, settings: Settings) -> list[Problem]:
    """Missing columns and values, unreadable cells, out-of-range scores and negative amounts."""
    spec, problems = table.spec, []

    def where(key):
        return f"{get_column_letter(table.columns[key] + 1)} ({table.headers[table.columns[key]]})"

    def add(row, key, value, en, zh, severity=ERROR):
        problems.append(Problem(severity, table.sheet_name, row, where(key), value, en, zh, _impact(spec, key)))

    for column in spec.columns:
        if column.required and column.key not in table.columns and column.key not in table.frame:  # not implied
            problems.append(Problem(ERROR, table.sheet_name, table.header_row, None, None,
                                    f"missing required column {column.header('en')!r} ({column.zh})",
                                    f"缺少必填列“{column.zh}”（{column.header('en')}）"))
    lost = _lost(table)
    for column in spec.columns:
        if column.key not in table.columns or column.role == schema.DERIVED:
            continue
        series = table.frame[column.key]
        verdicts = per_value(lambda v, c=column: _verdict(c, v, settings), series)
        for i in np.flatnonzero(pd.notna(verdicts)):  # each distinct value judged once
            row, value, said = series.index[i], series.iloc[i], verdicts[i]
            if said == "blank":
                if column.required and not (column.key == "stage" and lost.get(row, False)):
                    add(row, column.key, None, "required value is blank", "必填项为空")
            else:
                add(row, column.key, value, *(_SAID.get(said) or _expectation(column, settings)))
    if spec.id_column and spec.id_column in table.columns:
        first_row = {}
        for row, key in ids(table.frame[spec.id_column]).items():
            if key is None:
                continue
            if key in first_row:
                add(row, spec.id_column, key, f"duplicate ID (first used in row {first_row[key]})",
                    f"编号重复（首次出现在第 {first_row[key]} 行）")
            else:
                first_row[key] = row
    return problems


def _lost(table: Table) -> pd.Series:
    """Rows of lost deals: their furthest stage may be unknown (blank)."""
    if table.spec.key != "opportunities" or "status" not in table.frame:
        return pd.Series(dtype=bool)
    return parsed(STATUS.parse, table.frame["status"]) == "Lost"


def check_deals(table: Table) -> list[Problem]:
    """A closed deal needs its closed date, an open one has none, and nothing happens before creation."""
    frame, problems = table.frame, []
    if "status" not in frame:
        return problems
    status = parsed(STATUS.parse, frame["status"])
    blank = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[s]")
    closed = dates(frame["closed_date"]) if "closed_date" in frame else blank
    created = dates(frame["created"]) if "created" in frame else blank
    since = dates(frame["stage_since"]) if "stage_since" in frame else blank
    unreadable = frame["closed_date"].map(lambda v: not is_blank(v)) & closed.isna() if "closed_date" in frame \
        else pd.Series(False, index=frame.index)
    closed_at = "closed_date" if "closed_date" in table.columns else "status"
    checks = (
        (status.isin(["Won", "Lost"]) & closed.isna() & ~unreadable, WARNING, closed_at, "closed_date",
         "a won or lost deal without a closed date counts in no month",
         "已赢单或丢单的商机没有成交日期，不计入任何月份"),
        ((status == "Open") & closed.notna(), WARNING, "closed_date", None,
         "an open deal with a closed date", "跟进中的商机有成交日期"),
        (closed < created, ERROR, "closed_date", None, "closed date before the created date", "成交日期早于创建日期"),
        (since < created, ERROR, "stage_since", None, "stage since date before the created date",
         "进入阶段日期早于创建日期"),
    )
    for mask, severity, column, impact, en, zh in checks:
        j = table.columns.get(column)
        label = None if j is None else f"{get_column_letter(j + 1)} ({table.headers[j]})"
        for row in frame.index[mask.fillna(False).to_numpy(dtype=bool)]:
            value = frame.at[row, column] if column in frame else None
            problems.append(Problem(severity, table.sheet_name, row, label, value, en, zh,
                                    f"opportunities.{impact}" if impact else None))
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
                    zh = schema.sheet(table.spec.key).column(id_column).zh
                    problems.append(Problem(ERROR, table.sheet_name, row, column, key,
                                            f"unknown {id_column.replace('_', ' ')}: not in {target_sheet}",
                                            f"未知的{zh}：不在“{target_sheet}”中", f"{table.spec.key}.{id_column}"))
    return problems


def check_workbook(path: str | Path, mapping: Mapping | None = None) -> list[Problem]:
    """Every problem in a workbook, sheet by sheet, in row order (headers read through `mapping`)."""
    return check_data(read_workbook(path, mapping))


def require_tables(data: CrmData) -> None:
    """Refuse, in one line, a workbook with no customer or deal table: no command has anything to work on."""
    if data.tables:
        return
    if data.path is not None and _empty(data.path):
        raise XlCrmError(f"{data.path}: the workbook is empty (no sheet holds any value); run "
                         f"`xl-crm init {data.path} --force` for a new CRM workbook")
    raise XlCrmError(f"{data.path}: no customer or deal table found (no sheet has the headers of Customers or "
                     "Opportunities); see `xl-crm upgrade --dry-run`, or name your columns with --mapping")


def check_data(data: CrmData) -> list[Problem]:
    """Every problem in a read workbook: Settings first, then each data sheet in row order.

    A workbook with no customer or deal table at all is an XlCrmError: there is nothing to check.
    """
    require_tables(data)
    problems, lang = [], workbook_language(data)
    for spec in schema.DATA_SHEETS:
        if spec.key not in data.tables:
            if spec.key == "customers" and "opportunities" in data.tables:  # a deal tracker
                problems.append(Problem(ERROR, spec.name(lang), None, None, None,
                                        "sheet not found; `xl-crm upgrade` builds it from the deals' customers",
                                        "未找到该表；`xl-crm upgrade` 会按商机中的客户建立"))
            elif spec.key in ("customers", "opportunities"):  # the other sheets are optional
                problems.append(Problem(ERROR, spec.name(lang), None, None, None,
                                        "sheet not found (no sheet with its headers)",
                                        "未找到该表（没有表头相符的工作表）"))
            continue
        problems += check_table(data.tables[spec.key], data.settings)
        if spec.key == "opportunities":
            problems += check_deals(data.tables[spec.key])
    problems += check_references(data)
    problems += money_problems(data)
    problems += check_method(data)
    problems += duplicate_customer_problems(data)
    order = {spec.key: i for i, spec in enumerate(schema.DATA_SHEETS)}
    sheet_order = {t.sheet_name: order[k] for k, t in data.tables.items()}
    problems.sort(key=lambda p: (sheet_order.get(p.sheet, -1), p.row or 0))
    return settings_sheet_problems(data) + problems


def _empty(path: Path) -> bool:
    book = CalamineWorkbook.from_path(str(path))
    return not any(any(not is_blank(v) for row in book.get_sheet_by_name(name).to_python() for v in row)
                   for name in book.sheet_names)


def settings_sheet_problems(data: CrmData) -> list[Problem]:
    """The workbook's own Settings sheet, cell by cell (none before `upgrade` adds one)."""
    name = data.settings_name
    if name is None or data.path is None:
        return []  # a user's own workbook before `upgrade`: the defaults are used
    rows = CalamineWorkbook.from_path(str(data.path)).get_sheet_by_name(name).to_python(skip_empty_area=False)
    rows = [[None if v == "" else v for v in row] for row in rows]
    with Package.open(data.path) as package:
        formula = as_of_is_formula(package, name)
    return settings_problems(rows, name, formula)


@dataclass(frozen=True)
class Counts:
    errors: int
    warnings: int


def counts(data: CrmData) -> Counts:
    """How many errors and warnings `check` would report for a read workbook."""
    problems = check_data(data)
    errors = sum(p.severity == ERROR for p in problems)
    return Counts(errors, len(problems) - errors)


def workbook_language(data: CrmData) -> str:
    """The workbook's language: its own sheets' names, else most of its tables' headers."""
    if data.lang == "zh":
        return "zh"
    return language_of(h for table in data.tables.values() for h in table.headers)


def note(data: CrmData) -> tuple[Counts, str]:
    """What `check` would report, as one line for the commands that write from a workbook (init, report)."""
    found = counts(data)
    text = summary(found.errors, found.warnings, workbook_language(data))
    if workbook_language(data) == "zh":
        return found, f"检查：{text}（运行 xl-crm check {data.path} 查看详情）"
    return found, f"check: {text} (xl-crm check {data.path} lists them)"
