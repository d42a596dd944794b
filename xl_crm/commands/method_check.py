"""check's findings on the big-account cells: birthdays, people on a deal of another customer, supporters, festivals.

Unknown opportunity and contact IDs on DealContacts and Competitors are
found with every other reference (check.check_references); these are the
cells only the method reads.
"""

from __future__ import annotations

import pandas as pd
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from ..model.cells import Invalid, as_date, cell_text, is_blank
from ..model.typed import ids
from ..rules.greetings import birthday
from ..sheets.method_tables import FESTIVAL_HEADERS
from ..sheets.read import CrmData, Table
from .problems import ERROR, WARNING, Problem


def _where(table: Table, key: str) -> str:
    j = table.columns[key]
    return f"{get_column_letter(j + 1)} ({table.headers[j]})"


def check_method(data: CrmData) -> list[Problem]:
    """Unreadable birthdays, deal contacts who work for another customer, unknown supporters, festival dates."""
    problems = _festivals(data)
    contacts = data.tables.get("contacts")
    known, employer = set(), {}
    if contacts is not None and "contact_id" in contacts.columns:
        people = ids(contacts.frame["contact_id"])
        known = set(people.dropna())
        if "customer_id" in contacts.columns:
            employer = dict(zip(people, ids(contacts.frame["customer_id"])))
        if "birthday" in contacts.columns:
            for row, value in contacts.frame["birthday"].items():
                try:
                    birthday(value)
                except Invalid:
                    problems.append(Problem(ERROR, contacts.sheet_name, row, _where(contacts, "birthday"), value,
                                            "expected a date or month and day as MM-DD", "应为日期或 MM-DD 格式的月日",
                                            "contacts.birthday"))
    problems += _other_customer(data, employer)
    competitors = data.tables.get("competitors")
    if competitors is not None and "supporters" in competitors.columns and known:
        for row, value in competitors.frame["supporters"].items():
            listed = [] if is_blank(value) else str(value).replace("，", ",").split(",")
            unknown = [p for p in ids(pd.Series(listed, dtype=object)).dropna() if p not in known]
            if unknown:
                problems.append(Problem(WARNING, competitors.sheet_name, row, _where(competitors, "supporters"),
                                        value, f"unknown contact ID: {', '.join(unknown)}",
                                        f"未知的联系人编号：{', '.join(unknown)}", "competitors.supporters"))
    return problems


def _festivals(data: CrmData) -> list[Problem]:
    """Rows of the Settings festival table whose date cannot be read (greetings leave them out)."""
    if data.settings_name is None or data.path is None:
        return []
    rows = CalamineWorkbook.from_path(str(data.path)).get_sheet_by_name(data.settings_name).to_python(
        skip_empty_area=False)
    problems, inside = [], False
    for number, row in enumerate(rows, 1):
        first, value = (row + ["", ""])[:2]
        if not inside:
            inside = cell_text(first) in {h[0] for h in FESTIVAL_HEADERS.values()} if not is_blank(first) else False
            continue
        if is_blank(first) and is_blank(value):
            break
        try:
            when = as_date(None if value == "" else value)
        except Invalid:
            when = None
        if when is None:
            where = f"{data.settings_name}!B{number} ({cell_text(first) if not is_blank(first) else '?'})"
            problems.append(Problem(ERROR, where, None, None, value or None, "a festival needs a date",
                                    "节日应有日期"))
    return problems


def _other_customer(data: CrmData, employer: dict) -> list[Problem]:
    """DealContacts rows whose person works for another customer than the deal's."""
    deals, table = data.tables.get("opportunities"), data.tables.get("deal_contacts")
    if deals is None or table is None or not employer or not {"opportunity_id", "contact_id"} <= set(table.columns) \
            or not {"opportunity_id", "customer_id"} <= set(deals.columns):
        return []
    customer_of = dict(zip(ids(deals.frame["opportunity_id"]), ids(deals.frame["customer_id"])))
    problems = []
    for row, deal, person in zip(table.frame.index, ids(table.frame["opportunity_id"]),
                                 ids(table.frame["contact_id"])):
        mine, theirs = customer_of.get(deal), employer.get(person)
        if mine is not None and theirs is not None and mine != theirs:
            problems.append(Problem(WARNING, table.sheet_name, row, _where(table, "contact_id"), person,
                                    f"this contact works for customer {theirs}, the deal is with {mine}",
                                    f"该联系人属于客户 {theirs}，商机的客户是 {mine}", "deal_contacts.contact_id"))
    return problems
