"""The buttons' actions: RunPython entry points (macros/xl_crm.bas) and xlwings Lite scripts.

Each action takes the workbook (`xw.Book.caller()` when called from VBA with
no argument) and works on it through xl_crm.excel.live, with the same sync,
derive and Today logic as `xl-crm refresh`. Writing reports and upgrading
need the file itself, so those two save the open workbook and call the
file-based library functions on `book.fullname`.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from ..commands.workbook import plan_refresh
from ..compute.step import Computed, compute
from ..errors import XlCrmError
from ..model import schema
from ..model.asof import AsOf
from ..model.cells import Invalid, is_blank, parse_iso_date
from ..model.vocab import ACTIVITY_TYPE
from ..sheets.read import CrmData, read_rows
from ..sheets.today_sheet import layout
from .live import LiveBook, XwBook

REPORTS_FOLDER = "reports"


def _live(book) -> LiveBook:
    """The adapter for `book`: the calling workbook when None, an xw.Book wrapped, a LiveBook as is."""
    if book is None:
        import xlwings as xw

        return XwBook(xw.Book.caller())
    return book if hasattr(book, "write_cells") else XwBook(book)


def read_live(live: LiveBook) -> CrmData:
    """The open workbook as CrmData, its sheets found as `xl-crm` finds them in the file."""
    data = read_rows(Path(live.fullname) if live.fullname else None, live.sheet_names(), live.rows)
    if "customers" not in data.tables:
        raise XlCrmError(f"{live.fullname}: no customer table found")
    return data


def _as_of(data: CrmData) -> AsOf:
    """The live AsOf value (Excel evaluates TODAY() itself), else today."""
    return AsOf.resolve(None, data.as_of)


def _write_today(live: LiveBook, data: CrmData, computed: Computed) -> int:
    calls = computed.call_list
    live.replace_sheet(schema.TODAY_NAME(data.lang), [values for _, values in layout(calls, computed.day, data.lang)])
    return len(calls)


def refresh(book=None) -> str:
    """Write the synced columns (last contact, touches, next close, revenue, tier) and rebuild Today."""
    live = _live(book)
    data = read_live(live)
    plan = plan_refresh(data, _as_of(data))
    for sheet_name, cells in plan.values.items():
        live.write_cells(sheet_name, cells)
    changed = sum(len(cells) for cells in plan.values.values())
    due = _write_today(live, data, plan.computed)
    message = f"Refreshed as of {plan.computed.day.isoformat()}: {changed} cells updated, {due} follow-ups due."
    live.tell(message)
    return message


def show_today(book=None) -> str:
    """Rebuild the Today sheet: overdue and due follow-ups, most urgent first, by rep."""
    live = _live(book)
    data = read_live(live)
    computed = compute({key: data.frame(key) for key in data.tables}, _as_of(data), data.settings)
    due = _write_today(live, data, computed)
    return f"{due} follow-ups due on {computed.day.isoformat()}."


CANCELLED = object()


def _ask(live: LiveBook, prompt: str, read, default: str = ""):
    """Ask until the answer reads (read raises Invalid otherwise); CANCELLED when cancelled."""
    while True:
        answer = live.ask(prompt, default)
        if answer is None:
            return CANCELLED
        try:
            return read(answer)
        except Invalid as exc:
            prompt = f"{exc}. {prompt}"


def _optional_date(text: str):
    return None if is_blank(text) else parse_iso_date(text)


def log_activity(book=None) -> str | None:
    """Log a touch for the selected customer row: type, summary, next date; then refresh.

    The activity is dated today; a next date also becomes the customer's
    next_action_date. Refresh then moves last_contact and touch_count.
    """
    live = _live(book)
    data = read_live(live)
    customers, activities = data.tables["customers"], data.tables.get("activities")
    if activities is None:
        raise XlCrmError(f"{live.fullname}: no Activities sheet to log into")
    selected = live.selection()
    if selected is None or selected[0] != customers.sheet_name or selected[1] not in customers.frame.index:
        live.tell(f"Select a customer's row on the {customers.sheet_name} sheet first.")
        return None
    row = customers.frame.loc[selected[1]]
    kinds = "/".join(ACTIVITY_TYPE.labels(data.lang))
    kind = _ask(live, f"Activity type for {row.get('name')} ({kinds})", ACTIVITY_TYPE.parse,
                ACTIVITY_TYPE.label("Call", data.lang))
    summary = CANCELLED if kind is CANCELLED else live.ask("Summary", "")
    if summary is None or summary is CANCELLED:
        return None
    next_date = _ask(live, "Next date (YYYY-MM-DD, blank for none)", _optional_date)
    if next_date is CANCELLED:
        return None
    values = {"date": date.today(), "customer_id": row.get("customer_id"), "owner": row.get("owner"),
              "type": ACTIVITY_TYPE.label(kind, data.lang), "summary": summary or None, "next_date": next_date}
    width = max(activities.columns.values()) + 1
    line = [None] * width
    for key, col in activities.columns.items():
        line[col] = values.get(key)
    live.append_rows(activities.sheet_name, [line])
    if next_date is not None and "next_action_date" in customers.columns:
        live.write_cells(customers.sheet_name, {(selected[1], customers.columns["next_action_date"]): next_date})
    return refresh(live)


def _saved_file(live: LiveBook) -> Path:
    """Save the open workbook and return its file (these actions read the file, not the window)."""
    live.save()
    path = Path(live.fullname)
    if not path.is_file():
        raise XlCrmError(f"{live.fullname}: save the workbook to a folder first")
    return path


def write_reports(book=None) -> str:
    """The reports of the workbook's AsOf month, into a `reports` folder beside the workbook."""
    from ..reports import write_reports as write

    live = _live(book)
    month = _as_of(read_live(live)).day.strftime("%Y-%m")
    path = _saved_file(live)
    out = path.parent / REPORTS_FOLDER
    files = write(path, [month], out)
    message = f"{len(files)} reports for {month} written to {out}."
    live.tell(message)
    return message


def upgrade(book=None) -> str:
    """Upgrade a copy of the saved workbook (Excel holds the open file): NAME-upgraded.xlsx beside it."""
    from ..adopt.upgrade import upgrade_workbook

    live = _live(book)
    path = _saved_file(live)
    target = path.with_name(f"{path.stem}-upgraded{path.suffix}")
    shutil.copy2(path, target)
    upgrade_workbook(target)
    message = f"Upgraded copy written to {target}: close this workbook and open that one."
    live.tell(message)
    return message


ACTIONS = (refresh, show_today, log_activity, write_reports, upgrade)
