"""Each derived column as a native row formula, the same rule as xl_crm.rules.

The formulas read only the same row and the Settings names, use only
functions Excel 2010+, LibreOffice and WPS all have, and give exactly what
the Python rules give for every value a cell can hold: text is folded like
TRIM and compared case-insensitively, bad input gives a blank (""), and a
rule that cannot be evaluated gives a blank, never a guess. Values are
compared with `=`, one comparison per spelling (an array constant inside
OR compares its first element only in Gnumeric); user text reaches MATCH
only with its wildcards escaped (`~~`, `~*`, `~?`), which Excel,
LibreOffice and Gnumeric all read literally. No array-valued INDEX: it is
#REF! in Gnumeric. Later columns read earlier derived columns of the same
row, chained as xl_crm.compute.derive chains the rules.

Gnumeric's TRIM also folds tabs, no-break and ideographic spaces, which
Excel's, LibreOffice's and the rules' keep as text; so blanks and
spellings are told by the text with its spaces removed (SUBSTITUTE), and
TRIM is trusted only where it changed nothing but spaces: "Now<tab>" is
unknown in every engine, as in the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..model import schema, vocab
from ..model.cells import to_serial
from ..model.settings import DEFAULT_STAGES
from ..model.vocab import Vocab

Ref = Callable[[str], str]

AS_OF = "INT(AsOf)"
AFTER_LAST_DATE = to_serial(date.max) + 1  # values.as_date reads serials below this
BLANK = '""'
NOT_A_ROW = 1_000_000  # past the last row of any stage table


def derived_formulas(sheet_key: str, lang: str, ref: Ref) -> dict[str, str]:
    """One formula (text starting with "=") per derived column of a sheet, in schema order."""
    spec = schema.sheet(sheet_key)
    return {c.key: f"=IFERROR({_RULES[c.key](ref, lang)},{BLANK})" for c in spec.role(schema.DERIVED)}


# --- building blocks -------------------------------------------------------------------

def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _squeezed(x: str) -> str:
    """The cell's text without its spaces; any other whitespace stays, in every engine."""
    return f'SUBSTITUTE({x}," ","")'


def _blank(x: str) -> str:
    return f'{_squeezed(x)}=""'


def _trim_folds_spaces_only(x: str) -> str:
    """TRIM changed nothing but spaces (always so in Excel and LibreOffice; not in Gnumeric for a tab)."""
    return f'SUBSTITUTE(TRIM({x})," ","")={_squeezed(x)}'


def _number(x: str) -> str:
    """A real number: LibreOffice's ISNUMBER is also true for booleans."""
    return f"AND(ISNUMBER({x}),NOT(ISLOGICAL({x})))"


def _date(x: str) -> str:
    """A number that reads as a date serial (values.as_date)."""
    return f"AND({_number(x)},{x}>=0,{x}<{AFTER_LAST_DATE})"


def _is(x: str, words: Vocab, *values: str, blank: bool = False) -> str:
    """The cell holds a spelling of one of the canonical values (or is blank, when `blank`).

    A spelling without spaces is the cell's text without its spaces, the
    cell having no space between other characters; one with spaces is the
    cell's TRIM whose other characters are the spelling's. Either way a tab
    or a no-break space is kept as the rules keep it, whatever TRIM folds.
    """
    spellings = [""] * blank + [s for value in values for s in words.spellings(value)]
    unique = {s.lower() if s.isascii() else s: s for s in reversed(spellings)}  # `=` ignores ASCII case
    spellings = list(reversed(unique.values()))
    squeezed = _squeezed(x)
    plain = ",".join(f"{squeezed}={_quote(s)}" for s in spellings if " " not in s)
    tests = [f"AND(LEN(TRIM({x}))=LEN({squeezed}),OR({plain}))"] if plain else []
    tests += [f"AND(TRIM({x})={_quote(s)},{squeezed}={_quote(s.replace(' ', ''))})" for s in spellings if " " in s]
    return tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"


def _label(words: Vocab, value: str, lang: str) -> str:
    return _quote(words.label(value, lang))


def _if(condition: str, then: str, otherwise: str) -> str:
    return f"IF({condition},{then},{otherwise})"


def _first(cases: list[tuple[str, str]], otherwise: str) -> str:
    """IF chain: the result of the first true condition."""
    formula = otherwise
    for condition, result in reversed(cases):
        formula = _if(condition, result, formula)
    return formula


def _stage_position(stage: str) -> str:
    """Row of a stage in the Settings stage table, from its name in either language or its number.

    Text digits count only in their plain form ("2", not "02", "+2" or "2.0"),
    as settings.stage_index reads them. Any other text is looked up in the
    Settings alias table (another CRM's name for a stage: `Prospecting` is
    stage 1), as xl_crm.sheets.read reads it: only while the stage table has
    the five stages the aliases stand for. An unknown stage is NA(), which
    the whole formula turns into a blank.
    """
    text = f"TRIM({stage})"
    count = "ROWS(StageName)"
    value = f"VALUE({text})"
    in_range = lambda n: f"AND({n}=INT({n}),{n}>=1,{n}<={count})"
    literal = text
    for wildcard in "~*?":  # "~" first, so the escapes added after it stay single
        literal = f'SUBSTITUTE({literal},"{wildcard}","~{wildcard}")'
    by_alias = _if(f"{count}={len(DEFAULT_STAGES)}",
                   f"INDEX(StageAliasNo,MATCH({literal},StageAlias,0))", "NA()")
    # AND passes on VALUE's error for text that is no number: IFERROR makes that a plain no
    by_text = _if(f'IFERROR(AND(ISNUMBER({value}),EXACT(TEXT({value},"0"),{text})),FALSE)',
                  _if(in_range(value), value, "NA()"), by_alias)
    # the first row whose English or Chinese name it is, as settings.stage_index looks
    row = lambda names: f"IFERROR(MATCH({literal},{names},0),{NOT_A_ROW})"
    first = f"MIN({row('StageName')},{row('StageNameZh')})"
    by_name = _if(f"{first}<{NOT_A_ROW}", first, by_text)
    # A boolean is neither a name nor a number (LibreOffice's TRIM(TRUE) would give "1").
    return _first([(f"ISLOGICAL({stage})", "NA()"), (_number(stage), _if(in_range(stage), stage, "NA()")),
                   (f"NOT({_trim_folds_spaces_only(stage)})", "NA()")], by_name)


# --- customers (rules.grading, rules.followup) ------------------------------------------

def _grade(r: Ref, lang: str) -> str:
    need, close, synced = r("need"), r("expected_close"), r("next_close")
    days = f"IF({_blank(close)},INT({synced}),INT({close}))-{AS_OF}"
    letter = lambda g: _label(vocab.GRADE, g, lang)
    by_days = _first([(f"{days}<=GradeDaysA", letter("A")), (f"{days}<=GradeDaysB", letter("B")),
                      (f"{days}<=GradeDaysC", letter("C"))], letter("D"))
    now = _first([(f"AND({_blank(close)},{_blank(synced)})", letter("D")),
                  (f"IF({_blank(close)},{_date(synced)},{_date(close)})", by_days)], BLANK)
    return _first([(_is(need, vocab.NEED, "None"), letter("E")),
                   (_is(need, vocab.NEED, "Future", blank=True), letter("D")),
                   (_is(need, vocab.NEED, "Now"), now)], BLANK)


def _cadence_days(r: Ref, lang: str) -> str:
    grade, tier = r("grade"), r("tier")
    base = _first([(f"{grade}={_label(vocab.GRADE, g, lang)}", f"Cadence{g}") for g in vocab.GRADE.values],
                  "NA()")
    return _first([(_blank(grade), BLANK),
                   (_is(tier, vocab.TIER, "Regular", blank=True), base),
                   (_is(tier, vocab.TIER, "VIP"), f"MIN({base},CapVIP)"),
                   (_is(tier, vocab.TIER, "Key"), f"MIN({base},CapKey)")], BLANK)


def _next_due(r: Ref, lang: str) -> str:
    last, cadence, planned = r("last_contact"), r("cadence_days"), r("next_action_date")
    derived = f"INT({last})+INT({cadence})"
    unreadable = f"OR(AND(NOT({_blank(last)}),NOT({_date(last)})),AND(NOT({_blank(planned)}),NOT({_date(planned)})))"
    return _first([(unreadable, BLANK),
                   (_blank(last), _if(_blank(planned), AS_OF, f"INT({planned})")),
                   (f"NOT({_number(cadence)})", BLANK),
                   (_blank(planned), derived)], f"MIN({derived},INT({planned}))")


def _followup_status(r: Ref, lang: str) -> str:
    last, planned, due = r("last_contact"), r("next_action_date"), r("next_due")
    status = lambda s: _label(vocab.FOLLOWUP_STATUS, s, lang)
    return _first([(f"AND({_blank(last)},{_blank(planned)})", status("Not contacted")),
                   (f"NOT(ISNUMBER({due}))", BLANK),
                   (f"INT({due})<{AS_OF}", status("Overdue")),
                   (f"INT({due})={AS_OF}", status("Due today"))], status("Upcoming"))


def _days_overdue(r: Ref, lang: str) -> str:
    due = r("next_due")
    return _if(f"ISNUMBER({due})", f"MAX(0,{AS_OF}-INT({due}))", BLANK)


def _urgency(r: Ref, lang: str) -> str:
    due = r("next_due")
    days = f"INT({due})-{AS_OF}"
    level = lambda u: _label(vocab.URGENCY, u, lang)
    return _first([(f"NOT(ISNUMBER({due}))", BLANK), (f"{days}<=7", level("Urgent")),
                   (f"{days}<=30", level("Soon")), (f"{days}<=90", level("Later"))], level("Slow"))


# --- opportunities (rules.pipeline, rules.qualify, rules.value, rules.opening) ----------

def _probability(r: Ref, lang: str) -> str:
    stage, status = r("stage"), r("status")
    return _first([(_is(status, vocab.STATUS, "Won"), "1"), (_is(status, vocab.STATUS, "Lost"), "0"),
                   (_is(status, vocab.STATUS, "Open"),
                    _if(_blank(stage), BLANK, f"INDEX(StageProb,{_stage_position(stage)})"))], BLANK)


def _weighted_amount(r: Ref, lang: str) -> str:
    amount, prob = r("amount"), r("probability")
    return _first([(f"NOT(ISNUMBER({prob}))", BLANK), (_blank(amount), "0"),
                   (_number(amount), f"{amount}*{prob}")], BLANK)


def _days_in_stage(r: Ref, lang: str) -> str:
    since, created = r("stage_since"), r("created")
    since_days = lambda d: _if(_date(d), f"{AS_OF}-INT({d})", BLANK)
    return _first([(f"AND({_blank(since)},{_blank(created)})", BLANK),
                   (_blank(since), since_days(created))], since_days(since))


def _stale(r: Ref, lang: str) -> str:
    status, stage, days = r("status"), r("stage"), r("days_in_stage")
    open_ = _first([(f"NOT(ISNUMBER({days}))", "FALSE"), (_blank(stage), BLANK)],
                   f"{days}>INDEX(StageRot,{_stage_position(stage)})")
    closed = _is(status, vocab.STATUS, "Won", "Lost")
    return _first([(_is(status, vocab.STATUS, "Open"), open_), (closed, "FALSE")], BLANK)


def _slipped(r: Ref, lang: str) -> str:
    status, close = r("status"), r("expected_close")
    open_ = _first([(_blank(close), "FALSE"), (f"NOT({_date(close)})", BLANK)], f"INT({close})<{AS_OF}")
    closed = _is(status, vocab.STATUS, "Won", "Lost")
    return _first([(_is(status, vocab.STATUS, "Open"), open_), (closed, "FALSE")], BLANK)


def _yes_count(*answers: str) -> str:
    known = ",".join(_is(a, vocab.YES_NO, *vocab.YES_NO.values, blank=True) for a in answers)
    count = "+".join(_is(a, vocab.YES_NO, "Yes") for a in answers)
    return _if(f"AND({known})", count, BLANK)


def _all_yes(score: str) -> str:
    return _if(f"ISNUMBER({score})", f"{score}>=4", BLANK)


def _bant_score(r: Ref, lang: str) -> str:
    return _yes_count(r("need"), r("budget"), r("authority"), r("timeline"))


def _qualified(r: Ref, lang: str) -> str:
    return _all_yes(r("bant_score"))


def _tas_score(r: Ref, lang: str) -> str:
    return _yes_count(r("tas_opportunity"), r("tas_solution"), r("tas_win"), r("tas_worth"))


def _pursue(r: Ref, lang: str) -> str:
    return _all_yes(r("tas_score"))


def _value_class(r: Ref, lang: str) -> str:
    short, long_ = r("short_term_score"), r("long_term_score")
    in_range = f"AND({short}>=0,{short}<=10,{long_}>=0,{long_}<=10)"
    high_short = f"{short}>=ValueHigh"
    classes = _if(f"{long_}>=ValueHigh", _if(high_short, "1", "2"), _if(high_short, "3", "4"))
    return _if(f"AND({_number(short)},{_number(long_)})", _if(in_range, classes, BLANK), BLANK)


def _position(x: str, words: Vocab) -> str:
    """1-based position of the cell's value in a vocabulary; NA() when blank or unknown."""
    return _first([(_is(x, words, v), str(i)) for i, v in enumerate(words.values, 1)], "NA()")


def _opening(r: Ref, lang: str) -> str:
    ground = _position(r("territory"), vocab.TERRITORY)  # Ours, Neutral, Theirs: grid column
    row = _position(r("lead"), vocab.LEAD)  # Ahead, Even, Behind: grid rows 3, 2, 1
    grid = "".join(vocab.OPENING.label(g, lang) for g in vocab.OPENING.values)
    return f'MID("{grid}",3*(3-{row})+{ground},1)'


def _opening_type(r: Ref, lang: str) -> str:
    letter = r("opening")
    kind = lambda k: _label(vocab.OPENING_TYPE, k, lang)
    is_one_of = lambda letters: f"OR({','.join(f'{letter}={_quote(g)}' for g in letters)})"
    return _first([(_blank(letter), BLANK), (is_one_of("AI"), kind("Abnormal")),
                   (is_one_of("DF"), kind("Problem"))], kind("Normal"))


def _approval_level(r: Ref, lang: str) -> str:
    amount = r("amount")
    level = lambda a: _label(vocab.APPROVAL, a, lang)
    return _first([(_blank(amount), BLANK), (f"NOT({_number(amount)})", BLANK),
                   (f"{amount}<=ApprovalDirector", level("Director")),
                   (f"{amount}<=ApprovalVP", level("VP"))], level("President"))


def _play(r: Ref, lang: str) -> str:
    """The play of the deal's opening, as the Settings play table words it (a manager may reword it)."""
    letter = r("opening")
    return _if(_blank(letter), BLANK, f'INDEX(PlayText,MATCH({letter},PlayLetter,0))&""')


# --- forecast (rules.forecast) and payments (rules.payments) -----------------------------

def _forecast(r: Ref, lang: str) -> str:
    category, status, stage = r("forecast_category"), r("status"), r("stage")
    label = lambda f: _label(vocab.FORECAST, f, lang)  # noqa: E731
    position = _stage_position(stage)
    by_stage = _if(_blank(stage), BLANK, _first([(f"{position}>=CommitStage", label("Commit")),
                                                 (f"{position}>=BestCaseStage", label("Best case"))],
                                                label("Pipeline")))
    given = [(_is(category, vocab.FORECAST_CATEGORY, c), label(c)) for c in vocab.FORECAST_CATEGORY.values]
    return _first([*given, (f"NOT({_blank(category)})", BLANK),
                   (_is(status, vocab.STATUS, "Won"), label("Closed")),
                   (_is(status, vocab.STATUS, "Lost"), label("Omitted")),
                   (_is(status, vocab.STATUS, "Open"), by_stage)], BLANK)


def _outstanding(r: Ref, lang: str) -> str:
    due, received = r("amount_due"), r("amount_received")
    return _first([(f"NOT({_number(due)})", BLANK), (_blank(received), f"MAX(0,{due})"),
                   (f"NOT({_number(received)})", BLANK)], f"MAX(0,{due}-{received})")


def _days_late(r: Ref, lang: str) -> str:
    left, due = r("outstanding"), r("due_date")
    return _first([(f"NOT(ISNUMBER({left}))", BLANK), (f"NOT({_date(due)})", BLANK),
                   (f"AND({left}>0,INT({due})<{AS_OF})", f"{AS_OF}-INT({due})")], "0")


def _aging(r: Ref, lang: str) -> str:
    days = r("days_late")
    bucket = lambda b: _label(vocab.AGING, b, lang)  # noqa: E731
    return _first([(f"NOT(ISNUMBER({days}))", BLANK), (f"{days}<=0", bucket("Current")),
                   (f"{days}<=AgingDays1", bucket("1-30")), (f"{days}<=AgingDays2", bucket("31-90"))],
                  bucket(">90"))


def _pool_status(r: Ref, lang: str) -> str:
    owner, tier, deals = r("owner"), r("tier"), r("open_deals")
    last, assigned = r("last_contact"), r("assigned_date")
    status = lambda s: _label(vocab.POOL_STATUS, s, lang)  # noqa: E731
    unreadable = f"OR(AND(NOT({_blank(last)}),NOT({_date(last)})),AND(NOT({_blank(assigned)}),NOT({_date(assigned)})))"
    since = _first([(_blank(last), f"INT({assigned})"), (_blank(assigned), f"INT({last})")],
                   f"MAX(INT({last}),INT({assigned}))")
    return _first([(_blank(owner), status("Pool")),
                   (_is(tier, vocab.TIER, "VIP", "Key"), status("Owned")),
                   (f"NOT({_is(tier, vocab.TIER, 'Regular', blank=True)})", BLANK),
                   (f"NOT({_number(deals)})", BLANK),
                   (f"{deals}>0", status("Owned")),
                   (unreadable, BLANK),
                   (f"AND({_blank(last)},{_blank(assigned)})", BLANK),
                   (f"{AS_OF}-{since}>PoolDays", status("Release"))], status("Owned"))


_RULES: dict[str, Callable[[Ref, str], str]] = {
    "grade": _grade,
    "cadence_days": _cadence_days,
    "next_due": _next_due,
    "days_overdue": _days_overdue,
    "followup_status": _followup_status,
    "urgency": _urgency,
    "pool_status": _pool_status,
    "probability": _probability,
    "weighted_amount": _weighted_amount,
    "days_in_stage": _days_in_stage,
    "stale": _stale,
    "slipped": _slipped,
    "bant_score": _bant_score,
    "qualified": _qualified,
    "tas_score": _tas_score,
    "pursue": _pursue,
    "value_class": _value_class,
    "opening": _opening,
    "opening_type": _opening_type,
    "approval_level": _approval_level,
    "forecast": _forecast,
    "outstanding": _outstanding,
    "days_late": _days_late,
    "aging": _aging,
    "play": _play,
}
