"""The buttons' refresh writes each deal's political map, and the Today action lists the greetings."""

from __future__ import annotations

from datetime import date, datetime

from helpers import live_column as column
from helpers import live_sheets as sheets

from xl_crm.excel import macros
from xl_crm.excel.live import MemoryBook
from xl_crm.model import schema

AS_OF = date(2025, 6, 30)
CONTACT_KEYS = ["contact_id", "customer_id", "name", "department", "level", "role", "attitude", "is_coach", "birthday"]
DEAL_KEYS = ["opportunity_id", "contact_id", "role", "attitude", "is_coach"]


def _book(lang="en"):
    data = sheets(AS_OF, lang)
    header = lambda spec, keys: [spec.column(k).header(lang) for k in keys]  # noqa: E731
    data[schema.CONTACTS.name(lang)] = [
        header(schema.CONTACTS, CONTACT_KEYS),
        ["P1", "C1", "Ann Lee", "IT", "Executive", "A", "+", "Y", "07-02"],
        ["P2", "C1", "Bo Wu", "IT", "Management", "U", "=", "N", datetime(1980, 3, 1)],
    ]
    data[schema.DEAL_CONTACTS.name(lang)] = [header(schema.DEAL_CONTACTS, DEAL_KEYS), ["O1", "P2", "D", None, None]]
    return MemoryBook(data)


def test_the_buttons_refresh_writes_the_map():
    book = _book()
    macros.refresh(book)
    warnings = column(book, "Opportunities", "map_warnings", schema.OPPORTUNITIES, header_row=1)
    people = column(book, "Opportunities", "map_contacts", schema.OPPORTUNITIES, header_row=1)
    # O1 maps Bo alone: decision maker by this deal's row, neutral by his own
    assert warnings[0] == ("No approver; Decision maker not with us; No executive contact; Too few coaches; "
                           "One department only")
    assert people == [1, None, None]  # O2 and O3 are closed


def test_the_today_action_lists_the_greetings_due():
    book = _book()
    macros.show_today(book)
    cells = [str(c) for row in book.rows("Today") for c in row if c is not None]
    assert any(c.startswith("Greetings due in the next 7 days (1)") for c in cells)
    assert "Birthday" in cells and "Ann Lee" in cells
