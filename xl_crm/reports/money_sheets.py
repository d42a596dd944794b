"""The Forecast and Collections sheets of a report (money.py), laid out with writer.SheetWriter.

The labels of the money view's metrics and columns are added to the
report's tables (labels.py) here, and their number formats (KINDS) read by
writer.py, beside the sheets that use them.
"""

from __future__ import annotations

from ..model.vocab import AGING
from . import labels
from .kpis import TEAM
from .labels import pick
from .model import Report

SHEETS = {"forecast": ("Forecast", "预测"), "collections": ("Collections", "回款")}
METRICS = {
    "target": ("Target", "指标"), "won": ("Won", "赢单金额"), "commit": ("Commit", "承诺"),
    "best_case": ("Best case", "乐观"), "pipeline": ("Pipeline", "储备"), "weighted": ("Weighted", "加权预测"),
    "attainment": ("Attainment", "完成率"), "gap": ("Gap to target", "差额"), "coverage": ("Coverage", "覆盖倍数"),
    "required_coverage": ("Required coverage", "所需覆盖倍数"),
    "velocity": ("Velocity (per 30 days)", "销售速度（每30天）"),
    "forecast_accuracy": ("Forecast accuracy", "预测准确率"), "collected": ("Collected this month", "本月回款"),
    "receivable": ("Receivable", "应收余额"), "overdue_receivable": ("Overdue receivable", "逾期应收"),
    "won_without_payment_plan": ("Won without a payment plan", "赢单无回款计划"),
}
COLUMNS = {
    "bucket": ("Aging", "账龄"), "payments": ("Payments", "笔数"), "outstanding": ("Outstanding", "未收金额"),
    "payment_id": ("Payment ID", "回款编号"), "milestone": ("Milestone", "回款节点"),
    "due_date": ("Due date", "应收日期"), "days_late": ("Days late", "逾期天数"),
}
WORDS = {
    "forecast_table": ("Forecast for this month and the next two, at as-of", "本月及后两个月的预测（截至日）"),
    "won_vs_target": ("Won against target this month", "本月赢单与指标"),
    "collected_vs_won": ("Won and collected this month", "本月赢单与回款"),
    "aging": ("Receivables by aging at as-of", "截至日应收账龄"),
    "late_list": ("Largest late payments", "逾期金额最大的回款"),
    "no_plan": ("Deals won in the last 12 months without a payment plan", "近12个月赢单而无回款计划的商机"),
}
labels.register(SHEETS, METRICS, COLUMNS, WORDS)
KINDS = {"money": {"target", "won", "commit", "best_case", "pipeline", "weighted", "gap", "velocity", "collected",
                   "receivable", "overdue_receivable", "outstanding"},
         "percent": {"attainment", "forecast_accuracy"}, "decimal": {"coverage", "required_coverage"},
         "date": {"due_date"}}
COLORS = ("#1F4E79", "#9DC3E6")  # writer.COLORS: target light, won dark


def write_money_sheets(w, report: Report, title: str) -> None:
    """The Forecast and Collections sheets (w: the report's writer.SheetWriter)."""
    write_forecast(w, report, title)
    write_collections(w, report, title)


def write_forecast(w, report: Report, title: str) -> None:
    """M and the two months after it per scope; the chart of won against target by rep (team report)."""
    lang, money = w.lang, report.money
    ws = w.sheet("forecast", title, 1)
    team = pick(labels.WORDS, "team", lang)
    row = w.heading(ws, 2, pick(labels.WORDS, "forecast_table", lang))
    last = w.table(ws, row, money.forecast, shown={"rep": lambda r: team if r == TEAM else r})[1]
    row = w.heading(ws, last + 2, pick(labels.WORDS, "won_vs_target", lang))
    first, last = w.table(ws, row, money.by_rep.drop(columns="collected"))
    if w.team and len(money.by_rep):
        chart = w.chart("bar")
        for col, color in ((1, COLORS[1]), (2, COLORS[0])):
            chart.add_series({"name": [ws.get_name(), row, col], "categories": [ws.get_name(), first, 0, last, 0],
                              "values": [ws.get_name(), first, col, last, col], "fill": {"color": color}})
        chart.set_y_axis({"reverse": True})
        chart.set_x_axis({"num_format": "#,##0"})
        chart.set_title({"name": pick(labels.WORDS, "won_vs_target", lang), "name_font": {"size": 11}})
        chart.set_size({"width": 560, "height": max(260, 26 * len(money.by_rep) + 90)})
        ws.insert_chart(row - 1, 6, chart)


def write_collections(w, report: Report, title: str) -> None:
    """Won and collected by rep, the aging table, the largest late payments, won deals with no payment plan."""
    lang, money = w.lang, report.money
    c = money.collections
    ws = w.sheet("collections", title, 1)
    row = w.heading(ws, 2, pick(labels.WORDS, "collected_vs_won", lang))
    last = w.table(ws, row, money.by_rep[["rep", "won", "collected"]])[1]
    row = w.heading(ws, last + 2, pick(labels.WORDS, "aging", lang))
    last = w.table(ws, row, c.aging, shown={"bucket": lambda b: AGING.label(b, lang)})[1]
    row = w.heading(ws, last + 2, pick(labels.WORDS, "late_list", lang))
    last = w.table(ws, row, c.late, more=c.more_late)[1] + (1 if c.more_late else 0)
    row = w.heading(ws, last + 2, pick(labels.WORDS, "no_plan", lang))
    w.table(ws, row, c.no_plan, more=c.more_no_plan)
