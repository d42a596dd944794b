"""Every deal's political map at once (DOMAIN.md section 10), synced on Opportunities by refresh.

One pass over the rows: the people on each deal (its DealContacts rows,
else every contact of its customer) are one merged table, their blank
role, attitude and coach cells filled from Contacts, then counted with one
group-by. Open deals get the counts; Won, Lost and unknown statuses get
blanks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.cells import is_blank
from ..model.settings import DEFAULT, Settings
from ..model.typed import column, ids, parsed, per_row, per_value, texts
from ..model.vocab import ATTITUDE, LEVEL, ROLE, STATUS, YES_NO
from ..rules.political_map import AGAINST, COUNTS, WITH_US, warned_stage, warnings

COLUMNS = (*COUNTS, "map_warnings")
_OWN = ("role", "attitude", "is_coach")
_READERS = {"role": ROLE.parse, "attitude": ATTITUDE.parse, "is_coach": YES_NO.parse}


def _people(opportunities: pd.DataFrame, contacts: pd.DataFrame, deal_contacts: pd.DataFrame) -> pd.DataFrame:
    """One row per person on a deal: deal, contact, and the deal's role, attitude and coach (None: the person's own)."""
    listed = pd.DataFrame({"deal": ids(column(deal_contacts, "opportunity_id")),
                           "contact": ids(column(deal_contacts, "contact_id"))})
    for key in _OWN:
        cells = column(deal_contacts, key)
        listed[key] = parsed(_READERS[key], cells)
        listed["blank_" + key] = per_value(is_blank, cells).astype(bool)
    listed = listed.dropna(subset=["deal", "contact"]).drop_duplicates(["deal", "contact"])
    deals = pd.DataFrame({"deal": ids(column(opportunities, "opportunity_id")),
                          "customer": ids(column(opportunities, "customer_id"))}).dropna().drop_duplicates("deal")
    owners = pd.DataFrame({"contact": ids(column(contacts, "contact_id")),
                           "customer": ids(column(contacts, "customer_id"))}).dropna()
    unlisted = deals[~deals["deal"].isin(listed["deal"])]
    everyone = unlisted.merge(owners, on="customer")[["deal", "contact"]].drop_duplicates()
    for key in _OWN:
        everyone[key], everyone["blank_" + key] = None, True
    return pd.concat([listed, everyone], ignore_index=True)


def _own(contacts: pd.DataFrame) -> pd.DataFrame:
    """The person's own standing, level and department, by contact ID (the first row of a repeated ID)."""
    own = pd.DataFrame({"contact": ids(column(contacts, "contact_id")),
                        "level": parsed(LEVEL.parse, column(contacts, "level")),
                        "department": texts(column(contacts, "department")).map(
                            lambda t: None if t is None else t.casefold())})
    for key in _OWN:
        own["own_" + key] = parsed(_READERS[key], column(contacts, key))
    return own.dropna(subset=["contact"]).drop_duplicates("contact")


def deal_maps(opportunities: pd.DataFrame, contacts: pd.DataFrame, deal_contacts: pd.DataFrame,
              settings: Settings = DEFAULT) -> pd.DataFrame:
    """map_contacts, executives, coaches, departments, support, map_warnings per Opportunities row."""
    people = _people(opportunities, contacts, deal_contacts).merge(_own(contacts), on="contact", how="left")
    for key in _OWN:
        people[key] = people[key].where(~people["blank_" + key], people["own_" + key])
    deciders = people["role"] == "Decision maker"
    per_deal = pd.DataFrame({
        "deal": people["deal"],
        "map_contacts": 1,
        "executives": (people["level"] == "Executive").astype(int),
        "coaches": (people["is_coach"] == "Yes").astype(int),
        "support": people["attitude"].isin(WITH_US).astype(int) - people["attitude"].isin(AGAINST).astype(int),
        "deciders": deciders.astype(int),
        "approvers": (people["role"] == "Approver").astype(int),
        "deciders_with_us": (deciders & people["attitude"].isin(WITH_US)).astype(int),
    }).groupby("deal").sum()
    per_deal["departments"] = people.dropna(subset=["department"]).groupby("deal")["department"].nunique()
    per_deal = per_deal.fillna(0).astype(int)

    deal_ids = ids(column(opportunities, "opportunity_id"))
    counts = per_deal.reindex(deal_ids.to_numpy()).fillna(0).astype(int).set_index(opportunities.index)
    open_ = (parsed(STATUS.parse, column(opportunities, "status")) == "Open").to_numpy()
    stages = parsed(settings.stage_index, column(opportunities, "stage"))
    warned = open_ & np.fromiter((warned_stage(s, settings) for s in stages), dtype=bool, count=len(stages))
    c = lambda key: counts[key].to_numpy()  # noqa: E731
    found = per_row(warnings, *(pd.Series(a) for a in (
        c("deciders") > 0, c("approvers") > 0, c("deciders_with_us") > 0, c("executives"), c("coaches"),
        c("departments"))), settings=settings)
    out = pd.DataFrame(index=opportunities.index)
    for key in COUNTS:
        out[key] = np.where(open_, c(key).astype(object), None)
    out["map_warnings"] = np.where(warned, found, None)
    return out
