"""The demo looks like a rep's working day and month, on any as_of (a mid-month day and a 1st)."""

from datetime import date, timedelta

import openpyxl
import pandas as pd
import pytest

from xl_crm.commands.demo import build_demo, demo_data, demo_frames
from xl_crm.compute.step import Inputs
from xl_crm.model.asof import AsOf
from xl_crm.model.settings import DEFAULT
from xl_crm.model.vocab import STATUS

DAYS = [date(2026, 3, 17), date(2026, 6, 1)]
DUE = ("Overdue", "Due today", "Not contacted")


@pytest.fixture(scope="module", params=DAYS, ids=str)
def demo(request):
    as_of = request.param
    frames = demo_data(as_of)
    return as_of, frames, Inputs(frames).at(as_of)


def test_each_rep_has_a_days_worth_of_follow_ups(demo):
    as_of, frames, computed = demo
    derived = computed.customer_derived
    due = frames["customers"]["owner"][derived["followup_status"].isin(DUE)]
    per_rep = due.value_counts()
    assert len(per_rep) == 5 and per_rep.between(5, 15).all(), per_rep.to_dict()
    late = derived["days_overdue"][derived["followup_status"] == "Overdue"].astype(float)
    assert 1 <= late.max() <= 14 and (late > 0).sum() >= 5  # a few overdue, by days, not months


def test_activities_carry_next_steps_and_none_is_after_as_of(demo):
    as_of, frames, _ = demo
    acts = frames["activities"]
    touches = acts[acts["type"] != "Greeting"]  # a birthday or festival greeting plans nothing further
    assert touches["next_step"].notna().all() and touches["next_date"].notna().all()
    assert pd.to_datetime(acts["date"]).max() <= pd.Timestamp(as_of)
    assert acts["contact_id"].notna().mean() > 0.5


def test_the_month_to_date_holds_new_and_won_deals_in_proportion(demo):
    as_of, frames, _ = demo
    deals = frames["opportunities"]
    created, closed = pd.to_datetime(deals["created"]), pd.to_datetime(deals["closed_date"])
    assert closed.max() <= pd.Timestamp(as_of)  # nothing closes after as_of
    assert (closed == pd.Timestamp(as_of)).sum() <= 3  # not every deal closed today
    assert closed[closed > pd.Timestamp(as_of - timedelta(days=30))].nunique() >= 10  # deals close on most days
    month = pd.Timestamp(as_of.replace(day=1))
    new, won = (created >= month).sum(), ((closed >= month) & (deals["status"] == "Won")).sum()
    days = as_of.day
    assert new >= 1 and new <= 3 * days  # about one new deal a day
    assert won <= new + 2  # no month to date full of wins dated today
    open_deals = deals[deals["status"] == "Open"]
    assert 0.1 < len(open_deals) / len(deals) < 0.35
    assert (pd.to_datetime(open_deals["expected_close"]) >= pd.Timestamp(as_of)).mean() > 0.8  # few slipped


def test_history_records_each_deals_life_up_to_its_row(demo):
    """Section 12: first seen on its created date, stage moves and pushes after, its row's values last."""
    as_of, frames, _ = demo
    history, deals = frames["history"], frames["opportunities"].set_index("opportunity_id")
    assert pd.to_datetime(history["date"]).max() <= pd.Timestamp(as_of)
    first = history.groupby("opportunity_id")["date"].min()
    assert (first == deals.loc[first.index, "created"]).all() and len(first) == len(deals)
    latest = history.groupby(["opportunity_id", "field"]).tail(1).set_index(["opportunity_id", "field"])["new"]
    for field, read in (("stage", DEFAULT.stage_index), ("status", STATUS.parse), ("expected_close", None)):
        mine = latest.xs(field, level="field")
        want = deals.loc[mine.index, field]
        assert (mine.map(read) if read else mine).tolist() == (want.map(read) if read else want).tolist(), field
    pushes = history[(history["field"] == "expected_close") & history["old"].notna()]
    assert len(pushes) > 50 and (pd.to_datetime(pushes["new"]) > pd.to_datetime(pushes["old"])).all()


def test_the_same_as_of_gives_the_same_data():
    as_of = DAYS[0]
    first, second = demo_frames(as_of), demo_frames(as_of)
    for key in first:
        pd.testing.assert_frame_equal(first[key], second[key])
    later = demo_frames(as_of + timedelta(days=30))["opportunities"]
    shift = pd.to_datetime(later["created"]) - pd.to_datetime(first["opportunities"]["created"])
    assert (shift == pd.Timedelta(days=30)).all()  # every date follows as_of


def test_on_the_first_the_demo_reports_the_month_just_ended_and_the_new_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paths = build_demo(tmp_path / "wb", as_of=AsOf(date(2026, 6, 1)))
    names = {p.name for p in paths}
    assert {"2026-05-team.xlsx", "2026-06-team.xlsx", "2026-06-Alice Chen.xlsx"} <= names

    def kpis(name):
        rows = openpyxl.load_workbook(tmp_path / "reports" / name, read_only=True)["KPIs"].iter_rows(values_only=True)
        return {(s, m): v for s, m, v in list(rows)[1:]}

    june, may = kpis("2026-06-team.xlsx"), kpis("2026-05-team.xlsx")
    assert june["Team", "new_count"] >= 1 and june["Team", "won_count"] <= 2  # one day of a month
    assert 15 <= may["Team", "new_count"] <= 60 and 5 <= may["Team", "won_count"] <= 30  # a whole month
    assert 0 < may["Team", "win_rate"] < 1
    assert may["Team", "weighted_amount"] > 0 and may["Team", "conversion_1_2"] is not None  # History knows May
