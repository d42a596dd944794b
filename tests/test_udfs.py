"""The Excel functions with the inputs Excel and xlwings Lite hand over, against DOMAIN.md and the rules."""

import inspect
import re
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from xl_crm import rules
from xl_crm.commands.demo import build_demo
from xl_crm.excel import udfs
from xl_crm.model import schema
from xl_crm.model.asof import AsOf
from xl_crm.model.cells import to_serial
from xl_crm.model.settings import DEFAULT
from xl_crm.sheets import formulas, settings_sheet
from xl_crm.sheets.read import read_workbook

AS_OF = date(2025, 6, 30)
DT = datetime(2025, 6, 30)


def serial(day: date) -> float:
    return float(to_serial(day))


def settings_range(lang="en", **changes):
    """The values of a Settings sheet as a 2-D range, laid out as the workbook lays it out."""
    cells, _ = settings_sheet.layout(DEFAULT.with_values(changes), lang, as_of=AS_OF)
    rows = [[None] * 5 for _ in range(max(c.row for c in cells))]
    for cell in cells:
        rows[cell.row - 1][cell.col] = cell.value
    return rows


@pytest.mark.parametrize("days, grade", [(-5, "A"), (30, "A"), (31, "B"), (90, "B"), (91, "C"), (180, "C"),
                                         (181, "D")])
def test_grade_boundaries_as_datetime_serial_and_iso(days, grade):
    close = AS_OF + timedelta(days=days)
    assert udfs.crm_grade("Now", datetime.combine(close, datetime.min.time()), None, DT) == grade
    assert udfs.crm_grade("现有需求", serial(close), None, serial(AS_OF)) == grade
    assert udfs.crm_grade(" now ", close.isoformat(), None, AS_OF.isoformat()) == grade


def test_grade_needs_and_blanks():
    assert udfs.crm_grade("None", None, None, AS_OF) == "E"
    assert udfs.crm_grade("无需求", AS_OF, None, AS_OF) == "E"
    assert udfs.crm_grade(None, AS_OF, None, AS_OF) == "D"  # blank need = Future
    assert udfs.crm_grade("潜在需求", AS_OF, None, AS_OF) == "D"
    assert udfs.crm_grade("Now", None, None, AS_OF) == "D"


def test_grade_bad_input_is_a_message_in_the_cell():
    assert udfs.crm_grade("Maybe", AS_OF, None, AS_OF) == "unknown need: 'Maybe'"
    assert udfs.crm_grade("Now", "next week", None, AS_OF) == "not a date: 'next week'"
    assert udfs.crm_grade("Now", True, None, AS_OF) == "not a date: True"


def test_range_in_range_out_same_shape_and_broadcast():
    needs = [["Now"], ["Future"], [None], ["bad"]]
    closes = [[DT], [DT], [None], [DT]]
    assert udfs.crm_grade(needs, closes, None, [[DT]]) == [["A"], ["D"], ["D"], ["unknown need: 'bad'"]]
    row = udfs.crm_grade([["Now", "Now", "None"]], [[serial(AS_OF), serial(AS_OF + timedelta(days=91)), None]],
                         None, serial(AS_OF))
    assert row == [["A", "C", "E"]]
    assert udfs.crm_grade([["Now"], ["Now"]], [[DT, DT, DT]], None, DT) == [["A"] * 3] * 2  # Excel-style broadcast
    assert udfs.crm_grade([["Now"], ["Now"]], [[DT], [DT], [DT]], None, DT) == "ranges differ in size"


def test_equal_cells_that_differ_in_type_are_not_confused():
    """1.0 (serial 1 = 1900-01-01) and True are equal as Python keys, not as cells."""
    out = udfs.crm_grade([["Now"], ["Now"]], [[1.0], [True]], None, DT)
    assert out == [["A"], ["not a date: True"]]


def test_as_of_defaults_to_settings_then_today():
    close = date.today() + timedelta(days=10)
    assert udfs.crm_grade("Now", close) == "A"
    far = AS_OF + timedelta(days=100)
    assert udfs.crm_grade("Now", far, None, None, settings_range()) == "C"  # AsOf of the Settings range


def test_settings_range_overrides_thresholds_and_language():
    close = AS_OF + timedelta(days=45)
    assert udfs.crm_grade("Now", close, None, AS_OF) == "B"
    assert udfs.crm_grade("Now", close, None, AS_OF, settings_range(GradeDaysA=60)) == "A"
    assert udfs.crm_cadence("A", None, settings_range(CadenceA=2)) == 2
    assert udfs.crm_followup_status(AS_OF, None, AS_OF + timedelta(days=1), AS_OF + timedelta(days=5),
                                    settings_range("zh")) == "逾期"
    assert udfs.crm_followup_status(AS_OF, None, AS_OF + timedelta(days=1), AS_OF + timedelta(days=5), "zh") == "逾期"


def test_cadence_is_capped_by_tier():
    assert udfs.crm_cadence([["A"], ["B"], ["C"], ["D"], ["E"]]) == [[1], [7], [15], [30], [365]]
    assert udfs.crm_cadence("E", "VIP") == 30
    assert udfs.crm_cadence("E", "重点客户") == 90
    assert udfs.crm_cadence("E", "Regular") == 365
    assert udfs.crm_cadence("Z") == "unknown grade: 'Z'"
    assert udfs.crm_cadence(None) is None


def test_next_due_and_followup_status_follow_the_rules():
    last = AS_OF - timedelta(days=7)
    assert udfs.crm_next_due(last, 7, None, AS_OF) == DT
    assert udfs.crm_next_due(serial(last), 7.0, "", serial(AS_OF)) == DT
    assert udfs.crm_followup_status(last, None, AS_OF, AS_OF) == "Due today"
    assert udfs.crm_followup_status(last, None, serial(AS_OF - timedelta(days=1)), serial(AS_OF)) == "Overdue"
    assert udfs.crm_followup_status(last.isoformat(), None, AS_OF.isoformat(),
                                    (AS_OF - timedelta(days=1)).isoformat()) == "Upcoming"
    planned = AS_OF - timedelta(days=2)
    assert udfs.crm_next_due(last, 7, planned, AS_OF) == datetime.combine(planned, datetime.min.time())
    assert udfs.crm_next_due(None, None, None, AS_OF) == DT  # nothing known: due at as_of
    assert udfs.crm_next_due(last, None, None, AS_OF) == "no cadence"
    assert udfs.crm_followup_status(None, None, AS_OF, AS_OF) == "Not contacted"
    # the same chain as derive.customer_columns, row for row
    frame = pd.DataFrame({"need": ["Now", "Future", "None", "Now"],
                          "expected_close": [AS_OF + timedelta(days=d) for d in (3, 0, 0, 100)],
                          "last_contact": [AS_OF - timedelta(days=d) for d in (2, 8, 400, 10)],
                          "next_action_date": [None, None, None, AS_OF + timedelta(days=1)],
                          "tier": ["VIP", None, "Key", "Regular"]}, dtype=object)
    derived = __import__("xl_crm.compute.derive", fromlist=["x"]).customer_columns(frame, AS_OF)
    column = lambda key: [[v] for v in frame[key]]
    grades = udfs.crm_grade(column("need"), column("expected_close"), None, AS_OF)
    assert [g for [g] in grades] == list(derived["grade"])
    cadence = udfs.crm_cadence(grades, column("tier"))
    due = udfs.crm_next_due(column("last_contact"), cadence, column("next_action_date"), AS_OF)
    assert [d.date() for [d] in due] == list(derived["next_due"])
    status = udfs.crm_followup_status(column("last_contact"), column("next_action_date"), due, AS_OF)
    assert [s for [s] in status] == list(derived["followup_status"])


@pytest.mark.parametrize("stage", ["Propose", "方案论证", "propose ", 3, 3.0, "3"])
def test_probability_every_spelling_of_a_stage(stage):
    assert udfs.crm_probability(stage, "Open") == 0.5
    assert udfs.crm_probability(stage, "跟进中") == 0.5
    assert udfs.crm_probability(stage, "赢单") == 1.0
    assert udfs.crm_probability(stage, "Lost") == 0.0


def test_probability_and_weighted_amount():
    stages = [["Qualify"], ["主导进程"], ["Negotiate"], [5], ["Nope"]]
    statuses = [["Open"], ["Open"], ["Open"], ["Open"], ["Open"]]
    assert udfs.crm_probability(stages, statuses) == [[0.1], [0.3], [0.7], [0.9], ["unknown stage: 'Nope'"]]
    assert udfs.crm_weighted(1000, udfs.crm_probability("Develop", "Open")) == pytest.approx(300)
    assert udfs.crm_weighted(None, 0.3) == 0.0
    assert udfs.crm_weighted("lots", 0.3) == "not a number: 'lots'"
    assert udfs.crm_weighted(1000, None) is None
    assert udfs.crm_probability("Develop", "Maybe") == "unknown status: 'Maybe'"
    custom = settings_range()
    custom[settings_sheet.STAGE_HEADER_ROW + 1][3] = 0.25  # Develop's probability in the stage table
    assert udfs.crm_probability("Develop", "Open", custom) == 0.25


def test_opening_nine_grid_in_both_languages():
    grid = {("Ours", "Behind"): "A", ("Neutral", "Behind"): "B", ("Theirs", "Behind"): "C",
            ("Ours", "Even"): "D", ("Neutral", "Even"): "E", ("Theirs", "Even"): "F",
            ("Ours", "Ahead"): "G", ("Neutral", "Ahead"): "H", ("Theirs", "Ahead"): "I"}
    zh = {"Ours": "我方地盘", "Neutral": "中立地盘", "Theirs": "敌方地盘",
          "Ahead": "我方领先", "Even": "敌我相当", "Behind": "我方落后"}
    territories = [[t] for t, _ in grid]
    leads = [[zh[lead]] for _, lead in grid]
    assert udfs.crm_opening(territories, leads) == [[v] for v in grid.values()]
    assert udfs.crm_opening("Ours", None) is None
    assert udfs.crm_opening("Home", "Ahead") == "unknown territory: 'Home'"
    assert udfs.crm_opening_play("G") == rules.opening_play("G")
    assert udfs.crm_opening_play("g", "zh") == rules.opening_play("G", "zh")
    assert udfs.crm_opening_play("Z") == "unknown opening: 'Z'"


def test_value_class_bant():
    assert udfs.crm_value_class([[6, 5, 6, 0]], [[6, 6, 5.9, 0]]) == [[1, 2, 3, 4]]
    assert udfs.crm_value_class(11, 3) == "score outside 0-10"
    assert udfs.crm_value_class(None, 3) is None
    assert udfs.crm_value_class(7, 7, settings_range(ValueHigh=8)) == 4
    assert udfs.crm_bant("Y", "是", "TRUE", 1.0) == 4
    assert udfs.crm_bant([["有"], ["N"]], [[None], ["No"]], [[True], [False]], [["1"], [None]]) == [[3], [0]]
    assert udfs.crm_bant("maybe", None, None, None) == "unknown yes/no: 'maybe'"


def test_tier_column_in_column_out():
    revenues = [[500.0], [300.0], [100.0], [50.0], [50.0], [0.0], [None], ["n/a"]]
    expected = rules.tiers(pd.Series([500.0, 300, 100, 50, 50, 0]))
    out = udfs.crm_tier(revenues)
    assert [t for [t] in out[:6]] == list(expected)
    assert [t for [t] in out[:6]] == ["VIP", "VIP", "Key", "Key", "Key", "Regular"]  # shares before: 0, .5, .8, .9, .9
    assert out[6:] == [[None], ["not a number: 'n/a'"]]
    assert udfs.crm_tier([[1.0], [0.0]], "zh") == [["VIP客户"], ["普通客户"]]


def test_funnel_table():
    stages = [["Qualify"], ["Develop"], ["商务谈判"], [2], ["Close"], ["Propose"]]
    statuses = [["Open"], ["Open"], ["Open"], ["丢单"], ["Won"], ["nonsense"]]
    amounts = [[100], [200], [None], [50], [400], [999]]
    table = udfs.crm_funnel(stages, statuses, amounts)
    assert table[0] == list(udfs.FUNNEL_HEADERS["en"])
    expected = rules.funnel(pd.Series([s for [s] in stages]), pd.Series([s for [s] in statuses]),
                            pd.Series([a for [a] in amounts]))
    assert [row[0] for row in table[1:]] == ["Qualify", "Develop", "Propose", "Negotiate", "Close"]
    assert [row[1] for row in table[1:]] == list(expected["open_count"]) == [1, 1, 0, 1, 0]
    assert [row[4] for row in table[1:]] == list(expected["reached"]) == [5, 4, 2, 2, 1]
    assert table[1][2:4] == [100.0, pytest.approx(10.0)]
    assert [table[1][5], table[2][5]] == [pytest.approx(4 / 5), pytest.approx(2 / 4)]
    assert table[5][5] is None
    zh = udfs.crm_funnel([["确认商机"]], [["跟进中"]], None, "zh")
    assert zh[0][0] == "阶段" and zh[1][:2] == ["确认商机", 1]
    assert udfs.crm_funnel([["Qualify"]], [["Open"], ["Open"]]) == "ranges differ in size"


def test_every_function_returns_a_message_not_an_exception_on_garbage():
    garbage = [[object()]]
    for function in udfs.FUNCTIONS:
        count = function.__code__.co_argcount - len(function.__defaults__ or ())
        result = function(*([garbage] * count))
        assert result is None or isinstance(result, (str, list)), function.__name__


def test_grade_falls_back_on_next_close_as_the_column_does():
    soon = AS_OF + timedelta(days=10)
    assert udfs.crm_grade("Now", None, soon, AS_OF) == "A"
    assert udfs.crm_grade("Now", AS_OF + timedelta(days=100), soon, AS_OF) == "C"  # expected close comes first
    assert udfs.crm_grade("Now", None, None, AS_OF) == "D"


# Each function that mirrors a derived column: the sheet, the column, and the columns it reads, in order.
MIRRORS = {
    "crm_grade": ("customers", "grade", ("need", "expected_close", "next_close")),
    "crm_cadence": ("customers", "cadence_days", ("grade", "tier")),
    "crm_next_due": ("customers", "next_due", ("last_contact", "cadence_days", "next_action_date")),
    "crm_followup_status": ("customers", "followup_status", ("last_contact", "next_action_date", "next_due")),
    "crm_probability": ("opportunities", "probability", ("stage", "status")),
    "crm_weighted": ("opportunities", "weighted_amount", ("amount", "probability")),
    "crm_bant": ("opportunities", "bant_score", ("need", "budget", "authority", "timeline")),
    "crm_value_class": ("opportunities", "value_class", ("short_term_score", "long_term_score")),
    "crm_opening": ("opportunities", "opening", ("territory", "lead")),
    "crm_forecast": ("opportunities", "forecast", ("forecast_category", "status", "stage")),
    "crm_outstanding": ("payments", "outstanding", ("amount_due", "amount_received")),
    "crm_days_late": ("payments", "days_late", ("outstanding", "due_date")),
    "crm_aging": ("payments", "aging", ("days_late",)),
}


@pytest.mark.parametrize("name", list(MIRRORS))
def test_arguments_are_the_cells_the_column_reads(name):
    key, column, reads = MIRRORS[name]
    formula = formulas.derived_formulas(key, "en", lambda k: f"[{k}]")[column]
    assert set(re.findall(r"\[(\w+)\]", formula)) == set(reads)
    assert list(inspect.signature(getattr(udfs, name)).parameters)[:len(reads)] == list(reads)


@pytest.fixture(scope="module")
def demo_books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    return build_demo(folder, as_of=AsOf(AS_OF), reports=False)


@pytest.mark.parametrize("name", list(MIRRORS))
def test_every_mirroring_function_equals_its_column_on_the_demo_workbooks(demo_books, name):
    """Each function over the demo's whole columns (as Excel hands ranges over) gives the cached column."""
    key, column, reads = MIRRORS[name]
    function = getattr(udfs, name)
    for path in demo_books:
        data = read_workbook(path)
        frame = data.tables[key].frame.astype(object)
        frame = frame.where(frame.notna(), None)
        settings = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(
            next(n for n in data.sheet_names if n in schema.SETTINGS_NAME)).to_python()
        options = {"settings": [[None if v == "" else v for v in row] for row in settings]} \
            if "settings" in inspect.signature(function).parameters else {}
        got = function(*([[v] for v in frame[c]] for c in reads), **options)
        expected = list(frame[column])
        assert len(got) == len(expected) > 100
        wrong = [(row, want, value) for row, want, [value] in zip(frame.index, expected, got)
                 if value != udfs._excel(want)]  # a date cell reaches Python as a datetime
        assert not wrong, f"{path.name}: {len(wrong)} rows differ, first ones: {wrong[:5]}"


def test_what_to_try_first_in_the_excel_docs():
    """docs/excel.md's first checks give what the page says (TODAY() as Excel hands it over: a datetime)."""
    today = datetime.combine(date.today(), datetime.min.time())
    assert udfs.crm_grade("Now", today + timedelta(days=10)) == "A"
    assert udfs.crm_grade("Now", today + timedelta(days=45)) == "B"
    assert udfs.crm_grade("None", "") == "E"
    assert udfs.crm_probability("Propose", "Open") == 0.5
    assert udfs.crm_opening("Ours", "Ahead") == "G"
    assert udfs.crm_grade("Maybe", today) == "unknown need: 'Maybe'"
    last, planned = today - timedelta(days=20), today + timedelta(days=3)
    cadence = udfs.crm_cadence(udfs.crm_grade("Now", None, today + timedelta(days=5)), "VIP")
    assert udfs.crm_next_due(last, cadence, planned) == last + timedelta(days=1)
