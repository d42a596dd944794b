"""The forecast against the targets (DOMAIN.md section 13), for the team and every rep at once.

For month M, as_of and a scope (deals by their owner):

- target: the Targets rows of M (rules.forecast.month_of); the team's own
  row (blank owner, Team, 团队) when there is one, else the sum of the
  reps' rows; blank for a rep with no row. A row whose month or target
  cannot be read, or whose target is negative, counts for nothing (check
  names it).
- won: amount of deals Won with closed_date in M.
- commit / best_case / pipeline: won, plus the amount of deals open at
  as_of (section 11) with expected_close in M whose forecast (rules.forecast,
  read as the deal was then: Open) is Commit; + Best case; + Pipeline.
- weighted: won + weighted amount (the stage's probability) of those open deals.
- attainment = won / target; gap = max(0, target - won); coverage = amount
  of the open deals with expected_close from as_of to the end of M / gap.
- required_coverage = 1 / the win rate of the 12 months ending as_of
  (closed_date in (as_of - 365, as_of]); velocity = open deals x that win
  rate x the average won amount / the average sales cycle, per 30 days.
- forecast_accuracy = won / commit as History saw it on the last day of
  the month before M: deals Open then, with that day's forecast category
  (or stage), amount and expected_close; blank without History by then.

Every ratio is blank when its denominator is 0 (or unknown). A comparison
month (own False) leaves out the deals with a blank created date, as the
pipeline does (kpis.py).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

import numpy as np
import pandas as pd

from ..model.cells import blank_on_invalid
from ..model.typed import column, dates, numbers, per_row, per_value, texts
from ..rules.forecast import forecast, month_of
from .data import ReportBook, scope_counts, scope_sums

FORECAST_METRICS = ("target", "won", "commit", "best_case", "pipeline", "weighted", "attainment", "gap", "coverage",
                    "required_coverage", "velocity", "forecast_accuracy")
TEAM_OWNERS = {"team", "团队"}
CATEGORIES = ("Commit", "Best case", "Pipeline")


def month_range(month: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    year, number = (int(part) for part in month.split("-"))
    return pd.Timestamp(year, number, 1), pd.Timestamp(year, number, calendar.monthrange(year, number)[1])


def ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is 0 or unknown."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.nan_to_num(denominator) != 0, numerator / denominator, np.nan)


class ForecastBook:
    """What the forecast reads from a ReportBook, typed once per batch."""

    def __init__(self, book: ReportBook):
        self.reps, self.inputs = book.reps, book.inputs  # not the book: it holds this in its memo
        frames = book.inputs.frames
        opps = frames["opportunities"]
        self.close = dates(column(opps, "expected_close"))
        # a deal counted as open at as_of is forecast as an open deal, whatever it became later
        category = per_row(forecast, column(opps, "forecast_category"), "Open", column(opps, "stage"),
                           settings=book.settings)
        self.categories = {c: category == c for c in CATEGORIES}  # boolean arrays, compared once
        status = book.opportunities["status"]
        self.won, self.lost = (status == "Won").to_numpy(), (status == "Lost").to_numpy()
        t = frames["targets"]
        owner = texts(column(t, "owner"))
        self.targets = pd.DataFrame({
            "owner": owner, "team": owner.isna() | owner.str.casefold().isin(TEAM_OWNERS),
            "month": per_value(blank_on_invalid(month_of), column(t, "month")),
            "target": numbers(column(t, "target")),
        }, index=t.index).dropna(subset=["month", "target"])
        self.targets = self.targets[self.targets["target"] >= 0]  # a negative target is bad input (check says so)

    def target(self, month: str) -> np.ndarray:
        """Per scope: the month's target (NaN when there is none)."""
        rows = self.targets[self.targets["month"] == month]
        team = rows[rows["team"]]
        reps = rows[~rows["team"]]
        by_rep = reps.groupby("owner")["target"].sum()
        per_rep = [by_rep.get(rep, np.nan) for rep in self.reps]
        total = team["target"].sum() if len(team) else (reps["target"].sum() if len(reps) else np.nan)
        return np.array([total, *per_rep], dtype=float)

    @cached_property
    def history(self):
        """The workbook's History (compute.history), read once by the compute step."""
        return self.inputs.history


def forecast_book(book: ReportBook) -> ForecastBook:
    if ("forecast",) not in book.memo:
        book.memo["forecast",] = ForecastBook(book)
    return book.memo["forecast",]


@dataclass
class Year:
    """The 12 months ending as_of, per scope: win rate, average won amount, average sales cycle."""

    win_rate: np.ndarray
    won_amount: np.ndarray
    cycle: np.ndarray


def year_ending(book: ReportBook, as_of: date) -> Year:
    o, reps, f = book.opportunities, len(book.reps), forecast_book(book)
    scope, day = book.deal_scope(as_of), pd.Timestamp(as_of)
    closed = ((o["closed"] > day - pd.Timedelta(days=365)) & (o["closed"] <= day)).to_numpy()
    won, lost = closed & f.won, closed & f.lost
    wins = scope_counts(won, scope, reps).astype(float)
    priced = won & o["amount"].notna().to_numpy()
    cycle = (o["closed"] - o["created"]).dt.days.to_numpy()
    timed = won & ~np.isnan(cycle)
    return Year(win_rate=ratio(wins, wins + scope_counts(lost, scope, reps)),
                won_amount=ratio(scope_sums(np.where(priced, o["amount"].fillna(0.0).to_numpy(), 0.0), scope, reps),
                                 scope_counts(priced, scope, reps).astype(float)),
                cycle=ratio(scope_sums(np.where(timed, np.nan_to_num(cycle), 0.0), scope, reps),
                            scope_counts(timed, scope, reps).astype(float)))


def forecast_metrics(book: ReportBook, month: str, as_of: date, own: bool = True) -> dict[str, np.ndarray]:
    """FORECAST_METRICS per scope (team, then each rep), NaN for blank."""
    f, o, snap = forecast_book(book), book.opportunities, book.snapshot(as_of)
    scope, reps = book.deal_scope(as_of), len(book.reps)
    amount = o["amount"].fillna(0.0).to_numpy()
    first, last = month_range(month)
    sums = lambda mask, values=amount: scope_sums(np.where(mask, values, 0.0), scope, reps)  # noqa: E731
    in_month = ((o["closed"] >= first) & (o["closed"] <= last)).to_numpy()
    out = {"target": f.target(month), "won": sums(in_month & f.won)}
    open_ = snap.open_at if own else snap.open_dated
    closing = open_ & (f.close >= first).to_numpy() & (f.close <= last).to_numpy()
    running = out["won"]
    for key, category in zip(("commit", "best_case", "pipeline"), CATEGORIES):
        running = out[key] = running + sums(closing & f.categories[category])
    out["weighted"] = out["won"] + sums(closing, o["open_weighted"].fillna(0.0).to_numpy())
    out["attainment"] = ratio(out["won"], out["target"])
    out["gap"] = np.maximum(0.0, out["target"] - out["won"])
    rest = closing & (f.close >= pd.Timestamp(as_of)).to_numpy()
    out["coverage"] = ratio(sums(rest), out["gap"])
    year = year_ending(book, as_of)
    out["required_coverage"] = ratio(np.ones(1 + reps), year.win_rate)
    count = scope_counts(open_, scope, reps).astype(float)
    out["velocity"] = ratio(count * year.win_rate * year.won_amount * 30, year.cycle)
    out["forecast_accuracy"] = ratio(out["won"], committed_before(book, month))
    return out


def committed_before(book: ReportBook, month: str) -> np.ndarray:
    """Per scope: the commit of `month` as History knew it on the last day of the month before (NaN without)."""
    key = ("committed before", month)
    if key not in book.memo:
        book.memo[key] = _committed_before(book, month)
    return book.memo[key]


def _committed_before(book: ReportBook, month: str) -> np.ndarray:
    history, reps = forecast_book(book).history, len(book.reps)
    first, last = month_range(month)
    day = (first - timedelta(days=1)).date()
    if not len(history.until(day)):
        return np.full(1 + reps, np.nan)
    o = book.opportunities
    at = lambda field: book.per_deal_row(history.value_at(field, day))  # noqa: E731
    status, close, amount = at("status"), pd.to_datetime(at("expected_close")), at("amount")
    stage, category = at("stage"), at("forecast_category")
    then = pd.Series(per_row(forecast, category, "Open", stage, settings=book.settings), index=o.index)
    money = pd.to_numeric(amount, errors="coerce").fillna(0.0).to_numpy()
    scope = book.deal_scope(day)  # each deal for its owner then
    commit = ((status == "Open") & (then == "Commit") & (close >= first) & (close <= last)).to_numpy()
    won = ((status == "Won") & (o["closed"] >= first) & (o["closed"] <= last)).to_numpy()
    return scope_sums(np.where(commit | won, money, 0.0), scope, reps)


def forecast_months(book: ReportBook, month: str, as_of: date, months: int = 3) -> list[tuple[str, dict]]:
    """(month, FORECAST_METRICS per scope) for M and the months after it, all seen at as_of."""
    year, number = (int(part) for part in month.split("-"))
    out = []
    for shift in range(months):
        index = year * 12 + number - 1 + shift
        later = f"{index // 12:04d}-{index % 12 + 1:02d}"
        out.append((later, forecast_metrics(book, later, as_of)))
    return out
