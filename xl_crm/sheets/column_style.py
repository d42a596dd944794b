"""How a standard column is dressed besides its values: number format, dropdown, highlights.

`init` (xl_crm.sheets.new) and `upgrade` (xl_crm.adopt.added_columns) dress
their columns from here, so a new workbook and an adopted one look alike: dates, money and percentages formatted,
a dropdown on enumerated inputs (other spellings still accepted), overdue
and stale rows in red, due-today in amber.
"""

from __future__ import annotations

from ..model import schema, vocab

NUMBER_FORMATS = {"date": "yyyy-mm-dd", "money": "#,##0", "percent": "0%", "int": "0", "id": "@"}
# (font colour, fill colour) as ARGB, the colours init uses
COLOURS = {"red": ("FF9C0006", "FFFFC7CE"), "amber": ("FF9C5700", "FFFFEB9C")}


def number_format(column: schema.Column) -> str | None:
    return NUMBER_FORMATS.get(column.kind)


def dropdown(column: schema.Column, lang: str) -> str | None:
    """formula1 of the column's list validation: the stage names or the vocabulary's labels; None for none."""
    if column.role != schema.INPUT:
        return None
    if column.kind == "stage":
        return "StageNameZh" if lang == "zh" else "StageName"
    if column.vocab is None:
        return None
    return '"' + ",".join(column.vocab.labels(lang)) + '"'


def _text(words: vocab.Vocab, value: str, lang: str) -> str:
    return '"' + words.label(value, lang).replace('"', '""') + '"'


def highlights(sheet_key: str, lang: str) -> list[tuple[str, str, str, str]]:
    """(column key, cellIs operator, formula, colour) of the sheet's highlights."""
    if sheet_key == "customers":
        return [("followup_status", "equal", _text(vocab.FOLLOWUP_STATUS, "Overdue", lang), "red"),
                ("followup_status", "equal", _text(vocab.FOLLOWUP_STATUS, "Due today", lang), "amber"),
                ("days_overdue", "greaterThan", "0", "red"), ("overdue_receivable", "greaterThan", "0", "red"),
                ("pool_status", "equal", _text(vocab.POOL_STATUS, "Release", lang), "amber"),
                ("pool_status", "equal", _text(vocab.POOL_STATUS, "Pool", lang), "amber")]
    if sheet_key == "opportunities":
        # any text sorts after "": the deals whose political map carries warnings
        return [("stale", "equal", "TRUE", "red"), ("slipped", "equal", "TRUE", "red"),
                ("map_warnings", "greaterThan", '""', "amber")]
    if sheet_key == "payments":
        return [("days_late", "greaterThan", "0", "red"), ("aging", "equal", _text(vocab.AGING, ">90", lang), "red")]
    return []
