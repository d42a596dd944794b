"""Layout of the Settings sheet: where each defined name lives, and reading it back.

Row 1 headers; row 2 AsOf; then one row per threshold (name, value,
description); a blank row; the stage table (No, Stage, Chinese name,
Probability, Rot days); the method tables (xl_crm.sheets.method_tables);
last the stage aliases, other CRMs' stage names and the stage number each
stands for (StageAlias, StageAliasNo), which the row formulas fall back to
as xl_crm.sheets.read does. Every value cell is a defined name of the same
name, so formulas read `GradeDaysA`, `StageProb` and so on.

The sheet is recognised by what it holds (the threshold names and the
stage table), not by its name alone: a user's workbook may have a sheet
of its own called Settings or 参数, and then xl_crm's is `CRM Settings`
(`CRM参数`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from ..model.cells import Invalid, as_date, as_number, cell_text, is_blank
from ..model.schema import SETTINGS_NAME
from ..model.settings import DEFAULT, THRESHOLDS, Settings, Stage
from ..model.vocab import STAGE_ALIASES
from . import method_tables

HEADERS = {"en": ("Name", "Value", "Description"), "zh": ("名称", "数值", "说明")}
STAGE_HEADERS = {"en": ("No", "Stage", "Chinese name", "Probability", "Rot days"),
                 "zh": ("序号", "阶段", "中文名称", "成交概率", "停滞天数")}
AS_OF_ROW = 2
FIRST_THRESHOLD_ROW = 3
STAGE_HEADER_ROW = FIRST_THRESHOLD_ROW + len(THRESHOLDS) + 1
STAGE_COLUMNS = ("StageNo", "StageName", "StageNameZh", "StageProb", "StageRot")
AS_OF_NOTE = {"en": "Evaluation date: =TODAY() or a fixed date", "zh": "评估日期：=TODAY() 或固定日期"}
# other CRMs' stage names (Salesforce, HubSpot, Pipedrive ...) and the stage number each stands for
ALIAS_HEADERS = {"en": ("Stage alias", "Stage No"), "zh": ("阶段别名", "阶段序号")}
# the name xl_crm's Settings sheet takes beside a user's own sheet called Settings or 参数
OWN_NAME = {"en": "CRM Settings", "zh": "CRM参数"}


@dataclass(frozen=True)
class Cell:
    """One Settings cell to write: 1-based row, 0-based column, value, format key."""

    row: int
    col: int
    value: object
    style: str = "text"  # text | header | number | percent | date | money


def layout(settings: Settings = DEFAULT, lang: str = "en", as_of=None) -> tuple[list[Cell], dict[str, str]]:
    """The cells of a Settings sheet and its defined names (name -> absolute A1 range)."""
    cells = [Cell(1, i, h, "header") for i, h in enumerate(HEADERS[lang])]
    names = {"AsOf": f"$B${AS_OF_ROW}"}
    cells += [Cell(AS_OF_ROW, 0, "AsOf"), Cell(AS_OF_ROW, 1, as_of if as_of else "=TODAY()", "date"),
              Cell(AS_OF_ROW, 2, AS_OF_NOTE[lang])]
    more, more_names = _thresholds(FIRST_THRESHOLD_ROW, THRESHOLDS, settings, lang)
    cells, names = cells + more, names | more_names
    for block in ("stages", "plays", "festivals", "aliases"):
        more, more_names = _block(block, max(c.row for c in cells) + 2, settings, lang, as_of)
        cells, names = cells + more, names | more_names
    return cells, names


def _thresholds(first: int, thresholds, settings: Settings, lang: str) -> tuple[list[Cell], dict[str, str]]:
    cells, names = [], {}
    for row, threshold in enumerate(thresholds, first):
        style = "percent" if threshold.number_format == "0%" else "money" if "#" in threshold.number_format \
            else "number"
        cells += [Cell(row, 0, threshold.name), Cell(row, 1, getattr(settings, threshold.field), style),
                  Cell(row, 2, threshold.zh if lang == "zh" else threshold.en)]
        names[threshold.name] = f"$B${row}"
    return cells, names


def _block(key: str, header: int, settings: Settings, lang: str, as_of) -> tuple[list[Cell], dict[str, str]]:
    """One table of the sheet with its header at row `header`, and its defined names."""
    if key == "stages":
        return _stage_table(header, settings, lang)
    if key == "aliases":
        return _aliases(header, lang)
    cells, names = method_tables.play_table(header, lang) if key == "plays" \
        else method_tables.festival_table(header, lang, as_of)
    return [Cell(*cell) for cell in cells], names


def _stage_table(header: int, settings: Settings, lang: str) -> tuple[list[Cell], dict[str, str]]:
    cells = [Cell(header, i, h, "header") for i, h in enumerate(STAGE_HEADERS[lang])]
    first, last = header + 1, header + len(settings.stages)
    for row, stage in enumerate(settings.stages, first):
        cells += [Cell(row, 0, stage.number, "number"), Cell(row, 1, stage.name), Cell(row, 2, stage.name_zh),
                  Cell(row, 3, stage.probability, "percent"), Cell(row, 4, stage.rot_days, "number")]
    return cells, {name: f"${'ABCDE'[col]}${first}:${'ABCDE'[col]}${last}" for col, name in enumerate(STAGE_COLUMNS)}


def _aliases(header: int, lang: str) -> tuple[list[Cell], dict[str, str]]:
    """The stage alias table the row formulas fall back to for a stage name not in the stage table."""
    cells = [Cell(header, i, h, "header") for i, h in enumerate(ALIAS_HEADERS[lang])]
    aliases = [(alias, number) for number, *spellings in STAGE_ALIASES for alias in spellings]
    for row, (alias, number) in enumerate(aliases, header + 1):
        cells += [Cell(row, 0, alias), Cell(row, 1, number, "number")]
    end = header + len(aliases)
    return cells, {"StageAlias": f"$A${header + 1}:$A${end}", "StageAliasNo": f"$B${header + 1}:$B${end}"}


# the tables of the sheet: their headers, how many columns a row spans, and the column of each defined name
TABLES = {
    "stages": (STAGE_HEADERS, 5, {name: col for col, name in enumerate(STAGE_COLUMNS)}),
    "plays": (method_tables.PLAY_HEADERS, 3, {"PlayLetter": 0, "PlayText": 2}),
    "festivals": (method_tables.FESTIVAL_HEADERS, 2, {"FestivalName": 0, "FestivalDate": 1}),
    "aliases": (ALIAS_HEADERS, 2, {"StageAlias": 0, "StageAliasNo": 1}),
}
TABLE_WORDS = {"stages": "the stage table", "plays": "the play table", "festivals": "the festival table",
               "aliases": "the stage alias table"}


def _padded(row) -> list:
    return list(row) + [None] * (5 - len(row))


def _scan(rows: list[list]):
    """("table", key, header row, [(row, cells)...]) and ("cell", column A text, row, cells), 1-based rows.

    A table runs from the row under its header (known by its first cell)
    to the first row blank across the table's columns; any other row
    with a column A label may hold a threshold, wherever it sits.
    """
    starts = {h[0]: key for key, (headers, _, _) in TABLES.items() for h in headers.values()}
    i = 0
    while i < len(rows):
        row = _padded(rows[i])
        label = "" if is_blank(row[0]) else cell_text(row[0])
        if label in starts:
            key, body = starts[label], []
            width = TABLES[key][1]
            i += 1
            while i < len(rows) and not all(is_blank(v) for v in _padded(rows[i])[:width]):
                body.append((i + 1, _padded(rows[i])))
                i += 1
            yield "table", key, i - len(body), body
            continue
        if label:
            yield "cell", label, i + 1, row
        i += 1


def located(rows: list[list]) -> dict[str, str]:
    """The defined names a Settings sheet's cells hold, found by their labels wherever they sit.

    The first row of a threshold name counts, and the first table of each kind.
    """
    known = {"AsOf"} | {t.name for t in THRESHOLDS}
    names: dict[str, str] = {}
    for kind, key, at, content in _scan(rows):
        if kind == "cell" and key in known:
            names.setdefault(key, f"$B${at}")
        elif kind == "table" and content and TABLES[key][2].keys().isdisjoint(names):
            first, last = content[0][0], content[-1][0]
            for name, col in TABLES[key][2].items():
                letter = "ABCDE"[col]
                names[name] = f"${letter}${first}:${letter}${last}"
    return names


def additions(rows: list[list], lang: str, as_of, first_row: int) -> tuple[list[Cell], dict[str, str], list[str]]:
    """What a Settings sheet lacks, as cells from first_row down; their names; a line for each block.

    Missing thresholds come as one block under the sheet's own header row
    (Name, Value, Description), each missing table with its header, a
    blank row between blocks, as layout lays out a new sheet.
    """
    have = located(rows)
    cells, names, said, row = [], {}, [], first_row
    missing = [t for t in THRESHOLDS if t.name not in have]
    if missing:
        cells += [Cell(row, i, h, "header") for i, h in enumerate(HEADERS[lang])]
        more, names = _thresholds(row + 1, missing, DEFAULT, lang)
        cells += more
        said.append(f"thresholds {', '.join(t.name for t in missing)} at rows {row}-{row + len(missing)}")
    for key in TABLES:
        if not TABLES[key][2].keys() <= have.keys():
            row = max(c.row for c in cells) + 2 if cells else first_row
            more, more_names = _block(key, row, DEFAULT, lang, as_of)
            cells, names = cells + more, names | more_names
            said.append(f"{TABLE_WORDS[key]} at rows {row}-{max(c.row for c in more)}")
    return cells, names, said


def parse(rows: list[list]) -> tuple[Settings, object]:
    """Settings and the AsOf value from a Settings sheet's cell values (rows of lists).

    Thresholds are read by their name in column A wherever they sit (an
    upgraded sheet has some below its tables); the first row of a name
    counts. Unknown or unreadable cells fall back to the defaults; the
    stage table is read from the row after its header to the first blank
    row, and an unreadable cell in it takes the default stage's value at
    its place, so one bad cell leaves the other stages (and the deals at
    them) as they are.
    """
    values, as_of, tables = {}, None, {}
    known = {t.name for t in THRESHOLDS}
    for kind, key, _, content in _scan(rows):
        if kind == "table":
            tables.setdefault(key, [row for _, row in content])
        elif key == "AsOf" and as_of is None:
            as_of = content[1]
        elif key in known and key not in values:
            try:
                number = as_number(content[1])
            except Invalid:
                number = None
            if number is not None:
                values[key] = number
    settings = replace(DEFAULT.with_values(values), festivals=method_tables.festivals(rows), **_tables(tables))
    # the funnel order is the table's order, whatever the No column says
    stages = [_stage(number, row) for number, row in enumerate(tables.get("stages", ()), 1)]
    if stages:
        settings = Settings(**{**settings.__dict__, "stages": tuple(stages)})
    try:
        as_of = as_date(as_of)
    except Invalid:
        as_of = None
    return settings, as_of


def _tables(tables: dict[str, list[list]]) -> dict:
    """The play and stage alias tables as Settings fields, where the sheet has them; a blank play reads blank."""
    fields = {}
    if "plays" in tables:
        fields["plays"] = tuple((cell_text(row[0]), None if is_blank(row[2]) else cell_text(row[2]))
                                for row in tables["plays"] if not is_blank(row[0]))
    if "aliases" in tables:
        fields["stage_aliases"] = tuple((cell_text(row[0]), int(number)) for row in tables["aliases"]
                                        if not is_blank(row[0]) and (number := _number_or(row[1], None)) is not None
                                        and float(number).is_integer())
    return fields


def _number_or(value, fallback):
    try:
        read = as_number(value)
    except Invalid:
        return fallback
    return fallback if read is None else read


def _stage(number: int, row: list) -> Stage:
    default = DEFAULT.stages[min(number, len(DEFAULT.stages)) - 1]
    return Stage(number, default.name if is_blank(row[1]) else cell_text(row[1]),
                 default.name_zh if is_blank(row[2]) else cell_text(row[2]),
                 _number_or(row[3], default.probability), int(_number_or(row[4], default.rot_days)))


def as_of_is_formula(package, sheet_name: str) -> bool:
    """Whether the Settings sheet's AsOf cell holds a formula (=TODAY()) rather than a value."""
    return _as_of_is_formula(package.read(package.sheet_part(sheet_name)))


def holds_settings(rows: list[list]) -> bool:
    """Whether a sheet's cells are xl_crm's Settings: AsOf and most threshold names in column A, and a stage table."""
    first = [(cell_text(row[0]), cell_text(row[1]) if len(row) > 1 and not is_blank(row[1]) else "")
             for row in rows if row and not is_blank(row[0])]
    names = {t.name for t in THRESHOLDS}
    thresholds = names & {name for name, _ in first}
    stage_table = any((name, stage) in {h[:2] for h in STAGE_HEADERS.values()} for name, stage in first)
    return "AsOf" in {name for name, _ in first} and 2 * len(thresholds) >= len(names) and stage_table


def find(sheet_names: list[str], rows) -> str | None:
    """The sheet holding xl_crm's Settings, by its content; None when there is none.

    Looked for under the standard names (Settings, 参数) and the names
    xl_crm takes beside a user's sheet of that name (CRM Settings, CRM参数,
    CRM Settings 2 ...). rows(name) gives a sheet's cell values.
    """
    candidates = [n for n in SETTINGS_NAME if n in sheet_names]
    candidates += [n for n in sheet_names if n.startswith(tuple(OWN_NAME.values()))]
    return next((name for name in candidates if holds_settings(rows(name))), None)


def language(name: str, rows: list[list]) -> str:
    """The language of a Settings sheet: Chinese by its name or its header."""
    chinese = name in (SETTINGS_NAME.zh, OWN_NAME["zh"]) or (rows and rows[0] and rows[0][0] == HEADERS["zh"][0])
    return "zh" if chinese else "en"


def free_name(lang: str, sheet_names: list[str]) -> str:
    """The name xl_crm's Settings sheet takes in a workbook: Settings (参数), else CRM Settings (CRM参数), ...

    Sheet names compare without case, as Excel compares them.
    """
    taken = {n.lower() for n in sheet_names}
    names = (SETTINGS_NAME(lang), OWN_NAME[lang], *(f"{OWN_NAME[lang]} {i}" for i in range(2, len(taken) + 3)))
    return next(name for name in names if name.lower() not in taken)


def fixed_as_of(package, data) -> date | None:
    """The AsOf cell's date when it is fixed; None when it is =TODAY() or there is none.

    A cached TODAY() result reads like a date (data.as_of), so only the
    Settings sheet's XML can tell the two apart.
    """
    name = data.settings_name
    if data.as_of is None or name is None:
        return None
    return None if _as_of_is_formula(package.read(package.sheet_part(name))) else data.as_of


def _as_of_is_formula(sheet_xml: bytes) -> bool:
    cell = re.search(rb'<(?:\w+:)?c\b[^>]*\br="B%d"[^>]*?(?:/>|>(.*?)</(?:\w+:)?c>)' % AS_OF_ROW, sheet_xml, re.DOTALL)
    return bool(cell and cell.group(1) and re.search(rb"<(?:\w+:)?f\b", cell.group(1)))
