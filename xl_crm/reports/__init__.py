"""Monthly team and per-rep reports, and the Funnel sheet, from one report model."""

from .batch import running_month, write_reports
from .kpis import METRICS, TEAM, default_as_of
from .model import FunnelModel, Report, funnel_model, report_model
from .writer import write_funnel_sheet, write_report

__all__ = ["METRICS", "TEAM", "FunnelModel", "Report", "default_as_of", "funnel_model", "report_model",
           "running_month", "write_funnel_sheet", "write_report", "write_reports"]
