"""The Settings sheet checked cell by cell, each problem naming its cell (`Settings!B7`).

The rules read an unreadable Settings cell as its default (settings_sheet.parse),
so a bad threshold or stage probability is reported here, once, and blames
no deal that uses it.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from ..model.cells import Invalid, as_date, as_number, cell_text, is_blank
from ..model.settings import DEFAULT, THRESHOLDS
from ..sheets.settings_sheet import STAGE_HEADERS
from .problems import ERROR, WARNING, Problem

_DAYS = (0, None, "a number of days, 0 or more", "不小于 0 的天数")
_SHARE = (0, 1, "a fraction from 0 to 1 (50% = 0.5)", "0 到 1 之间的比例（50% = 0.5）")
_MONEY = (0, None, "an amount, 0 or more", "不小于 0 的金额")
RANGES = {
    **{name: _DAYS for name in ("GradeDaysA", "GradeDaysB", "GradeDaysC", "CadenceA", "CadenceB", "CadenceC",
                                "CadenceD", "CadenceE", "CapVIP", "CapKey", "AgingDays1", "AgingDays2", "PoolDays",
                                "GreetDays")},
    "MapFromStage": (1, None, "a stage number, 1 or more", "不小于 1 的阶段序号"),
    **{name: (0, None, "a count, 0 or more", "不小于 0 的数量") for name in ("MinCoaches", "MinDepartments")},
    "CommitStage": (1, None, "a stage number, 1 or more", "不小于 1 的阶段序号"),
    "BestCaseStage": (1, None, "a stage number, 1 or more", "不小于 1 的阶段序号"),
    "ValueHigh": (0, 10, "a score from 0 to 10", "0 到 10 的评分"),
    "MixAlert": _SHARE, "TierVIP": _SHARE, "TierKey": _SHARE,
    "MinTouches": (0, None, "a count, 0 or more", "不小于 0 的次数"),
    "ApprovalDirector": _MONEY, "ApprovalVP": _MONEY,
}
_ANY = (None, None, "a number", "数字")  # a threshold added to THRESHOLDS before it has a range here
ORDERED = (("GradeDaysA", "GradeDaysB"), ("GradeDaysB", "GradeDaysC"), ("TierVIP", "TierKey"),
           ("ApprovalDirector", "ApprovalVP"), ("BestCaseStage", "CommitStage"), ("AgingDays1", "AgingDays2"))
_FIELD = {t.name: t.field for t in THRESHOLDS}


def settings_problems(rows: list[list], sheet: str, as_of_formula: bool = False) -> list[Problem]:
    """Every threshold in its range, AsOf a date or a formula, a complete stage table with unique names."""
    problems, read, stage_rows, seen, in_stages = [], {}, None, set(), False

    def bad(row: int, col: int, label: str, value, en: str, zh: str, severity: str = ERROR):
        where = f"{sheet}!{get_column_letter(col + 1)}{row + 1} ({label})"
        problems.append(Problem(severity, where, None, None, value, en, zh))

    for i, row in enumerate(rows):
        row = list(row) + [None] * (5 - len(row))
        first = "" if is_blank(row[0]) else cell_text(row[0])
        if in_stages:  # thresholds may sit below the tables too (an upgraded sheet)
            in_stages = not all(is_blank(v) for v in row[:5])
            if in_stages:
                stage_rows.append((i, row))
        elif first == "AsOf":
            seen.add("AsOf")
            if not as_of_formula and not _is_date(row[1]):
                bad(i, 1, "AsOf", row[1], "expected a date or =TODAY(); today is used",
                    "应为日期或 =TODAY()；按今天计算")
        elif first in _FIELD:
            seen.add(first)
            low, high, en, zh = RANGES.get(first, _ANY)
            default = getattr(DEFAULT, _FIELD[first])
            number = _number(row[1])
            if number is None or (low is not None and number < low) or (high is not None and number > high):
                used = f"; the default {default:g} is used" if number is None else ""
                used_zh = f"；按默认值 {default:g} 计算" if number is None else ""
                bad(i, 1, first, row[1], f"expected {en}{used}", f"应为{zh}{used_zh}")
            else:
                read[first] = (i, number)
        elif first in (STAGE_HEADERS["en"][0], STAGE_HEADERS["zh"][0]) and stage_rows is None:
            stage_rows, in_stages = [], True
    for name in _FIELD:
        if name not in seen:
            problems.append(Problem(WARNING, sheet, None, None, None, f"no {name} row; the default is used",
                                    f"缺少 {name} 行；按默认值计算"))
    for low_name, high_name in ORDERED:
        if low_name in read and high_name in read and read[low_name][1] > read[high_name][1]:
            i = read[high_name][0]
            bad(i, 1, high_name, read[high_name][1], f"expected at least {low_name} ({read[low_name][1]:g})",
                f"应不小于 {low_name}（{read[low_name][1]:g}）")
    if not stage_rows:
        problems.append(Problem(ERROR, sheet, None, None, None, "no stage table; the default stages are used",
                                "缺少阶段表；按默认阶段计算"))
    else:
        _stage_problems(stage_rows, bad)
    return problems


def _stage_problems(stage_rows: list[tuple[int, list]], bad) -> None:
    names: dict[str, int] = {}
    for i, row in stage_rows:
        for col, label in ((1, "Stage"), (2, "Chinese name")):
            if is_blank(row[col]):
                bad(i, col, label, None, "a stage needs a name here; the default's is used",
                    "阶段名称为空；按默认名称计算")
                continue
            folded = cell_text(row[col]).casefold()
            if folded in names:
                bad(i, col, label, row[col], f"the stage name is already used in row {names[folded] + 1}",
                    f"阶段名称与第 {names[folded] + 1} 行重复")
            names.setdefault(folded, i)
        probability, rot = _number(row[3]), _number(row[4])
        if probability is None or not 0 <= probability <= 1:
            bad(i, 3, "Probability", row[3], "expected a probability from 0 to 1 (50% = 0.5)",
                "应为 0 到 1 之间的成交概率（50% = 0.5）")
        if rot is None or rot < 0:
            bad(i, 4, "Rot days", row[4], "expected a number of days, 0 or more", "应为不小于 0 的天数")


def _number(value) -> float | None:
    try:
        return as_number(value)
    except Invalid:
        return None


def _is_date(value) -> bool:
    try:
        return as_date(value) is not None
    except Invalid:
        return False
