"""init --data and report say how many problems `check` would report; --strict makes errors fail."""

from __future__ import annotations

from helpers import xl_crm


def _data(tmp_path, amount="1000"):
    data = tmp_path / "data"
    data.mkdir(parents=True)
    (data / "customers.csv").write_text("customer_id,name\nC1,Acme\n", encoding="utf-8")
    (data / "opportunities.csv").write_text(
        "opportunity_id,customer_id,stage,status,amount,created,closed_date\n"
        f"O1,C1,Develop,Open,{amount},2026-01-05,\nO2,C1,Close,Won,{amount},2026-01-05,2026-02-01\n",
        encoding="utf-8")
    return data


def test_init_data_counts_the_problems_and_strict_fails_on_errors(tmp_path):
    result = xl_crm("init", str(tmp_path / "ok.xlsx"), "--data", str(_data(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "check: 0 errors, 0 warnings" in result.output
    bad = _data(tmp_path / "bad", amount="lots")
    result = xl_crm("init", str(tmp_path / "bad.xlsx"), "--data", str(bad))
    assert result.exit_code == 0 and "check: 2 errors, 0 warnings" in result.output
    result = xl_crm("init", str(tmp_path / "bad.xlsx"), "--data", str(bad), "--force", "--strict")
    assert result.exit_code == 1 and "check: 2 errors, 0 warnings" in result.output


def test_report_counts_the_problems_and_strict_fails_on_errors(tmp_path):
    book = tmp_path / "crm.xlsx"
    assert xl_crm("init", str(book), "--data", str(_data(tmp_path, "lots"))).exit_code == 0
    result = xl_crm("report", str(book), "--month", "2026-02", "--out", str(tmp_path / "r"),
                    "--jobs", "1", "--strict")
    assert result.exit_code == 1 and "check: 2 errors, 0 warnings" in result.output
    assert not (tmp_path / "r").exists()


def test_a_column_of_undecided_dates_is_one_line(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "activities.csv").write_text("date,customer_id\n03/04/2026,C1\n", encoding="utf-8")
    result = xl_crm("init", str(tmp_path / "x.xlsx"), "--data", str(data))
    assert result.exit_code == 2
    assert result.output.strip() == (
        "xl-crm: activities.csv, column A (date): every date like 03/04/2026 could be month/day or day/month; "
        "set date_format = \"MM/DD/YYYY\" or \"DD/MM/YYYY\" for it in a mapping file ([activities] or "
        "[activities.date_format])")
    assert not (tmp_path / "x.xlsx").exists()
