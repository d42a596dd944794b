"""A rep's tracker exported to CSV (deals with customer names, no IDs) loaded by `init --data` and by `import`
reads as `upgrade` reads the same rows in a workbook: the same customers (by customer key, first spelling
kept), deals, contacts and IDs, stable from run to run; `check` then reports only the rows' genuine problems.
"""

from __future__ import annotations

import csv
from datetime import date, datetime

import pandas as pd
import pytest
from helpers import TRACKER_AS_OF as AS_OF
from helpers import TRACKER_HEADERS, TRACKER_ROWS, tracker, xl_crm

from xl_crm.adopt.upgrade import upgrade_workbook
from xl_crm.commands.check import ERROR, check_data
from xl_crm.commands.workbook import import_files, init_workbook
from xl_crm.model.vocab import STATUS
from xl_crm.sheets.read import read_workbook

EN_HEADERS = ["Account Name", "Contact", "Phone", "Owner", "Stage", "Amount", "CloseDate", "Notes"]
EN_ROWS = [
    ["Acme Corporation", "Ann Lee", "555-0101", "Moses", "Prospecting", 100000, datetime(2026, 3, 20), "old"],
    ["ACME Corp.", "Ann Lee", "555-0101", "Moses", "Proposal", 250000, datetime(2026, 6, 1), None],
    ["Globex", "Bo Chen", "555-0102", "Darcel", "Closed Won", 80000, datetime(2026, 2, 1), "signed"],
    ["Initech", None, None, "Darcel", "Closed Lost", 30000, datetime(2026, 1, 10), "price"],
]
CASES = {"zh": (TRACKER_HEADERS, TRACKER_ROWS), "en": (EN_HEADERS, EN_ROWS)}


def write_csv(path, headers, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(headers)
        out.writerows([[v.strftime("%Y-%m-%d") if isinstance(v, datetime) else v for v in r] for r in rows])
    return path


def _cell(value):
    if isinstance(value, (datetime, date)):
        return pd.Timestamp(value).date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def frames(path) -> dict[str, list]:
    """Customers, deals and contacts of a workbook, as comparable sorted records."""
    data = read_workbook(path)
    keep = {"customers": ["customer_id", "name"],
            "opportunities": ["opportunity_id", "customer_id", "stage", "status", "amount", "owner",
                              "expected_close", "closed_date"],
            "contacts": ["contact_id", "customer_id", "name", "phone"]}
    out = {}
    for key, columns in keep.items():
        frame = data.frame(key)
        rows = [[_cell(frame[c].get(i)) if c in frame else None for c in columns] for i in frame.index]
        if key == "opportunities":  # a status reads the same in either language's spelling
            rows = [[*r[:3], STATUS.parse(r[3]), *r[4:]] for r in rows]
        out[key] = sorted(rows, key=str)
    return out


def upgraded(tmp_path, lang):
    headers, rows = CASES[lang]
    book = tracker(tmp_path / "mine.xlsx", headers=headers, rows=rows)
    upgrade_workbook(book)
    return book


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_init_data_reads_the_tracker_export_as_upgrade_reads_the_workbook(tmp_path, lang):
    expected = frames(upgraded(tmp_path, lang))
    folder = tmp_path / "data"
    folder.mkdir()
    write_csv(folder / "opportunities.csv", *CASES[lang])
    init_workbook(tmp_path / "crm.xlsx", data_dir=folder, as_of=AS_OF)
    got = frames(tmp_path / "crm.xlsx")
    assert got == expected
    assert len(got["customers"]) == 3 and len(got["contacts"]) == 2
    assert read_workbook(tmp_path / "crm.xlsx").lang == lang  # the headers' language without --lang


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_import_reads_the_tracker_export_as_upgrade_reads_the_workbook(tmp_path, lang):
    expected = frames(upgraded(tmp_path, lang))
    source = write_csv(tmp_path / "deals.csv", *CASES[lang])
    summary = import_files([source], tmp_path / "crm.xlsx")
    assert (summary.added, summary.rejected, summary.skipped) == (4, [], [])
    assert frames(tmp_path / "crm.xlsx") == expected


def test_ids_are_the_same_on_every_run(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    write_csv(folder / "opportunities.csv", *CASES["zh"])
    init_workbook(tmp_path / "a.xlsx", data_dir=folder, as_of=AS_OF)
    init_workbook(tmp_path / "b.xlsx", data_dir=folder, as_of=AS_OF)
    import_files([folder / "opportunities.csv"], tmp_path / "c.xlsx")
    assert frames(tmp_path / "a.xlsx") == frames(tmp_path / "b.xlsx") == frames(tmp_path / "c.xlsx")


def test_importing_the_tracker_again_skips_every_deal_as_already_there(tmp_path):
    source = write_csv(tmp_path / "deals.csv", *CASES["en"])
    import_files([source], tmp_path / "crm.xlsx")
    again = import_files([source], tmp_path / "crm.xlsx")
    assert (again.added, len(again.skipped), again.rejected) == (0, 4, [])
    assert len(frames(tmp_path / "crm.xlsx")["customers"]) == 3


def test_new_deals_of_a_known_customer_take_its_id(tmp_path):
    source = write_csv(tmp_path / "deals.csv", *CASES["zh"])
    import_files([source], tmp_path / "crm.xlsx")
    more = write_csv(tmp_path / "more.csv", TRACKER_HEADERS,
                     [["华为技术 (中国) 有限公司", "张伟", "13800000001", "王芳", "确认商机", 5000, None, None],
                      ["新客户", None, None, "刘洋", "确认商机", 7000, None, None]])
    summary = import_files([more], tmp_path / "crm.xlsx")
    assert (summary.added, summary.skipped, summary.rejected) == (2, [], [])
    got = read_workbook(tmp_path / "crm.xlsx")
    customers = got.frame("customers")
    ids = dict(zip(customers["name"], customers["customer_id"]))
    assert len(ids) == 4 and "新客户" in ids
    deals = got.frame("opportunities")
    assert deals.loc[deals["amount"] == 5000, "customer_id"].tolist() == [ids["华为技术有限公司"]]
    assert deals.loc[deals["amount"] == 7000, "customer_id"].tolist() == [ids["新客户"]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_of_the_loaded_tracker_reports_no_error(tmp_path, lang):
    folder = tmp_path / "data"
    folder.mkdir()
    write_csv(folder / "opportunities.csv", *CASES[lang])
    result = xl_crm("init", tmp_path / "crm.xlsx", "--data", folder, "--as-of", AS_OF.isoformat(), check=True)
    assert [p for p in check_data(read_workbook(tmp_path / "crm.xlsx")) if p.severity == ERROR] == []
    assert "wrote" in result.output or "已" in result.output


def test_lang_overrides_the_headers_language(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    write_csv(folder / "opportunities.csv", *CASES["zh"])
    xl_crm("init", tmp_path / "crm.xlsx", "--data", folder, "--lang", "en", check=True)
    data = read_workbook(tmp_path / "crm.xlsx")
    assert data.lang == "en" and "Opportunities" in data.sheet_names
