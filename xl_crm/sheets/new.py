"""Write a new CRM workbook (XlsxWriter): four Excel Tables, their row formulas, Settings.

Derived columns are table calculated columns, so a row a rep adds in Excel
gets its formulas; their cached results come from the compute step at the
date the AsOf cell gives, so the file reads right before any spreadsheet
recalculates it, and the same after. Cell values keep their
type: text is always written as text (a name such as "=1+1" or "-5%" never
becomes a formula or a number), dates as dates, numbers as numbers.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import BinaryIO, Callable, Sequence
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import CellFormulaTuple, Worksheet

from ..compute.step import Computed
from ..errors import XlCrmError
from ..model import schema
from ..model.asof import AsOf
from ..model.cells import to_serial
from ..model.settings import Settings
from ..model.text import LANGS
from ..ooxml.xstring import cell_text
from . import settings_sheet
from .column_style import COLOURS, NUMBER_FORMATS, dropdown, highlights, number_format
from .formulas import derived_formulas

SheetCallback = Callable[[xlsxwriter.Workbook], None]

SETTINGS_WIDTHS = (18, 16, 52)
_CRITERIA = {"equal": "==", "greaterThan": ">"}


def write_new_workbook(target: Path | BinaryIO, computed: Computed, *, lang: str = "en", cached: bool = True,
                       extra_sheets: Sequence[SheetCallback] = ()) -> Path | BinaryIO:
    """A new CRM workbook written to `target` (a path or a binary stream) from computed frames.

    Missing columns are written empty and missing sheets as empty tables.
    The AsOf cell holds `computed.as_of`'s fixed date or =TODAY();
    `cached=False` leaves formula results blank for a spreadsheet to
    compute. Callers that replace a user's file write through
    ooxml.save.atomic_write.
    """
    if lang not in LANGS:
        raise XlCrmError(f"{target}: unknown workbook language {lang!r} (use en or zh)")
    book = xlsxwriter.Workbook(target, {"strings_to_numbers": False, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    formats = _Formats(book)
    for spec in schema.DATA_SHEETS:
        _write_table(book, formats, spec, computed, lang, cached)
    for callback in extra_sheets:
        callback(book)
    _write_settings(book, formats, computed.settings, lang, computed.as_of)
    try:
        book.close()
    except (OSError, FileCreateError) as exc:
        raise XlCrmError(f"{target}: cannot write the workbook ({exc})") from exc
    return target


class _Formats:
    """One XlsxWriter format per number format, made once per workbook."""

    def __init__(self, book: xlsxwriter.Workbook):
        self.book = book
        self._cache: dict = {}
        self.date = self.number(NUMBER_FORMATS["date"])
        self.colours = {name: book.add_format({"font_color": "#" + font[2:], "bg_color": "#" + fill[2:]})
                        for name, (font, fill) in COLOURS.items()}
        self.header = book.add_format({"bold": True, "bottom": 1})
        self.general = book.add_format({"num_format": "General"})

    def number(self, num_format: str | None):
        if num_format is None:
            return None
        if num_format not in self._cache:
            self._cache[num_format] = self.book.add_format({"num_format": num_format})
        return self._cache[num_format]

    def column(self, column: schema.Column):
        return self.number(number_format(column))


def _cell_writer(sheet, formats: _Formats) -> Callable[[int, int, object], None]:
    """Write one cell keeping the value's type; None stays empty, NaN too (callers map NaT to None).

    Booleans get the General format, not their column's: LibreOffice reads a
    boolean shown as a date as a number, so ISLOGICAL() would miss it.
    """
    write_string, write_number, write_boolean = sheet.write_string, sheet.write_number, sheet.write_boolean
    date_format, general = formats.date, formats.general

    def write(row: int, col: int, value) -> None:
        kind = type(value)
        if kind is str:
            write_string(row, col, cell_text(value))
        elif value is None:
            return
        elif kind is bool or kind is np.bool_:
            write_boolean(row, col, bool(value), general)
        elif isinstance(value, date):
            write_number(row, col, to_serial(value), date_format)
        elif isinstance(value, np.datetime64):
            write_number(row, col, to_serial(pd.Timestamp(value).to_pydatetime()), date_format)
        elif isinstance(value, (int, float, np.integer, np.floating)):
            if math.isfinite(value):
                write_number(row, col, float(value))
            elif not math.isnan(value):
                write_string(row, col, str(value))
        else:
            write_string(row, col, cell_text(str(value)))

    return write


def _cached(column: schema.Column, values: pd.Series, lang: str) -> list:
    """Formula results as XlsxWriter stores them: the cell's value (schema.Column.cell), dates as serials."""
    out = []
    for value in values.tolist():
        value = column.cell(value, lang)
        out.append("" if value is None else to_serial(value) if isinstance(value, date) else value)
    return out


def _write_table(book, formats: _Formats, spec: schema.Sheet, computed: Computed, lang: str, cached: bool) -> None:
    sheet = book.add_worksheet(spec.name(lang), worksheet_class=_SharedFormulaSheet)
    frame = computed.table(spec.key)
    rows = max(len(frame), 1)  # a table needs one data row; an empty one reads as no record
    first_row = lambda key: f"${xl_col_to_name(spec.keys.index(key))}2"  # noqa: E731
    formulas = derived_formulas(spec.key, lang, first_row) if spec.role(schema.DERIVED) else {}
    sheet.add_table(0, 0, rows, len(spec.columns) - 1, {
        "name": schema.TABLE_NAMES[spec.key],
        "style": "TableStyleMedium2",
        "columns": [{"header": c.header(lang)} for c in spec.columns],
    })
    for col, column in enumerate(spec.columns):
        sheet.set_column(col, col, column.width, formats.column(column))
    write = _cell_writer(sheet, formats)
    for col, column in enumerate(spec.columns):
        if column.key in spec.refreshed:  # computed values: labels in the workbook's language
            for row, value in enumerate(frame[column.key].tolist(), 1):
                write(row, col, column.cell(value, lang))
        elif column.key not in formulas:
            for row, value in enumerate(frame[column.key].tolist(), 1):
                write(row, col, value)
    if formulas:
        values = (frame if len(frame) else computed.placeholder(spec.key)) if cached else None
        for col, column in enumerate(spec.columns):
            if column.key in formulas:
                results = _cached(column, values[column.key], lang) if cached else [""] * rows
                _write_calculated_column(sheet, col, formulas[column.key], results)
    _add_validation(sheet, spec, rows, lang)
    _add_highlights(sheet, formats, spec, rows, lang)
    sheet.freeze_panes(1, 0)


def _write_calculated_column(sheet, col: int, formula: str, results: list) -> None:
    """A table calculated column: its formula on the table and in every data row, with cached results.

    The formula refers to the first data row (`$F2`); Excel reads a table's
    calculated column that way and fills it into rows a rep adds. The cells
    share it as one Excel shared formula, so a 200,000-row column stores
    the text once. XlsxWriter would also re-parse a formula on every write
    (some thirty regular expressions), so the cell records are stored directly.
    """
    prepared = sheet._prepare_formula(formula, True)
    sheet.tables[-1]["columns"][col]["formula"] = prepared
    group = len(sheet.shared_formulas)
    sheet.shared_formulas.append(col)
    last = len(results)
    first = _SharedFormula(prepared, f'<f t="shared" ref="{xl_col_to_name(col)}2:{xl_col_to_name(col)}{last + 1}" '
                                     f'si="{group}">{escape(prepared)}</f>')
    rest = _SharedFormula(prepared, f'<f t="shared" si="{group}"/>')
    cells = sheet.table
    for row, result in enumerate(results, 1):
        cells[row][col] = CellFormulaTuple(first if row == 1 else rest, None, result)


class _SharedFormula(str):
    """A formula's text with the <f> element that stores it as an Excel shared formula."""

    def __new__(cls, text: str, element: str):
        self = super().__new__(cls, text)
        self.element = element
        return self


class _SharedFormulaSheet(Worksheet):
    """An XlsxWriter worksheet that writes _SharedFormula cells as shared formulas."""

    def __init__(self):
        super().__init__()
        self.shared_formulas: list[int] = []

    def _xml_formula_element(self, formula, result, attributes=[]) -> None:  # noqa: B006 (XlsxWriter's own)
        if not isinstance(formula, _SharedFormula):
            return super()._xml_formula_element(formula, result, attributes)
        attr = "".join(f' {key}="{self._escape_attributes(value)}"' for key, value in attributes)
        self.fh.write(f"<c{attr}>{formula.element}<v>{self._escape_data(result)}</v></c>")


def _add_validation(sheet, spec: schema.Sheet, rows: int, lang: str) -> None:
    """Dropdowns on input columns with a fixed set of values; other spellings still allowed."""
    for col, column in enumerate(spec.columns):
        formula = dropdown(column, lang)
        if formula:
            sheet.data_validation(1, col, rows, col, {"validate": "list", "source": "=" + formula,
                                                      "show_error": False})


def _add_highlights(sheet, formats: _Formats, spec: schema.Sheet, rows: int, lang: str) -> None:
    """Overdue and stale rows stand out: red for overdue/stale, amber for due today."""
    for key, operator, formula, colour in highlights(spec.key, lang):
        col = spec.keys.index(key)
        sheet.conditional_format(1, col, rows, col, {"type": "cell", "criteria": _CRITERIA[operator],
                                                     "value": formula, "format": formats.colours[colour]})


def _write_settings(book, formats: _Formats, settings: Settings, lang: str, as_of: AsOf) -> None:
    """The Settings sheet per settings_sheet.layout and its names, defined workbook-wide."""
    name = schema.SETTINGS_NAME(lang)
    sheet = book.add_worksheet(name)
    cells, names = settings_sheet.layout(settings, lang, as_of.cell)
    styles = {"header": formats.header, "date": formats.date, "percent": formats.number("0%"),
              "money": formats.number("#,##0"), "number": None, "text": None}
    today = to_serial(as_of.day)
    for cell in cells:
        row, col, value, style = cell.row - 1, cell.col, cell.value, styles[cell.style]
        if isinstance(value, str) and value.startswith("="):
            sheet.write_formula(row, col, value, style, today)
        elif isinstance(value, date):
            sheet.write_number(row, col, to_serial(value), formats.date)
        elif isinstance(value, str):
            sheet.write_string(row, col, cell_text(value), style)
        else:
            sheet.write_number(row, col, float(value), style)
    for col, width in enumerate(SETTINGS_WIDTHS):
        sheet.set_column(col, col, width)
    for defined, cell_range in names.items():
        book.define_name(defined, f"='{name}'!{cell_range}")
