"""The sales method's rules as Excel functions (xlwings "UDF Modules": `xl_crm.excel.udfs`).

A function that mirrors a derived column takes the cells that column reads,
in the same order (CRM_GRADE: need, expected close, next close), so on a
row of the workbook it gives the column's value.

Each function takes a single cell or a range per argument and gives back the
same shape (a dynamic array); a one-cell argument is broadcast over ranges,
the way Excel's own array arithmetic does. Cells arrive as xlwings hands
them over: dates as `datetime` (classic add-in) or Excel serial numbers
(xlwings Lite), blanks as None; ISO text dates ("2025-03-31") are read too.
English and Chinese spellings are both accepted.

Every result comes from `xl_crm.rules`: a cell whose input a rule cannot
read shows the rule's short message (for example "unknown need: 'Maybe'")
instead of raising, because a raised exception puts a traceback in the cell.

Thresholds are DOMAIN.md's defaults. The optional last argument `settings`
takes the workbook's Settings range (for example `Settings!A1:E30`): its
thresholds and stage table replace the defaults, its AsOf date is the
default `as_of`, and a Chinese Settings sheet (header 名称) gives Chinese
labels. `settings` may also be just "zh" or "en" to choose the labels.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import numpy as np
import pandas as pd
import xlwings as xw

from .. import rules
from ..model.cells import Invalid, as_date, as_number, is_blank, parse_iso_date
from ..model.settings import DEFAULT, Settings
from ..model.typed import per_row
from ..model.vocab import AGING, FOLLOWUP_STATUS, FORECAST, MAP_WARNINGS, TIER
from ..rules import forecast as rules_forecast
from ..rules import payments as rules_payments
from ..rules.political_map import map_summary
from ..sheets import settings_sheet

CATEGORY = "xl_crm"
SETTINGS_DOC = "Optional: the workbook's Settings range (thresholds, stages, AsOf, language), or \"zh\"/\"en\"."
AS_OF_DOC = "Optional evaluation date; default the Settings AsOf, else today."
FUNNEL_HEADERS = {
    "en": ("Stage", "Open count", "Amount", "Weighted amount", "Reached", "Conversion"),
    "zh": ("阶段", "跟进中数量", "金额", "加权金额", "到达数量", "转化率"),
}


class _Context:
    """Settings, language and default evaluation date of one call."""

    def __init__(self, settings: Settings, lang: str, as_of: date | None):
        self.settings, self.lang, self.default_as_of = settings, lang, as_of

    def as_of(self, value):
        """A blank as_of reads as the Settings AsOf, else today."""
        if is_blank(value):
            return self.default_as_of or date.today()
        return _date(value)


_CONTEXTS: dict = {}


def _context(settings) -> _Context:
    """Read the `settings` argument once per distinct range (recalculation repeats it per cell)."""
    rows = _grid(settings)
    key = tuple(map(tuple, rows)) if rows is not None else settings
    if key not in _CONTEXTS:
        if len(_CONTEXTS) > 32:
            _CONTEXTS.clear()
        _CONTEXTS[key] = _read_context(rows if rows is not None else settings)
    return _CONTEXTS[key]


def _grid(value):
    """A range as a list of rows, None for a single value."""
    if isinstance(value, (list, tuple)):
        return np.atleast_2d(np.array(value, dtype=object)).tolist()
    return None


def _read_context(settings) -> _Context:
    if isinstance(settings, list) and len(settings) == 1 and len(settings[0]) == 1:
        settings = settings[0][0]
    if is_blank(settings):
        return _Context(DEFAULT, "en", None)
    if isinstance(settings, str):
        return _Context(DEFAULT, "zh" if settings.strip().lower() == "zh" else "en", None)
    parsed, as_of = settings_sheet.parse(settings)
    zh = settings and settings[0] and settings[0][0] == settings_sheet.HEADERS["zh"][0]
    return _Context(parsed, "zh" if zh else "en", as_of)


def _date(value):
    """A cell read as a date: datetime, serial number or ISO text; raises Invalid."""
    if isinstance(value, str) and not is_blank(value):
        return parse_iso_date(value)
    return as_date(value)


def _excel(value):
    """A result as Excel should receive it: dates as datetime."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


def _strict(rule: Callable) -> Callable:
    """The rule without its blank-on-bad-input wrapper, so its message can reach the cell."""
    return getattr(rule, "__wrapped__", rule)


def _cellwise(fn: Callable, *args):
    """Apply fn(*cells) over scalars or ranges; the result has the ranges' shape.

    Equal cell tuples are evaluated once (typed.per_row: a 100,000-row
    column repeats itself a lot); an Invalid becomes its message in that cell.
    """
    try:
        arrays = np.broadcast_arrays(*(np.array(a, dtype=object) for a in args))
    except ValueError:
        return "ranges differ in size"
    shape = arrays[0].shape

    def cell(*cells):
        try:
            return _excel(fn(*cells))
        except Invalid as exc:
            return str(exc)

    if arrays[0].size == 1:  # one cell: Excel calls a filled-down formula once per row, keep it cheap
        result = cell(*(a.item() for a in arrays))
        return result if not shape else np.full(shape, result, dtype=object).tolist()
    return per_row(cell, *(a.ravel() for a in arrays)).reshape(shape).tolist()


def _flat(value) -> list:
    return np.array(value, dtype=object).ravel().tolist()


@xw.func(category=CATEGORY)
@xw.arg("need", ndim=2, doc="Need: Now / Future / None (现有需求 / 潜在需求 / 无需求); blank = Future.")
@xw.arg("expected_close", ndim=2, doc="Expected close date (date, serial number or YYYY-MM-DD).")
@xw.arg("next_close", ndim=2, doc="Optional: the Next Close column, used when the expected close is blank.")
@xw.arg("as_of", ndim=2, doc=AS_OF_DOC)
@xw.arg("settings", ndim=2, doc=SETTINGS_DOC)
def crm_grade(need, expected_close, next_close=None, as_of=None, settings=None):
    """Customer grade A-E from the need and how soon the customer will close."""
    ctx = _context(settings)
    grade = _strict(rules.grade)
    return _cellwise(lambda n, c, nc, a: grade(n, _date(c), ctx.as_of(a), _date(nc),
                                               settings=ctx.settings),
                     need, expected_close, next_close, as_of)


@xw.func(category=CATEGORY)
@xw.arg("grade", ndim=2, doc="Customer grade A-E.")
@xw.arg("tier", ndim=2, doc="Optional tier VIP / Key / Regular: caps the gap for important customers.")
@xw.arg("settings", ndim=2, doc=SETTINGS_DOC)
def crm_cadence(grade, tier=None, settings=None):
    """Days between follow-ups for a grade, capped by the customer's tier."""
    ctx = _context(settings)
    cadence = _strict(rules.cadence_days)
    return _cellwise(lambda g, t: cadence(g, t, settings=ctx.settings), grade, tier)


@xw.func(category=CATEGORY)
@xw.arg("last_contact", ndim=2, doc="Date of the last contact.")
@xw.arg("cadence_days", ndim=2, doc="Days between follow-ups (the Cadence column, or CRM_CADENCE).")
@xw.arg("next_action_date", ndim=2, doc="Optional planned date of the next action.")
@xw.arg("as_of", ndim=2, doc=AS_OF_DOC)
@xw.arg("settings", ndim=2, doc=SETTINGS_DOC)
def crm_next_due(last_contact, cadence_days, next_action_date=None, as_of=None, settings=None):
    """Next follow-up date: last contact + cadence, or the planned date if earlier."""
    ctx = _context(settings)
    due = _strict(rules.next_due)
    return _cellwise(lambda last, days, planned, a: due(_date(last), days, _date(planned),
                                                        ctx.as_of(a)),
                     last_contact, cadence_days, next_action_date, as_of)


@xw.func(category=CATEGORY)
@xw.arg("last_contact", ndim=2, doc="Date of the last contact.")
@xw.arg("next_action_date", ndim=2, doc="Planned date of the next action (may be blank).")
@xw.arg("next_due", ndim=2, doc="Next follow-up date (the Next Due column, or CRM_NEXT_DUE).")
@xw.arg("as_of", ndim=2, doc=AS_OF_DOC)
@xw.arg("settings", ndim=2, doc=SETTINGS_DOC)
def crm_followup_status(last_contact, next_action_date, next_due, as_of=None, settings=None):
    """Not contacted / Overdue / Due today / Upcoming."""
    ctx = _context(settings)
    status = _strict(rules.followup_status)
    return _cellwise(lambda last, planned, due, a: FOLLOWUP_STATUS.label(
        status(last, planned, _date(due), ctx.as_of(a)), ctx.lang),
        last_contact, next_action_date, next_due, as_of)


@xw.func(category=CATEGORY)
@xw.arg("stage", ndim=2, doc="Stage name (English or Chinese) or number 1-5.")
@xw.arg("status", ndim=2, doc="Status: Open / Won / Lost (跟进中 / 赢单 / 丢单).")
@xw.arg("settings", ndim=2, doc=SETTINGS_DOC)
def crm_probability(stage, status, settings=None):
    """Win probability: Won 100%, Lost 0%, Open the stage's probability."""
    ctx = _context(settings)
    probability = _strict(rules.probability)
    return _cellwise(lambda s, st: probability(s, st, settings=ctx.settings), stage, status)


@xw.func(category=CATEGORY)
@xw.arg("amount", ndim=2, doc="Deal amount; blank weighs 0.")
@xw.arg("probability", ndim=2, doc="Win probability (the Probability column, or CRM_PROBABILITY).")
def crm_weighted(amount, probability):
    """Weighted amount: amount x win probability."""
    return _cellwise(_strict(rules.weighted_amount), amount, probability)


@xw.func(category=CATEGORY)
@xw.arg("territory", ndim=2, doc="Whose ground: Ours / Neutral / Theirs (我方地盘 / 中立地盘 / 敌方地盘).")
@xw.arg("lead", ndim=2, doc="Who leads: Ahead / Even / Behind (我方领先 / 敌我相当 / 我方落后).")
def crm_opening(territory, lead):
    """Opening position A-I on the nine-grid."""
    return _cellwise(_strict(rules.opening), territory, lead)


@xw.func(category=CATEGORY)
@xw.arg("letter", ndim=2, doc="Opening position A-I.")
@xw.arg("settings", ndim=2, doc=SETTINGS_DOC)
def crm_opening_play(letter, settings=None):
    """The play for an opening position, in short."""
    ctx = _context(settings)
    play = _strict(rules.opening_play)
    return _cellwise(lambda x: play(x, ctx.lang), letter)


@xw.func(category=CATEGORY)
@xw.arg("short_term_score", ndim=2, doc="Short-term value score 0-10.")
@xw.arg("long_term_score", ndim=2, doc="Long-term value score 0-10.")
@xw.arg("settings", ndim=2, doc=SETTINGS_DOC)
def crm_value_class(short_term_score, long_term_score, settings=None):
    """Value class 1-4 from short- and long-term scores (high from ValueHigh)."""
    ctx = _context(settings)
    value_class = _strict(rules.value_class)
    return _cellwise(lambda short, long_: value_class(short, long_, settings=ctx.settings),
                     short_term_score, long_term_score)


@xw.func(category=CATEGORY)
@xw.arg("need", ndim=2, doc="Has a need: yes/no (Y, 是, 有 ...).")
@xw.arg("budget", ndim=2, doc="Has a budget: yes/no.")
@xw.arg("authority", ndim=2, doc="Reaches the decision maker: yes/no.")
@xw.arg("timeline", ndim=2, doc="Has a timeline: yes/no.")
def crm_bant(need, budget, authority, timeline):
    """BANT score 0-4: how many of need, budget, authority and timeline are yes."""
    return _cellwise(_strict(rules.yes_count), need, budget, authority, timeline)


@xw.func(category=CATEGORY)
@xw.arg("revenues", ndim=2, doc="The 12-month revenue of every customer (a column).")
@xw.arg("settings", ndim=2, doc=SETTINGS_DOC)
def crm_tier(revenues, settings=None):
    """Customer tier VIP / Key / Regular for each revenue, ranked within the range (80/20)."""
    ctx = _context(settings)
    amounts = _cellwise(as_number, revenues)
    cells = _flat(amounts)
    numbers = pd.Series({i: v for i, v in enumerate(cells) if isinstance(v, float)}, dtype=float)
    tiers = rules.tiers(numbers, ctx.settings) if len(numbers) else pd.Series(dtype=object)
    labels = {i: TIER.label(t, ctx.lang) for i, t in tiers.items()}
    out = [labels.get(i, v) for i, v in enumerate(cells)]  # blanks stay blank, messages stay
    return _reshape(out, amounts)


def _reshape(cells: list, like):
    """cells laid out in the shape of `like` (a scalar, list or list of lists)."""
    if not isinstance(like, list):
        return cells[0]
    return np.array(cells, dtype=object).reshape(np.array(like, dtype=object).shape).tolist()


@xw.func(category=CATEGORY)
@xw.arg("stages", ndim=2, doc="The deals' stages (a column).")
@xw.arg("statuses", ndim=2, doc="The deals' statuses, same size.")
@xw.arg("amounts", ndim=2, doc="Optional: the deals' amounts, same size.")
@xw.arg("settings", ndim=2, doc=SETTINGS_DOC)
def crm_funnel(stages, statuses, amounts=None, settings=None):
    """Funnel table: per stage open count, amount, weighted amount, deals reached, conversion."""
    ctx = _context(settings)
    stage, status = _flat(stages), _flat(statuses)
    money = None if is_blank(amounts) else _flat(amounts)
    if len(stage) != len(status) or (money is not None and len(money) != len(stage)):
        return "ranges differ in size"
    table = rules.funnel(pd.Series(stage, dtype=object), pd.Series(status, dtype=object),
                         None if money is None else pd.Series(money, dtype=object), ctx.settings)
    rows = [list(FUNNEL_HEADERS[ctx.lang])]
    for rec in table.to_dict("records"):
        conversion = None if pd.isna(rec["conversion"]) else float(rec["conversion"])
        rows.append([ctx.settings.stage(rec["stage"]).label(ctx.lang), rec["open_count"], rec["amount"],
                     rec["weighted_amount"], rec["reached"], conversion])
    return rows


@xw.func(category=CATEGORY)
@xw.arg("forecast_category", ndim=2, doc="The rep's category: Commit / Best case / Pipeline / Omitted (may be blank).")
@xw.arg("status", ndim=2, doc="Status: Open / Won / Lost (跟进中 / 赢单 / 丢单).")
@xw.arg("stage", ndim=2, doc="Stage name (English or Chinese) or number.")
@xw.arg("settings", ndim=2, doc=SETTINGS_DOC)
def crm_forecast(forecast_category, status, stage, settings=None):
    """Forecast: the rep's category, else Closed (Won), Omitted (Lost) or by stage (CommitStage, BestCaseStage)."""
    ctx = _context(settings)
    forecast = _strict(rules_forecast.forecast)
    return _cellwise(lambda c, st, s: FORECAST.label(forecast(c, st, s, settings=ctx.settings), ctx.lang),
                     forecast_category, status, stage)


@xw.func(category=CATEGORY)
@xw.arg("amount_due", ndim=2, doc="Amount due on the payment.")
@xw.arg("amount_received", ndim=2, doc="Amount received so far (blank = 0).")
def crm_outstanding(amount_due, amount_received=None):
    """Outstanding: amount due less amount received, never below 0."""
    return _cellwise(_strict(rules_payments.outstanding), amount_due, amount_received)


@xw.func(category=CATEGORY)
@xw.arg("outstanding", ndim=2, doc="Outstanding amount (the Outstanding column, or CRM_OUTSTANDING).")
@xw.arg("due_date", ndim=2, doc="Due date of the payment.")
@xw.arg("as_of", ndim=2, doc=AS_OF_DOC)
@xw.arg("settings", ndim=2, doc=SETTINGS_DOC)
def crm_days_late(outstanding, due_date, as_of=None, settings=None):
    """Days past the due date while money is outstanding; 0 when paid or not yet due."""
    ctx = _context(settings)
    late = _strict(rules_payments.days_late)
    return _cellwise(lambda left, due, a: late(left, _date(due), ctx.as_of(a)), outstanding, due_date, as_of)


@xw.func(category=CATEGORY)
@xw.arg("days_late", ndim=2, doc="Days late (the Days Late column, or CRM_DAYS_LATE).")
@xw.arg("settings", ndim=2, doc=SETTINGS_DOC)
def crm_aging(days_late, settings=None):
    """Aging bucket: Current / 1-30 / 31-90 / >90 (AgingDays1, AgingDays2)."""
    ctx = _context(settings)
    aging = _strict(rules_payments.aging)
    return _cellwise(lambda d: AGING.label(aging(d, settings=ctx.settings), ctx.lang), days_late)


@xw.func(category=CATEGORY)
@xw.arg("roles", ndim=2, doc="The role of each person on the deal's map: A / D / E / C / U (批准人, 决策人 ...).")
@xw.arg("attitudes", ndim=2, doc="Each person's attitude: * / + / = / - / X (力挺, 支持 ...), same size.")
@xw.arg("levels", ndim=2, doc="Each person's level: Operational / Management / Executive, same size.")
@xw.arg("coaches", ndim=2, doc="Whether each person is a coach (内线): yes / no, same size.")
@xw.arg("departments", ndim=2, doc="Each person's department, same size.")
@xw.arg("stage", ndim=2, doc="Optional: the deal's stage; below MapFromStage there is no warning.")
@xw.arg("settings", ndim=2, doc=SETTINGS_DOC)
def crm_map_warnings(roles, attitudes, levels, coaches, departments, stage=None, settings=None):
    """The political map's warnings for one deal's people, joined by "; " (blank when none)."""
    ctx = _context(settings)
    columns = [_flat(v) for v in (roles, attitudes, levels, coaches, departments)]
    if len({len(c) for c in columns}) != 1:
        return "ranges differ in size"
    people = [row for row in zip(*columns) if not all(is_blank(v) for v in row)]
    stage = _flat(stage)[0] if isinstance(stage, list) else stage
    summary = map_summary(*([row[i] for row in people] for i in range(5)), stage=None if is_blank(stage) else stage,
                          settings=ctx.settings)
    return MAP_WARNINGS.label(summary["map_warnings"], ctx.lang)


@xw.func(category=CATEGORY)
@xw.arg("territory", ndim=2, doc="Whose ground: Ours / Neutral / Theirs (我方地盘 / 中立地盘 / 敌方地盘).")
@xw.arg("lead", ndim=2, doc="Who leads: Ahead / Even / Behind (我方领先 / 敌我相当 / 我方落后).")
@xw.arg("settings", ndim=2, doc=SETTINGS_DOC)
def crm_play(territory, lead, settings=None):
    """The nine-grid play of a deal from its territory and lead (the opening letter's play)."""
    ctx = _context(settings)
    letter, play = _strict(rules.opening), _strict(rules.opening_play)
    return _cellwise(lambda t, le: play(letter(t, le), ctx.lang), territory, lead)


FUNCTIONS = (crm_grade, crm_cadence, crm_next_due, crm_followup_status, crm_probability, crm_weighted,
             crm_opening, crm_opening_play, crm_value_class, crm_bant, crm_tier, crm_funnel, crm_forecast,
             crm_outstanding, crm_days_late, crm_aging, crm_map_warnings,
             crm_play)
