"""A small adapter over a workbook open in Excel, so the macros' logic runs on plain rows.

The macros need only a handful of operations: read a sheet as rows, write
some cells, append rows, replace a sheet's content, know the selected row,
ask and tell the user. `XwBook` does them through the xlwings Book/Sheet/
Range API (classic add-in and xlwings Lite alike); `MemoryBook` holds the
rows in memory -- the stand-in the tests use, and a way to run the macros
on a workbook file read with python-calamine.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from ..errors import XlCrmError

Cells = dict[tuple[int, int], object]  # (1-based row, 0-based column) -> value, as Package.set_cells


class LiveBook(Protocol):
    """What the macros ask of an open workbook."""

    fullname: str

    def sheet_names(self) -> list[str]: ...

    def rows(self, sheet: str) -> list[list]:
        """The sheet's values from A1 to the last used cell (None for blanks)."""

    def write_cells(self, sheet: str, cells: Cells) -> None: ...

    def append_rows(self, sheet: str, rows: list[list]) -> int:
        """Write rows below the last used row; returns the first row written (1-based)."""

    def replace_sheet(self, sheet: str, rows: list[list]) -> None:
        """Add the sheet (or clear it) and write rows from A1."""

    def selection(self) -> tuple[str, int] | None:
        """The active sheet and 1-based row of the selection."""

    def ask(self, prompt: str, default: str = "") -> str | None:
        """A line of text from the user; None when cancelled."""

    def tell(self, message: str) -> None: ...

    def save(self) -> None: ...


def _excel_value(value):
    """Dates as datetime: what Excel cells take."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


def _runs(cells: Cells):
    """(column, first row, values) for each vertical run of adjacent cells, so writes are few."""
    ordered = sorted(cells.items(), key=lambda item: (item[0][1], item[0][0]))
    run: list = []
    for (row, col), value in ordered:
        if run and (col != run[0][1] or row != run[-1][0] + 1):
            yield run[0][1], run[0][0], [v for _, _, v in run]
            run = []
        run.append((row, col, value))
    if run:
        yield run[0][1], run[0][0], [v for _, _, v in run]


class XwBook:
    """A LiveBook over an xlwings Book (`xw.Book.caller()` or Lite's `book`)."""

    def __init__(self, book):
        self.book = book
        self.fullname = book.fullname

    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets]

    def rows(self, sheet: str) -> list[list]:
        ws = self.book.sheets[sheet]
        last = ws.used_range.last_cell
        return ws.range((1, 1), (last.row, last.column)).options(ndim=2).value

    def write_cells(self, sheet: str, cells: Cells) -> None:
        ws = self.book.sheets[sheet]
        for col, first, values in _runs(cells):
            ws.range((first, col + 1)).options(transpose=True).value = [_excel_value(v) for v in values]

    def append_rows(self, sheet: str, rows: list[list]) -> int:
        ws = self.book.sheets[sheet]
        first = ws.used_range.last_cell.row + 1
        ws.range((first, 1)).value = [[_excel_value(v) for v in row] for row in rows]
        return first

    def replace_sheet(self, sheet: str, rows: list[list]) -> None:
        if sheet in self.sheet_names():
            ws = self.book.sheets[sheet]
            ws.clear()
        else:
            ws = self.book.sheets.add(sheet, after=self.book.sheets[-1])
        if rows:
            width = max(len(r) for r in rows)
            ws.range("A1").value = [[_excel_value(v) for v in r] + [None] * (width - len(r)) for r in rows]
        ws.activate()

    def selection(self) -> tuple[str, int] | None:
        selected = self.book.selection
        return None if selected is None else (selected.sheet.name, selected.row)

    def ask(self, prompt: str, default: str = "") -> str | None:
        answer = self.book.app.api.InputBox(prompt, "xl_crm", default)  # Excel's InputBox: False on Cancel
        return None if answer is False else str(answer)

    def tell(self, message: str) -> None:
        self.book.app.alert(message, title="xl_crm")

    def save(self) -> None:
        self.book.save()


class MemoryBook:
    """A LiveBook held in memory: sheets of rows, a selection, scripted answers, messages told."""

    def __init__(self, sheets: dict[str, list[list]], fullname: str = "", selection=None, answers=()):
        self.sheets = {name: [list(r) for r in rows] for name, rows in sheets.items()}
        self.fullname = fullname
        self.selected = selection
        self.answers = list(answers)
        self.told: list[str] = []
        self.saved = 0

    @classmethod
    def from_file(cls, path: str | Path, **kwargs) -> "MemoryBook":
        """Every sheet of a workbook file, as calamine reads it (blanks None)."""
        from python_calamine import CalamineWorkbook  # here: xlwings Lite has no use for it

        try:
            book = CalamineWorkbook.from_path(str(path))
        except Exception as exc:  # calamine raises its own error types for every kind of damage
            raise XlCrmError(f"{path}: cannot read the workbook ({exc})") from exc
        sheets = {}
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheets[name] = [[None if v == "" else v for v in row] for row in rows]
        return cls(sheets, fullname=str(path), **kwargs)

    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    def rows(self, sheet: str) -> list[list]:
        rows = self.sheets[sheet]
        width = max((len(r) for r in rows), default=0)
        return [r + [None] * (width - len(r)) for r in rows]

    def write_cells(self, sheet: str, cells: Cells) -> None:
        rows = self.sheets[sheet]
        for (row, col), value in cells.items():
            while len(rows) < row:
                rows.append([])
            line = rows[row - 1]
            line.extend([None] * (col + 1 - len(line)))
            line[col] = _excel_value(value)  # a cell gives back a datetime, as Excel's do

    def append_rows(self, sheet: str, rows: list[list]) -> int:
        body = self.sheets[sheet]
        while body and all(v is None for v in body[-1]):
            body.pop()
        first = len(body) + 1
        body.extend([_excel_value(v) for v in r] for r in rows)
        return first

    def replace_sheet(self, sheet: str, rows: list[list]) -> None:
        self.sheets[sheet] = [[_excel_value(v) for v in r] for r in rows]

    def selection(self) -> tuple[str, int] | None:
        return self.selected

    def ask(self, prompt: str, default: str = "") -> str | None:
        return self.answers.pop(0) if self.answers else None

    def tell(self, message: str) -> None:
        self.told.append(message)

    def save(self) -> None:
        self.saved += 1
