"""The standard columns a found table lacks: where they go, what their cells hold, how they look.

Added columns go to the right of everything the sheet uses. When the
table is an Excel Table with free cells to its right, they become new
columns of that table instead: derived columns as calculated columns, so a
row a rep adds in Excel gets the formulas. Synced columns are written as
values and derived ones as the same formulas `init` writes: references to
the first data row (`$F2`), each column stored once as a shared formula
(a 30,000-row sheet grows by its values, not by 30,000 copies of every
formula), with cached results from the compute step; a table's calculated
column holds the same first-row formula. Number formats, dropdowns and
highlights follow xl_crm.sheets.column_style.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..compute.step import Computed
from ..model import schema
from ..ooxml import shared_formulas, sheetelements, tables
from ..ooxml.package import Package
from ..ooxml.sheetelements import Area, Highlight, Validation
from ..ooxml.sheetxml import Styled, cell_style, col_letters, has_content, row_cells
from ..ooxml.tables import TablePart
from ..sheets import column_style
from ..sheets.formulas import derived_formulas
from ..sheets.read import Table


@dataclass(frozen=True)
class Placement:
    """Where a table's missing columns go and how they are dressed.

    `excel` is the Excel Table that takes them (None: they sit next to a plain range); `rows` the data rows
    that get values, formulas and formats; `dropdowns` the list validations (column key -> formula1) on
    cells no validation covers yet; `highlights` (column key, operator, formula, colour) the conditional formats.
    """

    table: Table
    lang: str
    positions: dict[str, int]  # added column key -> 0-based column
    excel: TablePart | None
    rows: range
    dropdowns: dict[str, str]
    highlights: list[tuple[str, str, str, str]]

    def area(self, key: str) -> Area:
        return Area(self.rows.start, self.positions[key], self.rows.stop - 1, self.positions[key])

    def describe(self) -> str:
        spec, cols = self.table.spec, self.positions.values()
        span = f"{col_letters(min(cols))}-{col_letters(max(cols))}"
        header = lambda key: spec.column(key).header(self.lang)  # noqa: E731
        where = f"extend table {self.excel.name!r} with" if self.excel else "add columns"
        text = f"{self.table.sheet_name!r}: {where} {', '.join(header(k) for k in self.positions)} ({span})"
        if self.dropdowns:
            text += f"; dropdowns on {', '.join(header(k) for k in self.dropdowns)}"
        if self.highlights:
            text += f"; highlights on {', '.join(dict.fromkeys(header(h[0]) for h in self.highlights))}"
        return text


def _free(pkg: Package, table: Table, excel: TablePart, width: int) -> bool:
    """No cell to the right of the Excel Table, in its rows or the table's, shows anything."""
    start = excel.last_col + 1
    if start >= len(table.headers):
        return True
    last = max([excel.last_row, *table.frame.index])
    used = row_cells(pkg.read(pkg.sheet_part(table.sheet_name)), range(excel.header_row, last + 1))
    return not any(start <= col < start + width and has_content(cell)
                   for cells in used.values() for col, cell in cells.items())


def _rows(table: Table, excel: TablePart | None) -> range:
    """The data rows (at least one): an Excel Table's own data range (not its totals row, nor rows below it)."""
    if excel is not None:
        return excel.data_rows if excel.data_rows else range(excel.header_row + 1, excel.header_row + 2)
    return range(table.header_row + 1, max([table.header_row + 1, *table.frame.index]) + 1)


def place(pkg: Package, table: Table, lang: str) -> Placement | None:
    """Where the missing standard columns of a found table go; None when it has them all."""
    spec = table.spec
    missing = [c.key for c in spec.columns if c.key not in table.columns]
    if not missing:
        return None
    excel = tables.table_with_header(pkg, table.sheet_name, table.header_row, table.columns.values())
    if excel is not None and _free(pkg, table, excel, len(missing)):
        start = excel.last_col + 1
    else:
        excel, start = None, len(table.headers)
    positions = {k: start + i for i, k in enumerate(missing)}
    rows = _rows(table, excel)
    taken = sheetelements.existing_validation_areas(pkg.read(pkg.sheet_part(table.sheet_name)))
    dropdowns = {}
    for key, col in positions.items():
        formula = column_style.dropdown(spec.column(key), lang)
        if formula and not any(Area(rows.start, col, rows.stop - 1, col).overlaps(a) for a in taken):
            dropdowns[key] = formula
    highlights = [h for h in column_style.highlights(spec.key, lang) if h[0] in positions]
    return Placement(table, lang, positions, excel, rows, dropdowns, highlights)


def _first_row_formulas(table: Table, positions: dict[str, int], lang: str, first_row: int) -> dict[str, str]:
    """The derived columns' formulas for `first_row`, as `init` writes them: `$F2`-style references.

    Filled down (as a shared formula, or by Excel into a table's new rows) the row number follows each row.
    """
    return derived_formulas(table.spec.key, lang, lambda key: f"${col_letters(positions[key])}{first_row}")


def formula_cells(pkg: Package, table: Table, positions: dict[str, int], keys, rows: range, lang: str,
                  values: pd.DataFrame | None) -> dict:
    """The derived columns `keys` over consecutive Excel rows, each one shared formula, cached results from values.

    The cells must be written before the next call for the same sheet: each column takes the next
    shared-formula group number the sheet does not use yet.
    """
    formulas = _first_row_formulas(table, positions, lang, rows.start)
    group = shared_formulas.next_group(pkg.read(pkg.sheet_part(table.sheet_name)))
    cells = {}
    for key in keys:
        column = table.spec.column(key)
        cached = {}
        if values is not None:
            cached = dict(zip(values.index, (column.cell(v, lang) for v in values[key].tolist())))
        cells.update(shared_formulas.column(group, positions[key], rows, formulas[key], cached))
        group += 1
    return cells


def add_columns(pkg: Package, placement: Placement, computed: Computed) -> None:
    """Write the placed columns: headers, synced values, formulas, formats, dropdowns and highlights."""
    table, added, lang = placement.table, placement.positions, placement.lang
    spec, rows = table.spec, placement.rows
    positions = {**table.columns, **added}
    new_derived = [k for k in added if spec.column(k).role == schema.DERIVED]
    if placement.excel is not None:
        calculated = _first_row_formulas(table, positions, lang, rows.start)
        tables.add_columns(pkg, placement.excel, [(spec.column(k).header(lang), calculated[k][1:] if k in calculated
                                                   else None) for k in added])
    xml = pkg.read(pkg.sheet_part(table.sheet_name))
    header_cells = row_cells(xml, range(table.header_row, table.header_row + 1)).get(table.header_row, {})
    last_found = header_cells.get(max(table.columns.values()))  # new headers look like the recognised ones
    header_style = cell_style(last_found) if last_found is not None else None
    styles = {k: pkg.styles.format_style(column_style.number_format(spec.column(k)))
              for k in added if column_style.number_format(spec.column(k))}

    def styled(key, value):
        return Styled(value, styles[key]) if key in styles else value

    cells = {(table.header_row, col): (Styled(spec.column(k).header(lang), header_style) if header_style
                                       else spec.column(k).header(lang)) for k, col in added.items()}
    values = computed.table(spec.key, keep=table.columns)
    for k, col in added.items():
        column = spec.column(k)
        if column.role == schema.SYNCED:
            cells.update({(row, col): styled(k, column.cell(v, lang))
                          for row, v in zip(values.index, values[k].tolist()) if row in rows})
    keys = {col: k for k, col in added.items()}
    for (row, col), formula in formula_cells(pkg, table, positions, new_derived, rows, lang, values).items():
        cells[(row, col)] = styled(keys[col], formula)
    pkg.set_cells(table.sheet_name, cells)
    _dress(pkg, placement, styles)


def _dress(pkg: Package, placement: Placement, styles: dict[str, int]) -> None:
    """Column widths and formats, dropdowns and highlights of the added columns."""
    spec, added = placement.table.spec, placement.positions
    part = pkg.sheet_part(placement.table.sheet_name)
    xml = sheetelements.add_column_formats(pkg.read(part), {col: (spec.column(k).width, styles.get(k))
                                                            for k, col in added.items()})
    xml, _ = sheetelements.add_validations(xml, [Validation(placement.area(k), f)
                                                 for k, f in placement.dropdowns.items()])
    xml = sheetelements.add_highlights(xml, [
        Highlight(placement.area(key), operator, formula, pkg.styles.differential(*column_style.COLOURS[colour]))
        for key, operator, formula, colour in placement.highlights])
    pkg.write(part, xml)
