"""The standard workbook's sheets and columns: keys, headers in both languages, types.

A column's canonical key is what the code uses; its English header
normalises back to the key (`Customer ID` -> `customer_id`), its Chinese
header is looked up. `kind` says how a cell is read and checked; `role`
says who fills it: the user (input), a native row formula (derived), or
refresh (synced). last_contact is both: the user types it and refresh
moves it forward (`refreshed`).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import vocab
from .cells import is_blank
from .text import Text
from .vocab import Vocab

INPUT, DERIVED, SYNCED = "input", "derived", "synced"


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    kind: str = "text"  # text | id | date | number | money | int | score | percent | bool | enum | stage
    required: bool = False
    vocab: Vocab | None = None
    role: str = INPUT
    width: float = 14
    refreshed: bool = False  # an input that refresh also writes (last_contact)

    @property
    def en(self) -> str:
        return english_header(self.key)

    def header(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en

    def cell(self, value, lang: str = "en"):
        """A computed value as its cell holds it: None for a blank, an enumeration's label in the workbook's language.

        Every writer (new workbooks, refresh, upgrade, import) goes through it.
        """
        if is_blank(value):
            return None
        if self.vocab is not None and isinstance(value, str):
            return self.vocab.label(self.vocab.parse(value), lang)
        return value


@dataclass(frozen=True)
class Sheet:
    key: str
    en: str
    zh: str
    columns: tuple[Column, ...]
    id_column: str | None = None

    def name(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def role(self, role: str) -> list[Column]:
        return [c for c in self.columns if c.role == role]

    @property
    def refreshed(self) -> list[str]:
        """The keys refresh writes as values: the synced columns and the inputs it moves forward."""
        return [c.key for c in self.columns if c.role == SYNCED or c.refreshed]


_ACRONYMS = {"id": "ID", "bant": "BANT", "tas": "TAS", "vip": "VIP", "12m": "12M"}


def english_header(key: str) -> str:
    """`customer_id` -> `Customer ID`; normalise_header() turns it back."""
    return " ".join(_ACRONYMS.get(w, w.capitalize()) for w in key.split("_"))


def normalise_header(text) -> str:
    """Lower-case and join words with `_`: `Days Overdue` -> `days_overdue`."""
    return "_".join(str(text).strip().lower().split())


C = Column
CUSTOMERS = Sheet(
    "customers", "Customers", "客户",
    (
        C("customer_id", "客户编号", "id", True, width=12),
        C("name", "客户名称", required=True, width=26),
        C("owner", "负责人"),
        C("industry", "行业"),
        C("region", "区域"),
        C("need", "需求", "enum", vocab=vocab.NEED, width=10),
        C("expected_close", "预计成交日期", "date"),
        C("last_contact", "最近联系日期", "date", refreshed=True),
        C("next_action_date", "下次行动日期", "date"),
        C("territory", "地盘", "enum", vocab=vocab.TERRITORY, width=11),
        C("relationship_stage", "关系阶段", "enum", vocab=vocab.RELATIONSHIP_STAGE),
        C("assigned_date", "分配日期", "date"),
        C("next_close", "最近成交日期", "date", role=SYNCED),
        C("touch_count", "跟进次数", "int", role=SYNCED, width=11),
        C("revenue_12m", "近12月收入", "money", role=SYNCED),
        C("tier", "客户层级", "enum", vocab=vocab.TIER, role=SYNCED, width=10),
        C("receivable", "应收余额", "money", role=SYNCED),
        C("overdue_receivable", "逾期应收", "money", role=SYNCED),
        C("open_deals", "进行中商机数", "int", role=SYNCED, width=11),
        C("grade", "客户等级", "enum", vocab=vocab.GRADE, role=DERIVED, width=8),
        C("cadence_days", "跟进周期天数", "int", role=DERIVED, width=13),
        C("next_due", "下次跟进日期", "date", role=DERIVED),
        C("days_overdue", "逾期天数", "int", role=DERIVED, width=13),
        C("followup_status", "跟进状态", "enum", vocab=vocab.FOLLOWUP_STATUS, role=DERIVED, width=16),
        C("urgency", "紧急程度", "enum", vocab=vocab.URGENCY, role=DERIVED, width=10),
        C("pool_status", "公海状态", "enum", vocab=vocab.POOL_STATUS, role=DERIVED, width=11),
    ),
    id_column="customer_id",
)

OPPORTUNITIES = Sheet(
    "opportunities", "Opportunities", "商机",
    (
        C("opportunity_id", "商机编号", "id", True, width=12),
        C("customer_id", "客户编号", "id", True, width=12),
        C("name", "商机名称", width=26),
        C("owner", "负责人"),
        C("product", "产品"),
        C("stage", "阶段", "stage", True, width=12),
        C("status", "状态", "enum", True, vocab=vocab.STATUS, width=10),
        C("amount", "金额", "money"),
        C("created", "创建日期", "date"),
        C("expected_close", "预计成交日期", "date"),
        C("closed_date", "成交日期", "date"),
        C("stage_since", "进入阶段日期", "date"),
        C("need", "有需求", "bool", vocab=vocab.YES_NO, width=8),
        C("budget", "有预算", "bool", vocab=vocab.YES_NO, width=8),
        C("authority", "有决策权", "bool", vocab=vocab.YES_NO, width=8),
        C("timeline", "有时间计划", "bool", vocab=vocab.YES_NO, width=8),
        C("tas_opportunity", "有真实商机", "bool", vocab=vocab.YES_NO, width=8),
        C("tas_solution", "方案有竞争力", "bool", vocab=vocab.YES_NO, width=8),
        C("tas_win", "能赢", "bool", vocab=vocab.YES_NO, width=8),
        C("tas_worth", "值得赢", "bool", vocab=vocab.YES_NO, width=8),
        C("short_term_score", "短期价值", "score", width=10),
        C("long_term_score", "长期价值", "score", width=10),
        C("territory", "地盘", "enum", vocab=vocab.TERRITORY, width=11),
        C("lead", "竞争态势", "enum", vocab=vocab.LEAD, width=11),
        C("competitor", "主要对手", width=16),
        C("reason", "赢丢原因", "enum", vocab=vocab.REASON, width=11),
        C("forecast_category", "预测类别", "enum", vocab=vocab.FORECAST_CATEGORY, width=12),
        C("touch_count", "跟进次数", "int", role=SYNCED, width=11),
        C("map_contacts", "地图人数", "int", role=SYNCED, width=10),
        C("executives", "高层人数", "int", role=SYNCED, width=10),
        C("coaches", "内线人数", "int", role=SYNCED, width=10),
        C("departments", "部门数", "int", role=SYNCED, width=10),
        C("support", "支持度", "int", role=SYNCED, width=9),
        C("map_warnings", "地图预警", "enum", vocab=vocab.MAP_WARNINGS, role=SYNCED, width=30),
        C("collected", "已回款", "money", role=SYNCED),
        C("push_count", "推迟次数", "int", role=SYNCED, width=11),
        C("probability", "成交概率", "percent", role=DERIVED, width=11),
        C("weighted_amount", "加权金额", "money", role=DERIVED),
        C("days_in_stage", "阶段停留天数", "int", role=DERIVED, width=12),
        C("stale", "停滞", "bool", role=DERIVED, width=8),
        C("slipped", "逾期未结", "bool", role=DERIVED, width=9),
        C("bant_score", "BANT得分", "int", role=DERIVED, width=10),
        C("qualified", "合格商机", "bool", role=DERIVED, width=10),
        C("tas_score", "评估得分", "int", role=DERIVED, width=10),
        C("pursue", "值得跟进", "bool", role=DERIVED, width=9),
        C("value_class", "价值类别", "int", role=DERIVED, width=10),
        C("opening", "开局位置", "enum", vocab=vocab.OPENING, role=DERIVED, width=10),
        C("opening_type", "开局类型", "enum", vocab=vocab.OPENING_TYPE, role=DERIVED, width=12),
        C("approval_level", "审批级别", "enum", vocab=vocab.APPROVAL, role=DERIVED, width=12),
        C("play", "开局打法", "text", vocab=vocab.PLAY, role=DERIVED, width=40),
        C("forecast", "预测", "enum", vocab=vocab.FORECAST, role=DERIVED, width=11),
    ),
    id_column="opportunity_id",
)

CONTACTS = Sheet(
    "contacts", "Contacts", "联系人",
    (
        C("contact_id", "联系人编号", "id", True, width=12),
        C("customer_id", "客户编号", "id", True, width=12),
        C("name", "姓名", required=True),
        C("title", "职务"),
        C("department", "部门"),
        C("level", "层级", "enum", vocab=vocab.LEVEL),
        C("function", "职能", "enum", vocab=vocab.FUNCTION),
        C("role", "角色", "enum", vocab=vocab.ROLE),
        C("attitude", "态度", "enum", vocab=vocab.ATTITUDE),
        C("buying_focus", "采购关注点", "enum", vocab=vocab.BUYING_FOCUS),
        C("time_spent", "交往深度", "enum", vocab=vocab.TIME_SPENT),
        C("relationship_stage", "关系阶段", "enum", vocab=vocab.RELATIONSHIP_STAGE),
        C("comm_style", "沟通风格", "enum", vocab=vocab.COMM_STYLE),
        C("category", "类别", "enum", vocab=vocab.CATEGORY),
        C("is_coach", "内线", "bool", vocab=vocab.YES_NO, width=8),
        C("birthday", "生日", "birthday"),  # a date, or month and day as MM-DD
        C("phone", "电话", width=16),
    ),
    id_column="contact_id",
)

ACTIVITIES = Sheet(
    "activities", "Activities", "跟进记录",
    (
        C("date", "日期", "date", True),
        C("customer_id", "客户编号", "id", True, width=12),
        C("opportunity_id", "商机编号", "id", width=12),
        C("contact_id", "联系人编号", "id", width=12),
        C("owner", "负责人"),
        C("type", "方式", "enum", vocab=vocab.ACTIVITY_TYPE, width=10),
        C("summary", "内容摘要", width=40),
        C("next_step", "下一步", width=30),
        C("next_date", "下次日期", "date"),
    ),
)

# Written only by xl_crm, only appended to (compute.history): one row per change of a tracked deal field
HISTORY = Sheet(
    "history", "History", "变更记录",
    (
        C("date", "日期", "date", True),
        C("opportunity_id", "商机编号", "id", True, width=12),
        C("field", "字段", required=True, width=16),
        C("old", "原值", width=16),
        C("new", "新值", width=16),
    ),
)

# what each rep (or the team: blank owner, Team, 团队) is to win in a month (section 13)
TARGETS = Sheet(
    "targets", "Targets", "指标",
    (
        C("owner", "负责人"),
        C("month", "月份", required=True, width=10),  # a date in the month or YYYY-MM: rules.forecast.month_of
        C("target", "指标金额", "money", True),
    ),
)

# the payment plan of won deals (section 15): one row per milestone
PAYMENTS = Sheet(
    "payments", "Payments", "回款计划",
    (
        C("payment_id", "回款编号", "id", True, width=12),
        C("opportunity_id", "商机编号", "id", True, width=12),
        C("customer_id", "客户编号", "id", width=12),
        C("milestone", "回款节点", width=12),
        C("due_date", "应收日期", "date", True),
        C("amount_due", "应收金额", "money", True),
        C("received_date", "到账日期", "date"),
        C("amount_received", "到账金额", "money"),
        C("invoice_date", "开票日期", "date"),
        C("outstanding", "未收金额", "money", role=DERIVED),
        C("days_late", "逾期天数", "int", role=DERIVED, width=10),
        C("aging", "账龄", "enum", vocab=vocab.AGING, role=DERIVED, width=10),
    ),
    id_column="payment_id",
)

DEAL_CONTACTS = Sheet(
    "deal_contacts", "DealContacts", "商机联系人",
    (
        C("opportunity_id", "商机编号", "id", True, width=12),
        C("contact_id", "联系人编号", "id", True, width=12),
        C("role", "角色", "enum", vocab=vocab.ROLE),
        C("attitude", "态度", "enum", vocab=vocab.ATTITUDE),
        C("buying_focus", "采购关注点", "enum", vocab=vocab.BUYING_FOCUS),
        C("time_spent", "交往深度", "enum", vocab=vocab.TIME_SPENT),
        C("is_coach", "内线", "bool", vocab=vocab.YES_NO, width=8),
        C("note", "备注", width=30),
    ),
)

COMPETITORS = Sheet(
    "competitors", "Competitors", "竞争对手",
    (
        C("customer_id", "客户编号", "id", True, width=12),
        C("competitor", "竞争对手", required=True, width=18),
        C("opportunity_id", "商机编号", "id", width=12),
        C("products", "产品"),
        C("share", "份额", "percent", width=9),
        C("satisfaction", "满意度", "score", width=9),
        C("their_contact", "对方联系人"),
        C("supporters", "支持者"),
        C("last_move", "最近动向", width=30),
        C("last_move_date", "动向日期", "date"),
        C("note", "备注", width=30),
    ),
)
# the big-account method's sheets (sections 10 and 14)
BIG_ACCOUNT_SHEETS = (DEAL_CONTACTS, COMPETITORS)

DATA_SHEETS = (CUSTOMERS, OPPORTUNITIES, CONTACTS, ACTIVITIES, TARGETS, PAYMENTS, HISTORY, *BIG_ACCOUNT_SHEETS)
SETTINGS_NAME = Text("Settings", "参数")
FUNNEL_NAME = Text("Funnel", "销售漏斗")
TODAY_NAME = Text("Today", "今日跟进")
TABLE_NAMES = {"customers": "Customers", "opportunities": "Opportunities", "contacts": "Contacts",
               "activities": "Activities", "targets": "Targets", "payments": "Payments", "history": "History",
               "deal_contacts": "DealContacts", "competitors": "Competitors"}


def sheet(key: str) -> Sheet:
    return next(s for s in DATA_SHEETS if s.key == key)


def column_key(sheet_: Sheet, header) -> str | None:
    """The canonical key a header names in this sheet (English, canonical or Chinese), if any."""
    norm = normalise_header(header)
    for column in sheet_.columns:
        if norm == column.key or str(header).strip() == column.zh:
            return column.key
    return None
