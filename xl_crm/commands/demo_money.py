"""The demo's money data: monthly targets that some reps meet and some miss, forecast categories on some
open deals, and payment plans of won deals with some payments late or never made.

Each rep's target is about their usual month (the average won per month
over the year before as_of) times a stretch between 0.7 and 1.5, so the
reports show reps above and below 100%. Most won deals of the last 18
months have a plan of three or four milestones; a few have none (the
report lists them).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pandas as pd

from ..model import schema, vocab
from ..model.cells import Invalid, as_date

SEED = 20261313
MILESTONES = ((("Advance", "预付款"), 0.3, 0), (("Delivery", "到货款"), 0.4, 30), (("Acceptance", "验收款"), 0.25, 90),
              (("Retention", "质保金"), 0.05, 365))
TEAM = {"en": "Team", "zh": "团队"}


def _month(day: date, shift: int) -> str:
    index = day.year * 12 + day.month - 1 + shift
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def money_frames(frames: dict[str, pd.DataFrame], as_of: date, lang: str = "en") -> dict[str, pd.DataFrame]:
    """The demo's frames with Targets and Payments added and forecast categories on some open deals."""
    rng = random.Random(SEED)
    opps = frames["opportunities"].copy()
    status = opps["status"].map(_status)
    categories = []
    for row_status, stage in zip(status, opps["stage"]):
        given = None
        if row_status == "Open" and rng.random() < 0.3:
            given = rng.choice(["Commit", "Best case", "Pipeline", "Omitted"])
        categories.append(vocab.FORECAST_CATEGORY.label(given, lang) if given else None)
    opps["forecast_category"] = categories
    won = opps[status == "Won"]
    closed = won["closed_date"].map(as_date)
    amounts = pd.to_numeric(won["amount"], errors="coerce").fillna(0.0)
    year = (closed > as_of - timedelta(days=365)) & (closed <= as_of)
    usual = amounts[year].groupby(won["owner"][year]).sum() / 12
    targets = []
    for rep, monthly in usual.items():
        stretch = rng.uniform(0.7, 1.5)
        for shift in range(-12, 3):
            value = round(monthly * stretch * rng.uniform(0.9, 1.1), -3)
            targets.append({"owner": rep, "month": _month(as_of, shift), "target": value})
    targets.append({"owner": TEAM[lang], "month": _month(as_of, 0), "target": round(usual.sum() * 1.1, -3)})
    payments = []
    for (_, deal), day, amount in zip(won.iterrows(), closed, amounts):
        if day is None or day <= as_of - timedelta(days=540) or rng.random() < 0.12:
            continue  # older deals, and a few without a plan
        for (name, share, after) in MILESTONES[:rng.choice([3, 4])]:
            due = day + timedelta(days=after)
            owed = round(amount * share, 2)
            received, on = _collected(rng, owed, due, as_of)
            payments.append({"payment_id": f"PAY-{len(payments) + 1:05d}", "opportunity_id": deal["opportunity_id"],
                             "customer_id": deal["customer_id"], "milestone": name[1 if lang == "zh" else 0],
                             "due_date": due, "amount_due": owed, "received_date": on, "amount_received": received,
                             "invoice_date": due - timedelta(days=5)})
    return {**frames, "opportunities": opps,
            "targets": pd.DataFrame(targets, columns=schema.TARGETS.keys, dtype=object),
            "payments": pd.DataFrame(payments, columns=schema.PAYMENTS.keys, dtype=object)}


def _collected(rng: random.Random, owed: float, due: date, as_of: date) -> tuple[float | None, date | None]:
    """What was received by as_of and when: mostly on time, some late, some part, some not yet."""
    if due > as_of:
        return None, None
    luck = rng.random()
    if luck < 0.65:
        on = due + timedelta(days=rng.randint(-5, 10))
    elif luck < 0.8:
        on = due + timedelta(days=rng.randint(20, 80))
    elif luck < 0.88:
        return round(owed * rng.uniform(0.3, 0.8), 2), min(as_of, due + timedelta(days=rng.randint(0, 30)))
    else:
        return None, None  # late, still owed
    return (owed, on) if on <= as_of else (None, None)


def _status(value) -> str | None:
    try:
        return vocab.STATUS.parse(value)
    except Invalid:
        return None
