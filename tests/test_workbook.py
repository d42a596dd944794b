"""init -> refresh through the real `xl-crm` entry point, end to end, recalculated by LibreOffice."""

import csv
import shutil
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from helpers import xl_crm
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from xl_crm.compute.step import compute
from xl_crm.model import schema
from xl_crm.ooxml.soffice import convert
from xl_crm.sheets.read import read_workbook

AS_OF = date(2026, 11, 23)

CUSTOMERS = [
    ["customer_id", "name", "owner", "need", "expected_close", "last_contact", "next_action_date", "territory"],
    ["C1", "Acme", "Ann", "Now", "2026-12-23", "2026-11-20", "", "Ours"],
    ["C2", "=HYPERLINK(\"http://x\")", "Ann", "现有需求", "2026-12-24", "", "", ""],
    ["C3", "Globex", "Bob", "", "", "2026-10-01", "2026-11-30", ""],
    ["C4", "-minus corp", "Bob", "None", "", "", "", ""],
    ["00123", "@at", "", "now", "", "2025-01-01", "", ""],
]
OPPORTUNITIES = [
    ["opportunity_id", "customer_id", "owner", "stage", "status", "amount", "created", "expected_close",
     "closed_date", "stage_since", "need", "budget", "authority", "timeline", "short_term_score",
     "long_term_score", "territory", "lead"],
    ["O1", "C1", "Ann", "Qualify", "Open", "1000", "2026-10-01", "2027-01-15", "", "2026-11-02",
     "Y", "是", "TRUE", "1", "6", "5.99", "Ours", "Behind"],
    ["O2", "C1", "Ann", "3", "Won", "5000000", "2026-01-01", "", "2026-06-01", "", "", "", "", "", "", "",
     "中立地盘", "敌我相当"],
    ["O3", "C3", "Bob", "商务谈判", "跟进中", "", "2026-11-01", "2026-12-05", "", "", "N", "", "", "", "11", "3",
     "", ""],
    ["O4", "00123", "Bob", "Close", "Lost", "20000001", "2026-02-01", "", "2026-03-01", "", "", "", "", "", "", "",
     "", ""],
]
ACTIVITIES = [
    ["date", "customer_id", "opportunity_id", "owner", "type", "summary"],
    ["2026-11-22", "C2", "", "Ann", "Call", "first call"],
    ["2026-11-10", "C3", "O3", "Bob", "Visit", "+ good meeting"],
    ["2026-12-01", "C3", "O3", "Bob", "Visit", "planned, not counted"],
]


def write_csvs(folder: Path, encoding="utf-8") -> Path:
    folder.mkdir(exist_ok=True)
    for name, rows in (("customers", CUSTOMERS), ("opportunities", OPPORTUNITIES), ("activities", ACTIVITIES)):
        with open(folder / f"{name}.csv", "w", newline="", encoding=encoding) as f:
            csv.writer(f).writerows(rows)
    return folder


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wb")
    data = write_csvs(tmp / "data", encoding="utf-8-sig")
    book = tmp / "crm.xlsx"
    xl_crm("init", book, "--data", data, "--as-of", AS_OF, check=True)
    xl_crm("refresh", book, "--as-of", AS_OF, check=True)
    return book


def cell(value):
    if value in ("", None):
        return None
    if isinstance(value, datetime):
        return value.date()
    return value


def python_view(book: Path):
    """What DOMAIN.md says every derived and synced cell should hold, from the Python rules."""
    data = read_workbook(book)
    computed = compute({key: data.frame(key) for key in data.tables}, AS_OF)
    return computed.table("customers"), computed.table("opportunities")


def recalculated_frames(book: Path, tmp: Path):
    out = convert(book, "xlsx", tmp)
    wb = CalamineWorkbook.from_path(str(out))
    frames = {}
    for spec in (schema.CUSTOMERS, schema.OPPORTUNITIES):
        rows = wb.get_sheet_by_name(spec.en).to_python()
        keys = [schema.normalise_header(h) for h in rows[0]]
        frames[spec.key] = pd.DataFrame([[cell(v) for v in r] for r in rows[1:]], columns=keys, dtype=object)
    return frames


def test_init_refresh_recalculated_equals_rules(refreshed, tmp_path):
    customers, opps = python_view(refreshed)
    frames = recalculated_frames(refreshed, tmp_path)
    for spec, expected in ((schema.CUSTOMERS, customers), (schema.OPPORTUNITIES, opps)):
        got = frames[spec.key]
        for column in spec.role(schema.DERIVED):
            want = expected[column.key].tolist()
            values = got[column.key].tolist()
            for i, (g, w) in enumerate(zip(values, want)):
                if isinstance(w, float):
                    assert g == pytest.approx(w), (spec.key, column.key, i)
                elif isinstance(w, bool):
                    assert bool(g) == w and g in (0, 1, True, False), (spec.key, column.key, i, g)
                else:
                    assert g == w, (spec.key, column.key, i, g, w)


def test_known_values(refreshed, tmp_path):
    frames = recalculated_frames(refreshed, tmp_path)
    customers = frames["customers"].set_index("customer_id")
    assert customers["grade"].to_dict() == {"C1": "A", "C2": "B", "C3": "D", "C4": "E", "00123": "D"}
    assert customers.loc["C2", "last_contact"] == date(2026, 11, 22)
    assert customers.loc["C3", "touch_count"] == 1
    assert customers.loc["C1", "revenue_12m"] == 5_000_000
    assert customers.loc["C1", "tier"] == "VIP"
    assert customers.loc["C1", "cadence_days"] == 1
    assert customers.loc["C4", "followup_status"] == "Not contacted"
    assert customers.loc["00123", "followup_status"] == "Overdue"
    assert customers.loc["C2", "name"] == '=HYPERLINK("http://x")'
    opps = frames["opportunities"].set_index("opportunity_id")
    assert opps.loc["O1", "probability"] == pytest.approx(0.1)
    assert opps.loc["O1", "bant_score"] == 4
    assert opps.loc["O1", "value_class"] == 3
    assert opps.loc["O1", "opening"] == "A"
    assert opps.loc["O1", "days_in_stage"] == 21
    assert bool(opps.loc["O1", "stale"]) is True
    assert opps.loc["O2", "approval_level"] == "Director"
    assert opps.loc["O3", "weighted_amount"] == 0
    assert opps.loc["O3", "value_class"] is None
    assert opps.loc["O3", "touch_count"] == 1
    assert opps.loc["O4", "approval_level"] == "President"


def test_derived_columns_are_formulas_and_text_stays_text(refreshed):
    wb = load_workbook(refreshed)
    sheet = wb["Customers"]
    headers = [c.value for c in sheet[1]]
    grade = sheet.cell(row=2, column=headers.index("Grade") + 1).value
    assert isinstance(grade, str) and grade.startswith("=")
    names = [sheet.cell(row=r, column=headers.index("Name") + 1) for r in range(2, 7)]
    assert all(c.data_type == "s" for c in names)
    assert sheet.tables and wb.defined_names.get("AsOf") is not None


def test_second_refresh_changes_nothing(refreshed, tmp_path):
    copy = tmp_path / "again.xlsx"
    shutil.copy(refreshed, copy)
    xl_crm("refresh", copy, "--as-of", AS_OF, "--no-backup", check=True)
    before = CalamineWorkbook.from_path(str(refreshed))
    after = CalamineWorkbook.from_path(str(copy))
    assert before.sheet_names == after.sheet_names
    for name in before.sheet_names:
        assert before.get_sheet_by_name(name).to_python() == after.get_sheet_by_name(name).to_python(), name


def test_generated_sheets(refreshed):
    wb = CalamineWorkbook.from_path(str(refreshed))
    assert {"Funnel", "Today", "Settings"} <= set(wb.sheet_names)
    today = wb.get_sheet_by_name("Today").to_python()
    flat = [str(v) for row in today for v in row]
    # C3's activity on 11-10 moved its last contact, so it is not due until its next action on 11-30
    assert {"C1", "C4", "00123"} <= set(flat) and "C2" not in flat and "C3" not in flat


def test_init_refuses_to_overwrite(refreshed, tmp_path):
    target = tmp_path / "x.xlsx"
    shutil.copy(refreshed, target)
    before = target.read_bytes()
    run = xl_crm("init", target, check=False)
    assert run.exit_code == 2 and "--force" in run.stderr
    assert target.read_bytes() == before


def test_chinese_workbook_with_gb18030_csv(tmp_path):
    data = write_csvs(tmp_path / "data", encoding="gb18030")
    book = tmp_path / "客户.xlsx"
    xl_crm("init", book, "--lang", "zh", "--data", data, "--as-of", AS_OF, check=True)
    wb = CalamineWorkbook.from_path(str(book))
    assert {"客户", "商机", "联系人", "跟进记录", "参数"} <= set(wb.sheet_names)
    rows = wb.get_sheet_by_name("客户").to_python()
    headers = rows[0]
    status = [r[headers.index("跟进状态")] for r in rows[1:]]
    assert "未联系" in status and "逾期" in status
    data = read_workbook(book)
    assert data.lang == "zh" and data.frame("customers")["name"].tolist()[3] == "-minus corp"


def test_fixed_as_of_tells_a_date_from_today(tmp_path):
    from xl_crm.commands.workbook import init_workbook
    from xl_crm.ooxml.package import Package
    from xl_crm.sheets.settings_sheet import fixed_as_of

    fixed, live = tmp_path / "fixed.xlsx", tmp_path / "live.xlsx"
    init_workbook(fixed, as_of=AS_OF)
    init_workbook(live)
    with Package.open(fixed) as package:
        assert fixed_as_of(package, read_workbook(fixed)) == AS_OF
    data = read_workbook(live)
    assert data.as_of == date.today()  # the cached TODAY() result reads like a date
    with Package.open(live) as package:
        assert fixed_as_of(package, data) is None


def test_init_loads_an_export_through_a_mapping_and_names_what_it_left_out(tmp_path):
    data = tmp_path / "export"
    data.mkdir()
    (data / "opportunities.csv").write_text(
        "opportunity_id,sales_agent,account,deal_stage,close_value,engage_date,close_date,series\n"
        "O1,Moses,Acme,Won,1054,2024-03-02,2024-04-10,x\nO2,Moses,,Engaging,,2024-04-01,,y\n", encoding="utf-8")
    mapping = tmp_path / "map.toml"
    mapping.write_text('[opportunities.columns]\nsales_agent = "owner"\naccount = "customer_id"\n'
                       'deal_stage = "stage"\nclose_value = "amount"\nengage_date = "created"\n'
                       'close_date = "closed_date"\n', encoding="utf-8")
    run = xl_crm("init", tmp_path / "crm.xlsx", "--data", data, "--mapping", mapping, "--as-of", "2024-04-30",
                 check=True)
    assert "opportunities.csv: columns not loaded" in run.stdout and "crm.xlsx\ncheck: " in run.stdout
    assert "series" in run.stdout.splitlines()[0]
    xl_crm("report", tmp_path / "crm.xlsx", "--month", "2024-04", "--out", tmp_path / "reports", check=True)
    kpis = pd.read_excel(tmp_path / "reports" / "2024-04-Moses.xlsx", sheet_name="KPIs", engine="calamine")
    kpis = kpis.set_index("metric")
    assert kpis.loc["won_count", "value"] == 1 and kpis.loc["won_amount", "value"] == 1054
    assert kpis.loc["open_count", "value"] == 1 and kpis.loc["new_count", "value"] == 1
