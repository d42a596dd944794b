"""Every derived column of DOMAIN.md, computed in Python row by row.

The workbook holds these as native formulas; Python computes the same
values for the formulas' cached results, for the Today and Funnel sheets
and for reports. Both faces read the same rules, chained the same way.
"""

from __future__ import annotations

import pandas as pd

from .. import rules
from ..model.settings import DEFAULT, Settings
from ..model.typed import column
from ..rules import vectorised as vec
from ..rules.forecast import forecast
from ..rules.pool import pool_status


def followup_columns(customers: pd.DataFrame, as_of, settings: Settings = DEFAULT) -> pd.DataFrame:
    """grade, cadence_days, next_due, followup_status: all a count of overdue customers needs."""
    c = lambda key: column(customers, key)  # noqa: E731
    out = pd.DataFrame(index=customers.index)
    out["grade"] = vec(rules.grade, c("need"), c("expected_close"), as_of, c("next_close"), settings=settings)
    out["cadence_days"] = vec(rules.cadence_days, out["grade"], c("tier"), settings=settings)
    out["next_due"] = vec(rules.next_due, c("last_contact"), out["cadence_days"], c("next_action_date"), as_of)
    out["followup_status"] = vec(rules.followup_status, c("last_contact"), c("next_action_date"),
                                 out["next_due"], as_of)
    return out


def customer_columns(customers: pd.DataFrame, as_of, settings: Settings = DEFAULT,
                     followup: pd.DataFrame | None = None) -> pd.DataFrame:
    """grade, cadence_days, next_due, days_overdue, followup_status, urgency, pool_status.

    followup: followup_columns already computed for the same rows and as_of.
    """
    c = lambda key: column(customers, key)  # noqa: E731
    f = followup_columns(customers, as_of, settings) if followup is None else followup
    out = f[["grade", "cadence_days", "next_due"]].copy()
    out["days_overdue"] = vec(rules.days_overdue, out["next_due"], as_of)
    out["followup_status"] = f["followup_status"]
    out["urgency"] = vec(rules.urgency, out["next_due"], as_of)
    out["pool_status"] = vec(pool_status, c("owner"), c("tier"), c("open_deals"), c("last_contact"),
                             c("assigned_date"), as_of, settings=settings)
    return out


def opportunity_columns(opps: pd.DataFrame, as_of, settings: Settings = DEFAULT) -> pd.DataFrame:
    """probability ... approval_level: the opportunity row formulas."""
    c = lambda key: column(opps, key)  # noqa: E731
    out = pd.DataFrame(index=opps.index)
    out["probability"] = vec(rules.probability, c("stage"), c("status"), settings=settings)
    out["weighted_amount"] = vec(rules.weighted_amount, c("amount"), out["probability"])
    out["days_in_stage"] = vec(rules.days_in_stage, c("stage_since"), c("created"), as_of)
    out["stale"] = vec(rules.stale, c("status"), c("stage"), out["days_in_stage"], settings=settings)
    out["slipped"] = vec(rules.slipped, c("status"), c("expected_close"), as_of)
    out["bant_score"] = vec(rules.yes_count, c("need"), c("budget"), c("authority"), c("timeline"))
    out["qualified"] = vec(rules.all_yes, out["bant_score"])
    out["tas_score"] = vec(rules.yes_count, c("tas_opportunity"), c("tas_solution"), c("tas_win"), c("tas_worth"))
    out["pursue"] = vec(rules.all_yes, out["tas_score"])
    out["value_class"] = vec(rules.value_class, c("short_term_score"), c("long_term_score"), settings=settings)
    out["opening"] = vec(rules.opening, c("territory"), c("lead"))
    out["opening_type"] = vec(rules.opening_type, out["opening"])
    out["approval_level"] = vec(rules.approval_level, c("amount"), settings=settings)
    out["forecast"] = vec(forecast, c("forecast_category"), c("status"), c("stage"), settings=settings)
    out["play"] = vec(settings.play, out["opening"])  # as the Settings play table words it
    return out
