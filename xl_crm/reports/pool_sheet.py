"""The Pool sheet of a report (pool.py): customers due back to the pool, and (team) those nobody owns."""

from __future__ import annotations

from ..model.vocab import TIER
from . import labels
from .labels import pick
from .model import Report

SHEETS = {"pool": ("Pool", "公海")}
METRICS = {
    "release_count": ("Customers due back to the pool", "待回收公海客户数"),
    "pool_count": ("Customers with no owner (pool)", "公海客户数（无负责人）"),
}
COLUMNS = {
    "assigned_date": ("Assigned", "分配日期"), "days_idle": ("Days untouched", "未跟进天数"),
    "open_deals": ("Open deals", "进行中商机"), "industry": ("Industry", "行业"), "region": ("Region", "区域"),
}
WORDS = {
    "release_list": ("Customers to release: Regular, no open deal, untouched for more than PoolDays",
                     "待回收客户：普通客户，无进行中商机，超过公海天数未跟进"),
    "unowned_list": ("Customers with no owner (the pool)", "无负责人的客户（公海）"),
}
labels.register(SHEETS, METRICS, COLUMNS, WORDS, columns_kept=True)
DATES = {"assigned_date"}


def write_pool(w, report: Report, title: str) -> None:
    """The release list, then (team report) the customers with no owner (w: the report's writer.SheetWriter)."""
    view = report.pool
    ws = w.sheet("pool", title, 1)
    tier = lambda value: TIER.label(value, w.lang) if value else value  # noqa: E731
    lists = [("release_list", "release", view.release)]
    if report.reps is not None:
        lists.append(("unowned_list", "unowned", view.unowned))
    row = 2
    for key, name, frame in lists:
        row = w.heading(ws, row, pick(labels.WORDS, key, w.lang))
        if not len(frame):
            ws.write(row, 0, pick(labels.WORDS, "none", w.lang), w.plain)
            row += 2
            continue
        _, end = w.table(ws, row, frame, more=view.more.get(name, 0), shown={"tier": tier},
                         kinds={"assigned_date": "date", "last_contact": "date"})
        row = end + 3
