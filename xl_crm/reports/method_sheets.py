"""The Political map and Competitors sheets of a report, and the problem openings below the Portfolio grid.

Laid out with writer.SheetWriter; the labels of their columns and metrics
are added to the report's tables (labels.py) here, beside the sheets that
use them, and their number formats (KINDS) read by writer.py.
"""

from __future__ import annotations

from ..model.vocab import MAP_WARNINGS, OPENING_TYPE, REASON
from . import labels
from .competitors import NO_REASON
from .labels import pick

SHEETS = {"political_map": ("Political map", "政治地图"), "competitors": ("Competitors", "竞争对手")}
METRICS = {"deals_with_map_warnings": ("Open deals with map warnings", "有地图预警的在跟进商机数"),
           "weighted_with_executive_share": ("Weighted pipeline with an executive contact",
                                             "已接触高层的加权商机占比")}
COLUMNS = {
    "map_contacts": ("People on the map", "地图人数"), "executives": ("Executives", "高层"),
    "coaches": ("Coaches", "内线"), "departments": ("Departments", "部门数"), "support": ("Support", "支持度"),
    "map_warnings": ("Warnings", "预警"), "total": ("Total", "合计"), "competitor": ("Competitor", "竞争对手"),
    "won": ("Won", "赢单"), "lost": ("Lost", "丢单"), "lost_amount": ("Amount lost to them", "丢给对手的金额"),
    "last_move_date": ("Date", "日期"), "customer": ("Customer", "客户"), "last_move": ("Move", "动向"),
    "opening": ("Opening", "开局位置"), "opening_type": ("Type", "开局类型"), "play": ("Play", "打法"),
    **{w: MAP_WARNINGS.spellings(w)[:2] for w in MAP_WARNINGS.values},
    **{r: REASON.spellings(r)[:2] for r in REASON.values}, NO_REASON: ("No reason given", "未填原因"),
}
WORDS = {
    "map_deals": ("Open deals with political map warnings, largest weighted amount first",
                  "有政治地图预警的在跟进商机（按加权金额从大到小）"),
    "map_by_rep": ("Warnings per rep", "各销售代表的预警"),
    "executive_share": ("Share of the weighted pipeline with an executive contact: {}", "已接触高层的加权商机占比：{}"),
    "rivals": ("Deals closed against each competitor in the 12 months ending as-of",
               "截至日前12个月内与各竞争对手交锋的成交商机"),
    "reasons": ("Reasons of deals lost in the 12 months ending as-of, per rep", "截至日前12个月丢单原因（按销售代表）"),
    "moves": ("Competitor moves this month", "本月竞争对手动向"),
    "openings": ("Open deals in Abnormal (A, I) and Problem (D, F) openings, and their plays",
                 "处于不正常（A、I）和问题（D、F）开局的在跟进商机及打法"),
}
KINDS = {"money": {"lost_amount"}, "percent": {"weighted_with_executive_share"}, "date": {"last_move_date"},
         "decimal": set()}
labels.register(SHEETS, METRICS, COLUMNS, WORDS, columns_kept=True)


def write_method_sheets(writer, report, title: str) -> None:
    """Add the Political map and Competitors sheets, and the problem openings under the Portfolio sheet."""
    view, lang = report.method, writer.lang
    if view is None:
        return
    _political_map(writer, report, title)
    _competitors(writer, view.competitors, title)
    ws = writer.book.get_worksheet_by_name(pick(labels.SHEETS, "portfolio", lang))
    if ws is not None:
        row = writer.heading(ws, ws.dim_rowmax + 3, pick(labels.WORDS, "openings", lang))
        _table(writer, ws, row, view.openings, more=view.openings_hidden,
               shown={"opening_type": lambda t: OPENING_TYPE.label(t, lang)})


def _table(writer, ws, row, frame, **options):
    if frame.empty:
        ws.write(row, 0, pick(labels.WORDS, "none", writer.lang), writer.plain)
        return row, row
    return writer.table(ws, row, frame, **options)


def _political_map(writer, report, title: str) -> None:
    lang, pm = writer.lang, report.method.political_map
    ws = writer.sheet("political_map", title, 2)
    share = report.kpis.loc[report.kpis["metric"] == "weighted_with_executive_share", "value"]
    shown = "-" if share.empty or share.iloc[0] is None else f"{share.iloc[0]:.0%}"
    ws.write(1, 0, pick(labels.WORDS, "executive_share", lang).format(shown), writer.plain)
    row = writer.heading(ws, 3, pick(labels.WORDS, "map_deals", lang))
    stages = report.funnel.stages
    stage_names = dict(zip(stages["stage"].tolist(), stages["name_zh" if lang == "zh" else "name"].tolist()))
    last = _table(writer, ws, row, pm.deals, more=pm.hidden,
                  shown={"map_warnings": lambda w: MAP_WARNINGS.label(w, lang), "stage": stage_names.get})[1]
    row = writer.heading(ws, last + 3, pick(labels.WORDS, "map_by_rep", lang))
    _table(writer, ws, row, pm.by_rep)


def _competitors(writer, view, title: str) -> None:
    lang = writer.lang
    ws = writer.sheet("competitors", title, 1)
    row = writer.heading(ws, 2, pick(labels.WORDS, "rivals", lang))
    last = _table(writer, ws, row, view.rivals, kinds={"win_rate": "percent"})[1]
    row = writer.heading(ws, last + 3, pick(labels.WORDS, "reasons", lang))
    last = _table(writer, ws, row, view.reasons)[1]
    row = writer.heading(ws, last + 3, pick(labels.WORDS, "moves", lang))
    _table(writer, ws, row, view.moves, more=view.moves_hidden)
