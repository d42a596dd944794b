"""Lay out the Today sheet (today.call_list) with XlsxWriter: one block per rep."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from .. import schema
from ..vocab import FOLLOWUP_STATUS, TIER

HEADERS = {
    "customer_id": ("Customer ID", "客户编号", 12),
    "name": ("Customer", "客户名称", 28),
    "grade": ("Grade", "等级", 7),
    "tier": ("Tier", "层级", 10),
    "followup_status": ("Status", "跟进状态", 14),
    "next_due": ("Next due", "应跟进日期", 12),
    "days_overdue": ("Days overdue", "逾期天数", 12),
    "last_contact": ("Last contact", "最近联系", 12),
    "last_activity": ("Last activity", "最近跟进", 12),
    "last_activity_type": ("Type", "方式", 9),
    "last_activity_summary": ("Summary", "内容摘要", 36),
    "next_step": ("Next step", "下一步", 28),
}
TITLE = {"en": "Follow-ups due on {day} ({count})", "zh": "{day} 应跟进客户（{count}）"}
NO_OWNER = {"en": "(no owner)", "zh": "（未分配）"}
DONE = {"en": "Nothing is due. Well done.", "zh": "今天没有需要跟进的客户。"}


def _cell_value(key: str, value, lang: str):
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    if key == "followup_status":
        return FOLLOWUP_STATUS.label(value, lang)
    if key == "tier":
        try:
            return TIER.label(TIER.parse(value), lang)
        except ValueError:
            return value
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


def write_today_sheet(workbook, rows: pd.DataFrame, as_of: date, lang: str = "en") -> None:
    """Add the Today sheet: a title, a header row, then each rep's customers in order."""
    sheet = workbook.add_worksheet(schema.TODAY_NAME[lang])
    title = workbook.add_format({"bold": True, "font_size": 14})
    header = workbook.add_format({"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF", "border": 1})
    rep = workbook.add_format({"bold": True, "bg_color": "#DDEBF7"})
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    overdue = workbook.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})
    keys = list(HEADERS)
    sheet.write(0, 0, TITLE[lang].format(day=as_of.isoformat(), count=len(rows)), title)
    for j, key in enumerate(keys):
        sheet.write(2, j, HEADERS[key][1 if lang == "zh" else 0], header)
        sheet.set_column(j, j, HEADERS[key][2], dates if key in ("next_due", "last_contact", "last_activity")
                         else None)
    sheet.freeze_panes(3, 0)
    r = 3
    if rows.empty:
        sheet.write(r, 0, DONE[lang])
    for owner, group in rows.groupby(rows["owner"].map(lambda v: None if pd.isna(v) else str(v)),
                                     sort=False, dropna=False):
        label = NO_OWNER[lang] if owner is None else owner
        sheet.merge_range(r, 0, r, len(keys) - 1, f"{label} ({len(group)})", rep)
        r += 1
        for record in group.to_dict("records"):
            for j, key in enumerate(keys):
                value = _cell_value(key, record[key], lang)
                if value is None:
                    continue
                if isinstance(value, datetime):
                    sheet.write_datetime(r, j, value, dates)
                elif isinstance(value, str):
                    sheet.write_string(r, j, value)
                else:
                    sheet.write(r, j, value)
            r += 1
    status_col = keys.index("followup_status")
    if r > 3:
        sheet.conditional_format(3, status_col, r - 1, status_col, {
            "type": "cell", "criteria": "==", "value": f'"{FOLLOWUP_STATUS.label("Overdue", lang)}"',
            "format": overdue})
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(2)
