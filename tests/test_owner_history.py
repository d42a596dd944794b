"""A deal counts for its owner at the report's date (DOMAIN sections 11, 12 and 16).

A handover writes owner rows into History. A month before it is still
reported as it was: the moved deals count for the rep who had them then,
and the moved customers, whose earlier owner nothing records, count for
the team alone. From the handover on they count for the new owner.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from helpers import kpi_rows, xl_crm

from xl_crm.commands.demo import demo_data
from xl_crm.commands.workbook import write_standard_workbook
from xl_crm.model.asof import AsOf
from xl_crm.reports.data import ReportBook

AS_OF = date(2026, 11, 20)
LEAVER, TAKER = "Alice Chen", "Bob Li"
# figures of customers, whose owner before their assigned_date is not recorded
CUSTOMER_METRICS = {"overdue_followups", "release_count", "pool_count"}


def kpis(path, month: str, out) -> dict:
    done = xl_crm("report", path, "--month", month, "--out", out)
    assert done.exit_code == 0, done.output
    return {(scope, metric): value for scope, metric, value in kpi_rows(out / f"{month}-team.xlsx")}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """KPIs of the month before the handover and of the month it happens in, before and after it."""
    root = tmp_path_factory.mktemp("owners")
    book = write_standard_workbook(root / "book.xlsx", demo_data(AS_OF), lang="en", as_of=AsOf(AS_OF),
                                   backup=False)
    before = {month: kpis(book, month, root / "before") for month in ("2026-10", "2026-11")}
    done = xl_crm("handover", book, "--from", LEAVER, "--to", TAKER, "--as-of", AS_OF.isoformat())
    assert done.exit_code == 0 and "open deals" in done.output, done.output
    after = {month: kpis(book, month, root / "after") for month in ("2026-10", "2026-11")}
    return before, after


def test_a_month_before_the_handover_keeps_every_deal_figure(reports):
    before, after = reports
    deal_figures = [key for key in before["2026-10"] if key[1] not in CUSTOMER_METRICS]
    assert len(deal_figures) > 6 * 30
    changed = {key: (before["2026-10"][key], after["2026-10"][key]) for key in deal_figures
               if before["2026-10"][key] != after["2026-10"][key]
               and before["2026-10"][key] == before["2026-10"][key]}  # NaN (blank) stays NaN
    assert changed == {}
    assert before["2026-10"][LEAVER, "open_count"] > 0


def test_moved_customers_count_for_the_team_only_before_their_assignment(reports):
    before, after = reports
    october = before["2026-10"], after["2026-10"]
    assert october[1]["Team", "overdue_followups"] == october[0]["Team", "overdue_followups"]
    assert october[1][TAKER, "overdue_followups"] == october[0][TAKER, "overdue_followups"]  # not given Alice's
    assert october[1][LEAVER, "overdue_followups"] < october[0][LEAVER, "overdue_followups"]


def test_from_the_handover_the_deals_count_for_the_new_owner(reports):
    before, after = reports
    november = before["2026-11"], after["2026-11"]
    assert november[1][LEAVER, "open_count"] == 0
    for metric in ("open_count", "open_amount", "weighted_amount"):  # open deals move; closed ones stay
        assert november[1][TAKER, metric] == pytest.approx(november[0][TAKER, metric] + november[0][LEAVER, metric])
        assert november[1]["Team", metric] == pytest.approx(november[0]["Team", metric])


def test_a_deals_owner_at_a_date_is_the_one_history_gives_then():
    deals = pd.DataFrame({"opportunity_id": ["D1", "D2", "D3"], "customer_id": ["C1"] * 3,
                          "owner": ["Cid", "Bea", "Ann"], "stage": ["Qualify"] * 3, "status": ["Open"] * 3})
    rows = [(date(2026, 1, 10), "D1", "stage", None, "Qualify"), (date(2026, 1, 10), "D1", "owner", None, "Ann"),
            (date(2026, 5, 1), "D1", "owner", "Ann", "Dan"), (date(2026, 9, 1), "D1", "owner", "Dan", "Cid"),
            (date(2026, 3, 1), "D2", "owner", None, "Bea"),  # first seen: Bea's since History knows it
            (date(2026, 2, 1), "D3", "stage", None, "Qualify"),
            (date(2026, 4, 1), "D3", "owner", None, "Ann")]  # taken from the pool
    history = pd.DataFrame(rows, columns=["date", "opportunity_id", "field", "old", "new"])
    customers = pd.DataFrame({"customer_id": ["C1"], "name": ["Co"], "owner": ["Cid"]})
    book = ReportBook(customers, deals, pd.DataFrame({"date": [], "customer_id": []}), others={"history": history})
    book.present = AS_OF
    assert book.reps == ["Ann", "Bea", "Cid", "Dan"]  # Dan owned a deal once: he has a report of that month
    owners = lambda day: list(book.owner_at(day))  # noqa: E731
    assert owners(date(2025, 12, 31)) == ["Ann", "Bea", None]
    assert owners(date(2026, 6, 30)) == ["Dan", "Bea", "Ann"]
    assert owners(date(2026, 9, 1)) == ["Cid", "Bea", "Ann"]
    assert owners(AS_OF) == ["Cid", "Bea", "Ann"]
