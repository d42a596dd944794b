"""The Funnel sheet of the CRM workbook: refresh rebuilds it from the report model.

    write_funnel_sheet(workbook, funnel_model(frames, as_of, settings), lang)
"""

from .model import FunnelModel, funnel_model
from .writer import write_funnel_sheet

__all__ = ["FunnelModel", "funnel_model", "write_funnel_sheet"]
