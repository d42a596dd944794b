"""Every deal's political map at once (DOMAIN.md section 10), synced on Opportunities by refresh.

One pass over the rows: the people on each deal (its DealContacts rows,
else every contact of its customer) are one table of integer codes, their
blank role, attitude and coach cells filled from Contacts, then counted
with bincounts. IDs are factorised once, so 200,000 deals cost array
operations, not string joins. Open deals get the counts; Won, Lost and
unknown statuses get blanks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.cells import is_blank
from ..model.settings import DEFAULT, Settings
from ..model.typed import column, ids, parsed, per_row, per_value, texts
from ..model.vocab import ATTITUDE, LEVEL, ROLE, STATUS, YES_NO
from ..rules.political_map import AGAINST, COUNTS, WITH_US, warnings

COLUMNS = (*COUNTS, "map_warnings")
_OWN = {"role": ROLE.parse, "attitude": ATTITUDE.parse, "is_coach": YES_NO.parse}
_FLAGS = ("decider", "approver", "with_us", "against", "coach")


def _codes(*columns: pd.Series) -> list[np.ndarray]:
    """One integer per distinct ID over several columns (-1 for blank), split back per column."""
    codes, _ = pd.factorize(pd.concat(columns, ignore_index=True).to_numpy(dtype=object))
    bounds = np.cumsum([0, *map(len, columns)])
    return [codes[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def _first_rows(codes: np.ndarray, size: int) -> np.ndarray:
    """Per code, the first row holding it (len(codes) where none does)."""
    first = np.full(size, len(codes))
    known = codes >= 0
    np.minimum.at(first, codes[known], np.flatnonzero(known))
    return first


def _flags(role: pd.Series, attitude: pd.Series, coach: pd.Series) -> dict[str, np.ndarray]:
    return {"decider": (role == "Decision maker").to_numpy(), "approver": (role == "Approver").to_numpy(),
            "with_us": attitude.isin(WITH_US).to_numpy(), "against": attitude.isin(AGAINST).to_numpy(),
            "coach": (coach == "Yes").to_numpy()}


def deal_maps(opportunities: pd.DataFrame, contacts: pd.DataFrame, deal_contacts: pd.DataFrame,
              settings: Settings = DEFAULT) -> pd.DataFrame:
    """map_contacts, executives, coaches, departments, support, map_warnings per Opportunities row."""
    opp_deal, dc_deal = _codes(ids(column(opportunities, "opportunity_id")),
                               ids(column(deal_contacts, "opportunity_id")))
    own_person, dc_person = _codes(ids(column(contacts, "contact_id")), ids(column(deal_contacts, "contact_id")))
    opp_customer, own_customer = _codes(ids(column(opportunities, "customer_id")), ids(column(contacts, "customer_id")))
    deals = max(opp_deal.max(initial=-1), dc_deal.max(initial=-1)) + 1
    people = max(own_person.max(initial=-1), dc_person.max(initial=-1)) + 1

    # each person's own standing, from the first Contacts row of the ID; a last row of blanks for unknown IDs
    own = {key: pd.Series([*parsed(read, column(contacts, key)), None], dtype=object) for key, read in _OWN.items()}
    own_flags = _flags(own["role"], own["attitude"], own["is_coach"])
    executive = np.append((parsed(LEVEL.parse, column(contacts, "level")) == "Executive").to_numpy(), False)
    department = np.append(pd.factorize(texts(column(contacts, "department")).map(
        lambda t: None if t is None else t.casefold()).to_numpy(dtype=object))[0], -1)
    row_of = _first_rows(own_person, people)  # person code -> Contacts row (len(contacts): unknown)

    # DealContacts rows, one per deal and person; a blank cell takes the person's own value
    listed = np.flatnonzero((dc_deal >= 0) & (dc_person >= 0))
    listed = listed[np.unique(dc_deal[listed] * people + dc_person[listed], return_index=True)[1]]
    listed_rows = row_of[dc_person[listed]]
    cells = {key: column(deal_contacts, key).iloc[listed] for key in _OWN}
    mine = {key: parsed(read, cells[key]).reset_index(drop=True) for key, read in _OWN.items()}
    for key in _OWN:
        blank = per_value(is_blank, cells[key]).astype(bool)
        mine[key] = mine[key].where(~blank, own[key].iloc[listed_rows].reset_index(drop=True))
    listed_flags = _flags(mine["role"], mine["attitude"], mine["is_coach"])

    # deals with no DealContacts row: every contact of their customer, with their own values
    has_rows = np.zeros(deals, dtype=bool)
    has_rows[dc_deal[listed]] = True
    first_opp = _first_rows(opp_deal, deals)
    unlisted = np.flatnonzero(~has_rows & (first_opp < len(opp_deal)))
    persons = np.flatnonzero(row_of < len(own_person))
    pairs = pd.DataFrame({"deal": unlisted, "customer": opp_customer[first_opp[unlisted]]}).merge(
        pd.DataFrame({"row": row_of[persons], "customer": own_customer[row_of[persons]]}), on="customer")
    pairs = pairs[pairs["customer"] >= 0]
    everyone_rows = pairs["row"].to_numpy()

    deal = np.concatenate([dc_deal[listed], pairs["deal"].to_numpy()]).astype(np.int64)
    rows = np.concatenate([listed_rows, everyone_rows])
    flags = {k: np.concatenate([listed_flags[k], own_flags[k][everyone_rows]]) for k in _FLAGS}
    count = lambda mask: np.bincount(deal, weights=mask, minlength=deals).astype(int)  # noqa: E731
    per_deal = {"map_contacts": np.bincount(deal, minlength=deals), "executives": count(executive[rows]),
                "coaches": count(flags["coach"]), "support": count(flags["with_us"]) - count(flags["against"]),
                "deciders": count(flags["decider"]), "approvers": count(flags["approver"]),
                "deciders_with_us": count(flags["decider"] & flags["with_us"])}
    known = department[rows] >= 0
    teams = np.unique(deal[known] * (department.max() + 2) + department[rows][known])
    per_deal["departments"] = np.bincount(teams // (department.max() + 2), minlength=deals)

    at = lambda key: np.where(opp_deal >= 0, np.append(per_deal[key], 0)[opp_deal], 0)  # noqa: E731
    open_ = (parsed(STATUS.parse, column(opportunities, "status")) == "Open").to_numpy()
    stages = pd.to_numeric(parsed(settings.stage_index, column(opportunities, "stage")), errors="coerce")
    warned = open_ & (stages.fillna(0).to_numpy() >= settings.map_from_stage)
    found = per_row(warnings, *(pd.Series(a) for a in (
        at("deciders") > 0, at("approvers") > 0, at("deciders_with_us") > 0, at("executives"), at("coaches"),
        at("departments"))), settings=settings)
    out = pd.DataFrame(index=opportunities.index)
    for key in COUNTS:
        out[key] = np.where(open_, at(key).astype(object), None)
    out["map_warnings"] = np.where(warned, found, None)
    return out
