"""The report's pool section (DOMAIN section 16) against a hand count: customers due back to the pool per
rep, customers with no owner for the team; the KPIs release_count and pool_count for the team and each rep."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from python_calamine import CalamineWorkbook

from xl_crm.commands.workbook import write_standard_workbook
from xl_crm.model.asof import AsOf
from xl_crm.reports.batch import write_reports

DAY = date(2026, 11, 20)
ago = lambda days: DAY - timedelta(days=days)  # noqa: E731

CUSTOMERS = [  # id, owner, last contact, assigned, open deal, won amount (tier)
    ("C1", "Ann", ago(120), None, False, 0),  # release
    ("C2", "Ann", ago(120), ago(30), False, 0),  # assigned lately: owned
    ("C3", "Ann", ago(200), None, True, 0),  # an open deal: owned
    ("C4", "Bob", ago(95), ago(100), False, 0),  # release
    ("C5", "Bob", ago(90), None, False, 0),  # exactly PoolDays: owned
    ("C6", None, ago(10), None, False, 0),  # pool
    ("C7", "  ", None, None, False, 0),  # pool (a blank owner)
    ("C8", "Bob", ago(300), None, False, 5_000_000),  # VIP by revenue: owned
]


def _frames():
    customers = pd.DataFrame([{"customer_id": c, "name": f"Co {c}", "owner": o, "need": "Future", "last_contact": last,
                               "assigned_date": assigned} for c, o, last, assigned, _, _ in CUSTOMERS], dtype=object)
    deals = []
    for c, owner, _, _, open_deal, won in CUSTOMERS:
        if open_deal:
            deals.append({"opportunity_id": f"O{c}", "customer_id": c, "owner": owner, "stage": "Qualify",
                          "status": "Open", "amount": 10, "created": ago(20)})
        if won:
            deals.append({"opportunity_id": f"W{c}", "customer_id": c, "owner": owner, "stage": "Close",
                          "status": "Won", "amount": won, "created": ago(60), "closed_date": ago(30)})
    deals.append({"opportunity_id": "WX", "customer_id": "C2", "owner": "Ann", "stage": "Close", "status": "Won",
                  "amount": 1, "created": ago(60), "closed_date": ago(30)})
    return {"customers": customers, "opportunities": pd.DataFrame(deals, dtype=object)}


def _oracle():
    """DOMAIN section 16 by hand: Pool with no owner; Release when Regular, no open deal, idle > 90 days."""
    release, pool = {}, []
    for c, owner, last, assigned, open_deal, won in CUSTOMERS:
        if owner is None or not owner.strip():
            pool.append(c)
            continue
        since = max(d for d in (last, assigned) if d is not None)
        if not won and not open_deal and (DAY - since).days > 90:
            release.setdefault(owner, []).append(c)
    return release, pool


def _sheet(path, name):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def test_pool_lists_and_kpis_match_a_hand_count(tmp_path):
    book = write_standard_workbook(tmp_path / "crm.xlsx", _frames(), lang="en", as_of=AsOf(DAY), backup=False)
    paths = write_reports(book, ["2026-11"], tmp_path / "out")
    release, pool = _oracle()
    team = tmp_path / "out" / "2026-11-team.xlsx"
    kpis = {(s, m): v for s, m, v in _sheet(team, "KPIs")[1:]}
    assert kpis[("Team", "release_count")] == sum(map(len, release.values())) == 2
    assert kpis[("Team", "pool_count")] == len(pool) == 2
    for rep in ("Ann", "Bob"):
        assert kpis[(rep, "release_count")] == len(release.get(rep, []))
        assert kpis[(rep, "pool_count")] == 0
    known = {c[0] for c in CUSTOMERS}
    ids = lambda rows: {r[0] for r in rows if r and r[0] in known}  # noqa: E731
    shown = _sheet(team, "Pool")
    assert ids(shown) == {c for cs in release.values() for c in cs} | set(pool)
    for rep in ("Ann", "Bob"):
        rep_file = next(p for p in paths if p.name == f"2026-11-{rep}.xlsx")
        assert ids(_sheet(rep_file, "Pool")) == set(release[rep])
