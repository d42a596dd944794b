"""The sales method's rules, each written once, free of files and Excel.

Scalar rules take cell values as a spreadsheet holds them and give a blank
(None) for bad input; `vectorised(rule)` applies a scalar rule over pandas
columns; aggregate rules (sync, pyramid, funnel) work on DataFrames.
"""

from .followup import cadence_days, days_overdue, followup_status, next_due, urgency
from .grading import grade
from .opening import mirror, opening, opening_play, opening_type
from .pipeline import approval_level, days_in_stage, funnel, probability, slipped, stage_index, stale, weighted_amount
from .pyramid import revenue_12m, tiers
from .qualify import all_yes, yes_count
from .value import diagnosis, value_class
from .vector import vectorised

__all__ = [
    "all_yes",
    "approval_level",
    "cadence_days",
    "days_in_stage",
    "days_overdue",
    "diagnosis",
    "followup_status",
    "funnel",
    "grade",
    "mirror",
    "next_due",
    "opening",
    "opening_play",
    "opening_type",
    "probability",
    "revenue_12m",
    "slipped",
    "stage_index",
    "stale",
    "tiers",
    "urgency",
    "value_class",
    "vectorised",
    "weighted_amount",
    "yes_count",
]
