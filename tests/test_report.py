"""Report model: KPIs of a small hand-made CRM checked against hand computation (DOMAIN.md s. 11)."""

from datetime import date

import pandas as pd
import pytest
from helpers import REPORT_AS_OF as AS_OF
from helpers import REPORT_EXPECTED as EXPECTED
from helpers import report_frames as frames

from xl_crm.reports import funnel_model, report_model
from xl_crm.reports.data import ReportBook
from xl_crm.reports.kpis import metric_table, tidy


def book() -> ReportBook:
    f = frames()
    return ReportBook(f["customers"], f["opportunities"], f["activities"])


def kpi_dict(kpis: pd.DataFrame) -> dict:
    return {(s, m): v for s, m, v in kpis.itertuples(index=False)}


def test_reps_are_owners_of_deals_or_activities():
    assert book().reps == ["Ann", "Bob", "王伟"]


def test_kpis_match_hand_computation():
    got = kpi_dict(tidy(metric_table(book(), "2024-03", AS_OF)))
    for scope, metrics in EXPECTED.items():
        for metric, value in metrics.items():
            if value is None:
                assert got[scope, metric] is None, (scope, metric)
            else:
                assert got[scope, metric] == pytest.approx(value), (scope, metric, got[scope, metric])
    assert {s for s, _ in got} == set(EXPECTED)


def test_previous_month_and_blank_win_rate():
    table = metric_table(book(), "2024-02", date(2024, 2, 29))
    assert table.loc["Team", "won_amount"] == 800 and table.loc["Team", "lost_amount"] == 300
    quiet = kpi_dict(tidy(metric_table(book(), "2023-06", date(2023, 6, 30))))
    assert quiet["Team", "win_rate"] is None and quiet["Team", "won_count"] == 0
    assert quiet["Team", "conversion_1_2"] is None


def test_second_run_gives_identical_values():
    first = tidy(metric_table(book(), "2024-03", AS_OF))
    second = tidy(metric_table(book(), "2024-03", AS_OF))
    pd.testing.assert_frame_equal(first, second)


def test_funnel_model_open_pipeline_and_cohort():
    model = funnel_model(frames(), AS_OF)
    stages = model.stages.set_index("stage")
    assert stages["open_count"].tolist() == [1, 1, 1, 1, 0]  # O7, O5, O3 (open at as_of), O6
    assert stages["weighted_amount"].tolist() == pytest.approx([10, 0, 250, 2800, 0])
    assert stages["reached"].tolist() == [8, 7, 6, 5, 3]
    assert (model.won, model.lost) == (3, 2)  # closed in the 12 months to as_of: O1, O2, O9 / O4, O8
    assert model.win_rate == pytest.approx(3 / 5)
    assert model.by_rep.loc["王伟", "conversion_2_3"] == pytest.approx(0.5)


@pytest.fixture(scope="module")
def march():
    """The team report model of March 2024."""
    return report_model(book(), "2024-03", AS_OF)


def test_summary_has_this_and_last_month_and_no_year_ago(march):
    assert march.summary.loc["won_amount"].tolist()[:2] == [3000, 800]  # March, February
    assert march.summary["year_ago"].isna().all()  # March 2023 is before the first data (31 Dec 2023)


def test_reps_are_ranked_by_amount_won(march):
    assert march.reps.index.tolist() == ["Bob", "Ann", "王伟"]


def test_overdue_customers_most_days_overdue_first(march):
    assert march.overdue["customer_id"].tolist() == ["C4", "C1"]


def test_few_touches_lists_the_deal_lost_after_one_touch(march):
    assert march.few_touches["opportunity_id"].tolist() == ["O8"]  # lost in March after one touch


def test_vip_customers_and_their_share(march):
    assert march.vip["customer_id"].tolist() == ["C2", "C1"]
    assert march.vip["share"].tolist() == pytest.approx([2800 / 3800, 1000 / 3800])


def test_revenue_by_product_and_by_industry(march):
    by_product = march.revenue["product"].set_index("key")["won_amount"].to_dict()
    assert by_product == {"CRM": 2000, "ERP": 1000}
    by_industry = march.revenue["industry"].set_index("key")["won_amount"].to_dict()
    assert by_industry == {"Finance": 2000, "Retail": 1000}


def test_trend_ends_with_the_month(march):
    assert march.trend.iloc[-1].to_dict() == {"month": "2024-03", "new_count": 3, "won_count": 2, "won_amount": 3000}


def test_grade_mix_counts_every_grade(march):
    assert march.grade_mix.set_index("grade")["customers"].to_dict() == {"A": 1, "B": 0, "C": 0, "D": 2, "E": 1}


def test_rep_report_holds_only_its_scope():
    report = report_model(book(), "2024-03", AS_OF, rep="Ann")
    assert set(report.kpis["scope"]) == {"Ann"}
    assert report.reps is None
    assert report.stale["opportunity_id"].tolist() == ["O7"]
    assert report.overdue["customer_id"].tolist() == ["C4", "C1"]  # Ann's, most days overdue first
    assert "owner" not in report.overdue and "owner" not in report.stale  # it is the rep's own report


def test_long_lists_keep_the_most_urgent_rows_and_count_the_rest(monkeypatch):
    from xl_crm.reports import model
    monkeypatch.setattr(model, "LIST_ROWS", 1)
    report = report_model(book(), "2024-03", AS_OF)
    assert report.overdue["customer_id"].tolist() == ["C4"]  # most days overdue
    assert report.more == {"overdue": 1, "vip": 1}  # C1 and C2 are both VIP


def test_rep_lists_are_shorter_than_the_team_lists(monkeypatch):
    from xl_crm.reports import model
    monkeypatch.setattr(model, "REP_LIST_ROWS", 1)
    team, ann = report_model(book(), "2024-03", AS_OF), report_model(book(), "2024-03", AS_OF, rep="Ann")
    assert team.more == {}
    assert len(ann.overdue) == 1 and ann.more["overdue"] == 1  # C4 and C1 are both Ann's and overdue
    assert ann.overdue["customer_id"].tolist() == ["C4"]


def test_open_weighted_matches_the_rule_row_by_row():
    from xl_crm import rules
    f = frames()["opportunities"]
    weighted = book().opportunities["open_weighted"].fillna(0.0)
    by_rule = [rules.weighted_amount(a, rules.probability(s, "Open")) or 0.0 for a, s in zip(f["amount"], f["stage"])]
    assert weighted.tolist() == pytest.approx(by_rule)


def test_a_dropped_book_is_freed_at_once():
    """Snapshots do not keep their book alive: a batch's workbook memory returns when the batch ends."""
    import gc
    import weakref
    b = book()
    report_model(b, "2024-03", AS_OF)
    gone = weakref.ref(b)
    gc.disable()
    try:
        del b
        assert gone() is None
    finally:
        gc.enable()


def test_comparison_dates_count_overdue_without_the_other_follow_up_columns():
    """A comparison month needs only followup_status: the same count, and the full columns unchanged."""
    from xl_crm.compute import derive

    b, day = book(), date(2024, 2, 29)
    snap = b.snapshot(day)
    overdue = snap.overdue
    assert "customer_derived" not in vars(snap.computed)  # the cheaper path did not build every derived column
    full = derive.customer_columns(snap.computed.frame("customers"), day)
    assert (overdue == (full["followup_status"] == "Overdue").to_numpy()).all()
    assert overdue.sum() > 0
    pd.testing.assert_frame_equal(snap.customers[full.columns], full)


def test_open_deals_short_of_touches_are_those_older_than_30_days():
    """Section 9: of the deals open on 31 March only O7 (created 10 January) is older than 30 days.

    O3 (5 March), O6 (31 March) are younger and O5's age is unknown (blank created).
    """
    touches = report_model(book(), "2024-03", AS_OF).touches.set_index("group")
    assert touches.loc["Open", "deals"] == 1 and touches.loc["Open", "fewer_than_min"] == 1  # O7: one touch


def test_a_deal_with_a_blank_created_date_is_open_only_at_the_reports_own_as_of():
    """O5 (blank created) is in February's pipeline in February's own report, not in March's comparison."""
    own = metric_table(book(), "2024-02", date(2024, 2, 29))
    assert own.loc["Team", "open_count"] == 4  # O1, O2, O7 and O5
    report = report_model(book(), "2024-03", AS_OF)
    assert report.summary.loc["open_count", "previous"] == 3  # O1, O2, O7
    assert report.summary.loc["open_count", "current"] == 4  # O3, O5, O6, O7: O5 counts at the own as_of
