"""The report's competitors (DOMAIN.md section 14): who we win and lose against, why, and their moves.

Deals count against the competitor their row names (the main rival),
trimmed as TRIM gives it; closed means Won or Lost with a closed date in
the 12 months ending as_of, the window of the funnel's win rate. The lost
reasons per rep count the lost deals of the same window; the moves are the
Competitors rows whose last_move_date falls in the report month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from ..model.typed import column, dates, ids, parsed, texts
from ..model.vocab import REASON
from .data import ReportBook, year_before
from .kpis import in_month

NO_REASON = "(none)"
MOVE_COLUMNS = ("last_move_date", "competitor", "customer_id", "customer", "owner", "opportunity_id", "last_move")


@dataclass
class CompetitorView:
    """The Competitors sheet of one report."""

    rivals: pd.DataFrame  # competitor, won, lost, win_rate, lost_amount
    reasons: pd.DataFrame  # rep, one column per reason (canonical) and NO_REASON, total
    moves: pd.DataFrame  # MOVE_COLUMNS, the latest first
    moves_hidden: int = 0  # moves left out beyond the rows shown


def _memo(book: ReportBook, key: tuple, make):
    if key not in book.memo:
        book.memo[key] = make()
    return book.memo[key]


def _deals(book: ReportBook) -> pd.DataFrame:
    """Every deal's competitor, status, amount and reason: read once per batch."""
    def make():
        o, raw = book.opportunities, book.raw_opportunities
        return pd.DataFrame({"competitor": texts(column(raw, "competitor")), "status": o["status"],
                             "amount": o["amount"].fillna(0.0),
                             "reason": parsed(REASON.parse, column(raw, "reason")).fillna(NO_REASON)}, index=o.index)
    return _memo(book, ("competitor deals",), make)


def _closed(book: ReportBook, as_of: date) -> pd.DataFrame:
    """Deals won or lost in the 12 months ending as_of, with their competitor, reason and owner then; once per date."""
    def make():
        o = book.opportunities
        rows = ((o["closed"] > pd.Timestamp(year_before(as_of))) & (o["closed"] <= pd.Timestamp(as_of))
                & o["status"].isin(["Won", "Lost"])).to_numpy()
        return _deals(book)[rows].assign(owner=book.owner_at(as_of)[rows], scope=book.deal_scope(as_of)[rows])
    return _memo(book, ("closed deals", as_of), make)


def rivals(book: ReportBook, as_of: date, scope: int = 0) -> pd.DataFrame:
    """Per competitor: won, lost, win_rate, lost_amount over the closed deals of the scope that name one."""
    deals = _closed(book, as_of)
    deals = deals[deals["competitor"].notna() & ((deals["scope"] == scope - 1) if scope else True)]
    won, lost = deals["status"] == "Won", deals["status"] == "Lost"
    table = pd.DataFrame({"competitor": deals["competitor"], "won": won.astype(int), "lost": lost.astype(int),
                          "lost_amount": deals["amount"].where(lost, 0.0)})
    table = table.groupby("competitor", sort=True).sum().reset_index()
    table.insert(3, "win_rate", table["won"] / (table["won"] + table["lost"]))
    return table.sort_values(["lost_amount", "lost"], ascending=False, kind="stable").reset_index(drop=True)


def _reason_counts(book: ReportBook, as_of: date) -> tuple[pd.DataFrame, pd.Series]:
    """Lost deals per rep (every rep, in order) and reason, and the team's per reason; once per date."""
    def make():
        deals = _closed(book, as_of)
        deals = deals[deals["status"] == "Lost"]
        keys = [*REASON.values, NO_REASON]
        counts = pd.crosstab(deals["owner"].where(deals["scope"] >= 0), deals["reason"]).reindex(columns=keys,
                                                                                                   fill_value=0)
        return counts.reindex(book.reps, fill_value=0), deals["reason"].value_counts().reindex(keys, fill_value=0)
    return _memo(book, ("lost reasons", as_of), make)


def lost_reasons(book: ReportBook, as_of: date, scope: int = 0) -> pd.DataFrame:
    """Lost deals per rep and reason (a blank or unreadable reason is NO_REASON); the team's row last."""
    per_rep, team = _reason_counts(book, as_of)
    if scope:
        table = per_rep.iloc[[scope - 1]].copy()
    else:
        table = per_rep.copy()
        table.loc["Team"] = team  # deals of no rep too
    table["total"] = table.sum(axis=1)
    return table.astype(int).rename_axis("rep").reset_index()


def _month_moves(book: ReportBook, month: str) -> pd.DataFrame:
    """The month's Competitors rows with their customer and owner, latest first; once per month."""
    def make():
        rows = book.inputs.frames["competitors"]
        c = lambda key: column(rows, key)  # noqa: E731
        table = pd.DataFrame({"last_move_date": dates(c("last_move_date")), "competitor": texts(c("competitor")),
                              "customer_id": ids(c("customer_id")), "opportunity_id": ids(c("opportunity_id")),
                              "last_move": texts(c("last_move"))}, index=rows.index)
        table = table[in_month(table["last_move_date"], month)]
        customers = book.customers.drop_duplicates("customer_id").set_index("customer_id")
        table["customer"] = table["customer_id"].map(customers["name"])
        table["owner"] = table["customer_id"].map(customers["owner"])
        return table.sort_values("last_move_date", ascending=False, kind="stable")
    return _memo(book, ("competitor moves", month), make)


def moves(book: ReportBook, month: str, scope: int = 0) -> pd.DataFrame:
    """Competitors rows whose last move falls in the month, latest first; a rep's: at the rep's customers."""
    table = _month_moves(book, month)
    if scope:
        table = table[table["owner"] == book.reps[scope - 1]]
    return table[list(MOVE_COLUMNS)].reset_index(drop=True)


def competitor_view(book: ReportBook, month: str, as_of: date, scope: int, rows_shown: int) -> CompetitorView:
    moved = moves(book, month, scope)
    return CompetitorView(rivals(book, as_of, scope), lost_reasons(book, as_of, scope), moved.head(rows_shown),
                          max(len(moved) - rows_shown, 0))
