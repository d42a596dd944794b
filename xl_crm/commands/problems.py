"""What `check` finds, said in the workbook's language, and repeated problems said once.

A real export can hold the same problem in thousands of rows; one line per
sheet, column and kind of problem, with a count and the first rows, says
as much and can be read. `--all` still lists every cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..adopt.typing import zh_column
from ..model.cells import cell_text
from ..model.text import Text

ERROR, WARNING = "error", "warning"
SUMMARY = Text("{errors} errors, {warnings} warnings", "{errors} 个错误，{warnings} 个警告")
SHOWN_ROWS = 5
_SEVERITY = {ERROR: Text("error", "错误"), WARNING: Text("warning", "警告")}
_COLON = Text(": ", "：")


@dataclass(frozen=True)
class Problem:
    severity: str
    sheet: str
    row: int | None
    column: str | None  # "H (Amount)", "B7" on Settings, or None for sheet-level problems
    value: object
    message: str
    zh: str = ""  # the message in Chinese
    key: str | None = None  # "opportunities.amount": what the problem changes in the numbers (impacts)

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        colon = _COLON(lang)
        return f"{_SEVERITY[self.severity](lang)}{colon}{self.where(lang)}{self._value(colon)}{colon}{self.says(lang)}"

    def where(self, lang: str = "en") -> str:
        where = self.sheet
        if lang == "zh":
            where += f" 第{self.row}行" if self.row is not None else ""
            return where + (f" {zh_column(self.column)}" if self.column else "")
        if self.row is not None:
            where += f" row {self.row}"
        return where + (f", column {self.column}" if self.column else "")

    def says(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" and self.zh else self.message

    def _value(self, colon: str = ": ") -> str:
        if self.value is None:
            return ""
        return colon + (repr(self.value) if isinstance(self.value, str) else cell_text(self.value))


def grouped(problems: list[Problem], lang: str = "en") -> list[str]:
    """One line per severity, sheet, column and message: the count, the first rows and the first value."""
    groups: dict[tuple, list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.severity, p.sheet, p.column, p.message), []).append(p)
    lines = []
    for (severity, sheet, column, _), items in groups.items():
        if len(items) == 1 or items[0].row is None:
            lines += [p.text(lang) for p in items]
            continue
        rows = ", ".join(str(p.row) for p in items[:SHOWN_ROWS]) + (", ..." if len(items) > SHOWN_ROWS else "")
        head = Problem(severity, sheet, None, column, None, "", "").where(lang)
        first = items[0]._value("")
        if lang == "zh":
            detail = f"共 {len(items)} 行（第 {rows} 行" + (f"；首个值 {first}" if first else "") + "）"
        else:
            detail = f"{len(items)} rows ({rows}" + (f"; first value {first}" if first else "") + ")"
        colon = _COLON(lang)
        lines.append(f"{_SEVERITY[severity](lang)}{colon}{head}{colon}{items[0].says(lang)}{colon}{detail}")
    return lines


# what a problem changes in the numbers, by sheet.column; {n} = rows
IMPACTS = {
    "opportunities.amount": Text(
        "deals without a readable amount count as 0 in the pipeline and in revenue: {n}",
        "{n} 个商机金额无法读取，在管道和收入中按 0 计"),
    "opportunities.stage": Text(
        "deals without a readable stage have no probability and are left out of the funnel: {n}",
        "{n} 个商机阶段无法读取，没有成交概率，不计入漏斗"),
    "opportunities.status": Text(
        "deals without a readable status count as neither open, won nor lost: {n}",
        "{n} 个商机状态无法读取，不计为跟进中、赢单或丢单"),
    "opportunities.closed_date": Text(
        "won or lost deals without a closed date count in no month's results: {n}",
        "{n} 个已赢单或丢单的商机没有成交日期，不计入任何月份"),
    "opportunities.dates": Text(
        "deals with an unreadable date count in no month, cycle or days in stage by it: {n}",
        "{n} 个商机有无法读取的日期，不按该日期计入月份、周期或阶段停留天数"),
    "opportunities.customer_id": Text(
        "deals without a known customer add to no customer's revenue or tier: {n}",
        "{n} 个商机的客户不存在，不计入任何客户的收入和层级"),
    "customers.need": Text(
        "customers without a readable need have no grade: {n}",
        "{n} 个客户需求无法读取，没有客户等级"),
    "customers.dates": Text(
        "customers with an unreadable date have no grade or due date: {n}",
        "{n} 个客户有无法读取的日期，没有等级或跟进日期"),
    "activities.date": Text(
        "activities without a readable date count as no touch: {n}",
        "{n} 条跟进记录日期无法读取，不计为跟进"),
    "activities.customer_id": Text(
        "activities without a known customer count for no customer: {n}",
        "{n} 条跟进记录的客户不存在，不计入任何客户"),
    "targets.month": Text(
        "targets without a readable month count for no month: {n}",
        "{n} 条指标月份无法读取，不计入任何月份"),
    "targets.target": Text(
        "targets without a readable amount count for no month: {n}",
        "{n} 条指标金额无法读取，不计入任何月份"),
    "payments.amount_due": Text(
        "payments without a readable amount due add nothing to receivables: {n}",
        "{n} 笔回款应收金额无法读取，不计入应收"),
    "payments.opportunity_id": Text(
        "payments of an unknown deal count for the team only, for no rep: {n}",
        "{n} 笔回款的商机不存在，只计入团队，不计入任何销售代表"),
}


def impacts(problems: list[Problem], lang: str = "en") -> list[str]:
    """What the problems change in the numbers, one line per kind, by the rows concerned."""
    rows: dict[str, set] = {}
    for p in problems:
        if p.key in IMPACTS and p.row is not None:
            rows.setdefault(p.key, set()).add((p.sheet, p.row))
    return [IMPACTS[key](lang, n=len(rows[key])) for key in IMPACTS if key in rows]


def summary(errors: int, warnings: int, lang: str = "en") -> str:
    """The last line of `check`: `N errors, M warnings` (English), `N 个错误，M 个警告` (Chinese)."""
    return SUMMARY(lang, errors=errors, warnings=warnings)
