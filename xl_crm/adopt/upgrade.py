"""Turn an existing workbook into a CRM without losing anything in it.

The customer, opportunity, contact and activity tables are found by their
headers (xl_crm.model.mapping); each gets the standard columns it lacks
(xl_crm.adopt.added_columns): empty input columns, synced values, and the
derived columns as the same native row formulas `init` writes, with its
number formats, dropdowns and highlights. An Excel Table is widened by
them (calculated columns); a plain range gets them to the right of
everything the sheet uses. Either way each derived column is stored once,
as a shared formula over references to its first data row, as `init`
writes it. Missing standard sheets are copied in from a fresh template
(Settings always, with its defined names). Everything else in the file is
copied byte for byte (xl_crm.ooxml.package), and a second upgrade finds
nothing to do.

A rep's own tracker (xl_crm.sheets.read, xl_crm.sheets.links) gets what it
lacks without a cell of it rewritten: its missing ID and status columns
are added at the end of its table with the values read from its rows (IDs
stable from the row's content, the customer's ID from its name), and the
Customers (and Contacts) sheet its rows name is added with those rows.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from python_calamine import CalamineWorkbook

from ..compute.step import Computed, compute
from ..model import schema
from ..model.asof import AsOf
from ..model.mapping import Mapping
from ..ooxml import sheetxml
from ..ooxml.package import Package
from ..ooxml.save import refuse_if_open
from ..ooxml.sheetxml import Styled
from ..sheets import column_style, links, settings_sheet
from ..sheets.new import write_new_workbook
from ..sheets.read import CrmData, Table, read_workbook
from . import added_columns

_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Plan:
    """What an upgrade found and what it changes (or would change, on a dry run)."""

    path: Path
    lang: str
    found: dict[str, str] = field(default_factory=dict)  # sheet key -> description of the mapping
    also: dict[str, str] = field(default_factory=dict)  # sheet name -> the kind it reads as, found elsewhere
    notes: list[str] = field(default_factory=list)  # what the user should know and upgrade does not change
    changes: list[str] = field(default_factory=list)
    written: bool = False

    def lines(self) -> list[str]:
        out = [f"{self.path} (language {self.lang})"]
        out += [f"  {schema.sheet(k).en}: {v}" for k, v in self.found.items()] or ["  no CRM tables found"]
        out += [f"  sheet {name!r} also reads as {schema.sheet(k).en}: left as it is (one table of each kind)"
                for name, k in self.also.items()]
        out += [f"  note: {n}" for n in self.notes]
        out += [f"  + {c}" for c in self.changes] or ["  nothing to change"]
        return out


def detect_lang(data: CrmData) -> str:
    """Chinese when the workbook is Chinese already, or its found headers are (its sheet names, if none found)."""
    if data.lang == "zh":
        return "zh"
    texts = [t.headers[j] for t in data.tables.values() for j in [*t.columns.values(), *t.links.values()]]
    texts = texts or data.sheet_names
    return "zh" if texts and sum(bool(_CJK.search(h)) for h in texts) * 2 > len(texts) else "en"


_LINK_WORDS = {"customer_name": "customer name (links the row to Customers)", "contact_name": "contact name",
               "contact_phone": "contact phone", "contact_title": "contact title"}


def _describe(table: Table) -> str:
    pairs = [f"{table.headers[j]} -> {key}" for key, j in table.columns.items()]
    pairs += [f"{table.headers[j]} -> {_LINK_WORDS[key]}" for key, j in table.links.items()]
    return f"sheet {table.sheet_name!r}, header row {table.header_row}: {', '.join(pairs)}"


def _built(data: CrmData, key: str) -> str:
    source = "Opportunities" if key == "customers" or "opportunities" in data.tables else "Customers"
    table = data.tables[source.lower()]
    what = "customers (one per customer name)" if key == "customers" else "contacts (one per person and customer)"
    return f"with {len(data.built[key])} {what} from sheet {table.sheet_name!r}"


def _implied_cells(table: Table, placement: added_columns.Placement, lang: str, pkg: Package) -> dict:
    """The values of the added columns the rows imply (IDs, status, expected close), styled as added."""
    cells = {}
    for key in table.implied:
        if key not in placement.positions:
            continue
        column = table.spec.column(key)
        fmt = column_style.number_format(column)
        style = pkg.styles.format_style(fmt) if fmt else None
        for row, value in table.frame[key].items():
            value = column.cell(value, lang)
            if value is not None and row in placement.rows:
                cells[(row, placement.positions[key])] = Styled(value, style) if style is not None else value
    return cells


def _settings_names(lang: str, sheet: str) -> dict[str, str]:
    _, names = settings_sheet.layout(lang=lang)
    return {name: f"'{sheet}'!{ref}" for name, ref in names.items()}


_MAX_ROWS = 1_048_576
_FORMATS = {"number": "0", "percent": "0%", "money": "#,##0"}


def _complete_settings(pkg: Package, path: Path, sheet: str, lang: str, as_of: date, plan: Plan,
                       dry_run: bool) -> dict[str, str]:
    """Append what xl_crm's Settings sheet lacks below everything it holds; every name its cells then place.

    Not a cell it holds moves or changes: an earlier release's sheet gains
    the thresholds and tables added since, each block under its header.
    """
    rows = [[None if v == "" else v for v in r] for r in CalamineWorkbook.from_path(str(path))
            .get_sheet_by_name(sheet).to_python(skip_empty_area=False)]
    xml = pkg.read(pkg.sheet_part(sheet))
    used = max([len(rows), *sheetxml.row_cells(xml, range(1, _MAX_ROWS + 1))])
    cells, added, said = settings_sheet.additions(rows, lang, as_of, used + 2)
    plan.changes += [f"{sheet!r}: add {line}" for line in said]
    if cells and not dry_run:
        header = sheetxml.cell_style(sheetxml.row_cells(xml, range(1, 2)).get(1, {}).get(0))
        styles = {key: pkg.styles.format_style(code) for key, code in _FORMATS.items()
                  if any(c.style == key for c in cells)} | {"header": header}
        pkg.set_cells(sheet, {(c.row, c.col): c.value if styles.get(c.style) is None
                              else Styled(c.value, styles[c.style]) for c in cells})
    return {name: f"'{sheet}'!{ref}" for name, ref in (settings_sheet.located(rows) | added).items()}


def _template(lang: str, computed: Computed) -> bytes:
    """A standard workbook of the computed frames, in memory, to copy the missing standard sheets from."""
    return write_new_workbook(io.BytesIO(), computed, lang=lang, cached=False).getvalue()


def upgrade_workbook(path: str | Path, mapping: Mapping | None = None, lang: str | None = None,
                     dry_run: bool = False, backup: bool = True, as_of: date | None = None) -> Plan:
    """Add what the workbook lacks to be a CRM; with dry_run, only say what that would be."""
    path = Path(path)
    if not dry_run:
        refuse_if_open(path)
    data = read_workbook(path, mapping)
    plan = Plan(path, lang or detect_lang(data))
    plan.found, plan.also = {k: _describe(t) for k, t in data.tables.items()}, data.also
    unknown = links.new_customers(data)
    if len(unknown):
        names = ", ".join(unknown["name"].head(5)) + (" ..." if len(unknown) > 5 else "")
        plan.notes.append(f"{len(unknown)} customers named on deals are not in sheet "
                          f"{data.tables['customers'].sheet_name!r} ({names}): add them there, or `check` lists them")
    with Package.open(path) as pkg:
        computed = compute({key: data.frame(key) for key in (*data.tables, *data.built)},
                           AsOf.resolve(as_of, settings_sheet.fixed_as_of(pkg, data)), data.settings)
        existing = {n.lower() for n in pkg.sheet_names}
        template = None
        settings_present = data.settings_name is not None  # xl_crm's own, by its content
        settings_name = data.settings_name or settings_sheet.free_name(plan.lang, pkg.sheet_names)
        wanted = [s.name(plan.lang) for s in schema.DATA_SHEETS if s.key not in data.tables]
        if not settings_present:
            wanted.append(settings_name)
            if settings_name != schema.SETTINGS_NAME(plan.lang):
                plan.changes.append(f"sheet {schema.SETTINGS_NAME(plan.lang)!r} is the workbook's own, not xl_crm's "
                                    f"Settings: left as it is")
        for sheet_name in wanted:
            if sheet_name.lower() in existing:
                plan.changes.append(f"sheet {sheet_name!r} exists but holds no recognisable table: left as it is")
                continue
            key = next(s.key for s in schema.DATA_SHEETS if sheet_name in (s.en, s.zh)) \
                if sheet_name != settings_name else None
            plan.changes.append(f"add sheet {sheet_name!r}" + (f" {_built(data, key)}" if key in data.built else ""))
            if not dry_run:
                template = template or _template(plan.lang, computed)
                pkg.put_sheet(sheet_name, template, sheet_name if key else schema.SETTINGS_NAME(plan.lang))
        names = _settings_names(plan.lang, settings_name)
        if settings_present:
            names = _complete_settings(pkg, path, settings_name, data.lang, computed.day, plan, dry_run)
        for name, ref in names.items():
            if name.lower() not in {n.lower() for n in pkg.defined_names}:
                if settings_present:
                    plan.changes.append(f"define the name {name} ({ref})")
                if not dry_run:
                    pkg.set_defined_name(name, ref)
        for key, table in data.tables.items():
            placement = added_columns.place(pkg, table, plan.lang)
            if placement is None:
                continue
            plan.changes.append(placement.describe())
            if table.renamed:
                words = ", ".join(f"{a} -> {b}" for a, b in table.renamed.items())
                plan.changes.append(f"{table.sheet_name!r}: stages read as the funnel's ({words}); the row formulas "
                                    f"know the Settings names only, so these rows' probability stays blank in Excel "
                                    f"until the stages are renamed")
            implied = [table.spec.column(k).header(plan.lang) for k in table.implied if k in placement.positions]
            if implied:
                plan.changes.append(f"{table.sheet_name!r}: fill {', '.join(implied)} from each row")
            if not dry_run:
                added_columns.add_columns(pkg, placement, computed)
                pkg.set_cells(table.sheet_name, _implied_cells(table, placement, plan.lang, pkg))
        if plan.changes and not dry_run and pkg.modified:
            pkg.full_recalc_on_load()
            pkg.save(backup=backup)
            plan.written = True
    return plan
