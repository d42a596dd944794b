"""The demo's History: each deal's life as the refreshes of its 18 months recorded it (DOMAIN section 12).

A deal is first seen the day it is created (stage 1, Open, its first
amount and close date, its owner and forecast category), moves up a stage
at a time until the stage it has now, has its close date pushed later once
or a few times (some deals), its amount revised once while open (some
deals), and is won or lost on its closed date. The last value History
records of every field is the deal's value in the sheet, so the demo's
first refresh appends nothing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pandas as pd

from ..compute.history import TRACKED, shown
from ..model import schema
from ..model.cells import as_date, as_number
from ..model.settings import DEFAULT
from ..model.vocab import STATUS

SEED = 20261212
PUSHES = ((0, 0.6), (1, 0.25), (2, 0.1), (3, 0.05))  # how many times a deal's close date is pushed
REVISED = 0.2  # deals whose amount is revised once while open


def _stage(value) -> int:
    return DEFAULT.stage_index(value)


def _between(start: date, end: date, share: float) -> date:
    return start + timedelta(days=int(max(0, (end - start).days) * share))


def history_frames(frames: dict[str, pd.DataFrame], as_of: date, lang: str = "en") -> dict[str, pd.DataFrame]:
    """The demo's frames with a History sheet of every deal's stage moves, pushes, revisions and result."""
    rng = random.Random(SEED)
    opps = frames["opportunities"]
    fields = [f for f in TRACKED if f in opps]
    rows = []
    for deal in opps.to_dict("records"):
        created = as_date(deal["created"]) or as_of
        closed = as_date(deal["closed_date"])
        end = min(closed or as_of, as_of)
        key = deal["opportunity_id"]
        status = STATUS.parse(deal["status"])
        final = _stage(deal["stage"])
        # (day, field, value as the deal holds it): the first sighting, then every change in date order
        first = {f: deal[f] for f in fields}
        events = []
        reached_by = _between(created, end, 0.8)
        if final > 1:
            first["stage"] = DEFAULT.stage(1).label(lang)
            for k in range(2, final + 1):
                events.append((_between(created, reached_by, (k - 1) / (final - 1)), "stage",
                               DEFAULT.stage(k).label(lang)))
        if status != "Open":
            first["status"] = STATUS.label("Open", lang)
            events.append((end, "status", deal["status"]))
        close = as_date(deal["expected_close"])
        pushes = rng.choices([n for n, _ in PUSHES], [p for _, p in PUSHES])[0] if close else 0
        dates = [close]
        for _ in range(pushes):
            dates.insert(0, dates[0] - timedelta(days=rng.randint(7, 30)))
        first["expected_close"] = dates[0] if close else deal.get("expected_close")
        for n, later in enumerate(dates[1:], start=1):
            events.append((_between(created, end, n / (pushes + 1)), "expected_close", later))
        amount = as_number(deal["amount"]) if deal.get("amount") is not None else None
        if amount and rng.random() < REVISED:
            first["amount"] = round(amount * rng.uniform(0.7, 1.3), -3)
            events.append((_between(created, end, rng.uniform(0.2, 0.7)), "amount", deal["amount"]))
        last = {}
        for field in fields:
            value = shown(field, first[field], lang)
            if value is not None:
                rows.append((created, key, field, None, value))
                last[field] = value
        for day, field, value in sorted(events, key=lambda e: e[0]):
            value = shown(field, value, lang)
            if value != last.get(field):
                rows.append((min(max(day, created), as_of), key, field, last.get(field), value))
                last[field] = value
    rows.sort(key=lambda r: r[0])
    history = pd.DataFrame(rows, columns=schema.HISTORY.keys, dtype=object)
    return {**frames, "history": history}
