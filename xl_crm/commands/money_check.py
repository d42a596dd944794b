"""What `check` says of the Targets and Payments sheets beyond their columns' kinds (check.check_table).

Targets: a month readable as a month (rules.forecast.month_of), an owner
who owns something in the workbook (or the team's own row), one row per
owner and month. Payments: no more received than due, and a customer that
is the deal's own. Each problem names sheet, row, column and value.
"""

from __future__ import annotations

import pandas as pd
from openpyxl.utils import get_column_letter

from ..model.cells import Invalid
from ..model.typed import column, ids, numbers, texts
from ..rules.forecast import month_of
from ..sheets.read import CrmData, Table
from .problems import ERROR, WARNING, Problem

TEAM_OWNERS = {"team", "团队"}


def _where(table: Table, key: str) -> str | None:
    j = table.columns.get(key)
    return None if j is None else f"{get_column_letter(j + 1)} ({table.headers[j]})"


def owners(data: CrmData) -> set[str]:
    """Everyone who owns a customer or a deal or logged an activity (the report's reps)."""
    found = set()
    for key in ("customers", "opportunities", "activities"):
        found |= set(texts(column(data.frame(key), "owner")).dropna())
    return found


def target_problems(data: CrmData, known: set[str] | None = None) -> list[Problem]:
    """known: the owners a target may name (default: the workbook's own; a team's for its team workbook)."""
    table = data.tables.get("targets")
    if table is None:
        return []
    frame, problems = table.frame, []
    known = owners(data) if known is None else known
    add = lambda severity, row, key, value, en, zh, impact=None: problems.append(  # noqa: E731
        Problem(severity, table.sheet_name, row, _where(table, key), value, en, zh, impact))
    months = {}
    for row, value in column(frame, "month").items():
        try:
            months[row] = month_of(value)
        except Invalid:
            add(ERROR, row, "month", value, "expected a month: a date in the month or YYYY-MM",
                "应为月份：该月内的日期或 YYYY-MM", "targets.month")
    seen: dict[tuple, int] = {}
    folded = {name.casefold(): name for name in known}
    for row, owner in texts(column(frame, "owner")).items():
        team = owner is None or owner.casefold() in TEAM_OWNERS
        if not team and owner not in known:
            meant = folded.get(owner.casefold())  # the same rep written in another case
            add(ERROR, row, "owner", owner, "unknown owner: owns no customer, deal or activity"
                + (f"; the rep is written {meant!r}" if meant else ""),
                "未知的负责人：名下没有客户、商机或跟进记录" + (f"；该负责人写作“{meant}”" if meant else ""))
        month = months.get(row)
        if month is None:
            continue
        key = (None if team else owner, month)
        if key in seen:
            add(ERROR, row, "month", frame.at[row, "month"],
                f"a second target for this owner and month (first in row {seen[key]})",
                f"同一负责人同一月份的指标重复（首次出现在第 {seen[key]} 行）")
        else:
            seen[key] = row
    return problems


def payment_problems(data: CrmData) -> list[Problem]:
    table = data.tables.get("payments")
    if table is None:
        return []
    frame, problems = table.frame, []
    due, received = numbers(column(frame, "amount_due")), numbers(column(frame, "amount_received"))
    for row in frame.index[(received > due).to_numpy()]:
        problems.append(Problem(WARNING, table.sheet_name, row, _where(table, "amount_received"),
                                frame.at[row, "amount_received"], "more received than due",
                                "到账金额大于应收金额", "payments.amount_received"))
    deals = data.frame("opportunities")
    deal_customer = pd.Series(ids(column(deals, "customer_id")).to_numpy(),
                              index=ids(column(deals, "opportunity_id")).to_numpy())
    deal_customer = deal_customer[~deal_customer.index.duplicated()]
    own = ids(column(frame, "customer_id"))
    theirs = ids(column(frame, "opportunity_id")).map(deal_customer)
    for row in frame.index[(own.notna() & theirs.notna() & (own != theirs)).to_numpy()]:
        problems.append(Problem(WARNING, table.sheet_name, row, _where(table, "customer_id"), own[row],
                                f"not the deal's customer ({theirs[row]})", f"与商机的客户不一致（{theirs[row]}）",
                                "payments.customer_id"))
    return problems


def money_problems(data: CrmData) -> list[Problem]:
    """The Targets and Payments problems (an absent sheet has none: both are optional)."""
    return target_problems(data) + payment_problems(data)

