"""The buttons' actions: RunPython entry points (macros/xl_crm.bas) and xlwings Lite scripts.

Each action takes the workbook (`xw.Book.caller()` when called from VBA with
no argument) and works on it through xl_crm.live, with the same sync,
derive and Today logic as `xl-crm refresh`. Writing reports and upgrading
need the file itself, so those two save the open workbook and call the
file-based library functions on `book.fullname`.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from . import schema, sync, today
from .book import settings_sheet
from .book.read import CrmData, Table, find_header, frame_from_rows
from .book.today_sheet import DONE, HEADERS, NO_OWNER, TITLE
from .errors import XlCrmError
from .live import LiveBook, XwBook
from .values import Invalid, cell_text, is_blank, parse_iso_date
from .vocab import ACTIVITY_TYPE, FOLLOWUP_STATUS, TIER
from .workbook import _column_cells, _label, synchronise

FRAMES = ("customers", "opportunities", "contacts", "activities")
# what refresh writes: last_contact is an input column that sync moves forward (DOMAIN.md section 1)
SYNCED = {"customers": sync.SYNCED_CUSTOMER,
          "opportunities": tuple(c.key for c in schema.OPPORTUNITIES.role(schema.SYNCED))}
REPORTS_FOLDER = "reports"


def _live(book) -> LiveBook:
    """The adapter for `book`: the calling workbook when None, an xw.Book wrapped, a LiveBook as is."""
    if book is None:
        import xlwings as xw

        return XwBook(xw.Book.caller())
    return book if hasattr(book, "write_cells") else XwBook(book)


def read_live(live: LiveBook) -> CrmData:
    """The open workbook as CrmData: each data sheet found by its English or Chinese name."""
    names = live.sheet_names()
    data = CrmData(path=Path(live.fullname) if live.fullname else None, sheet_names=names)
    for lang, name in schema.SETTINGS_NAME.items():
        if name in names:
            data.settings, data.as_of = settings_sheet.parse(live.rows(name))
            data.lang = lang
            break
    for spec in schema.DATA_SHEETS:
        for lang, name in (("en", spec.en), ("zh", spec.zh)):
            if name not in names:
                continue
            rows = live.rows(name)
            found = find_header(rows, spec)
            if found is None:
                raise XlCrmError(f"{live.fullname}: sheet {name}: no header row with the required columns "
                                 f"({', '.join(c.header(lang) for c in spec.columns if c.required)})")
            header, columns = found
            data.tables[spec.key] = Table(spec, name, header + 1, columns, [cell_text(c) for c in rows[header]],
                                          frame_from_rows(rows, spec, header, columns))
            data.lang = "zh" if lang == "zh" else data.lang
            break
    if "customers" not in data.tables:
        raise XlCrmError(f"{live.fullname}: no Customers sheet")
    return data


def _synced(data: CrmData):
    day = data.as_of or date.today()
    return day, synchronise({key: data.frame(key) for key in FRAMES}, day, data.settings)


def today_rows(calls, as_of: date, lang: str) -> list[list]:
    """The Today sheet as rows of values: title, headers, then a block per rep."""
    keys = list(HEADERS)
    rows = [[TITLE[lang].format(day=as_of.isoformat(), count=len(calls))], [],
            [HEADERS[k][1 if lang == "zh" else 0] for k in keys]]
    if calls.empty:
        rows.append([DONE[lang]])
    owners = calls["owner"].map(lambda v: None if is_blank(v) else str(v))
    for owner, group in calls.groupby(owners, sort=False, dropna=False):
        rows.append([f"{NO_OWNER[lang] if is_blank(owner) else owner} ({len(group)})"])
        for record in group.to_dict("records"):
            rows.append([_today_cell(k, record[k], lang) for k in keys])
    return rows


def _today_cell(key: str, value, lang: str):
    if is_blank(value):
        return None
    if key == "followup_status":
        return FOLLOWUP_STATUS.label(value, lang)
    if key == "tier":
        return TIER.label(TIER.parse(value), lang)
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    return value


def _write_today(live: LiveBook, data: CrmData, day: date, result) -> int:
    calls = today.call_list(result.frames["customers"], result.customer_derived, result.frames["activities"], day)
    live.replace_sheet(schema.TODAY_NAME[data.lang], today_rows(calls, day, data.lang))
    return len(calls)


def refresh(book=None) -> str:
    """Write the synced columns (last contact, touches, next close, revenue, tier) and rebuild Today."""
    live = _live(book)
    data = read_live(live)
    day, result = _synced(data)
    changed = 0
    for key in ("customers", "opportunities"):
        if key not in data.tables:
            continue
        table = data.tables[key]
        missing = [c.header(data.lang) for c in table.spec.role(schema.SYNCED) if c.key not in table.columns]
        if missing:
            raise XlCrmError(f"{live.fullname}: sheet {table.sheet_name} lacks {', '.join(missing)}: "
                             f"upgrade the workbook first")
        cells = {}
        for column in (table.spec.column(k) for k in SYNCED[key] if k in table.columns):
            values = result.frames[key][column.key].map(lambda v, c=column: _label(c, v, data.lang))
            cells.update(_column_cells(table, column.key, values))
        live.write_cells(table.sheet_name, cells)
        changed += len(cells)
    due = _write_today(live, data, day, result)
    message = f"Refreshed as of {day.isoformat()}: {changed} cells updated, {due} follow-ups due."
    live.tell(message)
    return message


def show_today(book=None) -> str:
    """Rebuild the Today sheet: overdue and due follow-ups, most urgent first, by rep."""
    live = _live(book)
    data = read_live(live)
    day, result = _synced(data)
    due = _write_today(live, data, day, result)
    return f"{due} follow-ups due on {day.isoformat()}."


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
    """This month's team and per-rep reports, into a `reports` folder beside the workbook."""
    from .reports import write_reports as write

    live = _live(book)
    path = _saved_file(live)
    out = path.parent / REPORTS_FOLDER
    month = date.today().strftime("%Y-%m")
    files = write(path, [month], out)
    message = f"{len(files)} reports for {month} written to {out}."
    live.tell(message)
    return message


def upgrade(book=None) -> str:
    """Upgrade a copy of the saved workbook (Excel holds the open file): NAME-upgraded.xlsx beside it."""
    from .upgrade import upgrade_workbook

    live = _live(book)
    path = _saved_file(live)
    target = path.with_name(f"{path.stem}-upgraded{path.suffix}")
    shutil.copy2(path, target)
    upgrade_workbook(target)
    message = f"Upgraded copy written to {target}: close this workbook and open that one."
    live.tell(message)
    return message


ACTIONS = (refresh, show_today, log_activity, write_reports, upgrade)
