"""Stages, probability, weighted pipeline, stale deals, approval and the funnel (section 4)."""

from __future__ import annotations

import pandas as pd

from ..model.cells import as_date, as_number, blank_on_invalid, is_blank
from ..model.settings import DEFAULT, Settings
from ..model.vocab import STATUS


@blank_on_invalid
def stage_index(stage, settings: Settings = DEFAULT) -> int | None:
    """1-based funnel position of a stage name (English or Chinese) or number."""
    return settings.stage_index(stage)


@blank_on_invalid
def probability(stage, status, settings: Settings = DEFAULT) -> float | None:
    """Won 1, Lost 0, Open the stage's probability."""
    status = STATUS.parse(status)
    if status == "Won":
        return 1.0
    if status == "Lost":
        return 0.0
    if status is None:
        return None
    index = settings.stage_index(stage)
    return None if index is None else settings.stage(index).probability


@blank_on_invalid
def weighted_amount(amount, prob) -> float | None:
    """amount x probability; a blank amount weighs 0."""
    prob = as_number(prob)
    if prob is None:
        return None
    amount = as_number(amount)
    return 0.0 if amount is None else amount * prob


@blank_on_invalid
def days_in_stage(stage_since, created, as_of) -> int | None:
    """Days since the deal entered its stage (or was created)."""
    since = as_date(created if is_blank(stage_since) else stage_since)
    return None if since is None else (as_date(as_of) - since).days


@blank_on_invalid
def stale(status, stage, days, settings: Settings = DEFAULT) -> bool | None:
    """An open deal that has sat in its stage longer than the stage's rot_days."""
    status = STATUS.parse(status)
    if status is None:
        return None
    if status != "Open":
        return False
    days = as_number(days)
    if days is None:
        return False
    index = settings.stage_index(stage)
    return None if index is None else days > settings.stage(index).rot_days


@blank_on_invalid
def slipped(status, expected_close, as_of) -> bool | None:
    """An open deal whose expected close has passed without a result (DOMAIN section 12)."""
    status = STATUS.parse(status)
    if status is None:
        return None
    close = as_date(expected_close)
    return status == "Open" and close is not None and close < as_date(as_of)


@blank_on_invalid
def approval_level(amount, settings: Settings = DEFAULT) -> str | None:
    """Who signs off: Director, VP or President, by amount."""
    amount = as_number(amount)
    if amount is None:
        return None
    if amount <= settings.approval_director:
        return "Director"
    if amount <= settings.approval_vp:
        return "VP"
    return "President"


def funnel(stage: pd.Series, status: pd.Series, amount: pd.Series | None = None,
           settings: Settings = DEFAULT) -> pd.DataFrame:
    """Per stage: open count, amount and weighted amount, deals reached, conversion to the next.

    `stage` and `status` hold raw cell values; deals whose stage or status
    cannot be read are left out. Won deals reach every stage.
    """
    n = len(settings.stages)
    index = stage.map(lambda v: stage_index(v, settings))
    state = status.map(_status)
    if amount is None:
        amount = pd.Series(0.0, index=stage.index)
    money = amount.map(_money)
    reach = index.where(state != "Won", n)
    known = state.notna() & reach.notna()
    open_ = known & (state == "Open") & index.notna()
    rows = []
    for st in settings.stages:
        here = open_ & (index == st.number)
        rows.append(
            {
                "stage": st.number,
                "open_count": int(here.sum()),
                "amount": float(money[here].sum()),
                "weighted_amount": float(money[here].sum() * st.probability),
                "reached": int((known & (reach >= st.number)).sum()),
            }
        )
    table = pd.DataFrame(rows)
    nxt = table["reached"].shift(-1)
    table["conversion"] = (nxt / table["reached"]).where(table["reached"] > 0)
    table.loc[table.index[-1], "conversion"] = float("nan")
    return table


@blank_on_invalid
def _status(value) -> str | None:
    return STATUS.parse(value)


def _money(value) -> float:
    """An amount for sums: blank or bad amounts add nothing."""
    try:
        return as_number(value) or 0.0
    except ValueError:
        return 0.0
