"""Reports for past months read the state then: stages from History, contacts made by then, deals open then.

A workbook is built at D0, its deals edited and refreshed at D1, D2 and D3
(the last fixing AsOf); reports for earlier months must equal what this file
computes from the activities, the edits it made and DOMAIN sections 1, 3,
11 and 12, with no state later than the report's as_of. A deal's stage at a
date before History first records it is unknown and counted apart.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest
from python_calamine import CalamineWorkbook

from xl_crm.commands.workbook import import_files, init_workbook, refresh_workbook
from xl_crm.ooxml.package import Package
from xl_crm.reports import write_reports
from xl_crm.sheets.read import read_workbook

D0, D1, D2, D3 = date(2026, 1, 5), date(2026, 2, 10), date(2026, 3, 12), date(2026, 4, 20)
STAGES = ("Qualify", "Develop", "Propose", "Negotiate", "Close")
PROBABILITY = {"Qualify": 0.1, "Develop": 0.3, "Propose": 0.5, "Negotiate": 0.7, "Close": 0.9}
CUSTOMERS = [("C1", "Acme", "Ann"), ("C2", "Bolt", "Bob"), ("C3", "Cargo", "Ann")]
ACTIVITIES = [("C1", date(2025, 10, 5)), ("C1", date(2026, 1, 20)), ("C1", date(2026, 4, 15)),
              ("C2", date(2025, 11, 10)), ("C2", date(2026, 3, 1)), ("C3", date(2025, 12, 1))]
# id, customer, owner, created, amount at first sight; final status and closed date
DEALS = {"A1": ("C1", "Ann", date(2025, 10, 1), 100, "Open", None),
         "A2": ("C2", "Bob", date(2025, 11, 1), 200, "Won", date(2026, 4, 10)),
         "A3": ("C3", "Ann", date(2025, 10, 15), 50, "Lost", date(2025, 12, 20)),
         "A4": ("C1", "Ann", None, 70, "Lost", None),  # lost at D3, its closed date never typed
         "A5": ("C2", "Bob", date(2026, 2, 20), 30, "Open", None)}
# the stage each refresh sees (A5 is imported between D1 and D2)
TIMELINE = {"A1": {D0: "Qualify", D1: "Develop", D2: "Propose"},
            "A2": {D0: "Develop", D2: "Negotiate", D3: "Close"},
            "A3": {D0: "Develop"}, "A4": {D0: "Qualify"}, "A5": {D2: "Qualify", D3: "Develop"}}
AMOUNTS = {"A1": {D0: 100, D2: 150}, "A2": {D0: 200, D2: 180}}  # revised at D2 while open
CLOSES = {"A1": {D1: date(2026, 3, 1), D2: date(2026, 4, 15)}, "A5": {D2: date(2026, 4, 1)}}  # A1 pushed at D2
STATUSES = {"A1": {D0: "Open"}, "A2": {D0: "Open", D3: "Won"}, "A3": {D0: "Lost"}, "A4": {D0: "Open", D3: "Lost"},
            "A5": {D2: "Open"}}


def _csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])


def _deal_row(key: str, stage: str, status: str, closed) -> list:
    customer, owner, created, amount, _, _ = DEALS[key]
    return [key, customer, owner, stage, status, amount, created.isoformat() if created else "",
            closed.isoformat() if closed else ""]


DEAL_HEADER = ["opportunity_id", "customer_id", "owner", "stage", "status", "amount", "created", "closed_date"]


def _edit(path, changes: dict) -> None:
    table = read_workbook(path).tables["opportunities"]
    row_of = {v: row for row, v in table.frame["opportunity_id"].items()}
    with Package.open(path) as pkg:
        pkg.set_cells(table.sheet_name, {(row_of[i], table.columns[k]): v for (i, k), v in changes.items()})
        pkg.save(backup=False)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("history_reports")
    data = tmp / "data"
    data.mkdir()
    _csv(data / "customers.csv", ["customer_id", "name", "owner", "need"], [[*c, "Future"] for c in CUSTOMERS])
    _csv(data / "activities.csv", ["date", "customer_id", "owner"],
         [[d.isoformat(), c, next(o for i, _, o in CUSTOMERS if i == c)] for c, d in ACTIVITIES])
    first = {"A3": ("Lost", DEALS["A3"][5])}  # the others are open at D0
    _csv(data / "opportunities.csv", DEAL_HEADER,
         [_deal_row(k, TIMELINE[k][D0], *first.get(k, ("Open", None))) for k in ("A1", "A2", "A3", "A4")])
    path = tmp / "crm.xlsx"
    init_workbook(path, data_dir=data, as_of=D0)
    _edit(path, {("A1", "stage"): "Develop", ("A1", "expected_close"): CLOSES["A1"][D1]})
    refresh_workbook(path, as_of=D1, backup=False)
    _csv(tmp / "new.csv", DEAL_HEADER, [_deal_row("A5", "Qualify", "Open", None)])
    import_files([tmp / "new.csv"], path, sheet="opportunities", backup=False)
    _edit(path, {("A1", "stage"): "Propose", ("A2", "stage"): "Negotiate", ("A1", "amount"): AMOUNTS["A1"][D2],
                 ("A2", "amount"): AMOUNTS["A2"][D2], ("A1", "expected_close"): CLOSES["A1"][D2],
                 ("A5", "expected_close"): CLOSES["A5"][D2]})
    refresh_workbook(path, as_of=D2, backup=False)
    _edit(path, {("A2", "stage"): "Close", ("A2", "status"): "Won", ("A2", "closed_date"): DEALS["A2"][5],
                 ("A5", "stage"): "Develop", ("A4", "status"): "Lost"})
    refresh_workbook(path, as_of=D3, backup=False)
    out = tmp / "reports"
    write_reports(path, ["2025-12", "2026-02", "2026-03", "2026-04"], out, jobs=1)
    return out


def _then(timeline: dict, as_of: date) -> str | None:
    seen = [day for day in timeline if day <= as_of]
    return timeline[max(seen)] if seen else None


def _stage_then(key: str, as_of: date) -> str | None:
    return _then(TIMELINE[key], as_of)


def _amount_then(key: str, as_of: date, present: bool) -> float:
    """History's amount then for a deal it records by then (today's at the present or before the first sight)."""
    timeline = AMOUNTS.get(key, {min(TIMELINE[key]): DEALS[key][3]})
    final = timeline[max(timeline)]
    if present or as_of < min(TIMELINE[key]):
        return final
    return _then(timeline, as_of)


def _expected(as_of: date, present: bool) -> dict:
    """Section 11's open pipeline, section 12's stages then, section 3's overdue count: from this file's data."""
    first_seen = {k: min(t) for k, t in TIMELINE.items()}
    open_deals = []
    for key, (_, _, created, amount, status, closed) in DEALS.items():
        since = created or first_seen[key]
        if closed is not None:
            open_then = closed > as_of
        else:  # History's status then, today's where History has none (section 12)
            open_then = (status if present else _then(STATUSES[key], as_of) or status) == "Open"
        if since <= as_of and open_then:
            open_deals.append(key)
    stages = {key: (None if not present and _stage_then(key, as_of) is None else
                    _stage_then(key, as_of) if not present else _stage_then(key, D3)) for key in open_deals}
    counts = {name: sum(1 for s in stages.values() if s == name) for name in STAGES}
    unknown = [k for k, s in stages.items() if s is None]
    overdue = 0
    for customer, _, _ in CUSTOMERS:
        touches = [d for c, d in ACTIVITIES if c == customer and d <= as_of]
        if touches and max(touches) + timedelta(days=30) < as_of:  # need Future: grade D, every 30 days
            overdue += 1
    amount = {k: _amount_then(k, as_of, present) for k in open_deals}
    weighted = None if unknown else sum(amount[k] * PROBABILITY[stages[k]] for k in open_deals)
    return {"open_count": len(open_deals), "open_amount": sum(amount.values()),
            "weighted_amount": weighted, "overdue_followups": overdue, "stages": counts,
            "unknown": (len(unknown), sum(amount[k] for k in unknown))}


def _report(out, month: str):
    wb = CalamineWorkbook.from_path(str(out / f"{month}-team.xlsx"))
    kpis = {r[1]: r[2] for r in wb.get_sheet_by_name("KPIs").to_python()[1:] if r[0] == "Team"}
    funnel = wb.get_sheet_by_name("Funnel").to_python()
    header = next(i for i, r in enumerate(funnel) if r[:2] == ["Stage", "Name"])
    stages = {r[1]: r[3] for r in funnel[header + 1:header + 6]}
    after = funnel[header + 6]
    unknown = (after[3], after[4]) if after[1].startswith("Stage unknown") else (0, 0)
    return kpis, stages, unknown


@pytest.mark.parametrize("month, as_of, present", [
    ("2025-12", date(2025, 12, 31), False),  # before History: every open deal's stage is unknown
    ("2026-02", date(2026, 2, 28), False),  # A5 is open, not yet in History
    ("2026-03", date(2026, 3, 31), False),
    ("2026-04", D3, True),  # the workbook's own date: today's values
])
def test_past_month_reports_use_only_what_was_known_then(book, month, as_of, present):
    kpis, stages, unknown = _report(book, month)
    expected = _expected(as_of, present)
    assert kpis["open_count"] == expected["open_count"]
    assert kpis["open_amount"] == expected["open_amount"]
    assert kpis["overdue_followups"] == expected["overdue_followups"]
    assert stages == expected["stages"]
    assert unknown == expected["unknown"]
    if expected["weighted_amount"] is None:
        assert kpis["weighted_amount"] == ""
    else:
        assert kpis["weighted_amount"] == pytest.approx(expected["weighted_amount"])


@pytest.mark.parametrize("month, expected", [
    ("2026-02", {"moved_forward": 1, "pushed": 0, "amount_added": 0, "amount_removed": 0, "slipped_count": 0}),
    # at D2: A1 and A2 move up, A1's close moves from 03-01 to 04-15, A1 +50 and A2 -20 while open
    ("2026-03", {"moved_forward": 2, "pushed": 1, "amount_added": 50, "amount_removed": 20, "slipped_count": 0}),
    # at D3: A2 to Close and A5 to Develop; the closes of A1 (04-15) and A5 (04-01) have passed at 04-20
    ("2026-04", {"moved_forward": 2, "pushed": 0, "amount_added": 0, "amount_removed": 0, "slipped_count": 2}),
])
def test_changes_kpis_read_the_months_history_rows(book, month, expected):
    wb = CalamineWorkbook.from_path(str(book / f"{month}-team.xlsx"))
    kpis = {r[1]: r[2] for r in wb.get_sheet_by_name("KPIs").to_python()[1:] if r[0] == "Team"}
    assert {k: kpis[k] for k in expected} == expected


def test_changes_sheet_lists_the_deals(book):
    wb = CalamineWorkbook.from_path(str(book / "2026-03-team.xlsx"))
    rows = wb.get_sheet_by_name("Changes").to_python()
    cells = [[v.date() if hasattr(v, "date") else v for v in row] for row in rows]
    assert ["A1", "", "Ann", D2, "Develop", "Propose"] in [r[:6] for r in cells]
    assert ["A1", "", "Ann", D2, date(2026, 3, 1), date(2026, 4, 15), 1] in [r[:7] for r in cells]
    assert ["A2", "", "Bob", D2, 200, 180, -20] in [r[:7] for r in cells]
