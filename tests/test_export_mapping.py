"""The shipped mapping for the public "CRM Sales Opportunities" export, on a small set shaped like it."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import xl_crm

from xl_crm.model.mapping import load_mapping
from xl_crm.sheets.read import read_workbook

MAPPING = Path(__file__).parent.parent / "examples" / "sales_pipeline_mapping.toml"
ACCOUNTS = [("Cancity", "retail", "United States"), ("Codehow", "software", "Kenya"),
            ("Isdom", "medical", "United States"), ("Zoomit", "entertainment", "Norway")]
AGENTS = ["Moses Frase", "Darcel Schlecht", "Zane Levy"]


def _day(d: date, us: bool) -> str:
    return f"{d.month}/{d.day}/{d.year}" if us else d.isoformat()


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    """sales_pipeline.csv (ISO and US dates mixed, a Prospecting deal without account), accounts, products, teams."""
    folder = tmp_path_factory.mktemp("export")
    rng = random.Random(7)
    deals = []
    for i in range(60):
        stage = rng.choice(["Prospecting", "Engaging", "Won", "Lost"])
        account = rng.choice(ACCOUNTS)[0] if stage != "Prospecting" or i % 2 else ""
        engage = date(2016, 10, 20) + timedelta(days=rng.randint(0, 300)) if stage != "Prospecting" else None
        close = engage + timedelta(days=rng.randint(1, 120)) if stage in ("Won", "Lost") else None
        value = rng.randint(40, 30000) if stage == "Won" else 0 if stage == "Lost" else None
        deals.append({"opportunity_id": f"OP{i:04d}X", "sales_agent": rng.choice(AGENTS), "product": "GTX Basic",
                      "account": account, "deal_stage": stage,
                      "engage_date": _day(engage, i % 3 == 0) if engage else "",
                      "close_date": _day(close, i % 3 == 0) if close else "",
                      "close_value": "" if value is None else value})
    _write(folder / "sales_pipeline.csv", deals)
    _write(folder / "accounts.csv", [{"account": a, "sector": s, "year_established": 2001, "revenue": 718.62,
                                      "employees": 2448, "office_location": o, "subsidiary_of": ""}
                                     for a, s, o in ACCOUNTS])
    _write(folder / "products.csv", [{"product": "GTX Basic", "series": "GTX", "sales_price": 550}])
    _write(folder / "sales_teams.csv", [{"sales_agent": a, "manager": "Dustin Brinkmann", "regional_office": "East"}
                                        for a in AGENTS])
    book = folder / "crm.xlsx"
    result = xl_crm("init", str(book), "--data", str(folder), "--mapping", str(MAPPING),
                    "--as-of", "2017-12-31")
    assert result.exit_code == 0, result.output
    return book, deals


def _write(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_deals_and_accounts_load_as_the_export_means_them(export):
    book, deals = export
    data = read_workbook(book, load_mapping(MAPPING))
    opps = data.frame("opportunities").set_index("opportunity_id")
    status = {"Prospecting": "Open", "Engaging": "Open", "Won": "Won", "Lost": "Lost"}
    stage = {"Prospecting": "Qualify", "Engaging": "Develop", "Won": 5, "Lost": None}
    for deal in deals:
        row = opps.loc[deal["opportunity_id"]]
        assert row["status"] == status[deal["deal_stage"]]
        assert row["stage"] == stage[deal["deal_stage"]] or (row["stage"] is None and stage[deal["deal_stage"]] is None)
        assert row["customer_id"] == (deal["account"] or None) and row["owner"] == deal["sales_agent"]
        if deal["close_date"]:  # ISO and M/D/YYYY read as the same calendar dates
            month, day, year = map(int, deal["close_date"].split("/")) if "/" in deal["close_date"] else \
                (int(deal["close_date"][5:7]), int(deal["close_date"][8:]), int(deal["close_date"][:4]))
            assert row["closed_date"] == date(year, month, day)
        else:
            assert row["closed_date"] is None
        assert row["amount"] == (None if deal["close_value"] == "" else deal["close_value"])
    customers = data.frame("customers").set_index("customer_id")
    assert sorted(customers.index) == sorted(a for a, _, _ in ACCOUNTS)
    assert customers.loc["Codehow", ["name", "industry", "region"]].tolist() == ["Codehow", "software", "Kenya"]


def test_the_same_mapping_works_with_check_and_names_only_the_data_problems(export):
    book, deals = export
    result = xl_crm("check", str(book), "--mapping", str(MAPPING))
    blank_accounts = sum(1 for d in deals if not d["account"])
    assert f"{blank_accounts} errors" in result.output.splitlines()[-1]
    assert "Customer ID" in result.output and "Settings" not in result.output


def test_report_takes_the_mapping(export, tmp_path):
    book, _ = export
    result = xl_crm("report", str(book), "--month", "2017-03", "--mapping", str(MAPPING),
                    "--out", str(tmp_path), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "2017-03-team.xlsx").exists()
