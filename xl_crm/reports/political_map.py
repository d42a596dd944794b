"""The report's political map (DOMAIN.md section 10): open deals with warnings, and the KPIs.

A deal's map reads no date, so it is computed once per batch, as if every
deal were open (a deal won since was open in an earlier month); a report
then picks the deals open at its as_of.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ..compute.political_map import deal_maps
from ..model.vocab import MAP_WARNINGS
from .changes import stage_at
from .data import ReportBook, scope_counts, scope_sums

MAP_METRICS = ("deals_with_map_warnings", "weighted_with_executive_share")
MAP_COUNTS = ("deals_with_map_warnings",)
DEAL_COLUMNS = ("opportunity_id", "name", "owner", "customer_id", "stage", "amount", "weighted_amount",
                "map_contacts", "executives", "coaches", "departments", "support", "map_warnings")


def maps(book: ReportBook) -> pd.DataFrame:
    """Every deal's map (counts and canonical warnings), as if open, per Opportunities row; once per batch."""
    if "deal maps" not in book.memo:
        frames = book.inputs.frames
        book.memo["deal maps"] = deal_maps(frames["opportunities"].assign(status="Open"), frames["contacts"],
                                           frames["deal_contacts"], book.settings)
    return book.memo["deal maps"]


def weights(book: ReportBook, as_of: date) -> tuple[np.ndarray, np.ndarray]:
    """Each deal's weighted amount as an open deal at as_of, as the weighted_amount KPI weighs it (a past
    month: the stage History gives then), and whether that stage is unknown."""
    o = book.opportunities
    if not book.is_past(as_of):
        return o["open_weighted"].fillna(0.0).to_numpy(), np.zeros(len(o), dtype=bool)
    stage = stage_at(book, as_of)
    probability = np.array([0.0] + [st.probability for st in book.settings.stages])[stage]
    return o["amount"].fillna(0.0).to_numpy() * probability, stage == 0


def map_metrics(book: ReportBook, month: str, as_of: date, own: bool = True) -> dict[str, np.ndarray]:
    """MAP_METRICS per scope (team, then each rep); the share is NaN where nothing is open.

    A comparison month's are blank: the contacts and their roles are kept only as they are today.
    """
    if not own:
        return {key: np.full(book.scopes, np.nan) for key in MAP_METRICS}
    m, reps = maps(book), len(book.reps)
    scope, pipeline = book.deal_scope(as_of), book.snapshot(as_of).open_at
    warned = pipeline & m["map_warnings"].notna().to_numpy()
    each, unknown = weights(book, as_of)
    weighted = np.where(pipeline, each, 0.0)
    executive = (m["executives"].fillna(0).to_numpy(dtype=float) > 0)
    total, covered = scope_sums(weighted, scope, reps), scope_sums(np.where(executive, weighted, 0.0), scope, reps)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, covered / total, np.nan)
    share[scope_counts(pipeline & unknown, scope, reps) > 0] = np.nan  # a stage then unknown: the share too
    return {"deals_with_map_warnings": scope_counts(warned, scope, reps).astype(float),
            "weighted_with_executive_share": share}


@dataclass
class MapView:
    """The Political map sheet of one report."""

    deals: pd.DataFrame  # DEAL_COLUMNS: open deals with warnings, the largest weighted amount first
    hidden: int  # deals left out beyond the rows shown
    by_rep: pd.DataFrame  # rep, one column per warning (canonical English), total


def _warned_deals(book: ReportBook, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every open deal with warnings at as_of, the largest weighted first, and its count per warning; once per date.

    A stable sort, so a rep's deals (picked from these) are in the order their own sort gives.
    """
    key = ("warned deals", as_of)
    if key not in book.memo:
        o, m = book.opportunities, maps(book)
        rows = book.snapshot(as_of).open_at & m["map_warnings"].notna().to_numpy()
        weighted = pd.Series(weights(book, as_of)[0], index=o.index, name="weighted_amount")
        deals = pd.concat([o[["opportunity_id", "name", "customer_id", "stage", "amount"]][rows].assign(
            owner=book.owner_at(as_of)[rows], scope=book.deal_scope(as_of)[rows]), weighted[rows], m[rows]], axis=1)
        deals = deals.sort_values("weighted_amount", ascending=False, kind="stable")
        warned = deals["map_warnings"].str.split("; ")
        counts = pd.DataFrame({w: warned.map(lambda found, w=w: w in found) for w in MAP_WARNINGS.values},
                              index=deals.index, dtype=int)
        book.memo[key] = deals, counts
    return book.memo[key]


def map_view(book: ReportBook, as_of: date, scope: int, rows_shown: int) -> MapView:
    """The team's view (scope 0, with every rep counted) or one rep's (1 + its position)."""
    deals, counts = _warned_deals(book, as_of)
    if scope:
        mine = deals["scope"].to_numpy() == scope - 1
        deals, counts = deals[mine], counts[mine]
        by_rep = pd.DataFrame([counts.sum()], index=[book.reps[scope - 1]])
    else:  # deals of no rep count for the team only
        by_rep = counts.groupby(deals["owner"].where(deals["owner"].isin(book.reps))).sum()
        by_rep = by_rep.reindex(book.reps, fill_value=0)
        by_rep.loc["Team"] = counts.sum()
    by_rep["total"] = by_rep.sum(axis=1)
    by_rep = by_rep.astype(int).rename_axis("rep").reset_index()
    deals = deals[list(DEAL_COLUMNS)]
    return MapView(deals.head(rows_shown).reset_index(drop=True), max(len(deals) - rows_shown, 0), by_rep)
