"""Lay out the Today sheet (today.call_list): a title, headers, then one block per rep.

`layout` gives the rows as values, so the file writer (XlsxWriter, with
formats) and the live workbook (macros) show the same sheet.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from ..model import schema
from ..model.cells import is_blank
from ..model.text import Text
from ..model.vocab import FOLLOWUP_STATUS, TIER
from ..ooxml.xstring import cell_text
from . import today_greetings, today_payments

HEADERS = {
    "customer_id": (Text("Customer ID", "客户编号"), 12),
    "name": (Text("Customer", "客户名称"), 28),
    "grade": (Text("Grade", "等级"), 7),
    "tier": (Text("Tier", "层级"), 10),
    "followup_status": (Text("Status", "跟进状态"), 14),
    "next_due": (Text("Next due", "应跟进日期"), 12),
    "days_overdue": (Text("Days overdue", "逾期天数"), 12),
    "last_contact": (Text("Last contact", "最近联系"), 12),
    "last_activity": (Text("Last activity", "最近跟进"), 12),
    "last_activity_type": (Text("Type", "方式"), 9),
    "last_activity_summary": (Text("Summary", "内容摘要"), 36),
    "next_step": (Text("Next step", "下一步"), 28),
}
DATES = ("next_due", "last_contact", "last_activity")
TITLE = Text("Follow-ups due on {day} ({count})", "{day} 应跟进客户（{count}）")
NO_OWNER = Text("(no owner)", "（未分配）")
DONE = Text("Nothing is due. Well done.", "今天没有需要跟进的客户。")
RULE = Text("Overdue and due today: all listed. Never contacted: at most {n} a rep each day, best grade first; "
            "the rest are counted under each rep and come up as these are contacted.",
            "逾期和今日应跟进的客户全部列出；从未联系的客户每位销售每天最多列 {n} 位，等级高者优先，"
            "其余只计数，联系完上面的客户后依次列出。")
MORE = Text("+ {count:,} more never-contacted customers, not listed today", "另有 {count:,} 位未联系客户今天未列出")
TITLE_ROW, HEADER_ROW = 0, 2


def _cell_value(key: str, value, lang: str):
    if is_blank(value) or value is pd.NaT:
        return None
    if key == "followup_status":
        return FOLLOWUP_STATUS.label(value, lang)
    if key == "tier":
        return TIER.label(TIER.parse(value), lang)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return cell_text(value) if isinstance(value, str) else value


def layout(calls: pd.DataFrame, as_of: date, lang: str = "en") -> list[tuple[str, list]]:
    """(kind, values) per sheet row; kind is title, note, header, rep, call, more, done or greeting."""
    keys = list(HEADERS)
    not_listed = calls.attrs.get("not_listed", {})  # compute.today puts the quota and what it left out there
    rows = [("title", [TITLE(lang, day=as_of.isoformat(), count=len(calls))]),
            ("note", [RULE(lang, n=calls.attrs.get("new_per_rep", 0))]),
            ("header", [HEADERS[k][0](lang) for k in keys])]
    if calls.empty:
        rows.append(("done", [DONE(lang)]))
    owners = calls["owner"].map(lambda v: None if is_blank(v) else str(v))
    for owner, group in calls.groupby(owners, sort=False, dropna=False):
        rows.append(("rep", [f"{NO_OWNER(lang) if is_blank(owner) else cell_text(owner)} ({len(group)})"]))
        rows += [("call", [_cell_value(k, record[k], lang) for k in keys]) for record in group.to_dict("records")]
        if not_listed.get(None if is_blank(owner) else owner):
            rows.append(("more", [MORE(lang, count=not_listed[None if is_blank(owner) else owner])]))
    greetings = calls.attrs.get("greetings")  # compute.step puts the greetings due there
    return (rows + today_payments.rows(calls.attrs.get("payments"), lang, _cell_value)  # compute.step puts them there
            + today_greetings.rows(greetings, calls.attrs.get("greet_days", 7), lang, _cell_value))


def write_today_sheet(workbook, calls: pd.DataFrame, as_of: date, lang: str = "en") -> None:
    """Add the Today sheet to an XlsxWriter workbook, with formats and print setup."""
    sheet = workbook.add_worksheet(schema.TODAY_NAME(lang))
    formats = {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "header": workbook.add_format({"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF", "border": 1}),
        "rep": workbook.add_format({"bold": True, "bg_color": "#DDEBF7"}),
        "note": workbook.add_format({"italic": True, "font_color": "#595959"}),
        "more": workbook.add_format({"italic": True, "font_color": "#595959"}),
    }
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    overdue = workbook.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})
    keys = list(HEADERS)
    for j, key in enumerate(keys):
        sheet.set_column(j, j, HEADERS[key][1], dates if key in DATES else None)
    rows = layout(calls, as_of, lang)
    for r, (kind, values) in enumerate(rows):
        if kind == "rep":
            sheet.merge_range(r, 0, r, len(keys) - 1, values[0], formats["rep"])
            continue
        for j, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, datetime):
                sheet.write_datetime(r, j, value, dates)
            elif isinstance(value, str):
                sheet.write_string(r, j, value, formats.get(kind))
            else:
                sheet.write(r, j, value, formats.get(kind))
    status = keys.index("followup_status")
    sheet.conditional_format(HEADER_ROW + 1, status, max(len(rows) - 1, HEADER_ROW + 1), status, {
        "type": "cell", "criteria": "==", "value": f'"{FOLLOWUP_STATUS.label("Overdue", lang)}"', "format": overdue})
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(HEADER_ROW)
