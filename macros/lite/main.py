"""xl_crm in xlwings Lite: paste into the add-in's main.py (requirements.txt beside it).

The custom functions are xl_crm.excel.udfs' own: in xlwings Lite `xw.func` and
`xw.arg` are Lite's decorators, so importing them here is all it takes.
The scripts run the same actions as the classic buttons on the open book.
Writing reports and upgrading need the workbook's file, which Lite cannot
reach, so they are not offered here.
"""

import xlwings as xw
from xlwings import func, script  # noqa: F401  (func: the decorator of the functions below)

from xl_crm.excel import macros
from xl_crm.excel.live import XwBook
from xl_crm.excel.udfs import (  # noqa: F401
    crm_aging,
    crm_bant,
    crm_cadence,
    crm_days_late,
    crm_followup_status,
    crm_forecast,
    crm_funnel,
    crm_grade,
    crm_map_warnings,
    crm_next_due,
    crm_opening,
    crm_opening_play,
    crm_outstanding,
    crm_play,
    crm_probability,
    crm_tier,
    crm_value_class,
    crm_weighted,
)


@script
def refresh(book: xw.Book):
    """Write the synced columns and rebuild the Today sheet."""
    print(macros.refresh(XwBook(book)))


@script
def show_today(book: xw.Book):
    """Rebuild the Today sheet."""
    print(macros.show_today(XwBook(book)))


@script
def log_activity(book: xw.Book):
    """Log a touch for the selected customer row."""
    print(macros.log_activity(XwBook(book)))
