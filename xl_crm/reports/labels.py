"""Sheet names, headers and metric names of the reports in English and Chinese."""

from __future__ import annotations

from ..model import schema

SHEETS = {
    "summary": ("Summary", "概要"), "funnel": tuple(schema.FUNNEL_NAME), "reps": ("Reps", "销售代表"),
    "revenue": ("Revenue", "收入"), "followups": ("Follow-ups", "跟进"), "portfolio": ("Portfolio", "客户组合"),
    "stale": ("Stale deals", "停滞商机"), "vip": ("VIP customers", "VIP客户"), "kpis": ("KPIs", "KPIs"),
}

WORDS = {
    # report titles and section headings
    "team": ("Team", "团队"), "report": ("Monthly report", "月度报告"), "as_of": ("As of", "截至"),
    "month": ("Month", "月份"), "metric": ("Metric", "指标"), "current": ("This month", "本月"),
    "previous": ("Previous month", "上月"), "year_ago": ("Same month last year", "去年同月"),
    "change": ("Change vs previous", "环比变化"),
    "stage_table": ("Pipeline by stage (open at as-of) and funnel (deals created in the last 12 months)",
                    "各阶段商机（截至日仍在跟进）与漏斗（近12个月创建的商机）"),
    "win_rate_line": ("Win rate of deals closed in the last 12 months", "近12个月成交商机赢单率"),
    "by_rep": ("Conversion by rep", "各销售代表转化率"), "conversion": ("Funnel conversion", "漏斗转化率"),
    "rank_note": ("Ranked by amount won this month", "按本月赢单金额排名"),
    "by_owner": ("Won this month by rep", "本月赢单：按销售代表"),
    "by_product": ("Won this month by product", "本月赢单：按产品"),
    "by_industry": ("Won this month by industry", "本月赢单：按行业"),
    "by_region": ("Won this month by region", "本月赢单：按区域"),
    "trend": ("12-month trend", "近12个月趋势"),
    "overdue_list": ("Follow-ups overdue at as-of", "截至日逾期未跟进客户"), "grade_mix": ("Grade mix", "客户等级分布"),
    "touches": ("Touches per deal", "每单跟进次数"),
    "few_touches": ("Deals lost this month with too few touches", "本月跟进次数过少而丢单的商机"),
    "value_mix": ("Value-class mix of the open pipeline", "在跟进商机的价值类别分布"),
    "grid": ("Opening nine-grid of the open pipeline", "在跟进商机的开局九宫格"),
    "diagnosis": ("Diagnosis", "诊断"), "no_alert": ("No alert.", "无预警。"),
    "stale_list": ("Deals stale at as-of", "截至日停滞的商机"), "tier_mix": ("Customer pyramid", "客户金字塔"),
    "vip_list": ("VIP customers", "VIP客户"), "none": ("(none)", "（无）"), "page": ("Page", "第"),
    "lead_ground": ("Lead \\ territory", "态势 \\ 地盘"),
    "more": ("... and {:,} more rows, not listed", "……另有{:,}行未列出"),
}

COLUMNS = {
    "stage": ("Stage", "阶段"), "name": ("Name", "名称"), "probability": ("Probability", "成交概率"),
    "open_count": ("Open deals", "在跟进商机数"), "amount": ("Amount", "金额"),
    "weighted_amount": ("Weighted amount", "加权金额"), "reached": ("Reached", "到达数"),
    "conversion": ("Conversion to next", "转化率"), "rep": ("Rep", "销售代表"), "deals": ("Deals", "商机数"),
    "rank": ("Rank", "排名"), "won_count": ("Won", "赢单数"), "won_amount": ("Amount won", "赢单金额"),
    "share": ("Share", "占比"), "month": ("Month", "月份"), "new_count": ("New deals", "新增商机"),
    "customer_id": ("Customer ID", "客户编号"), "owner": ("Owner", "负责人"), "product": ("Product", "产品"),
    "industry": ("Industry", "行业"), "region": ("Region", "区域"), "grade": ("Grade", "等级"),
    "tier": ("Tier", "层级"), "last_contact": ("Last contact", "最近联系"), "next_due": ("Next due", "下次跟进"),
    "days_overdue": ("Days overdue", "逾期天数"), "customers": ("Customers", "客户数"), "overdue": ("Overdue", "逾期"),
    "group": ("Deals", "商机"), "avg_touches": ("Average touches", "平均跟进次数"),
    "fewer_than_min": ("Fewer than MinTouches", "少于最少跟进次数"), "opportunity_id": ("Opportunity ID", "商机编号"),
    "closed": ("Closed", "成交日期"), "touches": ("Touches", "跟进次数"), "value_class": ("Value class", "价值类别"),
    "days_in_stage": ("Days in stage", "阶段停留天数"), "rot_days": ("Rot days", "停滞天数"),
    "revenue_12m": ("Revenue 12M", "近12月收入"), "scope": ("scope", "scope"), "metric": ("metric", "metric"),
    "value": ("value", "value"),
}

METRICS = {
    "new_count": ("New deals", "新增商机数"), "new_amount": ("New deal amount", "新增商机金额"),
    "won_count": ("Deals won", "赢单数"), "won_amount": ("Amount won", "赢单金额"),
    "lost_count": ("Deals lost", "丢单数"), "lost_amount": ("Amount lost", "丢单金额"),
    "win_rate": ("Win rate", "赢单率"), "avg_cycle_days": ("Average sales cycle (days)", "平均销售周期（天）"),
    "open_count": ("Open pipeline deals", "在跟进商机数"), "open_amount": ("Open pipeline amount", "在跟进商机金额"),
    "weighted_amount": ("Weighted pipeline", "加权商机金额"), "activities": ("Activities", "跟进记录数"),
    "overdue_followups": ("Overdue follow-ups", "逾期跟进客户数"), "stale_count": ("Stale deals", "停滞商机数"),
    "conversion_1_2": ("Conversion stage 1 to 2", "阶段1→2转化率"),
    "conversion_2_3": ("Conversion stage 2 to 3", "阶段2→3转化率"),
    "conversion_3_4": ("Conversion stage 3 to 4", "阶段3→4转化率"),
    "conversion_4_5": ("Conversion stage 4 to 5", "阶段4→5转化率"),
}


def register(sheets: dict, metrics: dict, columns: dict, words: dict, *, columns_kept: bool = False) -> None:
    """A report section's labels joined to the shared tables the writer reads.

    columns_kept: a column already labelled keeps its wording (a section
    showing a column another table shows too).
    """
    SHEETS.update(sheets)
    METRICS.update(metrics)
    COLUMNS.update({k: v for k, v in columns.items() if k not in COLUMNS} if columns_kept else columns)
    WORDS.update(words)


def pick(table: dict, key: str, lang: str) -> str:
    return table[key][1 if lang == "zh" else 0]


REFUSALS = {
    "month_format": ("month {month!r}: expected YYYY-MM", "月份 {month!r}：应为 YYYY-MM"),
    "reversed": ("the range starts at {first}, after its end {last}: nothing written",
                 "起始月份 {first} 晚于结束月份 {last}：未生成报告"),
    "repeated": ("month {month} is asked for more than once: nothing written", "月份 {month} 重复：未生成报告"),
    "month_twice": ("--month is given more than once ({months}): give one --month, or --from and --to",
                    "--month 给了多次（{months}）：只给一个 --month，或用 --from 和 --to"),
    "one_month": ("--as-of needs a single month", "--as-of 只能配一个月份"),
    "no_dates": ("{path}: the workbook records no dates, so no month can be reported",
                 "{path}：工作簿中没有任何日期，无法生成月度报告"),
    "before_data": ("{path}: month {month} ends before the first date the workbook records ({first}): nothing written",
                    "{path}：月份 {month} 早于工作簿中最早的日期（{first}）：未生成报告"),
    "after_as_of": ("{path}: month {month} begins after the as-of date {as_of}: nothing written",
                    "{path}：月份 {month} 晚于截至日 {as_of}：未生成报告"),
    "unknown_rep": ("{path}: no customer, deal or activity is owned by {rep!r}; the reps are: {reps}",
                    "{path}：没有客户、商机或跟进记录属于 {rep!r}；销售代表有：{reps}"),
    "nothing": ("nothing to write: no team report and no rep", "没有要生成的报告"),
}


def refusal(key: str, lang: str, **values) -> str:
    """One line saying why a report is not written, in the workbook's language."""
    return pick(REFUSALS, key, lang).format(**values)


VALUE_CLASSES = {  # section 6: each class with what it means
    1: ("1 Big deal, big impact", "1 大单·影响大"), 2: ("2 Small deal, big impact", "2 小单·影响大"),
    3: ("3 Big deal, small impact", "3 大单·影响小"), 4: ("4 Small deal, small impact", "4 小单·影响小"),
}
WORDS.update({
    "letters": ("Nine-grid letters: position, type and play", "九宫格字母：位置、类型与打法"),
    "open_aged": ("Open, older than 30 days", "跟进中（创建超过30天）"),
})
COLUMNS.update({
    "letter": ("Letter", "字母"), "lead": ("Lead", "态势"), "territory": ("Territory", "地盘"),
    "opening_type": ("Type", "类型"), "play": ("Play", "打法"),
})
