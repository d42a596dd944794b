"""The Changes sheet of a report (changes.py), laid out with writer.SheetWriter.

Its labels are added to the report's tables (labels.py) here, beside the
sheet that uses them; MONEY names the columns and metrics shown as money.
"""

from __future__ import annotations

import pandas as pd

from . import labels
from .labels import pick
from .model import Report

SHEETS = {"changes": ("Changes", "变化")}
METRICS = {
    "moved_forward": ("Deals moved forward a stage", "推进阶段的商机数"),
    "pushed": ("Deals whose close date was pushed", "预计成交日期推迟的商机数"),
    "amount_added": ("Amount added on open deals", "在跟进商机金额增加"),
    "amount_removed": ("Amount removed on open deals", "在跟进商机金额减少"),
    "slipped_count": ("Slipped deals (close date passed)", "逾期未结商机数"),
}
COLUMNS = {
    "date": ("Date", "日期"), "old": ("From", "原值"), "new": ("To", "新值"), "change": ("Change", "变化"),
    "push_count": ("Pushes", "推迟次数"), "expected_close": ("Expected close", "预计成交日期"),
    "days_slipped": ("Days past close", "逾期天数"),
}
WORDS = {
    "forward_list": ("Deals moved forward a stage this month", "本月推进阶段的商机"),
    "pushed_list": ("Deals whose close date was pushed later this month", "本月预计成交日期推迟的商机"),
    "amount_list": ("Amount changes on open deals this month", "本月在跟进商机的金额变化"),
    "slipped_list": ("Deals slipped at as-of: open, expected close passed",
                     "截至日逾期未结的商机：仍在跟进，预计成交日期已过"),
    "stage_unknown": ("Stage unknown (no History at as-of)", "阶段未知（截至日无变更记录）"),
    "added_removed": ("Amount added {:,.0f} · removed {:,.0f}", "金额增加 {:,.0f} · 减少 {:,.0f}"),
}
labels.register(SHEETS, METRICS, COLUMNS, WORDS)
MONEY = {"amount_added", "amount_removed", "change"}
SHOWN = 30  # rows of each list but the last, so that each fits on its printed page


def write_changes(w, report: Report, title: str) -> None:
    """Moved forward, pushed, amount changes and slipped deals (w: the report's writer.SheetWriter).

    Each list starts a printed page; the first three show their first SHOWN rows so each fits on its
    page, and the last repeats its header on every page it runs to: the print titles belong to the table.
    """
    lang, view = w.lang, report.changes
    ws = w.sheet("changes", title, 1)
    lists = (("forward_list", view.forward), ("pushed_list", view.pushed), ("amount_list", view.amounts),
             ("slipped_list", view.slipped))
    row = 2
    for i, (key, frame) in enumerate(lists):
        heading, last = row, i == len(lists) - 1
        if row > 2 and not last:
            w.page_break(ws, row)
        row = w.heading(ws, row, pick(labels.WORDS, key, lang))
        if key == "amount_list":
            change = pd.to_numeric(frame["change"], errors="coerce")
            ws.write(row, 0, pick(labels.WORDS, "added_removed", lang).format(change[change > 0].sum(),
                                                                                -change[change < 0].sum()), w.plain)
            row += 1
        if not len(frame):
            ws.write(row, 0, pick(labels.WORDS, "none", lang), w.plain)
            row += 2
            continue
        if last:
            w.list_pages(ws, heading, row)
        shown = frame if last else frame.iloc[:SHOWN]
        _, end = w.table(ws, row, shown, more=len(frame) - len(shown))
        row = end + 3
