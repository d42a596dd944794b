"""Handover (交接, DOMAIN section 16): a rep's customers move to another rep, or to the pool, in one step.

The customers move with their open deals, contacts, the deals' contacts,
activities, payments and competitor rows (the sheets a workbook has). In
one workbook the owner cells change in place; in a team folder the rows
move from the leaving rep's workbook to the other rep's: appended in the
one, deleted in the other as Excel's "Delete table rows" does
(xl_crm.ooxml.rows), so no blank row is left inside the leaving rep's
tables (a sheet holding what cannot move with them has them emptied, with
a note); both files replaced together (journal.py). Closed deals stay
where they are: they are the leaving rep's record. History gains one
owner row per deal moved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path

from ..adopt.added_columns import formula_cells
from ..commands.clashes import usual_spelling
from ..errors import XlCrmError
from ..folder.journal import replace_together
from ..folder.read import read_team
from ..folder.scan import as_paths, is_team
from ..model import schema
from ..model.asof import AsOf
from ..model.mapping import Mapping
from ..model.typed import column, ids, parsed, texts
from ..model.vocab import STATUS
from ..ooxml.package import Package
from ..ooxml.rows import delete_rows
from ..ooxml.save import refuse_if_open
from ..ooxml.tables import grow_tables
from ..sheets.read import CrmData, Table, read_workbook

POOL = "pool"
MOVED = ("customers", "opportunities", "contacts", "deal_contacts", "activities", "payments", "competitors")


@dataclass
class Handover:
    """What moves: per workbook, per sheet, the Excel rows; and where to."""

    rep: str
    to: str | None  # None: the pool
    customers: list[str] = field(default_factory=list)
    deals: list[str] = field(default_factory=list)
    rows: dict[Path, dict[str, list[int]]] = field(default_factory=dict)
    target: Path | None = None  # the workbook the rows move to (a team folder); None: in place
    notes: list[str] = field(default_factory=list)  # sheets whose moved rows could only be emptied, and why

    def lines(self, dry_run: bool) -> list[str]:
        to = "the pool" if self.to is None else self.to
        verb = "would move" if dry_run else "moved"
        out = [f"{verb} {len(self.customers)} customers and {len(self.deals)} open deals from {self.rep} to {to}"]
        for path, sheets in self.rows.items():
            where = f" to {self.target}" if self.target is not None and self.target != path else ""
            counts = ", ".join(f"{len(rows)} {key}" for key, rows in sheets.items() if rows)
            out.append(f"{path}: {counts}{where}")
        return out + self.notes


def _fold(text) -> str:
    return "" if text is None else str(text).strip().casefold()


def _select(data: CrmData, rep: str, only: set[str] | None) -> tuple[dict[str, list[int]], list[str], dict]:
    """The rows of one workbook that move: the rep's customers (those asked for), and what hangs on them."""
    customers = data.frame("customers")
    cids = ids(column(customers, "customer_id"))
    mine = texts(column(customers, "owner")).map(_fold) == _fold(rep)
    if only is not None:
        mine &= cids.isin(only)
    moved = set(cids[mine].dropna())
    opps = data.frame("opportunities")
    open_ = (parsed(STATUS.parse, column(opps, "status")) == "Open") & ids(column(opps, "customer_id")).isin(moved)
    deal_ids = ids(column(opps, "opportunity_id"))
    deals = dict(zip(deal_ids[open_], texts(column(opps, "owner"))[open_]))  # id -> its owner as written
    deals.pop(None, None)
    rows = {"customers": list(customers.index[mine]), "opportunities": list(opps.index[open_])}
    for key in MOVED[2:]:
        if key not in data.tables:
            continue
        frame = data.tables[key].frame
        by_customer = ids(column(frame, "customer_id")).isin(moved)
        by_deal = ids(column(frame, "opportunity_id")).isin(deals)
        rows[key] = list(frame.index[by_customer | by_deal if key != "activities" else by_customer])
    return rows, sorted(moved), deals


def _history_rows(deals: dict, to: str | None, day: date) -> list[dict]:
    """One History row per deal moved: its owner as it was, the new one (blank: the pool)."""
    return [{"date": day, "opportunity_id": deal, "field": "owner", "old": old, "new": to}
            for deal, old in sorted(deals.items())]


def _append(pkg: Package, table: Table, records: list[dict], lang: str) -> None:
    """Records below the table's last row, the table grown, the derived columns' formulas filled in."""
    last = max([table.header_row, *table.frame.index])
    cells = {}
    for i, record in enumerate(records, start=last + 1):
        cells.update({(i, table.columns[k]): v for k, v in record.items() if k in table.columns and v is not None})
    end = last + len(records)
    grow_tables(pkg, table.sheet_name, table.header_row, end)
    derived = [c.key for c in table.spec.role(schema.DERIVED) if c.key in table.columns]
    if derived and all(k in table.columns for k in table.spec.keys):
        cells.update(formula_cells(pkg, table, table.columns, derived, range(last + 1, end + 1), lang, None))
    pkg.set_cells(table.sheet_name, cells)


def _records(data: CrmData, key: str, rows: list[int], rep: str, to: str | None, day: date) -> list[dict]:
    """The moved rows' cells (the sheet's own columns), with the new owner and, for customers, assigned_date."""
    table = data.tables[key]
    keys = [k for k in table.columns if table.spec.column(k).role != schema.DERIVED]
    frame = table.frame.loc[rows, [k for k in keys if k in table.frame]]
    out = []
    for record in frame.to_dict("records"):
        record = {k: (None if isinstance(v, float) and v != v else v) for k, v in record.items()}
        if key in ("customers", "opportunities") and "owner" in record and _fold(record["owner"]) == _fold(rep):
            record["owner"] = to
        if key == "customers" and to is not None:
            record["assigned_date"] = day
        out.append(record)
    return out


def _in_place(pkg: Package, data: CrmData, rows: dict[str, list[int]], rep: str, to: str | None, day: date) -> None:
    """One workbook: the owner cells changed (and the customers' assigned_date when they go to a rep)."""
    for key in ("customers", "opportunities"):
        table = data.tables.get(key)
        if table is None or not rows.get(key) or "owner" not in table.columns:
            continue
        cells = {(row, table.columns["owner"]): to for row in rows[key]}
        if key == "customers" and to is not None:
            if "assigned_date" not in table.columns:
                raise XlCrmError(f"{data.path}: {table.sheet_name} has no assigned_date column; run `xl-crm upgrade`")
            cells.update({(row, table.columns["assigned_date"]): day for row in rows[key]})
        pkg.set_cells(table.sheet_name, cells)


def _deleted(pkg: Package, data: CrmData, rows: dict[str, list[int]]) -> list[str]:
    """The moved rows deleted, the rows below moving up; a note for each sheet where they could only be emptied.

    The rows are gathered per sheet first: two kinds of row on one sheet are deleted in one go, as the
    row numbers of the second would no longer hold after the first.
    """
    by_sheet: dict[str, tuple[set[int], set[int]]] = {}  # sheet -> its rows, their columns
    for key, moved in rows.items():
        if key in data.tables and moved:
            table = data.tables[key]
            found, columns = by_sheet.setdefault(table.sheet_name, (set(), set()))
            found.update(moved)
            columns.update(table.columns.values())
    notes = []
    for sheet, (moved, columns) in by_sheet.items():
        reason = delete_rows(pkg, sheet, moved, columns)
        if reason is not None:
            notes.append(f"{data.path}: {sheet}: the moved rows were emptied, not deleted: {reason}")
    return notes


def _history(pkg: Package, data: CrmData, records: list[dict]) -> None:
    if records:
        if "history" not in data.tables:
            raise XlCrmError(f"{data.path}: no History sheet to record the owner changes in; run `xl-crm upgrade`")
        _append(pkg, data.tables["history"], records, data.lang)


def _target(members: list[CrmData], to: str) -> CrmData:
    """The workbook of the rep taking over: the one holding most of that rep's customers."""
    counts = [(int((texts(column(d.frame("customers"), "owner")).map(_fold) == _fold(to)).sum()), i)
              for i, d in enumerate(members)]
    best, i = max(counts)
    if best == 0:
        raise XlCrmError(f"no workbook of {to} in the team (none holds a customer of theirs); "
                         f"start one with `xl-crm init`, give it a customer of {to}'s, and run the handover again")
    return members[i]


def handover(source, rep: str, to: str, customers: list[str] | None = None, *, dry_run: bool = False,
             as_of: date | None = None, mapping: Mapping | None = None) -> Handover:
    """Move `rep`'s customers (all, or those listed) to rep `to`, or to the pool (to="pool")."""
    day = AsOf.resolve(as_of).day
    new_owner = None if _fold(to) == POOL else to
    if new_owner is not None and _fold(new_owner) == _fold(rep):
        raise XlCrmError(f"--from and --to name the same rep ({rep})")
    only = set(customers) if customers else None
    team = is_team(source)
    members = read_team(source, mapping).members if team else [read_workbook(as_paths(source)[0], mapping)]
    # a rep typed `bob` is the team's `Bob`: one rep, not two, in every report (as check tells the spellings)
    owned = ("customers", "opportunities", "activities")
    rep = usual_spelling(members, rep, owned)
    new_owner = None if new_owner is None else usual_spelling(members, new_owner, owned)
    plan = Handover(rep, new_owner)
    chosen = {}
    for data in members:
        rows, moved, deals = _select(data, rep, only)
        if moved:
            chosen[data.path] = (data, rows, deals)
            plan.rows[data.path] = rows
            plan.customers += moved
            plan.deals += sorted(deals)
    if not plan.customers:
        asked = f" among {', '.join(sorted(only))}" if only else ""
        raise XlCrmError(f"{rep} owns no customer{asked} in {', '.join(map(str, as_paths(source)))}")
    if only and set(plan.customers) != only:
        raise XlCrmError(f"not customers of {rep}: {', '.join(sorted(only - set(plan.customers)))}")
    target = _target(members, new_owner) if team and new_owner is not None else None
    plan.target = target.path if target is not None else None
    if dry_run:
        return plan
    for path in {*chosen, *([target.path] if target is not None else [])}:
        refuse_if_open(path)
    writes = {}
    if target is not None:
        with Package.open(target.path) as pkg:
            for path, (data, rows, deals) in chosen.items():
                if path == target.path:
                    _in_place(pkg, data, rows, rep, new_owner, day)
                    continue
                for key, moved in rows.items():
                    if moved:
                        if key not in target.tables:
                            raise XlCrmError(f"{target.path}: no {schema.sheet(key).en} sheet to move rows into; "
                                             f"run `xl-crm upgrade {target.path}`")
                        _append(pkg, target.tables[key], _records(data, key, moved, rep, new_owner, day), target.lang)
            _history(pkg, target, [r for _, (_, _, deals) in chosen.items()
                                   for r in _history_rows(deals, new_owner, day)])
            pkg.full_recalc_on_load()
            writes[target.path] = _bytes(pkg)
    for path, (data, rows, deals) in chosen.items():
        if target is not None and path == target.path:
            continue
        with Package.open(path) as pkg:
            if target is None:
                _in_place(pkg, data, rows, rep, new_owner, day)
                _history(pkg, data, _history_rows(deals, new_owner, day))
            else:
                plan.notes += _deleted(pkg, data, rows)
            pkg.full_recalc_on_load()
            writes[path] = _bytes(pkg)
    if len(writes) == 1 and not team:
        path, content = next(iter(writes.items()))
        with Package.from_bytes(content) as pkg:
            pkg.save(path)
    else:
        replace_together({path: (lambda stream, c=content: stream.write(c)) for path, content in writes.items()})
    return plan


def _bytes(pkg: Package) -> bytes:
    stream = BytesIO()
    pkg.write_to(stream)
    return stream.getvalue()

