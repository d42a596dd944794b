"""The workbook's data typed once per batch, and what changes with the evaluation date.

A batch writes many months and reps from one read: `ReportBook` parses every
cell once (dates, amounts, statuses, stages, owners) and evaluates the
date-free rules once; `Snapshot` holds what depends on as_of (synced values,
follow-up status, stale deals, touches) and is cached per date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pandas as pd

from .. import derive, rules, sync
from ..rules import vectorised
from ..settings import DEFAULT, Settings
from ..values import as_date, as_number, blank_on_invalid, cell_text, is_blank
from ..vocab import STATUS


def _column(frame: pd.DataFrame, key: str) -> pd.Series:
    return frame[key] if key in frame else pd.Series(None, index=frame.index, dtype=object)


def text(series: pd.Series) -> pd.Series:
    """Cell text as TRIM gives it; None for blank (owners, products, names)."""
    return vectorised(lambda v: None if is_blank(v) else cell_text(v), series)


def dates(series: pd.Series) -> pd.Series:
    """datetime64 dates; blank or unreadable cells are NaT."""
    return pd.to_datetime(vectorised(blank_on_invalid(as_date), series), errors="coerce")


def numbers(series: pd.Series) -> pd.Series:
    """floats; blank or unreadable cells are NaN."""
    return pd.to_numeric(vectorised(blank_on_invalid(as_number), series), errors="coerce").astype(float)


@dataclass
class Snapshot:
    """Everything that depends on as_of, for every row of the workbook."""

    as_of: date
    customers: pd.DataFrame  # synced values + derived follow-up columns, indexed like the Customers frame
    days_in_stage: pd.Series  # per opportunity row (open deals only; the rest are not counted)
    stale: pd.Series  # bool per opportunity row
    book: "ReportBook" = field(repr=False)

    @cached_property
    def touches(self) -> pd.Series:
        """touch_count per opportunity row at as_of (only the report month needs it)."""
        return sync.opportunity_touches(self.book.raw_opportunities, self.book.raw_activities, self.as_of)


class ReportBook:
    """Customers, opportunities and activities typed for the report model."""

    def __init__(self, customers: pd.DataFrame, opportunities: pd.DataFrame, activities: pd.DataFrame,
                 settings: Settings = DEFAULT, lang: str = "en"):
        self.settings, self.lang = settings, lang
        self.raw_customers, self.raw_opportunities, self.raw_activities = customers, opportunities, activities
        c = lambda key: _column(customers, key)  # noqa: E731
        self.customers = pd.DataFrame({
            "customer_id": sync.ids(c("customer_id")), "name": text(c("name")), "owner": text(c("owner")),
            "industry": text(c("industry")), "region": text(c("region")),
        }, index=customers.index)
        o = lambda key: _column(opportunities, key)  # noqa: E731
        opps = pd.DataFrame({
            "opportunity_id": sync.ids(o("opportunity_id")), "customer_id": sync.ids(o("customer_id")),
            "name": text(o("name")), "owner": text(o("owner")), "product": text(o("product")),
            "status": vectorised(blank_on_invalid(STATUS.parse), o("status")),
            "stage": vectorised(rules.stage_index, o("stage"), settings=settings),
            "amount": numbers(o("amount")), "created": dates(o("created")), "closed": dates(o("closed_date")),
            "value_class": vectorised(rules.value_class, o("short_term_score"), o("long_term_score"),
                                           settings=settings),
            "opening": vectorised(rules.opening, o("territory"), o("lead")),
        }, index=opportunities.index)
        by_id = self.customers.drop_duplicates("customer_id").set_index("customer_id")
        opps["industry"] = opps["customer_id"].map(by_id["industry"])
        opps["region"] = opps["customer_id"].map(by_id["region"])
        # a deal open at as_of weighs with its stage's probability, whatever it later became
        open_probability = vectorised(rules.probability, o("stage"), "Open", settings=settings)
        opps["open_weighted"] = pd.to_numeric(
            vectorised(rules.weighted_amount, o("amount"), open_probability), errors="coerce")
        self.opportunities = opps
        a = lambda key: _column(activities, key)  # noqa: E731
        self.activities = pd.DataFrame({"date": dates(a("date")), "owner": text(a("owner")),
                                        "customer_id": sync.ids(a("customer_id"))}, index=activities.index)
        owners = pd.concat([opps["owner"], self.activities["owner"]]).dropna()
        self.reps: list[str] = sorted(set(owners))
        self._snapshots: dict[date, Snapshot] = {}
        self.memo: dict = {}  # results the model computes once per batch (metric tables by month)

    @classmethod
    def from_data(cls, data) -> "ReportBook":
        """From a `read_workbook` result (CrmData)."""
        return cls(data.frame("customers"), data.frame("opportunities"), data.frame("activities"),
                   data.settings, data.lang)

    def snapshot(self, as_of: date) -> Snapshot:
        if as_of not in self._snapshots:
            self._snapshots[as_of] = self._snapshot(as_of)
        return self._snapshots[as_of]

    def _snapshot(self, as_of: date) -> Snapshot:
        raw = self.raw_opportunities
        # Lost deals feed neither next_close nor revenue_12m: leave them out of the sync's scan
        synced = sync.customer_sync(self.raw_customers, raw[self.opportunities["status"] != "Lost"],
                                    self.raw_activities, as_of, self.settings)
        customers = self.raw_customers.assign(**{k: synced[k] for k in synced.columns})
        derived = derive.customer_columns(customers, as_of, self.settings)
        table = pd.concat([self.customers, synced, derived], axis=1)
        opps = self.opportunities
        is_open = opps["status"] == "Open"  # rules.stale needs days_in_stage only for open deals
        days = pd.Series(None, index=opps.index, dtype=object)
        days[is_open] = vectorised(rules.days_in_stage, _column(raw, "stage_since")[is_open],
                                        _column(raw, "created")[is_open], as_of)
        stale = vectorised(rules.stale, _column(raw, "status"), _column(raw, "stage"), days,
                                settings=self.settings)
        return Snapshot(as_of, table, pd.to_numeric(days, errors="coerce"), stale.eq(True), self)
