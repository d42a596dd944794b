"""Every KPI of `xl-crm report` against an independent computation, end to end through the CLI.

The data is generated (seeded) in the shape of a typical public CRM pipeline
data set: a few thousand deals of a few dozen agents over ~85 accounts and 7
products, stages Prospecting / Engaging / Won / Lost. Prospecting deals have
no account and no engage date, about half the Engaging deals have no account,
open deals have no close value or date, Lost deals close at 0. The oracle
below is plain Python over the generated rows, written from DOMAIN.md
sections 1 to 4, 8 and 11, and imports nothing from xl_crm.
"""

from __future__ import annotations

import calendar
import csv
import math
import random
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from helpers import xl_crm

SEED = 20240917
FIRST_MONTH, LAST_MONTH = "2024-04", "2024-06"
RANGE = [("2024-04", date(2024, 4, 30)), ("2024-05", date(2024, 5, 31)), ("2024-06", date(2024, 6, 30))]
MID_MONTH = ("2024-09", date(2024, 9, 17))  # an as_of that is not the month's end
INIT_AS_OF = date(2024, 6, 30)  # init writes last_contact as of this day, later than April's and May's as_of
RUNS = [*RANGE, MID_MONTH]
START, END, ACTIVITY_END = date(2023, 1, 1), date(2024, 12, 31), date(2025, 3, 31)

STAGES = {"Qualify": (1, 0.10, 20), "Develop": (2, 0.30, 30), "Propose": (3, 0.50, 30),
          "Negotiate": (4, 0.70, 10), "Close": (5, 0.90, 10)}  # index, probability, rot_days
PRODUCTS = {"Atlas Basic": 60, "Atlas Pro": 4800, "Beam": 550, "Beam Plus": 1100, "Core": 3400,
            "Core Max": 26000, "Dash": 1050}  # list prices
FIRST = ["Ada", "Bruno", "Chidi", "Dara", "Elif", "Femi", "Goran", "Hana", "Ivo", "Jun", "Kemal", "Lina",
         "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tove"]
LAST = ["Abara", "Brandt", "Castillo", "Dunmore", "Eklund", "Farrow", "Gallo", "Hartley", "Ibsen", "Jovanovic"]
INDUSTRIES = ["Retail", "Technology", "Medical", "Software", "Finance", "Marketing", "Entertainment",
              "Telecommunications", "Services", "Employment"]
REGIONS = ["North", "South", "East", "West", "Central"]
COUNTS = {"new_count", "won_count", "lost_count", "open_count", "activities", "overdue_followups", "stale_count"}
METRICS = ["new_count", "new_amount", "won_count", "won_amount", "lost_count", "lost_amount", "win_rate",
           "avg_cycle_days", "open_count", "open_amount", "weighted_amount", "activities", "overdue_followups",
           "stale_count", "conversion_1_2", "conversion_2_3", "conversion_3_4", "conversion_4_5"]


def year_before(day: date) -> date:
    """The same calendar day a year earlier (no report here falls on 29 February)."""
    return day.replace(year=day.year - 1)


def month_bounds(month: str) -> tuple[date, date]:
    year, number = map(int, month.split("-"))
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def edge_days() -> list[date]:
    """Days where a rule changes its answer: month ends, as_of and the day after, the cohort's bounds."""
    days = []
    for month, as_of in RUNS:
        first, last = month_bounds(month)
        start = year_before(as_of)
        days += [first, last, as_of, as_of + timedelta(1), start, start + timedelta(1)]
    return days


def generate(rng: random.Random) -> dict[str, list[dict]]:
    """Customers, deals and activities as the rows written to CSV (dates as date, blanks as None)."""
    edges = edge_days()

    def day(first: date, last: date) -> date:
        if rng.random() < 0.03:
            return rng.choice(edges)
        return first + timedelta(rng.randrange((last - first).days + 1))

    agents = [f"{a} {b}" for a, b in rng.sample([(a, b) for a in FIRST for b in LAST], 29)] + ["李娜"]
    customers = [{"customer_id": f"A{n:03d}", "name": f"Account {n:03d}", "industry": rng.choice(INDUSTRIES),
                  "region": rng.choice(REGIONS)} for n in range(1, 86)]
    accounts = [c["customer_id"] for c in customers]
    deals = []
    for n in range(1, 3001):
        kind = rng.choices(["Prospecting", "Engaging", "Won", "Lost"], weights=[6, 18, 48, 28])[0]
        product = rng.choice(list(PRODUCTS))
        created = None if kind == "Prospecting" else day(START, END)
        closed = amount = None
        if kind in ("Won", "Lost"):
            if rng.random() < 0.05:
                closed = max(created, rng.choice(edges))
            else:
                closed = created + timedelta(rng.randint(1, 140))
            amount = round(PRODUCTS[product] * rng.uniform(0.85, 1.15)) if kind == "Won" else 0
        no_account = kind == "Prospecting" or (kind == "Engaging" and rng.random() < 0.5)
        deals.append({
            "opportunity_id": f"D{n:05d}", "customer_id": None if no_account else rng.choice(accounts),
            "owner": None if rng.random() < 0.01 else rng.choice(agents), "product": product,
            "stage": {"Prospecting": "Qualify", "Engaging": "Develop", "Won": "Close",
                      "Lost": rng.choice(["Qualify", "Develop", None])}[kind],
            "status": {"Won": "Won", "Lost": "Lost"}.get(kind, "Open"),
            "amount": amount, "created": created, "closed_date": closed,
        })
    by_account: dict[str, list[dict]] = {}
    for deal in deals:
        if deal["customer_id"]:
            by_account.setdefault(deal["customer_id"], []).append(deal)
    activities = []
    for _ in range(4000):
        customer = rng.choice(accounts)
        mine = by_account.get(customer, [])
        deal = rng.choice(mine) if mine and rng.random() < 0.6 else None
        owner = deal["owner"] if deal else rng.choice([*agents, "Tove Quist"])  # Tove Quist only logs touches
        activities.append({
            "date": day(START, ACTIVITY_END), "customer_id": customer,
            "opportunity_id": deal["opportunity_id"] if deal else None,
            "owner": None if rng.random() < 0.05 else owner,
            "type": rng.choice(["Call", "Email", "Meeting", "Demo", "Visit"]),
        })
    return {"customers": customers, "opportunities": deals, "activities": activities}


def write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v.isoformat() if isinstance(v, date) else v
                             for k, v in row.items()})


def kpis_of(path: Path) -> dict:
    """The KPIs sheet as {(scope, metric): value}; every pair appears once."""
    ws = openpyxl.load_workbook(path, read_only=True)["KPIs"]
    header, *rows = ws.iter_rows(values_only=True)
    assert header == ("scope", "metric", "value")
    table = {(s, m): v for s, m, v in rows}
    assert len(table) == len(rows)
    return table


@pytest.fixture(scope="module")
def crm(tmp_path_factory):
    """The generated rows, the workbook `init --data` built from them, and the reports of every run."""
    root = tmp_path_factory.mktemp("oracle")
    data = generate(random.Random(SEED))
    csv_dir = root / "csv"
    csv_dir.mkdir()
    for key, rows in data.items():
        write_csv(csv_dir / f"{key}.csv", rows)
    workbook = root / "crm.xlsx"
    xl_crm("init", workbook, "--data", csv_dir, "--as-of", INIT_AS_OF, check=True)
    out = root / "reports"
    xl_crm("report", workbook, "--from", FIRST_MONTH, "--to", LAST_MONTH, "--out", out, check=True)
    xl_crm("report", workbook, "--month", MID_MONTH[0], "--as-of", MID_MONTH[1], "--out", out, check=True)
    return {"data": data, "workbook": workbook, "out": out}


def reps_of(data) -> list[str]:
    """Anyone who owns a deal or logged an activity (section 11: one report per rep)."""
    return sorted({r["owner"] for r in data["opportunities"] + data["activities"] if r["owner"]})


def last_contact(activities: list[dict], as_of: date) -> dict[str, date]:
    """Per customer, the latest activity dated on or before as_of."""
    latest: dict[str, date] = {}
    for a in activities:
        if a["date"] <= as_of and (a["customer_id"] not in latest or a["date"] > latest[a["customer_id"]]):
            latest[a["customer_id"]] = a["date"]
    return latest


def oracle(data, month: str, as_of: date, rep: str | None) -> dict:
    """Every metric for one scope (rep None = the team), from DOMAIN.md alone."""
    first, last = month_bounds(month)
    deals = [d for d in data["opportunities"] if rep is None or d["owner"] == rep]
    acts = [a for a in data["activities"] if rep is None or a["owner"] == rep]
    out: dict = {}

    def in_month(day):
        return day is not None and first <= day <= last

    new = [d for d in deals if in_month(d["created"])]
    out["new_count"], out["new_amount"] = len(new), float(sum(d["amount"] or 0 for d in new))
    for state in ("Won", "Lost"):
        closed = [d for d in deals if d["status"] == state and in_month(d["closed_date"])]
        out[f"{state.lower()}_count"] = len(closed)
        out[f"{state.lower()}_amount"] = float(sum(d["amount"] or 0 for d in closed))
    decided = out["won_count"] + out["lost_count"]
    out["win_rate"] = out["won_count"] / decided if decided else None
    cycles = [(d["closed_date"] - d["created"]).days for d in deals
              if d["status"] == "Won" and in_month(d["closed_date"]) and d["created"]]
    out["avg_cycle_days"] = sum(cycles) / len(cycles) if cycles else None
    # section 12: init's History rows, dated INIT_AS_OF, are the first record of every deal's stage; before
    # then a deal's stage is unknown, and a deal with a blank created date is in no pipeline (section 11)
    known = as_of >= INIT_AS_OF
    # section 11: open at as_of = created by then (or blank, once History records it), and Open or closed after
    pipeline = [d for d in deals if (d["created"] <= as_of if d["created"] else known)
                and (d["status"] == "Open" or d["closed_date"] > as_of)]
    out["open_count"] = len(pipeline)
    out["open_amount"] = float(sum(d["amount"] or 0 for d in pipeline))
    weighted = sum((d["amount"] or 0) * STAGES[d["stage"]][1] for d in pipeline if d["stage"])
    out["weighted_amount"] = weighted if known or not pipeline else None
    out["activities"] = sum(in_month(a["date"]) for a in acts)
    # sections 1-3: last_contact is the later of the cell (synced by init), when it is on or before as_of,
    # and the latest touch by as_of;
    # need blank = Future -> grade D -> 30 days (tier caps of 30 and 90 change nothing), no next action;
    # customers.csv has no owner, so overdue customers count for the team only
    overdue = 0
    if rep is None:
        cell, now = last_contact(data["activities"], INIT_AS_OF), last_contact(data["activities"], as_of)
        for c in data["customers"]:
            own = cell.get(c["customer_id"])
            seen = [d for d in (own if own and own <= as_of else None, now.get(c["customer_id"])) if d]
            overdue += bool(seen) and max(seen) + timedelta(30) < as_of
    out["overdue_followups"] = overdue
    # section 4: no stage_since, so days in stage count from created; blank created is never stale
    out["stale_count"] = sum(d["status"] == "Open" and d["created"] is not None
                             and (as_of - d["created"]).days > STAGES[d["stage"]][2] for d in deals)
    cohort = [d for d in deals if d["created"] and year_before(as_of) < d["created"] <= as_of]
    reach = [5 if d["status"] == "Won" else STAGES[d["stage"]][0] if d["stage"] else 0 for d in cohort]
    reached = [sum(r >= k for r in reach) for k in range(1, 6)]
    for k in range(1, 5):
        rate = reached[k] / reached[k - 1] if reached[k - 1] else None
        out[f"conversion_{k}_{k + 1}"] = rate if known or not cohort else None  # how far each got: unknown
    return out


def same(got, want) -> bool:
    if want is None or got is None:
        return got is None and want is None
    return math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.parametrize(("month", "as_of"), RUNS, ids=[m for m, _ in RUNS])
def test_team_file_matches_the_oracle_for_every_scope_and_metric(crm, month, as_of):
    """The team file holds Team and every rep, and each of their 18 KPIs equals the oracle's."""
    reps = reps_of(crm["data"])
    assert len(reps) == 31 and "Tove Quist" in reps
    got = kpis_of(crm["out"] / f"{month}-team.xlsx")
    assert {(s, m) for s in ["Team", *reps] for m in METRICS} <= set(got)  # later sections add their metrics
    wrong = []
    for scope in ["Team", *reps]:
        want = oracle(crm["data"], month, as_of, None if scope == "Team" else scope)
        for metric in METRICS:
            value = got[scope, metric]
            if metric in COUNTS and not isinstance(value, int):
                wrong.append((scope, metric, "not a whole number", value))
            elif not same(value, want[metric]):
                wrong.append((scope, metric, want[metric], value))
    assert not wrong, f"{month} (as_of {as_of}): (scope, metric, expected, got) {wrong}"


def test_the_data_exercises_every_metric(crm):
    """Guards the oracle test against vacuous data: each metric is non-zero somewhere, blanks occur too."""
    data = crm["data"]
    values = {m: [oracle(data, month, as_of, rep)[m] for month, as_of in RUNS for rep in [None, *reps_of(data)]]
              for m in METRICS}
    for metric, seen in values.items():
        assert any(seen) == (metric != "lost_amount"), metric  # Lost deals close at 0
    assert None in values["win_rate"] and None in values["avg_cycle_days"]  # Tove Quist closes nothing
    team_april = oracle(data, *RANGE[0], None)
    assert 0 < team_april["overdue_followups"] < 85


def test_rep_files_carry_only_their_own_scope(crm):
    """A rep's file holds its own KPIs only, with the values the team file gives that rep."""
    for month, _ in RUNS:
        team = kpis_of(crm["out"] / f"{month}-team.xlsx")
        for rep in reps_of(crm["data"]):
            mine = kpis_of(crm["out"] / f"{month}-{rep}.xlsx")
            assert {s for s, _ in mine} == {rep} and mine == {key: team[key] for key in mine}, (month, rep)
            assert {(rep, m) for m in METRICS} <= set(mine)


def test_a_second_run_writes_the_same_kpis(crm, tmp_path):
    """Reporting a month again (in two processes this time) gives the same KPI values in every file."""
    month = RANGE[1][0]
    xl_crm("report", crm["workbook"], "--month", month, "--out", tmp_path, "--jobs", "2", check=True)
    names = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    assert len(names) == 1 + len(reps_of(crm["data"])) and all(n.startswith(month) for n in names)
    for name in names:
        assert kpis_of(tmp_path / name) == kpis_of(crm["out"] / name), name
