"""`check` over a team: each workbook's own problems, then what the files say against each other.

A reference to a customer, deal or contact kept in another rep's workbook
is no problem in a team; an ID used in two files is an error, one customer
kept by two owners (撞单) a warning.
"""

from __future__ import annotations

from pathlib import Path

from ..commands.check import check_data, check_table, settings_sheet_problems
from ..commands.clashes import duplicate_customers, id_clashes, owner_spellings
from ..commands.money_check import owners, target_problems
from ..commands.problems import Problem
from ..folder.read import Team, inputs_only, is_team_book, read_team
from ..model.mapping import Mapping
from ..model.typed import column, ids
from ..sheets.read import CrmData

REFERENCES = {"customer_id": "customers", "opportunity_id": "opportunities", "contact_id": "contacts"}


def _known(team: Team) -> dict[str, set]:
    """The IDs the team holds, per ID column."""
    merged = team.merged
    return {key: set(ids(column(merged.frame(sheet), key)).dropna()) for key, sheet in REFERENCES.items()}


def _found_elsewhere(problem: Problem, known: dict[str, set]) -> bool:
    """An "unknown ID" error whose ID another file of the team holds."""
    id_key = (problem.key or "").rpartition(".")[2]
    return (id_key in REFERENCES and problem.message.startswith("unknown ")
            and problem.value in known[id_key])


def checked(data: CrmData) -> CrmData:
    """Run where a file is read: its own problems found, then only what a report reads kept (inputs_only).

    The team workbook has its Settings and Targets cells checked: they win
    over every rep's.
    """
    if not is_team_book(data.path, data):
        data.problems = check_data(data)
    else:  # its targets' owners are checked against the team's (_team_book)
        data.problems = settings_sheet_problems(data)
        if "targets" in data.tables:
            data.problems += check_table(data.tables["targets"], data.settings)
    return inputs_only(data)


def _team_book(team: Team) -> list[Problem]:
    """The team workbook's own problems, and its targets naming reps the team does not have."""
    book = team.team_book
    if book is None:
        return []
    return book.problems + target_problems(book, known=owners(team.merged))


def check_team(source, mapping: Mapping | None = None, reader=None) -> tuple[Team, list[tuple[Path, Problem]]]:
    """Every problem of the team's workbooks, as (file, problem), file by file, then the clashes."""
    team = read_team(source, mapping, reader=reader, reduce=checked)
    known, lang = _known(team), team.merged.lang
    found = [(team.team_book.path, p) for p in _team_book(team)]
    for data in team.members:
        found += [(data.path, p) for p in data.problems if not _found_elsewhere(p, known)]
    clashes = (id_clashes(team.members, lang) + duplicate_customers(team.members, lang, across=True)
               + owner_spellings(team.members, across=True))
    found += [(team.members[book].path, p) for book, p in clashes]
    return team, found
