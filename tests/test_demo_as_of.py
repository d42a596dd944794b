"""demo --as-of D evaluates at D: AsOf, synced values and cached results equal what LibreOffice recalculates."""

from __future__ import annotations

import math
from datetime import date, datetime

from helpers import xl_crm

from xl_crm.model import schema
from xl_crm.sheets.read import read_workbook

AS_OF = date(2025, 1, 1)


def plain(value):
    """A cell as both engines' files read back: dates as dates, floats to 6 places, blanks as None."""
    if value in ("", None) or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, datetime):
        return value.date()
    return round(value, 6) if isinstance(value, float) else value


def test_a_past_as_of_is_the_date_every_stored_value_was_computed_at(tmp_path, recalc):
    xl_crm("demo", "--out", tmp_path, "--as-of", AS_OF.isoformat(), "--no-reports", check=True)
    stored = read_workbook(tmp_path / "demo_crm.xlsx")
    recalculated = read_workbook(recalc(tmp_path / "demo_crm.xlsx"))
    assert stored.as_of == recalculated.as_of == AS_OF
    differences = []
    for key, table in stored.tables.items():
        spec = schema.sheet(key)
        for column in [c.key for c in spec.role(schema.DERIVED)] + spec.refreshed:
            mine, theirs = table.frame[column], recalculated.frame(key)[column]
            differences += [(key, row, column, mine[row], theirs[row]) for row in mine.index
                            if plain(mine[row]) != plain(theirs[row])]
    assert not differences, differences[:10]
    assert sum(len(t.frame) for t in stored.tables.values()) > 1000  # the whole demo was compared
