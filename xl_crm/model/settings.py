"""The thresholds of the sales method and the stage table, with DOMAIN defaults.

Each threshold lives in one cell of the workbook's Settings sheet under a
defined name, so a manager changes it once and every formula follows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from .cells import Invalid, as_number, cell_text, is_blank
from .vocab import PLAY, STAGE_ALIASES


@dataclass(frozen=True)
class Stage:
    number: int
    name: str
    name_zh: str
    probability: float
    rot_days: int

    def label(self, lang: str = "en") -> str:
        return self.name_zh if lang == "zh" else self.name


DEFAULT_STAGES = (
    Stage(1, "Qualify", "确认商机", 0.10, 20),
    Stage(2, "Develop", "主导进程", 0.30, 30),
    Stage(3, "Propose", "方案论证", 0.50, 30),
    Stage(4, "Negotiate", "商务谈判", 0.70, 10),
    Stage(5, "Close", "成交", 0.90, 10),
)


# the Settings play table (opening letter, play) and stage alias table (other CRMs' stage name, stage number)
DEFAULT_PLAYS = tuple(zip("ABCDEFGHI", PLAY.values))
DEFAULT_STAGE_ALIASES = tuple((alias, number) for number, *spellings in STAGE_ALIASES for alias in spellings)


@dataclass(frozen=True)
class Threshold:
    """One named Settings cell: defined name, field, English and Chinese description, format."""

    name: str
    field: str
    en: str
    zh: str
    number_format: str = "0"


THRESHOLDS = (
    Threshold("GradeDaysA", "grade_days_a", "Grade A: days until expected close, at most", "A级：距预计成交天数上限"),
    Threshold("GradeDaysB", "grade_days_b", "Grade B: days until expected close, at most", "B级：距预计成交天数上限"),
    Threshold("GradeDaysC", "grade_days_c", "Grade C: days until expected close, at most", "C级：距预计成交天数上限"),
    Threshold("CadenceA", "cadence_a", "Follow-up every N days, grade A", "A级客户跟进周期（天）"),
    Threshold("CadenceB", "cadence_b", "Follow-up every N days, grade B", "B级客户跟进周期（天）"),
    Threshold("CadenceC", "cadence_c", "Follow-up every N days, grade C", "C级客户跟进周期（天）"),
    Threshold("CadenceD", "cadence_d", "Follow-up every N days, grade D", "D级客户跟进周期（天）"),
    Threshold("CadenceE", "cadence_e", "Follow-up every N days, grade E", "E级客户跟进周期（天）"),
    Threshold("CapVIP", "cap_vip", "Longest follow-up gap for a VIP customer (days)", "VIP客户最长跟进间隔（天）"),
    Threshold("CapKey", "cap_key", "Longest follow-up gap for a Key customer (days)", "重点客户最长跟进间隔（天）"),
    Threshold("ValueHigh", "value_high", "Value score counted as high, from", "价值评分“高”的下限"),
    Threshold("MixAlert", "mix_alert", "Portfolio alert when one class holds more than", "单一类别占比预警线", "0%"),
    Threshold("TierVIP", "tier_vip", "VIP: revenue share of larger customers below", "VIP客户累计收入占比上限", "0%"),
    Threshold("TierKey", "tier_key", "Key: revenue share of larger customers below", "重点客户累计收入占比上限", "0%"),
    Threshold("MinTouches", "min_touches", "Too few touches: fewer than", "跟进次数过少：少于", "0"),
    Threshold("ApprovalDirector", "approval_director", "Director approves amounts up to", "总监审批金额上限", "#,##0"),
    Threshold("ApprovalVP", "approval_vp", "VP approves amounts up to", "副总裁审批金额上限", "#,##0"),
    Threshold("CommitStage", "commit_stage", "Forecast Commit: open deals from stage number",
              "预测“承诺”：起始阶段序号"),
    Threshold("BestCaseStage", "best_case_stage", "Forecast Best case: open deals from stage number",
              "预测“乐观”：起始阶段序号"),
    Threshold("AgingDays1", "aging_days_1", "Payment aging: first bucket up to N days late",
              "账龄第一档：逾期天数上限"),
    Threshold("AgingDays2", "aging_days_2", "Payment aging: second bucket up to N days late",
              "账龄第二档：逾期天数上限"),
    Threshold("PoolDays", "pool_days", "Back to the pool: Regular customers untouched for more than N days",
              "回收公海：普通客户超过 N 天未跟进"),
    Threshold("MapFromStage", "map_from_stage", "Political map warnings: open deals from stage number",
              "关系图预警：起始阶段序号"),
    Threshold("MinCoaches", "min_coaches", "Political map: too few coaches, fewer than", "关系图：内线少于"),
    Threshold("MinDepartments", "min_departments", "Political map: too few departments, fewer than",
              "关系图：部门少于"),
    Threshold("GreetDays", "greet_days", "Greetings: birthdays and festivals in the next N days",
              "问候：未来 N 天内的生日和节日"),
)


@dataclass(frozen=True)
class Settings:
    """Every number the rules use; defaults are DOMAIN.md's."""

    grade_days_a: float = 30
    grade_days_b: float = 90
    grade_days_c: float = 180
    cadence_a: float = 1
    cadence_b: float = 7
    cadence_c: float = 15
    cadence_d: float = 30
    cadence_e: float = 365
    cap_vip: float = 30
    cap_key: float = 90
    value_high: float = 6
    mix_alert: float = 0.5
    tier_vip: float = 0.80
    tier_key: float = 0.95
    min_touches: float = 4
    approval_director: float = 5_000_000
    approval_vp: float = 20_000_000
    map_from_stage: float = 2
    min_coaches: float = 2
    min_departments: float = 2
    greet_days: float = 7
    commit_stage: float = 4
    best_case_stage: float = 3
    aging_days_1: float = 30
    aging_days_2: float = 90
    pool_days: float = 90
    stages: tuple[Stage, ...] = field(default=DEFAULT_STAGES)
    festivals: tuple[tuple[str, date], ...] = ()  # (name, date) as the Settings sheet lists them; () none read
    plays: tuple[tuple[str, str], ...] = DEFAULT_PLAYS
    stage_aliases: tuple[tuple[str, int], ...] = DEFAULT_STAGE_ALIASES

    def cadence(self, grade: str) -> float:
        return getattr(self, f"cadence_{grade.lower()}")

    def stage_index(self, value) -> int | None:
        """1-based funnel position of a stage given by English or Chinese name or number.

        Stage numbers are positions in the stage table (settings_sheet.parse numbers them so).
        """
        if is_blank(value):
            return None
        text = cell_text(value).casefold()
        for stage in self.stages:
            if text in (stage.name.casefold(), stage.name_zh.casefold()):
                return stage.number
        number = as_number(value) if not isinstance(value, str) else None
        if isinstance(value, str) and text.isascii() and text.isdigit() and text == str(int(text)):
            number = int(text)  # digits typed as text, in their plain form: "2", not "02" or "+2"
        if number is not None and float(number).is_integer() and 1 <= number <= len(self.stages):
            return int(number)
        raise Invalid(f"unknown stage: {value!r}")

    def play(self, letter) -> str | None:
        """The play for an opening letter as the play table words it (the row formula's MATCH ignores case)."""
        if is_blank(letter):
            return None
        text = cell_text(letter).casefold()
        return next((play for each, play in self.plays if each.casefold() == text), None)

    def stage_alias(self, value) -> int | None:
        """The stage number another CRM's stage name stands for, by the stage alias table; None when unlisted."""
        if is_blank(value):
            return None
        text = cell_text(value).casefold()
        return next((number for alias, number in self.stage_aliases if alias.casefold() == text), None)

    def stage(self, number: int) -> Stage:
        return self.stages[number - 1]

    def with_values(self, values: dict) -> "Settings":
        """A copy with thresholds given by defined name (as read from a Settings sheet)."""
        by_name = {t.name: t.field for t in THRESHOLDS}
        changes = {by_name[k]: float(v) for k, v in values.items() if k in by_name}
        return replace(self, **changes)


DEFAULT = Settings()
