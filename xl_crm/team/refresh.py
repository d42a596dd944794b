"""Refresh a team in place: synced values computed over every file's rows, written into each file.

A customer's activities, deals and payments may sit in another rep's
workbook; the compute step sees the team's rows, and each workbook gets
the values of its own rows, its own History records and a Funnel and
Today of its own rows. The team workbook's thresholds are written into
each rep's Settings, so that its formulas compute what the team's do.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from ..commands.workbook import RefreshPlan, history_cells, refresh_cells, require_synced_columns, write_refresh
from ..compute.history import record
from ..compute.step import Computed, compute
from ..folder.read import Team, read_team
from ..model.asof import AsOf
from ..model.mapping import Mapping
from ..model.settings import THRESHOLDS, Settings
from ..model.typed import column, ids
from ..ooxml.package import Package
from ..ooxml.save import refuse_if_open
from ..reports import funnel_model, write_funnel_sheet
from ..sheets.read import CrmData
from ..sheets.settings_sheet import fixed_as_of
from ..sheets.today_sheet import write_today_sheet

BY_NAME = {t.name: t for t in THRESHOLDS}


def _fixed(data: CrmData | None) -> date | None:
    if data is None or data.path is None:
        return None
    with Package.open(data.path) as package:
        return fixed_as_of(package, data)


def team_as_of(team: Team, given: date | None) -> AsOf:
    """The date given, else the team workbook's fixed AsOf, else the latest fixed AsOf of a rep's, else today."""
    cells = [day for day in (_fixed(m) for m in team.members) if day is not None]
    return AsOf.resolve(given, _fixed(team.team_book) or (max(cells) if cells else None))


def _recorded(team: Team, day: date) -> tuple[dict[str, pd.DataFrame], list[pd.DataFrame | None]]:
    """The merged frames with each file's History records of `day`, and each file's appended rows."""
    frames = {key: team.merged.frame(key) for key in (*team.merged.tables, *team.merged.built)}
    histories, appended = [], []
    for data in team.members:
        if "history" not in data.tables:
            appended.append(None)
            continue
        own = {key: data.frame(key) for key in ("opportunities", "history")}
        own, new = record(own, day, data.lang, team.merged.settings)
        histories.append(own["history"])
        appended.append(new)
    if histories:
        frames["history"] = pd.concat(histories, ignore_index=True, sort=False)
    return frames, appended


def _own_rows(team: Team, key: str, book: int, full: pd.DataFrame) -> pd.DataFrame:
    """The rows of the merged table that lie in one file, indexed by their Excel rows there."""
    rows = team.member_rows(key, book)
    own = full.loc[rows.index]
    own.index = rows.to_numpy()
    return own


def _plan(team: Team, computed: Computed, tables: dict, book: int, history: pd.DataFrame | None) -> RefreshPlan:
    """One file's refresh: its own rows' values of the team's tables, and its own History records."""
    data = team.members[book]

    def table_of(key: str) -> pd.DataFrame | None:
        if key not in team.origin or key == "history":
            return None
        if key not in tables:
            tables[key] = computed.table(key)  # the team's, computed once for every file
        return _own_rows(team, key, book, tables[key])

    table_of = cache(table_of)
    values, cached = refresh_cells(data, table_of)
    table = data.tables.get("history")
    if table is not None and history is not None and len(history):
        values[table.sheet_name] = history_cells(table, history)
    return RefreshPlan(computed, table_of, values, cached)


def team_settings_cells(data: CrmData, settings: Settings) -> dict:
    """The rep workbook's threshold cells that differ from the team's: its formulas then read the team's values.

    Found by name in column A, wherever the workbook's Settings version put them.
    """
    if data.settings_name is None or data.settings == settings:
        return {}
    rows = CalamineWorkbook.from_path(str(data.path)).get_sheet_by_name(data.settings_name).to_python()
    cells = {}
    for i, row in enumerate(rows, start=1):
        threshold = BY_NAME.get(row[0]) if row else None
        if threshold is not None and getattr(data.settings, threshold.field) != getattr(settings, threshold.field):
            cells[(i, 1)] = getattr(settings, threshold.field)
    return cells


def _generated(computed: Computed, data: CrmData, settings) -> list:
    """The file's own Funnel and Today: its deals' funnel, the team's call list for its customers."""
    mine = set(ids(column(data.frame("customers"), "customer_id")).dropna())
    calls = computed.call_list
    own = calls[calls["customer_id"].isin(mine)].reset_index(drop=True)
    own.attrs.update({k: v[v["customer_id"].isin(mine)].reset_index(drop=True) if isinstance(v, pd.DataFrame)
                      else v for k, v in calls.attrs.items()})
    frames = {key: data.frame(key) for key in (*data.tables, *data.built)}

    def funnel(workbook):
        write_funnel_sheet(workbook, funnel_model(frames, computed.day, settings), data.lang)

    def today_(workbook):
        write_today_sheet(workbook, own, computed.day, data.lang)

    return [funnel, today_]


def refresh_team(source, *, as_of: date | None = None, backup: bool = True, mapping: Mapping | None = None,
                 reader=None, notes: list[str] | None = None) -> list[Path]:
    """Refresh every rep workbook of a folder (or of several paths) in place; return the files written.

    notes: receives a line per file skipped.
    """
    team = read_team(source, mapping, reader=reader)
    if notes is not None:
        notes += team.notes
    for data in team.members:
        require_synced_columns(data)
        refuse_if_open(data.path)  # one file open in Excel stops the refresh before any file is written
    day = team_as_of(team, as_of)
    frames, appended = _recorded(team, day.day)
    computed = compute(frames, day, team.merged.settings)
    written, tables, settings = [], {}, team.merged.settings
    leads = team.team_book is not None and team.team_book.settings_name is not None  # its thresholds win
    for book, data in enumerate(team.members):
        plan = _plan(team, computed, tables, book, appended[book])
        cells = team_settings_cells(data, settings) if leads else {}
        with Package.open(data.path) as package:
            if write_refresh(package, data, plan, _generated(computed, data, settings), as_of,
                             settings_cells=cells, backup=backup):
                written.append(data.path)
    return written
