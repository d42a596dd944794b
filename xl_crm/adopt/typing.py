"""One way to type the cells of a file coming in, for `init --data` and `import` alike.

Each schema kind has one reader (read_cell): IDs as text, dates as people
type them (model.dates, the day/month order decided per column), numbers
with currency signs and thousands separators, percents, stage names or
numbers, yes/no and enumerations in either language. The mapping's value
maps apply first, and a stage column ending in Won/Lost with no status
column gives the status. What cannot be read follows a policy: KEEP loads
it as it is, so `check` names it in the workbook (init --data); REJECT
leaves the row out with a reason naming row, column and value (import).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..errors import XlCrmError
from ..model import schema
from ..model.cells import Invalid, cell_text, id_key, is_blank
from ..model.dates import AmbiguousDates, order_of, parse_date
from ..model.mapping import Mapping, fold
from ..model.settings import DEFAULT as DEFAULT_SETTINGS
from ..model.settings import Settings
from ..model.vocab import STATUS
from ..ooxml.sheetxml import col_letters
from ..sheets import links
from ..sheets.read import Table

KEEP, REJECT = "keep", "reject"
NUMBER_KINDS = {"number", "money", "int", "score", "percent"}
_CODES = "RMB|CNY|USD|EUR|GBP|HKD|JPY"
_CURRENCY = re.compile(rf"([+-]?)(?:[A-Z]{{0,2}}[¥$€£￥]|{_CODES})?([+-]?)(.*?)(?:元|{_CODES})?", re.IGNORECASE)
_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)?(\.\d*)?([eE][+-]?\d+)?")
_DIGITS = re.compile(r"\d+")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Unreadable:
    """A cell the REJECT policy turned a row away for (or a required value that is blank)."""

    file: str
    row: int
    column: str | None  # "E (Close Date)"; None for a row-level reason
    value: object
    reason: str  # "not a date", "missing Customer ID"
    zh: str = ""  # the reason in Chinese

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        value = "" if self.value is None else repr(self.value)
        if lang == "zh":
            where = f"{self.file} 第{self.row}行" + (f" {zh_column(self.column)}" if self.column else "")
            return f"{where}{'：' + value if value else ''}：{self.zh or self.reason}"
        where = f"{self.file} row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}{': ' + value if value else ''}: {self.reason}"


_ZH = {"not a date": "不是日期", "not a number": "不是数字", "unknown stage": "未知的阶段"}


def read_cell(column: schema.Column, value, order: str | None = None, settings: Settings = DEFAULT_SETTINGS):
    """The value to write for one non-blank cell of this column; raises Invalid saying what was expected.

    Text-like kinds keep what was typed (an enumeration in either language,
    a stage name, a yes/no answer): the workbook reads every spelling.
    """
    kind = column.kind
    if kind == "id":
        return id_key(value)
    if kind == "date":
        return parse_date(value, order)
    if kind in NUMBER_KINDS:
        return read_number(value, kind)
    if kind == "stage":
        return _stage(value, settings)
    if column.vocab is not None:
        column.vocab.parse(value)
    return value


def _stage(value, settings: Settings):
    """A stage name or number as typed; another CRM's stage name (Prospecting) as the stage at its place."""
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        value = int(value.strip())
    try:
        settings.stage_index(value)
    except Invalid:
        number = settings.stage_alias(value)
        if number is None or not 1 <= number <= len(settings.stages):
            raise
        return settings.stage(number).name
    return value


def read_number(value, kind: str = "number"):
    """A number from a cell or typed text: ¥1,200 / $ 3.5 / 1e3 / 30% (percent columns: 0.3)."""
    if isinstance(value, bool):
        raise Invalid(f"not a number: {value!r}")
    if isinstance(value, (int, float)):
        return value
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    scale = 1
    if kind == "percent" and text.endswith("%"):
        text, scale = text[:-1], 0.01
    before, after, body = _CURRENCY.fullmatch(text).groups()
    sign = before + after
    if len(sign) > 1 or not _NUMBER.fullmatch(body) or not any(c.isdigit() for c in body):
        raise Invalid(f"not a number: {value!r}")
    number = float(sign + body.replace(",", "")) * scale
    whole = number.is_integer() and abs(number) < 2**53 and "." not in body and scale == 1
    return int(number) if whole or (kind == "int" and number.is_integer()) else number


def language_of(texts) -> str:
    """"zh" when most of the non-blank texts (headers) are written in Chinese, else "en"."""
    texts = [str(t) for t in texts if not is_blank(t)]
    chinese = sum(bool(_CJK.search(t)) for t in texts)
    return "zh" if texts and chinese * 2 > len(texts) else "en"


def raw_frame(body: list[list], first_row: int, columns: dict[str, int]) -> pd.DataFrame:
    """Cells under the header as a canonical frame indexed by row number; empty rows left out.

    One source column may feed several keys (an export's `account` both ID and name).
    """
    data = {key: [] for key in columns}
    index = []
    for number, row in enumerate(body, first_row):
        cells = {key: _cell(row, j) for key, j in columns.items()}
        if all(value is None for value in cells.values()):
            continue
        index.append(number)
        for key, value in cells.items():
            data[key].append(value)
    return pd.DataFrame(data, index=pd.Index(index, dtype=int), dtype=object)


def linked_columns(header: list, spec: schema.Sheet, mapping: Mapping, taken) -> dict[str, int]:
    """customer_name, contact_name ... -> 0-based column: the headers no column of the sheet takes that link
    its rows to a customer or contact person by name (a rep's tracker)."""
    found: dict[str, int] = {}
    for j, text in enumerate(header):
        link = None if j in taken or is_blank(text) else links.header_link(spec.key, mapping, text)
        if link:
            found.setdefault(link, j)
    return found


def source_table(spec: schema.Sheet, file: str, header: list, body: list[list], first_row: int,
                 columns: dict[str, int], frame: pd.DataFrame, mapping: Mapping) -> Table:
    """A file's typed rows as the workbook reader's Table, with the cells that link them by name (for links)."""
    found = linked_columns(header, spec, mapping, set(columns.values()))
    linked = raw_frame(body, first_row, found).reindex(frame.index) if found else None
    return Table(spec, file, first_row - 1, columns, [cell_text(h) if not is_blank(h) else "" for h in header],
                 frame, found, linked)


def _cell(row: list, j: int):
    value = row[j] if j < len(row) else None
    return None if is_blank(value) else value


def type_frame(raw: pd.DataFrame, spec: schema.Sheet, mapping: Mapping, *, file: str, headers: dict[str, str],
               policy: str = KEEP, settings: Settings = DEFAULT_SETTINGS, texts: dict[str, str] | None = None,
               required: bool = True) -> tuple[pd.DataFrame, list[Unreadable]]:
    """Typed cells of a raw frame, and under REJECT the rows left out with why.

    headers: key -> "E (Close Date)" for messages; texts: key -> the header
    as typed ("CloseDate"), which tells an open deal's expected close. A
    column of dates whose day/month order is undecided is an XlCrmError
    naming it. required=False leaves the check of required values to the
    caller (reject_missing), after it has completed the IDs a tracker lacks.
    """
    frame = raw.copy()
    for key in frame.columns:
        values = mapping.value_map(spec.key, key)
        if values:
            frame[key] = frame[key].map(lambda v, values=values: values.get(fold(v), v) if isinstance(v, str) else v)
    if spec.key == "opportunities":
        frame = deal_frame(frame, texts or {}, file, settings)
    bad: dict[int, list[Unreadable]] = {}
    for key in frame.columns:
        column = spec.column(key)
        order = _order(frame[key], column, mapping, spec, file, headers.get(key, key))
        typed, known = [], {}  # known: each distinct value read once
        for row, value in frame[key].items():
            if value is None:
                typed.append(None)
                continue
            cached = (type(value), value)
            if cached not in known:
                try:
                    known[cached] = (read_cell(column, value, order, settings), None)
                except Invalid as exc:
                    known[cached] = (value, str(exc).split(":")[0])
            result, problem = known[cached]
            typed.append(result)
            if problem:
                zh = _ZH.get(problem, f"无法识别的{column.zh}")
                bad.setdefault(row, []).append(Unreadable(file, row, headers.get(key, key), value, problem, zh))
        frame[key] = pd.Series(typed, index=frame.index, dtype=object)
    if policy == KEEP:
        return frame, []
    frame = frame.drop(index=list(bad))
    rejected = [u for row in sorted(bad) for u in bad[row]]
    if not required:
        return frame, rejected
    frame, missing = reject_missing(frame, spec, file)
    return frame, sorted(rejected + missing, key=lambda u: u.row)


def reject_missing(frame: pd.DataFrame, spec: schema.Sheet, file: str) -> tuple[pd.DataFrame, list[Unreadable]]:
    """The rows that leave a required value blank, left out with why."""
    bad = []
    for row, record in zip(frame.index, frame.to_dict("records")):
        missing = missing_required(spec, record)
        if missing:
            en, zh = ", ".join(c.en for c in missing), "、".join(c.zh for c in missing)
            bad.append(Unreadable(file, row, None, None, f"missing {en}", f"缺少{zh}"))
    return frame.drop(index=[u.row for u in bad]), bad


def missing_required(spec: schema.Sheet, record) -> list[schema.Column]:
    """The required columns a record leaves blank (a lost deal's stage may be)."""
    lost = spec.key == "opportunities" and _status(record.get("status")) == "Lost"
    return [c for c in spec.columns if c.required and is_blank(record.get(c.key)) and not (lost and c.key == "stage")]


def _order(values: pd.Series, column: schema.Column, mapping: Mapping, spec: schema.Sheet, file: str,
           header: str) -> str | None:
    if column.kind != "date":
        return None
    try:
        return order_of(values.dropna(), mapping.date_format(spec.key, column.key))
    except AmbiguousDates as exc:
        raise XlCrmError(f"{file}, column {header}: {exc}; set date_format = \"MM/DD/YYYY\" or \"DD/MM/YYYY\" "
                         f"for it in a mapping file ([{spec.key}] or [{spec.key}.date_format])") from None


def deal_frame(opps: pd.DataFrame, texts: dict[str, str], file: str, settings: Settings = DEFAULT_SETTINGS
               ) -> pd.DataFrame:
    """A deal file's stage, status and CloseDate read as the workbook reader reads them (links.deal_columns)."""
    keys = list(opps.columns)
    table = Table(schema.sheet("opportunities"), file, 1, {k: j for j, k in enumerate(keys)},
                  [texts.get(k, k) for k in keys], opps)
    links.deal_columns(table, settings)
    return table.frame


def _status(cell) -> str | None:
    try:
        return STATUS.parse(cell)
    except Invalid:
        return None


def zh_column(label: str) -> str:
    """ "H (金额)" -> "H列（金额）", as a column is named in Chinese messages."""
    match = re.fullmatch(r"([A-Z]+) \((.*)\)", label)
    return f"{match.group(1)}列（{match.group(2)}）" if match else f"{label}列"


def column_label(j: int, header) -> str:
    """ "E (Close Date)" for the 0-based column j."""
    return f"{col_letters(j)} ({cell_text(header) if not is_blank(header) else ''})"
