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
"""

from __future__ import annotations

import re
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..model import schema
from . import added_columns
from ..sheets import settings_sheet
from ..sheets.new import write_new_workbook
from ..ooxml.package import Package
from ..sheets.read import CrmData, Table, read_workbook
from ..ooxml.save import refuse_if_open
from ..model.mapping import Mapping

_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Plan:
    """What an upgrade found and what it changes (or would change, on a dry run)."""

    path: Path
    lang: str
    found: dict[str, str] = field(default_factory=dict)  # sheet key -> description of the mapping
    changes: list[str] = field(default_factory=list)
    written: bool = False

    def lines(self) -> list[str]:
        out = [f"{self.path} (language {self.lang})"]
        out += [f"  {schema.sheet(k).en}: {v}" for k, v in self.found.items()] or ["  no CRM tables found"]
        out += [f"  + {c}" for c in self.changes] or ["  nothing to change"]
        return out


def detect_lang(data: CrmData) -> str:
    """Chinese when the workbook is Chinese already or its found headers are."""
    if data.lang == "zh":
        return "zh"
    headers = [data.tables[k].headers[j] for k in data.tables for j in data.tables[k].columns.values()]
    return "zh" if headers and sum(bool(_CJK.search(h)) for h in headers) * 2 > len(headers) else "en"


def _describe(table: Table) -> str:
    pairs = ", ".join(f"{table.headers[j]} -> {key}" for key, j in table.columns.items())
    return f"sheet {table.sheet_name!r}, header row {table.header_row}: {pairs}"


def _settings_names(lang: str) -> dict[str, str]:
    _, names = settings_sheet.layout(lang=lang)
    sheet = schema.SETTINGS_NAME[lang]
    return {name: f"'{sheet}'!{ref}" for name, ref in names.items()}


def _template(lang: str, settings) -> bytes:
    """An empty standard workbook, in memory, to copy the missing standard sheets from."""
    return write_new_workbook(io.BytesIO(), {}, lang=lang, settings=settings, cached=False).getvalue()


def upgrade_workbook(path: str | Path, mapping: Mapping | None = None, lang: str | None = None,
                     dry_run: bool = False, backup: bool = True, as_of: date | None = None) -> Plan:
    """Add what the workbook lacks to be a CRM; with dry_run, only say what that would be."""
    path = Path(path)
    if not dry_run:
        refuse_if_open(path)
    data = read_workbook(path, mapping)
    plan = Plan(path, lang or detect_lang(data))
    plan.found = {k: _describe(t) for k, t in data.tables.items()}
    with Package.open(path) as pkg:
        as_of = as_of or settings_sheet.fixed_as_of(pkg, data) or date.today()
        existing = {n.lower() for n in pkg.sheet_names}
        template = None
        settings_present = any(n.lower() in existing for n in schema.SETTINGS_NAME.values())
        wanted = [s.name(plan.lang) for s in schema.DATA_SHEETS if s.key not in data.tables]
        if not settings_present:
            wanted.append(schema.SETTINGS_NAME[plan.lang])
        for sheet_name in wanted:
            if sheet_name.lower() in existing:
                plan.changes.append(f"sheet {sheet_name!r} exists but holds no recognisable table: left as it is")
                continue
            plan.changes.append(f"add sheet {sheet_name!r}")
            if not dry_run:
                template = template or _template(plan.lang, data.settings)
                pkg.put_sheet(sheet_name, template, sheet_name)
        for name, ref in _settings_names(plan.lang).items():
            if name.lower() not in {n.lower() for n in pkg.defined_names} and not settings_present:
                pkg.set_defined_name(name, ref)
        for key, table in data.tables.items():
            placement = added_columns.place(pkg, table, plan.lang)
            if placement is None:
                continue
            plan.changes.append(placement.describe())
            if not dry_run:
                added_columns.add_columns(pkg, data, placement, as_of)
        if plan.changes and not dry_run and pkg.modified:
            pkg.full_recalc_on_load()
            pkg.save(backup=backup)
            plan.written = True
    return plan
