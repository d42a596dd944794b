"""A team's workbooks read as one data set: their rows concatenated, the team workbook's Settings and Targets.

The merged CrmData reads as one workbook to everything that takes one (the
report, the compute step); `origin` says, for each merged row, which file
and which Excel row it came from, so a refresh can write the values back
where they lie and a clash can name both places.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import XlCrmError
from ..model import schema
from ..model.mapping import Mapping
from ..sheets.read import CrmData, Table, read_workbook
from .scan import TEAM_NAMES, as_paths, is_team, scan

TEAM_SHEETS = ("targets",)  # sheets the team workbook may hold; its Settings win too


@dataclass
class Team:
    """The rep workbooks as read, the team workbook, the merged data and where each merged row lies."""

    members: list[CrmData]
    team_book: CrmData | None
    merged: CrmData
    origin: dict[str, pd.DataFrame]  # key -> columns book (index into members, -1: the team book), row
    notes: list[str] = field(default_factory=list)
    root: Path | None = None

    def member_rows(self, key: str, book: int) -> pd.Series:
        """Merged index -> Excel row, for the rows of one member's sheet."""
        origin = self.origin.get(key)
        if origin is None:
            return pd.Series(dtype=int)
        mine = origin[origin["book"] == book]
        return mine["row"]


def is_team_book(path: Path, data: CrmData) -> bool:
    """The team workbook: named so, or holding Settings and/or Targets and no customer, deal or activity."""
    if path.name.casefold() in TEAM_NAMES:
        return True
    rows = set(data.tables) - set(TEAM_SHEETS)
    return not rows and (data.settings_name is not None or "targets" in data.tables)


def read_member(path: Path, mapping: Mapping | None, sheets, reduce=None) -> CrmData | str:
    """One workbook read (and reduced by `reduce`, where it is read), or the note saying why it is skipped."""
    try:
        data = read_workbook(path, mapping, sheets=sheets)
    except XlCrmError as exc:
        said = str(exc).removeprefix(f"{path}: ")  # the note names the file once
        return f"{path}: skipped ({said})"
    if not data.tables and data.settings_name is None:
        return f"{path}: skipped (not a CRM workbook: no customer, deal or settings sheet)"
    return data if reduce is None else reduce(data)


def inputs_only(data: CrmData) -> CrmData:
    """A workbook as a report reads it: its input columns alone.

    The synced and derived values are computed again over the whole team
    (a customer's deals may lie in another file), so their cached cells need
    not travel from where the file is read: about a third of the cells.
    """
    for table in data.tables.values():
        computed = {c.key for c in table.spec.columns if c.role != schema.INPUT}
        inputs = [key for key in table.frame.columns if key not in computed]
        if len(inputs) < len(table.frame.columns):  # most sheets hold inputs alone: nothing to copy
            table.frame = table.frame[inputs]
    return data


def read_team(source, mapping: Mapping | None = None, sheets=None, reader=None, reduce=None) -> Team:
    """Every workbook of a folder (or of several paths) read and merged.

    reader(paths, mapping, sheets, reduce) -> [CrmData | note], in order: how
    the files are read (folder.parallel.reader: this machine's cores by
    default, or a Dask cluster). reduce(CrmData) -> CrmData runs where each
    file is read (a module-level function, so a Dask worker can run it): what
    it drops does not travel.
    """
    folder = scan(source)
    if sheets is not None:
        sheets = tuple(dict.fromkeys((*sheets, *TEAM_SHEETS)))
    if reader is None:
        from .parallel import reader as local  # the default: every core of this machine
        reader = local()
    found = reader(folder.books, mapping, sheets, reduce)
    notes, members, team_book = list(folder.notes), [], None
    for path, data in zip(folder.books, found):
        if isinstance(data, str):
            notes.append(data)
        elif is_team_book(path, data) and team_book is None:
            team_book = data
        else:
            members.append(data)
    if not members:
        raise XlCrmError(f"{', '.join(map(str, as_paths(source)))}: no rep workbook with customers or deals found")
    merged, origin = merge(members, team_book, source)
    return Team(members, team_book, merged, origin, notes, folder.root)


def _frame(data: CrmData, key: str) -> pd.DataFrame | None:
    if key in data.tables:
        return data.tables[key].frame
    return data.built.get(key)


def merge(members: list[CrmData], team_book: CrmData | None, source=None) -> tuple[CrmData, dict[str, pd.DataFrame]]:
    """One CrmData holding every member's rows (the team book's Targets instead of the members')."""
    leader = team_book if team_book is not None and team_book.settings_name is not None else members[0]
    merged = CrmData(path=None, lang=leader.lang, settings=leader.settings, as_of=_as_of(team_book, members),
                     settings_name=None)
    merged.source = source  # what the user named: refusals and notes speak of it
    origin = {}
    for spec in schema.DATA_SHEETS:
        books = [(i, _frame(data, spec.key)) for i, data in enumerate(members)]
        if spec.key in TEAM_SHEETS and team_book is not None and spec.key in team_book.tables:
            books = [(-1, team_book.tables[spec.key].frame)]
        books = [(i, frame) for i, frame in books if frame is not None]
        if not books:
            continue
        keys = list(dict.fromkeys(k for _, f in books for k in f.columns))
        frame = _stacked([f for _, f in books], keys)
        origin[spec.key] = pd.DataFrame({"book": np.repeat([i for i, _ in books], [len(f) for _, f in books]),
                                         "row": np.concatenate([f.index.to_numpy() for _, f in books])},
                                        index=frame.index)
        if any(spec.key in (members[i].tables if i >= 0 else team_book.tables) for i, _ in books):
            merged.tables[spec.key] = Table(spec, spec.name(merged.lang), 1, {k: j for j, k in enumerate(keys)},
                                            keys, frame)
        else:
            merged.built[spec.key] = frame
    return merged, origin


def _stacked(frames: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    """The frames one below another, as object cells in `keys` columns, indexed from 0.

    A column one file lacks is blank (None, as read) in its rows, not NaN.
    Filled into one array: the rows of 200 files are copied once, not reindexed file by file.
    """
    grid = np.full((sum(map(len, frames)), len(keys)), None, dtype=object)
    place = {key: j for j, key in enumerate(keys)}
    top = 0
    for frame in frames:
        grid[top:top + len(frame), [place[key] for key in frame.columns]] = frame.to_numpy(dtype=object)
        top += len(frame)
    return pd.DataFrame(grid, columns=keys, dtype=object, copy=False)


def _as_of(team_book: CrmData | None, members: list[CrmData]) -> date | None:
    """The team workbook's AsOf, else the latest AsOf a rep workbook holds."""
    if team_book is not None and team_book.as_of is not None:
        return team_book.as_of
    known = [m.as_of for m in members if m.as_of is not None]
    return max(known) if known else None


def read_source(source, mapping: Mapping | None = None, sheets=None, threads: int = 1, reader=None,
                reduce=None) -> CrmData:
    """A workbook, or a team (folder or several paths, each reduced by `reduce`) merged into one data set."""
    if is_team(source):
        return read_team(source, mapping, sheets, reader, reduce).merged
    return read_workbook(as_paths(source)[0], mapping, sheets=sheets, threads=threads)
