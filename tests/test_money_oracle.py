"""The forecast, target and collection KPIs of the monthly report against an independent computation.

Generated deals of five reps (and some with no owner) with given and
derived forecast categories, Targets rows with and without the team's own
row, payments in every aging bucket (outstanding is the row formula's:
amount due less amount received, whenever received), and a History sheet
that starts in April 2024: April's report has no History before it
(forecast accuracy blank), May's and June's do. The
oracle is plain Python over the generated rows, written from DOMAIN.md
sections 11, 13 and 15, and imports nothing from xl_crm.
"""

from __future__ import annotations

import calendar
import math
import random
from datetime import date, timedelta

import pandas as pd
import pytest

from xl_crm.reports.model import as_book, report_model
from xl_crm.reports.writer import write_report

SEED = 1313
REPS = ["Ann", "Bo", "Chen", "Dee", "王伟"]
STAGES = {"Qualify": (1, 0.10), "Develop": (2, 0.30), "Propose": (3, 0.50), "Negotiate": (4, 0.70),
          "Close": (5, 0.90)}
STAGE_CELLS = {1: ["Qualify", 1, "确认商机"], 2: ["Develop", "2", "主导进程"], 3: ["Propose", 3, "方案论证"],
               4: ["Negotiate", "商务谈判", 4], 5: ["Close", "成交", 5]}
CATEGORIES = {"Commit": ["Commit", "承诺", " commit "], "Best case": ["Best case", "乐观", "BEST CASE"],
              "Pipeline": ["Pipeline", "储备"], "Omitted": ["Omitted", "排除"]}
HISTORY_DAYS = [date(2024, 4, 30), date(2024, 5, 31)]
RUNS = [("2024-04", date(2024, 4, 30)), ("2024-05", date(2024, 5, 31)), ("2024-06", date(2024, 6, 17))]
MONEY = ["target", "won", "commit", "best_case", "pipeline", "weighted", "attainment", "gap", "coverage",
         "required_coverage", "velocity", "forecast_accuracy", "collected", "receivable", "overdue_receivable",
         "won_without_payment_plan"]


def month_bounds(month: str) -> tuple[date, date]:
    year, number = map(int, month.split("-"))
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def generate(rng: random.Random) -> dict:
    deals, truth = [], []
    for i in range(420):
        created = None if i % 97 == 5 else date(2023, 3, 1) + timedelta(days=rng.randint(0, 470))
        status = rng.choice(["Open", "Open", "Won", "Lost"]) if created else "Open"
        stage = 5 if status == "Won" else rng.randint(1, 5)
        closed = created + timedelta(days=rng.randint(5, 200)) if status != "Open" else None
        amount = None if rng.random() < 0.06 else float(rng.randrange(1000, 90000, 500))
        close = None if rng.random() < 0.08 else (created or date(2024, 5, 1)) + timedelta(days=rng.randint(20, 300))
        given = rng.choice(list(CATEGORIES)) if rng.random() < 0.4 else None
        owner = rng.choice(REPS) if i % 23 else None
        truth.append({"id": f"D{i:04d}", "owner": owner, "status": status, "stage": stage, "created": created,
                      "closed": closed, "amount": amount, "close": close, "category": given})
        deals.append({"opportunity_id": f"D{i:04d}", "customer_id": f"C{i % 40:03d}", "name": f"Deal {i}",
                      "owner": owner, "stage": rng.choice(STAGE_CELLS[stage]),
                      "status": {"Open": rng.choice(["Open", "跟进中"]), "Won": rng.choice(["Won", "赢单"]),
                                 "Lost": "Lost"}[status],
                      "amount": amount, "created": created, "closed_date": closed, "expected_close": close,
                      "forecast_category": rng.choice(CATEGORIES[given]) if given else rng.choice([None, "  "])})
    customers = [{"customer_id": f"C{i:03d}", "name": f"Customer {i}", "owner": REPS[i % len(REPS)]}
                 for i in range(40)]
    targets, target_rows = [], []
    for month in ["2024-04", "2024-05", "2024-06", "2024-07", "2024-08"]:
        first, _ = month_bounds(month)
        for rep in REPS:
            if rng.random() < 0.8:
                value = float(rng.randrange(20000, 160000, 5000))
                cell = rng.choice([month, first + timedelta(days=rng.randint(0, 27)), month.replace("-0", "/")])
                targets.append({"owner": rep, "month": month, "target": value})
                target_rows.append({"owner": rep, "month": cell, "target": value})
    for owner, month, value in ((None, "2024-05", 500000.0), ("团队", "2024-07", 420000.0)):
        targets.append({"owner": "TEAM", "month": month, "target": value})
        target_rows.append({"owner": owner, "month": month, "target": value})
    payments, pay_truth = [], []
    for deal in truth:
        if deal["status"] != "Won" or rng.random() < 0.25:
            continue
        for k in range(rng.randint(1, 3)):
            due = deal["closed"] + timedelta(days=rng.randint(-20, 150) + 30 * k)
            amount_due = float(rng.randrange(1000, 40000, 100))
            kind = rng.random()
            if kind < 0.35:
                received, on = amount_due, due + timedelta(days=rng.randint(-10, 60))
            elif kind < 0.55:
                received, on = round(amount_due * rng.uniform(0.1, 0.9), 2), due + timedelta(days=rng.randint(0, 40))
            elif kind < 0.62:
                received, on = amount_due, None  # received, date not kept
            else:
                received, on = None, None
            pid = f"P{len(payments):04d}"
            pay_truth.append({"id": pid, "deal": deal["id"], "due": due, "amount_due": amount_due,
                              "received": received, "on": on})
            payments.append({"payment_id": pid, "opportunity_id": deal["id"],
                             "customer_id": None if k == 1 else None if rng.random() < 0.3 else "C999",
                             "milestone": rng.choice(["预付款", "到货款", "验收款", "质保金"]), "due_date": due,
                             "amount_due": amount_due, "received_date": on, "amount_received": received})
    for p in payments:
        deal = next(d for d in deals if d["opportunity_id"] == p["opportunity_id"])
        if p["customer_id"] == "C999":
            p["customer_id"] = deal["customer_id"]
    history, then = [], {}
    for day in HISTORY_DAYS:
        for deal in truth:
            if deal["created"] is None or deal["created"] > day:
                continue
            state = deal["status"] if deal["closed"] and deal["closed"] <= day else "Open"
            stage = max(1, deal["stage"] - rng.choice([0, 0, 1]))
            amount = deal["amount"] if rng.random() < 0.7 else float(rng.randrange(1000, 90000, 500))
            close = deal["close"] and deal["close"] - timedelta(days=rng.choice([0, 0, 15, 40]))
            category = rng.choice([deal["category"], None, "Commit"])
            then[day, deal["id"]] = {"status": state, "stage": stage, "amount": amount, "close": close,
                                     "category": category}
            for field, value in (("status", state), ("stage", [s for s, (n, _) in STAGES.items() if n == stage][0]),
                                 ("amount", amount), ("expected_close", close), ("forecast_category", category)):
                if value is not None:
                    history.append({"date": day, "opportunity_id": deal["id"], "field": field, "old": None,
                                    "new": value})
    return {"deals": truth, "targets": targets, "payments": pay_truth, "then": then,
            "frames": {"customers": customers, "opportunities": deals, "targets": target_rows,
                       "payments": payments, "history": history}}


def open_at(deal: dict, as_of: date) -> bool:
    started = deal["created"] is None or deal["created"] <= as_of
    return started and (deal["status"] == "Open" or (deal["closed"] is not None and deal["closed"] > as_of))


def forecast_open(category, stage) -> str:
    return category or ("Commit" if stage >= 4 else "Best case" if stage >= 3 else "Pipeline")


def ratio(a, b):
    return None if a is None or not b else a / b


def oracle(data: dict, month: str, as_of: date, rep: str | None) -> dict:
    first, last = month_bounds(month)
    mine = lambda owner: rep is None or owner == rep  # noqa: E731
    deals = [d for d in data["deals"] if mine(d["owner"])]
    out = {}
    rows = [t for t in data["targets"] if t["month"] == month]
    if rep is None:
        team = [t["target"] for t in rows if t["owner"] == "TEAM"]
        reps = [t["target"] for t in rows if t["owner"] != "TEAM"]
        out["target"] = sum(team) if team else sum(reps) if reps else None
    else:
        own = [t["target"] for t in rows if t["owner"] == rep]
        out["target"] = sum(own) if own else None
    won = sum(d["amount"] or 0 for d in deals if d["status"] == "Won" and first <= d["closed"] <= last)
    out["won"] = won
    closing = [d for d in deals if open_at(d, as_of) and d["close"] and first <= d["close"] <= last]
    running = won
    for key, category in (("commit", "Commit"), ("best_case", "Best case"), ("pipeline", "Pipeline")):
        running += sum(d["amount"] or 0 for d in closing if forecast_open(d["category"], d["stage"]) == category)
        out[key] = running
    out["weighted"] = won + sum((d["amount"] or 0) * [p for n, p in STAGES.values() if n == d["stage"]][0]
                                for d in closing)
    out["attainment"] = ratio(won, out["target"])
    out["gap"] = None if out["target"] is None else max(0.0, out["target"] - won)
    rest = sum(d["amount"] or 0 for d in closing if d["close"] >= as_of)
    out["coverage"] = ratio(rest, out["gap"])
    year = [d for d in deals if d["closed"] and as_of - timedelta(days=365) < d["closed"] <= as_of]
    wins = [d for d in year if d["status"] == "Won"]
    rate = ratio(len(wins), len(year))
    out["required_coverage"] = ratio(1, rate)
    priced = [d["amount"] for d in wins if d["amount"] is not None]
    cycles = [(d["closed"] - d["created"]).days for d in wins if d["created"]]
    count = sum(open_at(d, as_of) for d in deals)
    if rate is None or not priced or not cycles or not sum(cycles):
        out["velocity"] = None
    else:
        out["velocity"] = count * rate * (sum(priced) / len(priced)) / (sum(cycles) / len(cycles)) * 30
    day = first - timedelta(days=1)
    known = [h for h in HISTORY_DAYS if h <= day]
    if not known:
        out["forecast_accuracy"] = None
    else:
        snap = max(known)
        committed = 0.0
        for d in deals:
            t = data["then"].get((snap, d["id"]))
            if t and t["status"] == "Open" and t["close"] and first <= t["close"] <= last \
                    and forecast_open(t["category"], t["stage"]) == "Commit":
                committed += t["amount"] or 0
        out["forecast_accuracy"] = ratio(won, committed)
    ids = {d["id"] for d in deals}
    pays = [p for p in data["payments"] if p["deal"] in ids]
    collected = received = overdue = 0.0
    for p in pays:
        if p["on"] and first <= p["on"] <= last:
            collected += p["received"] or 0
        got = p["received"] or 0
        left = max(0.0, p["amount_due"] - got)
        received += left
        if left > 0 and p["due"] < as_of:
            overdue += left
    out["collected"], out["receivable"], out["overdue_receivable"] = collected, received, overdue
    planned = {p["deal"] for p in data["payments"]}
    out["won_without_payment_plan"] = sum(1 for d in wins if d["id"] not in planned)
    return out


@pytest.fixture(scope="module")
def generated():
    data = generate(random.Random(SEED))
    frames = {key: pd.DataFrame(rows, dtype=object) for key, rows in data["frames"].items()}
    return data, as_book(frames)


def same(expected, actual) -> bool:
    if expected is None:
        return actual is None
    return actual is not None and math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-6)


@pytest.mark.parametrize("month,as_of", RUNS)
def test_every_money_kpi_of_the_team_and_every_rep(generated, month, as_of):
    data, book = generated
    kpis = report_model(book, month, as_of).kpis
    table = {(s, m): v for s, m, v in kpis.itertuples(index=False)}
    assert len(table) == len(kpis)
    wrong = []
    for scope in ["Team", *REPS]:
        want = oracle(data, month, as_of, None if scope == "Team" else scope)
        for metric in MONEY:
            if not same(want[metric], table[scope, metric]):
                wrong.append(f"{scope} {metric}: oracle {want[metric]!r} report {table[scope, metric]!r}")
    assert not wrong, "\n".join(wrong)


def test_the_data_covers_what_the_kpis_distinguish(generated):
    """Reps meet and miss targets, every aging bucket holds money, and History exists for some months only."""
    data, _ = generated
    june = {rep: oracle(data, "2024-06", date(2024, 6, 17), rep) for rep in REPS}
    may = {rep: oracle(data, "2024-05", date(2024, 5, 31), rep) for rep in REPS}
    attained = [o["attainment"] for o in [*june.values(), *may.values()] if o["attainment"] is not None]
    assert min(attained) < 1 <= max(attained)
    assert oracle(data, "2024-04", date(2024, 4, 30), None)["forecast_accuracy"] is None
    assert oracle(data, "2024-05", date(2024, 5, 31), None)["forecast_accuracy"] is not None
    days = []
    for p in data["payments"]:
        got = p["received"] or 0
        if p["amount_due"] > got:
            days.append(max(0, (date(2024, 6, 17) - p["due"]).days))
    assert {0} <= set(days) and any(0 < d <= 30 for d in days) and any(30 < d <= 90 for d in days) \
        and any(d > 90 for d in days)


def test_aging_table_and_lists(generated):
    data, book = generated
    as_of = date(2024, 6, 17)
    c = report_model(book, "2024-06", as_of).money.collections
    buckets = {"Current": [0, 0.0], "1-30": [0, 0.0], "31-90": [0, 0.0], ">90": [0, 0.0]}
    late = []
    for p in data["payments"]:
        got = p["received"] or 0
        left = max(0.0, p["amount_due"] - got)
        if left <= 0:
            continue
        days = (as_of - p["due"]).days if p["due"] < as_of else 0
        key = "Current" if days == 0 else "1-30" if days <= 30 else "31-90" if days <= 90 else ">90"
        buckets[key][0] += 1
        buckets[key][1] += left
        if days:
            late.append((left, p["id"]))
    assert c.aging["bucket"].tolist() == list(buckets)
    assert c.aging["payments"].tolist() == [v[0] for v in buckets.values()]
    assert c.aging["outstanding"].tolist() == pytest.approx([v[1] for v in buckets.values()])
    assert c.late["outstanding"].tolist()[:5] == pytest.approx(sorted((v for v, _ in late), reverse=True)[:5])
    wins = [d for d in data["deals"] if d["status"] == "Won" and as_of - timedelta(days=365) < d["closed"] <= as_of]
    planned = {p["deal"] for p in data["payments"]}
    assert set(c.no_plan["opportunity_id"]) == {d["id"] for d in wins if d["id"] not in planned}


def test_the_report_files_carry_the_money_sheets(generated, tmp_path):
    import openpyxl

    _, book = generated
    for rep, lang in ((None, "en"), ("王伟", "zh")):
        path = write_report(report_model(book, "2024-06", date(2024, 6, 17), rep), tmp_path / f"{rep}.xlsx", lang)
        wb = openpyxl.load_workbook(path)
        names = ("Forecast", "Collections") if lang == "en" else ("预测", "回款")
        assert all(name in wb.sheetnames for name in names)
        kpis = {(s, m) for s, m, _ in wb["KPIs"].iter_rows(min_row=2, values_only=True)}
        scopes = ["Team", *REPS] if rep is None else [rep]
        assert {(s, m) for s in scopes for m in MONEY} <= kpis
        forecast = [row for row in wb[names[0]].iter_rows(values_only=True) if row and row[1] in
                    ("2024-06", "2024-07", "2024-08")]
        assert len(forecast) == 3 * len(scopes)


def test_a_comparison_month_leaves_blank_what_payments_keep_only_as_they_are_today(generated):
    """Payments hold today's receipts and plans: what was owed a month or a year earlier is not recorded."""
    _, book = generated
    summary = report_model(book, "2024-06", date(2024, 6, 17)).summary
    for metric in ("receivable", "overdue_receivable", "won_without_payment_plan"):
        assert summary.loc[metric, "current"] > 0, metric
        assert pd.isna(summary.loc[metric, "previous"]) and pd.isna(summary.loc[metric, "year_ago"]), metric
    assert summary.loc["collected", "previous"] > 0  # a receipt's date says which month it fell in
