"""Lay a report model out as an .xlsx with XlsxWriter: readable tables, native charts, print setup.

Every sheet prints landscape, fit to one page wide, with its title rows
repeated, a header naming the report and page numbers in the footer, so
the PDFs LibreOffice makes from these files read well.

A rep's report has the same sheets but only the funnel and trend charts,
and none of the by-rep breakdowns (they would hold one row, the rep's own,
which the Summary already shows): a batch writes fifty of them per month,
and the team report carries the rest for everyone.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import xlsxwriter

from .. import rules
from ..model.vocab import LEAD, OPENING_TYPE, STATUS, TERRITORY, TIER
from ..ooxml.xstring import cell_text
from . import labels
from .changes_sheet import MONEY as CHANGE_MONEY
from .changes_sheet import write_changes
from .kpis import METRICS, TEAM
from .labels import pick
from .method_sheets import KINDS as METHOD_KINDS
from .method_sheets import write_method_sheets
from .model import FunnelModel, Report
from .money_sheets import KINDS as MONEY_KINDS
from .money_sheets import write_money_sheets
from .pool_sheet import DATES as POOL_DATES
from .pool_sheet import write_pool

MONEY = {"amount", "weighted_amount", "won_amount", "new_amount", "lost_amount", "open_amount", "revenue_12m"}
PERCENT = {"probability", "conversion", "share", "win_rate", "conversion_1_2", "conversion_2_3", "conversion_3_4",
           "conversion_4_5"}
DATES = {"last_contact", "next_due", "closed"}
DECIMAL = {"avg_touches", "avg_cycle_days"}
for _keys, _method_kind in ((MONEY, "money"), (PERCENT, "percent"), (DATES, "date")):
    _keys.update(METHOD_KINDS[_method_kind])  # the Political map and Competitors sheets
for _keys, _kind_name in ((MONEY, "money"), (PERCENT, "percent"), (DECIMAL, "decimal"), (DATES, "date")):
    _keys.update(MONEY_KINDS[_kind_name])  # the Forecast and Collections sheets' columns and metrics
MONEY.update(CHANGE_MONEY)
DATES.update(POOL_DATES)
FORMATS = {"money": "#,##0", "percent": "0.0%", "date": "yyyy-mm-dd", "decimal": "0.0", "count": "#,##0",
           "text": "@"}
COLORS = ("#1F4E79", "#2E75B6", "#9DC3E6", "#F4B183", "#C55A11")
PAD = 3  # characters beside the widest value of a column


def _kind(key: str) -> str:
    for kind, keys in (("money", MONEY), ("percent", PERCENT), ("date", DATES), ("decimal", DECIMAL)):
        if key in keys:
            return kind
    return "count"


def _shown_width(value: float, kind: str) -> int:
    """Characters a number takes in its format (FORMATS), so a column is never too narrow (###)."""
    if kind == "date":
        return 10
    shown = {"percent": f"{value * 100:,.1f}%", "decimal": f"{value:,.1f}"}.get(kind, f"{value:,.0f}")
    return len(shown)


def _width(value) -> int:
    text = str(value)
    return len(text) if text.isascii() else sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _cell(value):
    """A Python value XlsxWriter writes as it should (blank for None/NaN/NaT)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


class SheetWriter:
    """Formats shared by every sheet of one workbook, and the table/heading/print helpers."""

    def __init__(self, workbook: xlsxwriter.Workbook, lang: str, header: str, team: bool = True):
        self.book, self.lang, self.header, self.team = workbook, lang, header, team  # team: every chart and table
        self.widths: dict[tuple[str, int], int] = {}  # (sheet, column) -> the widest its tables need
        base = {"font_name": "Arial", "font_size": 10}
        self.title = workbook.add_format({**base, "bold": True, "font_size": 14, "font_color": COLORS[0]})
        self.heading_format = workbook.add_format({**base, "bold": True, "font_size": 11, "font_color": COLORS[0]})
        self.head = workbook.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "bottom": 1, "text_wrap": True,
                                         "valign": "top"})
        self.head_right = workbook.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "bottom": 1,
                                               "text_wrap": True, "valign": "top", "align": "right"})
        self.breaks: dict[str, list[int]] = {}  # sheet -> rows a printed page starts at
        self.formats = {kind: workbook.add_format({**base, "num_format": fmt}) for kind, fmt in FORMATS.items()}
        self.plain = workbook.add_format(base)
        self.text = workbook.add_format({**base, "indent": 1})  # table text: clear of the number before it
        self.head_text = workbook.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "bottom": 1,
                                              "text_wrap": True, "valign": "top", "indent": 1})

    def sheet(self, key: str, title: str | None, repeat_to: int = 1):
        """A printable sheet; its title in A1 (a tidy data sheet has none: its headers are row 1)."""
        ws = self.book.add_worksheet(pick(labels.SHEETS, key, self.lang))
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.7, bottom=0.7)
        ws.repeat_rows(0, repeat_to)
        ws.set_header(f"&L&9{cell_text(self.header)}&R&9&A")
        ws.set_footer("&C&9&P / &N")
        if title:
            ws.write(0, 0, cell_text(title), self.title)
        return ws

    def page_break(self, ws, row: int) -> None:
        """A printed page starts at `row` (a table and its heading stay together)."""
        self.breaks.setdefault(ws.name, []).append(row)
        ws.set_h_pagebreaks(self.breaks[ws.name])

    def list_pages(self, ws, heading_row: int, header_row: int) -> None:
        """The sheet's last table starts a page and its header repeats on each page it runs to.

        The print titles then belong to the table on the page, never to one above it.
        """
        if heading_row > 2:
            self.page_break(ws, heading_row)
        ws.repeat_rows(header_row)

    def heading(self, ws, row: int, text: str) -> int:
        ws.write(row, 0, text, self.heading_format)
        return row + 1

    def table(self, ws, row: int, frame: pd.DataFrame, col: int = 0, kinds: dict | None = None,
              freeze: bool = False, more: int = 0, shown: dict | None = None, headers: dict | None = None,
              keys: list | None = None) -> tuple[int, int]:
        """Headers at `row`, data below, a line counting the rows left out; returns (first, last data row).

        keys: the columns written (default all); shown: key -> how each value reads (a label);
        headers: key -> the header's label key when it differs from the column's key. Values are
        relabelled here, on plain lists, rather than by reshaping the model's frames for every file.
        """
        kinds, shown, headers = kinds or {}, shown or {}, headers or {}
        names = list(frame.columns)
        cells, dtypes = frame.to_numpy(dtype=object).T, frame.dtypes.tolist()  # one conversion per table
        for j, key in enumerate(names if keys is None else keys):
            at = j if keys is None else names.index(key)
            name = headers.get(key, key)
            table = labels.COLUMNS if name in labels.COLUMNS else labels.METRICS if name in labels.METRICS else None
            header = pick(table, name, self.lang) if table else str(name)
            kind = kinds.get(key) or _kind(key)
            number = self.formats[kind]
            width = max(8, _width(header) + 1)
            number_column = dtypes[at].kind in "fiu" and key not in shown
            values = cells[at].tolist()
            if key in shown:
                values = [shown[key](v) for v in values]
            if number_column:  # a number column: NaN is blank, nothing else to look at
                width = self._numbers(ws, row + 1, col + j, values, number, width, kind)
            else:
                width = self._cells(ws, row + 1, col + j, values, number, width, kind)
            text = not number_column and any(isinstance(v, str) for v in values)
            head = self.head_text if text else self.head_right  # aligned as its values are
            ws.write_string(row, col + j, cell_text(header), head)
            width = max(width, self.widths.get((ws.name, col + j), 0))  # tables sharing a column all fit
            self.widths[ws.name, col + j] = width
            ws.set_column(col + j, col + j, min(width, 40))
        if more:
            ws.write_string(row + len(frame) + 1, col, pick(labels.WORDS, "more", self.lang).format(more), self.plain)
        if freeze:
            ws.freeze_panes(row + 1, 0)
        return row + 1, row + len(frame)

    def _numbers(self, ws, first: int, col: int, values: list, number, width: int, kind: str = "count") -> int:
        cells = [(i, v) for i, v in enumerate(values, start=first) if not math.isnan(v)]
        for i, value in cells:
            ws.write_number(i, col, value, number)
        if not cells:
            return width
        known = [v for _, v in cells]
        return max(width, PAD + max(_shown_width(min(known), kind), _shown_width(max(known), kind)))

    def _cells(self, ws, first: int, col: int, values: list, number, width: int, kind: str = "count") -> int:
        """Cells of any kind (text, dates, numbers, blanks); returns the column width they need."""
        for i, value in enumerate(values, start=first):
            if not isinstance(value, str):  # most cells are text: they need no conversion
                value = _cell(value)
            if value is None:
                continue
            if isinstance(value, str):
                ws.write_string(i, col, cell_text(value), self.text)
                width = max(width, _width(value) + PAD)
            elif isinstance(value, (date, datetime)):
                ws.write_datetime(i, col, value, self.formats["date"])
                width = max(width, PAD + 10)
            else:
                ws.write_number(i, col, value, number)
                width = max(width, PAD + _shown_width(value, kind))
        return width

    def chart(self, kind: str, subtype: str | None = None, title: str | None = None):
        """A chart with its title; value axes of bars, columns and lines start at 0."""
        chart = self.book.add_chart({"type": kind, **({"subtype": subtype} if subtype else {})})
        chart.set_legend({"position": "bottom"})
        chart.set_chartarea({"border": {"none": True}})
        if title:
            chart.set_title({"name": title, "name_font": {"size": 11}})
        if kind != "pie":  # the value axis (x in a bar chart) from 0, whatever a section sets on it later
            name = "set_x_axis" if kind == "bar" else "set_y_axis"
            setter = getattr(chart, name)
            setattr(chart, name, lambda options: setter({"min": 0, **options}))
            setter({"min": 0})
        return chart


def _ref(ws, first: int, last: int, col: int) -> list:
    return [ws.get_name(), first, col, last, col]


def write_funnel_sheet(workbook: xlsxwriter.Workbook, model: FunnelModel, lang: str = "en",
                       writer: SheetWriter | None = None, title: str | None = None):
    """The Funnel sheet: stage table, win rate, funnel chart and conversion by rep."""
    writer = writer or SheetWriter(workbook, lang, pick(labels.SHEETS, "funnel", lang))
    as_of = pick(labels.WORDS, "as_of", lang)
    ws = writer.sheet("funnel", title or f"{pick(labels.SHEETS, 'funnel', lang)} · {as_of} {model.as_of}")
    row = writer.heading(ws, 2, pick(labels.WORDS, "stage_table", lang))
    stages = [key for key in model.stages.columns if key != ("name" if lang == "zh" else "name_zh")]
    first, last = writer.table(ws, row, model.stages, keys=stages, headers={"name_zh": "name"})
    row = last + 2
    if model.unknown_count:  # open deals whose stage then is unknown: one row, never today's stage
        ws.write(last + 1, 1, pick(labels.WORDS, "stage_unknown", lang), writer.plain)
        ws.write_number(last + 1, stages.index("open_count"), model.unknown_count, writer.formats["count"])
        ws.write_number(last + 1, stages.index("amount"), model.unknown_amount, writer.formats["money"])
        row += 1
    ws.write(row, 0, pick(labels.WORDS, "win_rate_line", lang), writer.plain)
    if model.win_rate is not None:
        ws.write_number(row, 5, model.win_rate, writer.formats["percent"])
    ws.write(row, 6, f"{model.won} / {model.won + model.lost}", writer.text)  # clear of the rate before it
    # the funnel shape: a transparent spacer bar centres each stage's bar
    spacer_col = len(stages) + 1
    known = model.stages["reached"].fillna(0)  # blank: unknown at a past date with no History
    widest = max(int(known.max()), 1)
    for i, reached in enumerate(known.tolist()):
        ws.write_number(first + i, spacer_col, (widest - int(reached)) / 2)
    ws.set_column(spacer_col, spacer_col, None, None, {"hidden": True})
    chart = writer.chart("bar", "stacked")
    names = _ref(ws, first, last, 1)
    chart.add_series({"categories": names, "values": _ref(ws, first, last, spacer_col),
                      "fill": {"none": True}, "border": {"none": True}})
    chart.add_series({"name": pick(labels.COLUMNS, "reached", lang), "categories": names,
                      "values": _ref(ws, first, last, stages.index("reached")), "fill": {"color": COLORS[1]}, "gap": 10,
                      "data_labels": {"value": True, "position": "center", "font": {"color": "white"}}})
    chart.set_y_axis({"reverse": True})
    chart.set_x_axis({"visible": False, "major_gridlines": {"visible": False}, "min": 0})
    chart.set_legend({"none": True})
    chart.set_title({"name": pick(labels.SHEETS, "funnel", lang), "name_font": {"size": 11}})
    chart.show_hidden_data()
    chart.set_size({"width": 520, "height": 300})
    ws.insert_chart(row + 2, 0, chart)
    if writer.team:
        writer.list_pages(ws, row + 18, row + 19)
        row = writer.heading(ws, row + 18, pick(labels.WORDS, "by_rep", lang))
        writer.table(ws, row, model.by_rep.reset_index(names="rep"))
    return ws


def write_report(report: Report, path: str | Path, lang: str = "en") -> Path:
    """One report workbook: Summary, Funnel, Reps (team), Revenue, Follow-ups, Portfolio, Stale, VIP, KPIs."""
    path = Path(path)
    scope = pick(labels.WORDS, "team", lang) if report.scope == TEAM else report.scope
    header = f"{pick(labels.WORDS, 'report', lang)} {report.month} · {scope}"
    title = f"{header} · {pick(labels.WORDS, 'as_of', lang)} {report.as_of}"
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True})  # small files: no temporary files
    workbook.set_properties({"title": header})
    writer = SheetWriter(workbook, lang, header, team=report.reps is not None)
    _summary(writer, report, title)
    write_funnel_sheet(workbook, report.funnel, lang, writer, title)
    if report.reps is not None:
        _reps(writer, report, title)
    _revenue(writer, report, title)
    _followups(writer, report, title)
    _portfolio(writer, report, title)
    ws = writer.sheet("stale", title, 2)
    stage_names = dict(zip(report.funnel.stages["stage"].tolist(),
                           report.funnel.stages["name_zh" if lang == "zh" else "name"].tolist()))
    writer.table(ws, 2, report.stale, freeze=True, more=report.more.get("stale", 0),
                 shown={"stage": stage_names.get})
    _vip(writer, report, title)
    if report.money is not None:
        write_money_sheets(writer, report, title)
    if report.changes is not None:
        write_changes(writer, report, title)
    write_method_sheets(writer, report, title)
    if report.pool is not None:
        write_pool(writer, report, title)
    ws = writer.sheet("kpis", None, 0)  # tidy: scope, metric, value from row 1, for machines to read
    _kpis(writer, ws, report.kpis)
    workbook.close()
    return path


def _metric_kind(metric: str) -> str:
    return _kind(metric) if metric != "avg_cycle_days" else "decimal"


def _kpis(writer: SheetWriter, ws, kpis: pd.DataFrame) -> None:
    """scope, metric, value from row 1; each value in its metric's format (win rate as a percent)."""
    for j, key in enumerate(("scope", "metric", "value")):
        ws.write_string(0, j, key, writer.head_right if key == "value" else writer.head)
    widths = [len("scope"), len("metric"), len("value")]
    for i, (scope, metric, value) in enumerate(kpis.itertuples(index=False), start=1):
        ws.write_string(i, 0, cell_text(str(scope)), writer.plain)
        ws.write_string(i, 1, metric, writer.plain)
        kind = _metric_kind(metric)
        if value is not None:
            ws.write_number(i, 2, value, writer.formats[kind])
            widths[2] = max(widths[2], _shown_width(value, kind))
        widths[:2] = max(widths[0], _width(scope)), max(widths[1], len(metric))
    for j, width in enumerate(widths):
        ws.set_column(j, j, width + PAD)
    ws.freeze_panes(1, 0)


def _summary(writer: SheetWriter, report: Report, title: str) -> None:
    lang = writer.lang
    ws = writer.sheet("summary", title, 2)
    heads = [pick(labels.WORDS, k, lang) for k in ("metric", "current", "previous", "year_ago", "change")]
    ws.write_string(2, 0, heads[0], writer.head)
    ws.write_row(2, 1, heads[1:], writer.head_right)
    table = report.summary[["current", "previous", "year_ago"]].to_numpy(dtype=float).tolist()
    for i, (metric, row) in enumerate(zip(report.summary.index, table), start=3):
        ws.write(i, 0, pick(labels.METRICS, metric, lang), writer.plain)
        values = [None if math.isnan(v) else v for v in row]
        fmt = writer.formats[_metric_kind(metric)]
        for j, value in enumerate(values, start=1):
            if value is not None:
                ws.write_number(i, j, value, fmt)
        if values[0] is not None and values[1] is not None:
            ws.write_number(i, 4, values[0] - values[1], fmt)
    ws.set_column(0, 0, max(30, *(_width(pick(labels.METRICS, m, lang)) + PAD for m in report.summary.index)))
    numbers = report.summary[["current", "previous", "year_ago"]].abs().max().max()
    widest = _shown_width(numbers, "money") if numbers == numbers else 0
    ws.set_column(1, 4, max(16, widest + PAD, *(_width(h) + PAD for h in heads[1:])))  # one line each
    ws.freeze_panes(3, 1)
    if not writer.team:
        return
    chart = writer.chart("column", title=pick(labels.WORDS, "conversion", lang))
    rows = [i + 3 for i, m in enumerate(METRICS) if m.startswith("conversion_")]
    for j, color in zip((1, 2, 3), COLORS[:3]):
        chart.add_series({"name": [ws.get_name(), 2, j], "categories": [ws.get_name(), rows[0], 0, rows[-1], 0],
                          "values": [ws.get_name(), rows[0], j, rows[-1], j], "fill": {"color": color}})
    chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
    chart.set_size({"width": 480, "height": 280})
    ws.insert_chart(2, 6, chart)


def _reps(writer: SheetWriter, report: Report, title: str) -> None:
    ws = writer.sheet("reps", title)
    ws.write(1, 0, pick(labels.WORDS, "rank_note", writer.lang), writer.plain)
    reps = report.reps.reset_index()
    reps.columns = [c if c in labels.COLUMNS else pick(labels.METRICS, c, writer.lang) for c in reps.columns]
    kinds = {pick(labels.METRICS, c, writer.lang): _metric_kind(c) for c in report.reps.columns
             if c in labels.METRICS}
    height = max(280, 18 * len(reps) + 80)
    header = 3 + (-(-height // 20) + 1 if len(reps) else 0)  # below the chart (rows of 20 pixels)
    first, last = writer.table(ws, header, reps, kinds=kinds)
    ws.repeat_rows(header)
    if len(reps):
        chart = writer.chart("bar", title=pick(labels.METRICS, "won_amount", writer.lang))
        chart.add_series({"name": [ws.get_name(), header, 2], "categories": _ref(ws, first, last, 0),
                          "values": _ref(ws, first, last, 2), "fill": {"color": COLORS[1]}})
        chart.set_y_axis({"reverse": True})
        chart.set_x_axis({"min": 0, "num_format": "#,##0"})
        chart.set_legend({"none": True})
        chart.set_size({"width": 640, "height": height})
        ws.insert_chart(2, 0, chart)


def _revenue(writer: SheetWriter, report: Report, title: str) -> None:
    lang = writer.lang
    ws = writer.sheet("revenue", title, 1)
    trend_first, trend_last = writer.table(ws, writer.heading(ws, 2, pick(labels.WORDS, "trend", lang)),
                                           report.trend)
    chart = writer.chart("column", title=pick(labels.WORDS, "trend", lang))
    chart.add_series({"name": [ws.get_name(), trend_first - 1, 3], "categories": _ref(ws, trend_first, trend_last, 0),
                      "values": _ref(ws, trend_first, trend_last, 3), "fill": {"color": COLORS[1]}})
    line = writer.chart("line")
    line.add_series({"name": [ws.get_name(), trend_first - 1, 2], "categories": _ref(ws, trend_first, trend_last, 0),
                     "values": _ref(ws, trend_first, trend_last, 2), "y2_axis": True,
                     "line": {"color": COLORS[4]}, "marker": {"type": "circle"}})
    line.set_y2_axis({"min": 0})
    chart.combine(line)
    chart.set_y_axis({"min": 0, "num_format": "#,##0"})
    chart.set_size({"width": 560, "height": 300})
    ws.insert_chart(2, 6, chart)
    row = max(trend_last + 2, 19)
    writer.page_break(ws, row)
    none = pick(labels.WORDS, "none", lang)
    for key in ("owner", "product", "industry", "region") if writer.team else ("product", "industry", "region"):
        frame = report.revenue[key]
        row = writer.heading(ws, row, pick(labels.WORDS, f"by_{key}", lang))
        first, last = writer.table(ws, row, frame, shown={"key": lambda v: none if v is None else v},
                                   headers={"key": "rep" if key == "owner" else key})
        pie = key == "product" and len(frame) and writer.team
        if pie:
            chart = writer.chart("pie", title=pick(labels.WORDS, "by_product", lang))
            chart.add_series({"categories": _ref(ws, first, last, 0), "values": _ref(ws, first, last, 2)})
            chart.set_size({"width": 360, "height": 240})
            ws.insert_chart(row, 6, chart)
        row = max(last + 2, row + 14) if pie else last + 2  # room for the pie below its table


def _followups(writer: SheetWriter, report: Report, title: str) -> None:
    lang = writer.lang
    ws = writer.sheet("followups", title, 1)
    row = writer.heading(ws, 2, pick(labels.WORDS, "grade_mix", lang))
    first, last = writer.table(ws, row, report.grade_mix)
    if writer.team:
        chart = writer.chart("column", title=pick(labels.WORDS, "grade_mix", lang))
        for j, color in ((1, COLORS[1]), (2, COLORS[4])):
            chart.add_series({"name": [ws.get_name(), row, j], "categories": _ref(ws, first, last, 0),
                              "values": _ref(ws, first, last, j), "fill": {"color": color}})
        chart.set_size({"width": 420, "height": 240})
        ws.insert_chart(2, 5, chart)
    row = writer.heading(ws, max(last + 2, 16), pick(labels.WORDS, "touches", lang))
    group = {"Open": pick(labels.WORDS, "open_aged", lang)}
    row = writer.table(ws, row, report.touches, shown={"group": lambda g: group.get(g) or STATUS.label(g, lang)})[1] + 2
    row = writer.heading(ws, row, pick(labels.WORDS, "few_touches", lang))
    row = writer.table(ws, row, report.few_touches, more=report.more.get("few_touches", 0))[1] + 3
    writer.list_pages(ws, row, row + 1)
    row = writer.heading(ws, row, pick(labels.WORDS, "overdue_list", lang))
    writer.table(ws, row, report.overdue, more=report.more.get("overdue", 0),
                 shown={"tier": lambda t: TIER.label(t, lang)})


def _portfolio(writer: SheetWriter, report: Report, title: str) -> None:
    lang = writer.lang
    ws = writer.sheet("portfolio", title, 1)
    row = writer.heading(ws, 2, pick(labels.WORDS, "value_mix", lang))
    first, last = writer.table(ws, row, report.value_mix,
                               shown={"value_class": lambda k: pick(labels.VALUE_CLASSES, int(k), lang)})
    if writer.team:
        pie = writer.chart("pie", title=pick(labels.WORDS, "value_mix", lang))
        pie.add_series({"categories": _ref(ws, first, last, 0), "values": _ref(ws, first, last, 1),
                        "data_labels": {"percentage": True}, "points": [{"fill": {"color": c}} for c in COLORS[:4]]})
        pie.set_size({"width": 360, "height": 240})
        ws.insert_chart(2, 6, pie)
    diagnosis = report.value_diagnosis[1] if report.value_diagnosis else pick(labels.WORDS, "no_alert", lang)
    ws.write(last + 1, 0, f"{pick(labels.WORDS, 'diagnosis', lang)}: {diagnosis}", writer.plain)
    row = writer.heading(ws, max(last + 3, 16), pick(labels.WORDS, "grid", lang))
    grid = report.grid.copy()
    grid.columns = [TERRITORY.label(c, lang) for c in grid.columns]
    grid.insert(0, pick(labels.WORDS, "lead_ground", lang), [LEAD.label(r, lang) for r in grid.index])
    last = writer.table(ws, row, grid)[1]
    diagnosis = report.grid_diagnosis or pick(labels.WORDS, "no_alert", lang)
    ws.write(last + 1, 0, f"{pick(labels.WORDS, 'diagnosis', lang)}: {diagnosis}", writer.plain)
    row = writer.heading(ws, last + 3, pick(labels.WORDS, "letters", lang))
    writer.table(ws, row, _letters(report.grid, lang))


def _letters(grid: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each nine-grid letter with its position, its type, its play and the open deals in it."""
    rows = []
    for lead in grid.index:
        for ground in grid.columns:
            letter = rules.opening(ground, lead)
            rows.append({"letter": letter, "lead": LEAD.label(lead, lang), "territory": TERRITORY.label(ground, lang),
                         "opening_type": OPENING_TYPE.label(rules.opening_type(letter), lang),
                         "deals": int(grid.loc[lead, ground]), "play": rules.opening_play(letter, lang)})
    return pd.DataFrame(rows).sort_values("letter", kind="stable")


def _vip(writer: SheetWriter, report: Report, title: str) -> None:
    lang = writer.lang
    ws = writer.sheet("vip", title, 1)
    row = writer.heading(ws, 2, pick(labels.WORDS, "tier_mix", lang))
    first, last = writer.table(ws, row, report.tier_mix, shown={"tier": lambda t: TIER.label(t, lang)})
    if writer.team:
        pie = writer.chart("pie", title=pick(labels.WORDS, "tier_mix", lang))
        pie.add_series({"categories": _ref(ws, first, last, 0), "values": _ref(ws, first, last, 2),
                        "data_labels": {"percentage": True}})
        pie.set_size({"width": 360, "height": 220})
        ws.insert_chart(2, 6, pie)
    writer.list_pages(ws, max(last + 2, 15), max(last + 2, 15) + 1)
    row = writer.heading(ws, max(last + 2, 15), pick(labels.WORDS, "vip_list", lang))
    writer.table(ws, row, report.vip, more=report.more.get("vip", 0))
