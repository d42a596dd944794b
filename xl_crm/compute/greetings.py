"""Greetings due (DOMAIN.md section 17): birthdays and festivals in the next GreetDays days.

Only the people worth a greeting: coaches, Executive level, Retired or
Rising star contacts, and everyone at a VIP or Key customer. Each birthday
is read once per distinct cell; each festival in the window greets every
one of them.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ..model.cells import Invalid
from ..model.settings import DEFAULT, Settings
from ..model.typed import column, ids, parsed, per_value, texts
from ..model.vocab import CATEGORY, LEVEL, YES_NO
from ..rules.greetings import BIRTHDAY, birthday, festival_dates, in_window, next_birthday

COLUMNS = ("date", "occasion", "owner", "customer_id", "customer", "contact_id", "contact", "title")


def festivals(as_of: date, settings: Settings = DEFAULT, lang: str = "en") -> list[tuple[str, date]]:
    """The Settings sheet's festivals, and the calendar's for as_of's year and the next where the sheet has none."""
    listed = list(settings.festivals)
    covered = {when.year for _, when in listed}
    for year in (as_of.year, as_of.year + 1):
        if year not in covered:
            listed += festival_dates(year, lang)
    return listed


def greetings_due(contacts: pd.DataFrame, customers: pd.DataFrame, tiers: pd.Series, as_of: date,
                  settings: Settings = DEFAULT, lang: str = "en") -> pd.DataFrame:
    """One row per greeting due from as_of to GreetDays days after it (COLUMNS), by date then rep.

    tiers: the customers' synced tier, aligned with `customers`.
    """
    customer_ids = ids(column(customers, "customer_id"))
    important = set(customer_ids[tiers.isin(["VIP", "Key"]).to_numpy()].dropna())
    people = pd.DataFrame({"contact_id": ids(column(contacts, "contact_id")),
                           "customer_id": ids(column(contacts, "customer_id")),
                           "contact": texts(column(contacts, "name")), "title": texts(column(contacts, "title"))})
    worth = ((parsed(YES_NO.parse, column(contacts, "is_coach")) == "Yes")
             | (parsed(LEVEL.parse, column(contacts, "level")) == "Executive")
             | parsed(CATEGORY.parse, column(contacts, "category")).isin(["Retired", "Rising star"])
             | people["customer_id"].isin(important))
    people = people[worth]
    by_id = pd.DataFrame({"customer_id": customer_ids, "customer": texts(column(customers, "name")),
                          "owner": texts(column(customers, "owner"))}).dropna(subset=["customer_id"])
    people = people.merge(by_id.drop_duplicates("customer_id"), on="customer_id", how="left")
    days = settings.greet_days
    month_days = pd.Series(per_value(_month_day, column(contacts, "birthday")), index=contacts.index)[worth]
    month_days = month_days.to_numpy()
    rows = []
    for person, month_day in zip(people.to_dict("records"), month_days):
        if month_day is not None:
            when = next_birthday(month_day // 100, month_day % 100, as_of)
            if in_window(when, as_of, days):
                rows.append({**person, "date": when, "occasion": BIRTHDAY[1 if lang == "zh" else 0]})
    for name, when in festivals(as_of, settings, lang):
        if in_window(when, as_of, days):
            rows += [{**person, "date": when, "occasion": name} for person in people.to_dict("records")]
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    owner_key = out["owner"].map(lambda v: "\uffff" if v is None or v != v else str(v))  # no owner last
    return out.assign(_o=owner_key).sort_values(["date", "_o", "customer_id", "contact_id"], kind="stable").drop(
        columns="_o").reset_index(drop=True)


def _month_day(cell) -> int | None:
    """A birthday as month * 100 + day (one number: per_value spreads results over an array); None when unreadable.

    check reports an unreadable birthday; here it is only not greeted.
    """
    try:
        found = birthday(cell)
    except Invalid:
        return None
    return None if found is None else found[0] * 100 + found[1]
