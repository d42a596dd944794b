"""The synced values (DOMAIN.md section 1): aggregates across sheets, written as values.

A formula would have to scan the Activities or Opportunities sheet for
every row (O(n^2)); refresh computes them once with pandas instead.
`SyncSources` reads the cells once, so a report batch can ask for many
evaluation dates at the cost of a few array operations each.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from ..model import typed
from ..model.cells import as_date
from ..model.settings import DEFAULT, Settings
from ..model.typed import column, ids
from ..model.vocab import ACTIVITY_TYPE, STATUS
from ..rules import tiers
from ..rules.pyramid import won_in_year

_NAT = np.iinfo(np.int64).min  # NaT's integer value


class _Keys:
    """One integer code per distinct ID over several columns (blank IDs share one code)."""

    def __init__(self, *keys: pd.Series):
        codes, self.uniques = pd.factorize(pd.concat(keys, ignore_index=True), use_na_sentinel=False)
        blank = np.flatnonzero(pd.isna(self.uniques))
        self.blank = int(blank[0]) if len(blank) else -1
        bounds = np.cumsum([0, *map(len, keys)])
        self.codes = [codes[a:b] for a, b in zip(bounds[:-1], bounds[1:])]

    def count(self, codes: np.ndarray) -> np.ndarray:
        """How many of `codes` fall on each key; blank IDs count for nothing."""
        counts = np.bincount(codes, minlength=len(self.uniques))
        if self.blank >= 0:
            counts[self.blank] = 0
        return counts


class SyncSources:
    """The cells the synced values come from, typed once; `customers_at(as_of)` per date."""

    def __init__(self, customers: pd.DataFrame, opportunities: pd.DataFrame, activities: pd.DataFrame):
        self.index = customers.index
        self.last_contact_cells = column(customers, "last_contact")
        self.own_last = typed.dates(self.last_contact_cells)
        # an unreadable last_contact stays as it is: check reports it, refresh does not guess
        self.bad_last = typed.unreadable(self.last_contact_cells, self.own_last).to_numpy()
        acts = pd.DataFrame({"date": typed.dates(column(activities, "date")),
                             "customer": ids(column(activities, "customer_id")),
                             "opportunity": ids(column(activities, "opportunity_id"))})
        # a greeting keeps the relationship warm but is not a sales touch (section 17)
        greeting = typed.parsed(ACTIVITY_TYPE.parse, column(activities, "type")) == "Greeting"
        acts = acts[acts["date"].notna() & ~greeting].sort_values("date", kind="stable")
        # sorted by date, the activities on or before any as_of are a prefix
        self.activity_days = acts["date"].to_numpy()
        self.customer_ids = ids(column(customers, "customer_id"))
        self.deal_ids = ids(column(opportunities, "opportunity_id"))
        self.deal_customers = ids(column(opportunities, "customer_id"))
        self.customer_keys = _Keys(self.customer_ids, acts["customer"], self.deal_customers)
        self.opportunity_keys = _Keys(self.deal_ids, acts["opportunity"])
        self.opportunities = opportunities

    @cached_property
    def status(self) -> pd.Series:
        return typed.parsed(STATUS.parse, column(self.opportunities, "status"))

    @cached_property
    def amount(self) -> pd.Series:
        return typed.numbers(column(self.opportunities, "amount"))

    @cached_property
    def won_deals(self) -> tuple[pd.Series, pd.Series, pd.Series]:
        """Won flags, close dates and amounts: what revenue_12m reads."""
        return self.status == "Won", typed.dates(column(self.opportunities, "closed_date")), self.amount

    def _prefix(self, as_of) -> int:
        return int(np.searchsorted(self.activity_days, np.datetime64(as_date(as_of), "s"), side="right"))

    def opportunity_touches(self, as_of) -> pd.Series:
        """touch_count per opportunity row: activities for it dated on or before as_of."""
        keys = self.opportunity_keys
        counts = keys.count(keys.codes[1][:self._prefix(as_of)])
        return pd.Series(counts[keys.codes[0]], dtype=int)

    @cached_property
    def next_close(self) -> np.ndarray:
        """Per customer key: the earliest expected_close of its Open deals (NaT if none)."""
        keys = self.customer_keys
        days = typed.dates(column(self.opportunities, "expected_close")).to_numpy().astype(np.int64)
        earliest = np.full(len(keys.uniques), np.iinfo(np.int64).max)
        use = (self.status == "Open").to_numpy() & (days != _NAT) & (keys.codes[2] != keys.blank)
        np.minimum.at(earliest, keys.codes[2][use], days[use])
        earliest[earliest == np.iinfo(np.int64).max] = _NAT
        return earliest.astype("datetime64[s]")

    def customers_at(self, as_of, settings: Settings = DEFAULT) -> pd.DataFrame:
        """last_contact, touch_count, next_close, revenue_12m and tier for every customer row."""
        keys = self.customer_keys
        mine, touched = keys.codes[0], keys.codes[1][:self._prefix(as_of)]
        latest = np.full(len(keys.uniques), _NAT)
        np.maximum.at(latest, touched, self.activity_days[:len(touched)].astype(np.int64))
        if keys.blank >= 0:
            latest[keys.blank] = _NAT
        # the cell's own date counts only up to as_of: a past date sees the contacts made by then
        own = self.own_last.to_numpy().astype(np.int64)
        own = np.where(own > np.datetime64(as_date(as_of), "s").astype(np.int64), _NAT, own)
        last = np.maximum(own, latest[mine]).astype("datetime64[s]")
        out = pd.DataFrame(index=self.index)
        out["last_contact"] = np.where(self.bad_last, self.last_contact_cells.to_numpy(dtype=object), _cells(last))
        out["touch_count"] = keys.count(touched)[mine]
        out["next_close"] = _cells(self.next_close[mine])
        revenue = won_in_year(self.deal_customers, *self.won_deals, as_of)
        # keyed by ID text; a Series lookup also matches a blank ID with deals of no customer
        out["revenue_12m"] = pd.Series(keys.uniques.take(mine), index=self.index, dtype=object).map(
            revenue.to_dict()).fillna(0.0).astype(float)
        out["tier"] = tiers(out["revenue_12m"], settings)
        return out


def _cells(days: np.ndarray) -> np.ndarray:
    """datetime64 days as the date objects written to cells (None for NaT)."""
    return days.astype("datetime64[D]").astype(object)
