"""The one compute step: a workbook's frames, one evaluation date and its settings in; every synced
and derived column out.

Every command goes through it (init, import, refresh, upgrade, the buttons,
the demo, the report snapshots). Each part is computed once, when first
asked: a report's comparison month asks only for the follow-up status, a
refresh for everything.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Iterable, Mapping

import pandas as pd

from ..model import schema
from ..model.asof import AsOf
from ..model.settings import DEFAULT, Settings
from ..model.typed import column, ids
from . import derive, today
from .greetings import greetings_due
from .history import History
from .payments import PaymentBook, customer_receivables, opportunity_collected, payment_columns, payments_due
from .political_map import deal_maps
from .pool import open_deals
from .sync import SyncSources

DATA_SHEETS = tuple(spec.key for spec in schema.DATA_SHEETS)


def empty(key: str) -> pd.DataFrame:
    """A data sheet with no rows and every schema column."""
    return pd.DataFrame(columns=schema.sheet(key).keys, dtype=object)


class Inputs:
    """What the user keeps in the workbook, typed once for any number of evaluation dates."""

    def __init__(self, frames: Mapping[str, pd.DataFrame | None], settings: Settings = DEFAULT):
        self.frames = {key: frames[key] if frames.get(key) is not None else empty(key) for key in DATA_SHEETS}
        self.settings = settings

    @cached_property
    def sources(self) -> SyncSources:
        return SyncSources(self.frames["customers"], self.frames["opportunities"], self.frames["activities"])

    @cached_property
    def payments(self) -> PaymentBook:
        return PaymentBook(self.frames["payments"], self.frames["opportunities"])

    @cached_property
    def history(self) -> History:
        return History(self.frames["history"], self.frames["opportunities"], self.settings)

    @cached_property
    def deal_maps(self) -> pd.DataFrame:
        """Each deal's political map: it reads no date, so one for every evaluation date."""
        return deal_maps(self.frames["opportunities"], self.frames["contacts"], self.frames["deal_contacts"],
                         self.settings)

    def at(self, as_of: AsOf | date) -> Computed:
        return Computed(self, as_of if isinstance(as_of, AsOf) else AsOf(as_of))


class Computed:
    """Every synced and derived column of the workbook at one evaluation date."""

    def __init__(self, inputs: Inputs, as_of: AsOf):
        self.inputs, self.as_of, self.settings = inputs, as_of, inputs.settings

    @property
    def day(self) -> date:
        return self.as_of.day

    @cached_property
    def customer_synced(self) -> pd.DataFrame:
        synced = self.inputs.sources.customers_at(self.day, self.settings)
        synced = synced.join(customer_receivables(self.inputs.payments, self.inputs.frames["customers"], self.day))
        return synced.assign(open_deals=open_deals(self.inputs.sources))

    @cached_property
    def opportunity_synced(self) -> pd.DataFrame:
        opps = self.inputs.frames["opportunities"]
        touches = self.inputs.sources.opportunity_touches(self.day)
        pushes = self.inputs.history.push_counts(self.day)
        return pd.DataFrame({"touch_count": touches.to_numpy(),
                             "push_count": ids(column(opps, "opportunity_id")).map(pushes).fillna(0).astype(int)},
                            index=opps.index).join(self.inputs.deal_maps).assign(
            collected=opportunity_collected(self.inputs.payments, opps))

    def synced(self, key: str) -> pd.DataFrame:
        """The columns refresh writes as values (schema.Sheet.refreshed), per row of the sheet."""
        if key == "customers":
            return self.customer_synced
        if key == "opportunities":
            return self.opportunity_synced
        return pd.DataFrame(index=self.inputs.frames[key].index)

    def frame(self, key: str) -> pd.DataFrame:
        """The sheet's rows with their synced values: what the derived columns read."""
        return self.inputs.frames[key].assign(**self.synced(key))

    @cached_property
    def followup(self) -> pd.DataFrame:
        """grade, cadence_days, next_due, followup_status: all an overdue count needs."""
        return derive.followup_columns(self.frame("customers"), self.day, self.settings)

    @cached_property
    def customer_derived(self) -> pd.DataFrame:
        return derive.customer_columns(self.frame("customers"), self.day, self.settings, self.followup)

    @cached_property
    def opportunity_derived(self) -> pd.DataFrame:
        return derive.opportunity_columns(self.frame("opportunities"), self.day, self.settings)

    @cached_property
    def payment_derived(self) -> pd.DataFrame:
        return payment_columns(self.inputs.frames["payments"], self.day, self.settings)

    def derived(self, key: str) -> pd.DataFrame:
        """The row formulas' values (their cached results), per row of the sheet."""
        if key == "customers":
            return self.customer_derived
        if key == "opportunities":
            return self.opportunity_derived
        if key == "payments":
            return self.payment_derived
        return pd.DataFrame(index=self.inputs.frames[key].index)

    def placeholder(self, key: str) -> pd.DataFrame:
        """The derived values of one blank row: the single empty row a new table is written with."""
        blank = pd.DataFrame({column: [None] for column in schema.sheet(key).keys}, dtype=object)
        return Inputs({key: blank}, self.settings).at(self.as_of).derived(key)

    def table(self, key: str, keep: Iterable[str] = ()) -> pd.DataFrame:
        """Every schema column of the sheet, in schema order: inputs, synced and derived values (None blank).

        keep: refreshed columns whose cells stay as they are (upgrade writes
        only the columns a sheet lacks); the derived values then read those
        cells, as the sheet's formulas will.
        """
        frame = self.frame(key)
        kept = [k for k in schema.sheet(key).refreshed if k in keep and k in self.inputs.frames[key]]
        if kept:
            frame = frame.assign(**{k: self.inputs.frames[key][k] for k in kept})
            derived = (derive.customer_columns if key == "customers" else derive.opportunity_columns)(
                frame, self.day, self.settings)
        else:
            derived = self.derived(key)
        full = frame.drop(columns=[c for c in derived.columns if c in frame]).join(derived)
        full = full.reindex(columns=schema.sheet(key).keys).astype(object)
        return full.where(full.notna(), None)

    @cached_property
    def call_list(self) -> pd.DataFrame:
        """The Today sheet's rows."""
        calls = today.call_list(self.frame("customers"), self.customer_derived, self.inputs.frames["activities"],
                                self.day)
        calls.attrs.update(greetings=self.greetings, greet_days=self.settings.greet_days)  # below the follow-ups
        calls.attrs["payments"] = payments_due(self.inputs.payments, self.inputs.frames["customers"],
                                               self.inputs.frames["opportunities"], self.day)
        return calls

    @cached_property
    def greetings(self) -> pd.DataFrame:
        """Birthdays and festivals in the next GreetDays days, for the contacts worth a greeting."""
        return greetings_due(self.inputs.frames["contacts"], self.inputs.frames["customers"],
                             self.customer_synced["tier"], self.day, self.settings)


def compute(frames: Mapping[str, pd.DataFrame | None], as_of: AsOf | date, settings: Settings = DEFAULT) -> Computed:
    """The compute step for one date."""
    return Inputs(frames, settings).at(as_of)
