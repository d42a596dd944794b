"""The demo's big-account data: deal maps, rivals, lost reasons, birthdays and greetings.

Open deals past the first stage get a map of one of four shapes, so the
Political map sheet has something to say: well covered (an approver and a
decision maker on our side, an executive, two coaches, two departments),
no decision maker, single-threaded (one person), or no DealContacts rows
(the customer's contacts as they stand). Most deals name a rival; lost
deals say why.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pandas as pd

from ..model import schema, vocab
from ..model.cells import Invalid
from ..model.settings import DEFAULT

SEED = 20261202
RIVALS = (("Apex Systems", "顶点科技"), ("Bright Software", "明亮软件"), ("Cedar Solutions", "雪松方案"))
MOVES = (("Offered a 15% discount", "报价下调15%"), ("Invited the CIO to their user conference", "邀请CIO参加用户大会"),
         ("Proposed a free pilot", "提出免费试点"), ("Hired the customer's former IT manager", "聘用了客户前IT经理"))
BOARD = ("Executive office", "总经办")
SHAPES = ("covered", "no decision maker", "single-threaded", "customer contacts")


def method_frames(frames: dict[str, pd.DataFrame], as_of: date, lang: str = "en") -> dict[str, pd.DataFrame]:
    """The demo's frames with DealContacts and Competitors added, and rivals, reasons and birthdays filled in."""
    rng, zh = random.Random(SEED), lang == "zh"
    label = lambda value, words: words.label(value, lang)  # noqa: E731
    text = lambda pair: pair[1 if zh else 0]  # noqa: E731
    opps, contacts = frames["opportunities"].copy(), frames["contacts"].copy()
    people = contacts.groupby("customer_id").groups  # customer -> row labels
    deal_rows, rival_rows = [], []
    competitor, reason = [], []
    for row in opps.itertuples():
        status = vocab.STATUS.parse(row.status)
        rival = text(rng.choice(RIVALS)) if rng.random() < 0.7 else None
        competitor.append(rival)
        why = None
        if status == "Lost":
            why = rng.choices(vocab.REASON.values, [3, 2, 1, 2, 4, 1])[0]
        elif status == "Won" and rng.random() < 0.5:
            why = rng.choice(("Relationship", "Solution", "Delivery"))
        reason.append(None if why is None else label(why, vocab.REASON))
        if rival and (status != "Open" or rng.random() < 0.5):
            rival_rows.append(_rival(rng, row, rival, as_of, text))
        mine = list(people.get(row.customer_id, []))
        if status != "Open" or len(mine) < 2 or _stage(row.stage) < 2:
            continue
        shape = rng.choices(SHAPES, [4, 2, 2, 1])[0]
        first, second = mine[0], mine[1]
        if shape == "covered":
            contacts.loc[first, ["level", "department"]] = [label("Executive", vocab.LEVEL), text(BOARD)]
            deal_rows += [_person(row, contacts, first, "Approver", "Supporter", "Yes", label),
                          _person(row, contacts, second, "Decision maker", "Champion", "Yes", label)]
        elif shape == "no decision maker":
            deal_rows += [_person(row, contacts, first, "Evaluator", "Neutral", "Yes", label),
                          _person(row, contacts, second, "User", "Supporter", None, label)]
        elif shape == "single-threaded":
            deal_rows.append(_person(row, contacts, second, "Decision maker", "Supporter", "Yes", label))
    opps["competitor"], opps["reason"] = competitor, reason
    for i in contacts.index[::5]:  # some birthdays are kept as month and day only
        day = contacts.at[i, "birthday"]
        if isinstance(day, date):
            contacts.at[i, "birthday"] = day.strftime("%m-%d")
    return {**frames, "opportunities": opps, "contacts": contacts,
            "activities": _greetings(rng, frames["activities"], contacts, frames["customers"], as_of, label),
            "deal_contacts": pd.DataFrame(deal_rows, columns=schema.DEAL_CONTACTS.keys, dtype=object),
            "competitors": pd.DataFrame(rival_rows, columns=schema.COMPETITORS.keys, dtype=object)}


def _stage(stage) -> int:
    try:
        return DEFAULT.stage_index(stage) or 0
    except Invalid:
        return 0


def _person(deal, contacts, index, role, attitude, coach, label) -> dict:
    return {"opportunity_id": deal.opportunity_id, "contact_id": contacts.at[index, "contact_id"],
            "role": label(role, vocab.ROLE), "attitude": label(attitude, vocab.ATTITUDE),
            "is_coach": None if coach is None else label(coach, vocab.YES_NO)}


def _rival(rng, deal, rival, as_of, text) -> dict:
    return {"customer_id": deal.customer_id, "competitor": rival, "opportunity_id": deal.opportunity_id,
            "products": deal.product, "share": round(rng.uniform(0.1, 0.6), 2), "satisfaction": rng.randint(3, 9),
            "last_move": text(rng.choice(MOVES)), "last_move_date": as_of - timedelta(days=rng.randint(0, 90))}


def _greetings(rng, activities: pd.DataFrame, contacts: pd.DataFrame, customers: pd.DataFrame, as_of: date,
               label) -> pd.DataFrame:
    """A few logged greetings (they are not touches), by the customer's rep."""
    owners = dict(zip(customers["customer_id"], customers["owner"]))
    picked = contacts.sample(n=min(10, len(contacts)), random_state=rng.randint(0, 10**6))
    rows = [{"date": as_of - timedelta(days=rng.randint(1, 60)), "customer_id": p.customer_id,
             "contact_id": p.contact_id, "owner": owners.get(p.customer_id),
             "type": label("Greeting", vocab.ACTIVITY_TYPE)} for p in picked.itertuples()]
    more = pd.DataFrame(rows, columns=activities.columns, dtype=object)
    return pd.concat([activities, more], ignore_index=True).sort_values("date", kind="stable", ignore_index=True)
