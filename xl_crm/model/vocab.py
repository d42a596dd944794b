"""Enumerated values: one canonical English label, a Chinese label, accepted spellings.

Input in either language (any case, extra spaces folded) reads as the
canonical label; output uses the workbook's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .cells import Invalid, cell_text, is_blank


@dataclass(frozen=True)
class Vocab:
    """One enumeration: (canonical, Chinese, *other accepted spellings) per value."""

    name: str
    entries: tuple[tuple[str, ...], ...]
    _lookup: dict[str, str] = field(init=False, repr=False, compare=False)
    _exact: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        lookup = {}
        for entry in self.entries:
            for spelling in entry:
                lookup[spelling.casefold()] = entry[0]
        object.__setattr__(self, "_lookup", lookup)
        # spellings exactly as listed: what most cells hold, found without folding anything
        exact = {spelling: lookup[spelling.casefold()] for entry in self.entries for spelling in entry}
        object.__setattr__(self, "_exact", exact)

    @property
    def values(self) -> list[str]:
        return [entry[0] for entry in self.entries]

    def spellings(self, value: str) -> tuple[str, ...]:
        """Every accepted spelling of one canonical value."""
        return next(entry for entry in self.entries if entry[0] == value)

    def parse(self, value) -> str | None:
        """Canonical label, None for blank; raises Invalid for an unknown value."""
        if type(value) is str and value in self._exact:
            return self._exact[value]
        if is_blank(value):
            return None
        try:
            return self._lookup[cell_text(value).casefold()]
        except KeyError:
            raise Invalid(f"unknown {self.name}: {value!r}") from None

    def label(self, value: str | None, lang: str = "en") -> str | None:
        """The output label of a canonical value in a language."""
        if value is None:
            return None
        return self.spellings(value)[1 if lang == "zh" else 0]

    def labels(self, lang: str = "en") -> list[str]:
        return [self.label(v, lang) for v in self.values]


NEED = Vocab("need", (("Now", "现有需求", "目标客户"), ("Future", "潜在需求", "潜在客户"),
                      ("None", "无需求", "死亡客户")))
# other CRMs' words too: Salesforce's and HubSpot's closed stages, Pipedrive's statuses, what reps write
STATUS = Vocab("status", (("Open", "跟进中", "进行中", "In progress"),
                          ("Won", "赢单", "Closed Won", "closedwon", "已赢单", "已成交"),
                          ("Lost", "丢单", "Closed Lost", "closedlost", "输单", "已丢单")))
# the stages of the common CRMs' default pipelines, by their place in the default five-stage table
STAGE_ALIASES = (
    (1, "Prospecting", "Qualification", "Lead In", "Qualified", "appointmentscheduled", "Appointment Scheduled",
     "初步接洽", "初步沟通", "线索"),
    (2, "Engaging", "Needs Analysis", "Value Proposition", "Id. Decision Makers", "Perception Analysis",
     "qualifiedtobuy", "Qualified To Buy", "Contact Made", "Needs Defined", "Demo Scheduled", "需求确认", "需求分析"),
    (3, "Proposal/Price Quote", "Proposal", "presentationscheduled", "Presentation Scheduled", "Proposal Made",
     "方案报价", "报价", "方案阶段"),
    (4, "Negotiation/Review", "Negotiation", "decisionmakerboughtin", "Decision Maker Bought-In",
     "Negotiations Started", "商务洽谈", "谈判", "合同谈判"),
    (5, "contractsent", "Contract Sent", "销售成交", "签约", "合同签订"),
)
TERRITORY = Vocab("territory", (("Ours", "我方地盘"), ("Neutral", "中立地盘"), ("Theirs", "敌方地盘")))
LEAD = Vocab("lead", (("Ahead", "我方领先"), ("Even", "敌我相当"), ("Behind", "我方落后")))
TIER = Vocab("tier", (("VIP", "VIP客户"), ("Key", "重点客户"), ("Regular", "普通客户")))
GRADE = Vocab("grade", tuple((g, g) for g in "ABCDE"))
FOLLOWUP_STATUS = Vocab(
    "followup_status",
    (("Not contacted", "未联系"), ("Overdue", "逾期"), ("Due today", "今日跟进"), ("Upcoming", "待跟进")),
)
URGENCY = Vocab("urgency", (("Urgent", "紧急"), ("Soon", "缓急"), ("Later", "不紧急"), ("Slow", "可慢反应")))
POOL_STATUS = Vocab("pool_status", (("Pool", "公海"), ("Release", "待回收"), ("Owned", "保护中")))  # section 16
APPROVAL = Vocab("approval_level", (("Director", "总监"), ("VP", "副总裁"), ("President", "总裁")))
# forecast categories (section 13): what a rep says of a deal, and what the forecast column shows
FORECAST_CATEGORY = Vocab("forecast_category", (("Commit", "承诺", "Committed", "确定"),
                                                ("Best case", "乐观", "Best Case", "BestCase", "Upside"),
                                                ("Pipeline", "储备", "管道"), ("Omitted", "排除", "Omit", "Excluded")))
FORECAST = Vocab("forecast", (*FORECAST_CATEGORY.entries, ("Closed", "已成交")))
AGING = Vocab("aging", (("Current", "未到期"), ("1-30", "1-30天"), ("31-90", "31-90天"), (">90", "90天以上")))
OPENING_TYPE = Vocab("opening_type", (("Normal", "正常"), ("Problem", "问题"), ("Abnormal", "不正常")))
OPENING = Vocab("opening", tuple((g, g) for g in "ABCDEFGHI"))
YES_NO = Vocab(
    "yes/no",
    (("Yes", "是", "Y", "TRUE", "1", "有"), ("No", "否", "N", "FALSE", "0", "无")),
)
ROLE = Vocab(
    "role",
    (
        ("Approver", "批准人", "A"),
        ("Decision maker", "决策人", "D"),
        ("Evaluator", "评估人", "E"),
        ("Consultant", "建议人", "C"),
        ("User", "用户", "U"),
    ),
)
ATTITUDE = Vocab(
    "attitude",
    (
        ("Champion", "力挺", "*"),
        ("Supporter", "支持", "+"),
        ("Neutral", "中立", "="),
        ("Not supporting", "不支持", "-"),
        ("Hostile", "敌对", "X"),
    ),
)
BUYING_FOCUS = Vocab(
    "buying_focus",
    (
        ("Value", "价值", "V"),
        ("Relationship", "关系", "R"),
        ("Commercial", "商务", "$"),
        ("Process", "流程", "P"),
        ("Technical", "技术", "T"),
    ),
)
TIME_SPENT = Vocab(
    "time_spent",
    (("None", "无", "0", "未会面", "没有会晤"), ("Introduction", "引见", "1", "简介"),
     ("One-on-one", "单独会面", "2", "一对一"), ("Quality time", "深度交流", "3", "高质量时间")),
)
LEVEL = Vocab("level", (("Operational", "操作层"), ("Management", "管理层"), ("Executive", "决策层")))
FUNCTION = Vocab("function", (("User dept", "使用部门"), ("Technical", "技术部门"), ("Procurement", "采购部门"),
                              ("Finance", "财务部门")))
RELATIONSHIP_STAGE = Vocab(
    "relationship_stage", (("Acquainted", "认识"), ("Engaged", "约会"), ("Trusted", "信赖"), ("Ally", "同盟"))
)
COMM_STYLE = Vocab(
    "comm_style", (("Analytical", "分析型"), ("Driver", "进取型"), ("Expressive", "表现型"), ("Amiable", "亲切型"))
)
CATEGORY = Vocab(
    "category",
    (
        ("Executive", "高层"),
        ("Difficult", "难点"),
        ("Rising star", "明日之星"),
        ("Retired", "退休"),
        ("New field", "新领域"),
        ("Mobile", "流动"),
    ),
)
ACTIVITY_TYPE = Vocab(
    "activity type",
    (
        ("Call", "电话"),
        ("Visit", "拜访"),
        ("Email", "邮件"),
        ("Meeting", "会议"),
        ("Demo", "演示"),
        ("Message", "微信", "消息"),
        ("Other", "其他"),
        ("Greeting", "问候"),
    ),
)
REASON = Vocab("reason", (("Relationship", "关系"), ("Solution", "方案"), ("Delivery", "交付"), ("Commercial", "商务"),
                          ("Price", "价格"), ("Other", "其他")))
class VocabList(Vocab):
    """Several values of one enumeration in one cell, joined by "; " (map_warnings)."""

    def parse(self, value) -> str | None:
        if is_blank(value):
            return None
        parts = [p for p in cell_text(value).replace("；", ";").split(";") if p.strip()]
        return "; ".join(Vocab.parse(self, p) for p in parts) or None

    def label(self, value: str | None, lang: str = "en") -> str | None:
        if value is None:
            return None
        return "; ".join(Vocab.label(self, v, lang) for v in value.split("; "))


# section 10, in the order a deal's warnings are listed
MAP_WARNINGS = VocabList("map warning", (
    ("No decision maker", "无决策人"),
    ("No approver", "无批准人"),
    ("Decision maker not with us", "决策人未支持"),
    ("No executive contact", "未接触高层"),
    ("Too few coaches", "内线不足"),
    ("One department only", "关系单一"),
))
class Reworded(Vocab):
    """An enumeration a manager may reword on Settings (the plays): a wording it lacks is kept as written."""

    def parse(self, value) -> str | None:
        try:
            return Vocab.parse(self, value)
        except Invalid:
            return cell_text(value)

    def label(self, value: str | None, lang: str = "en") -> str | None:
        return Vocab.label(self, value, lang) if value in self.values else value


# the nine-grid's plays (section 7), in letter order A-I: what the rep does from each opening
PLAY = Reworded("play", (
    ("Fix the old problem, ask insiders to delay the decision, bring in senior relationships.",
     "解决遗留问题，请内线推迟决策，动用高层关系。"),
    ("Reshape the need and the buying criteria.", "重塑需求和采购标准。"),
    ("Slow the purchase down and wait for an opening, or accept a supporting role.",
     "放慢采购节奏、等待机会，或接受配角。"),
    ("Ask insiders why the customer hesitates, and fix it.", "请内线了解客户犹豫的原因并解决。"),
    ("Move first and set the buying criteria.", "抢先行动，主导采购标准。"),
    ("Find what worries the customer about the incumbent and press there.",
     "找出客户对现有供应商的顾虑，重点突破。"),
    ("Speed the purchase up.", "加快采购进程。"),
    ("Widen the lead: deepen the needs, reach more contacts.", "扩大领先：挖掘需求，接触更多人。"),
    ("Expose the rival's weak points, widen relationships, speed up.", "揭示对手弱点，拓宽关系，加快进程。"),
))

_STAGE_ALIASES = {spelling.casefold(): number for number, *spellings in STAGE_ALIASES for spelling in spellings}


def stage_alias(value) -> int | None:
    """The default stage number another CRM's stage name stands for (`Prospecting` -> 1), None when none."""
    return None if is_blank(value) else _STAGE_ALIASES.get(cell_text(value).casefold())


def closed_status(value) -> str | None:
    """`Won` or `Lost` when a stage cell says the deal is closed (`Closed Won`, `赢单`, `closedlost`), else None."""
    try:
        status = STATUS.parse(value)
    except Invalid:
        return None
    return status if status in ("Won", "Lost") else None
