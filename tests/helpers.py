"""What several test modules share: running the command line, reading a package back, the data sets.

Plain functions and constants; pytest fixtures live in conftest.py. The data
sets feed parity tests against LibreOffice and Gnumeric, so they change only
with the tests that read them.
"""

from __future__ import annotations

import math
import random
import re
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import xlsxwriter
from click.testing import CliRunner, Result
from fixtures_book import user_workbook
from openpyxl.formula.tokenizer import Token, Tokenizer
from python_calamine import CalamineWorkbook

from xl_crm.cli import main
from xl_crm.commands.workbook import write_standard_workbook
from xl_crm.model import schema, vocab
from xl_crm.model.asof import AsOf
from xl_crm.model.cells import to_serial
from xl_crm.model.settings import DEFAULT
from xl_crm.ooxml.package import Package
from xl_crm.ooxml.sheetxml import col_index
from xl_crm.sheets import settings_sheet
from xl_crm.sheets.read import read_workbook

# ---- the command line


def xl_crm(*args, check: bool = False) -> Result:
    """Run `xl-crm ARGS` in this process (click's runner): exit_code, stdout, stderr and output to check.

    check: fail the test at once, with what the command said, unless it exited 0.
    """
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    if check:
        assert result.exit_code == 0, result.output
    return result


def xl_crm_argv(*args, module: bool = False) -> list[str]:
    """The command line of the installed `xl-crm` entry point (or of `python -m xl_crm`), for a process of its own."""
    program = [sys.executable, "-m", "xl_crm"] if module else [str(Path(sys.executable).with_name("xl-crm"))]
    return [*program, *map(str, args)]


def xl_crm_process(*args, module: bool = False, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `xl-crm ARGS` as a separate process, for the tests that are about the process itself."""
    return subprocess.run(xl_crm_argv(*args, module=module), check=False, capture_output=True, text=True,
                          timeout=timeout)



def kill_at(proc: subprocess.Popen, appeared, delay: float) -> None:
    """SIGKILL the process `delay` seconds after appeared() (None: after its start), as a crash would."""
    if appeared is not None:
        while proc.poll() is None and not appeared():
            time.sleep(0.001)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()

# ---- a package read back


def parts_of(path):
    """Every part of the package, name -> bytes."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def values_of(path):
    """Every sheet's rows as calamine reads them ("" for empty cells), sheet name -> rows."""
    book = CalamineWorkbook.from_path(str(path))
    return {n: book.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in book.sheet_names}


def rewrite_part(src, dst, name, data):
    """A copy of the package src at dst with the part `name` replaced by data."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, data if item.filename == name else zin.read(item.filename))
    return dst


# ---- random and boundary rows for the formula parity tests (English and Chinese, every odd input)

PARITY_AS_OF = date(2024, 3, 15)
PARITY_ROWS = 1000
BLANKS = [None, "", "   "]
BAD_TEXT = ["maybe", "N*", "?", "~", "=1+1", "#N/A"]
# only the ordinary space is trimmed, by TRIM() and by the rules alike
ODD_SPACES = ["\t", "\u3000", "Now\u3000", "\u00a0Now", "现有需求\u3000", "Y\t"]


def _variants(words: vocab.Vocab) -> list[str]:
    """Every spelling in odd case and with extra spaces."""
    out = []
    for value in words.values:
        for spelling in words.spellings(value):
            out += [spelling, spelling.upper(), f"  {spelling.lower()} ", spelling.swapcase()]
    return out


def random_day(rng: random.Random):
    """A date-column value: dates, datetimes, serials, text, numbers out of range, blanks."""
    offset = rng.randint(-400, 400)
    day = PARITY_AS_OF + timedelta(days=offset)
    return rng.choice([
        day, day, day,
        datetime.combine(day, datetime.min.time()) + timedelta(hours=rng.randint(1, 23), minutes=17),
        to_serial(day) + rng.choice([0, 0.25, 0.999]),
        day.isoformat(), "soon", -3, True, *BLANKS,
    ])


def pick(rng, words: vocab.Vocab):
    return rng.choice(_variants(words) + BLANKS + BAD_TEXT + ODD_SPACES + [1, False])


def _yes_no(rng):
    return rng.choice(_variants(vocab.YES_NO) + BLANKS + ODD_SPACES + ["maybe", "N*", 2, 1, 0, 1.0, True, False])


STAGE_INPUTS = [1, 2, 3, 4, 5, 2.0, 2.5, 0, 6, -1, "3", " 4 ", "02", "2.0", "+2", "1e0", "5.", "200%", "$2",
                "2-1", "1:00", "Dev*", "Develop?", "*", "?", "~", "Develop~", "D~evelop", "~Close", "six", "２",
                "0_2", "3\t", "Close\t", "\u00a0Close", "Qualify\u3000", "Negotiate\n", "-1", "0",
                "12345678901234567890", True, *BLANKS]


def _stage(rng):
    names = [s for stage in DEFAULT.stages for s in (stage.name, stage.name_zh)]
    names += [f" {n.upper()} " for n in names] + [n.lower() for n in names]
    return rng.choice(names + STAGE_INPUTS)


def _amount(rng):
    return rng.choice([rng.randint(0, 30_000_000), round(rng.uniform(0, 1e6), 2), 0, -500, 5_000_000,
                       5_000_000.5, 20_000_000, 20_000_001, "1000", "abc", True, PARITY_AS_OF,
                       datetime(2024, 1, 2, 12), *BLANKS])


def _score(rng):
    return rng.choice([-1, 0, 5.99, 6, 10, 10.5, rng.randint(0, 10), round(rng.uniform(0, 10), 2), "7", True,
                       *BLANKS])


def random_customers(rng: random.Random, n: int) -> list[dict]:
    return [{
        "customer_id": f"C{i:05d}",
        "name": rng.choice(["Acme", "=1+1", "+86 138", "-5%", "@sum", "  spaced  ", "华为"]),
        "need": pick(rng, vocab.NEED),
        "expected_close": random_day(rng),
        "last_contact": random_day(rng),
        "next_action_date": random_day(rng),
        "next_close": rng.choice([random_day(rng), None, None]),
        "tier": pick(rng, vocab.TIER),
    } for i in range(n)]


def boundary_customers() -> list[dict]:
    rows = []
    for days in (-5, 0, 30, 31, 90, 91, 180, 181):  # grade thresholds
        rows.append({"need": "Now", "expected_close": PARITY_AS_OF + timedelta(days=days)})
        rows.append({"need": "现有需求", "next_close": PARITY_AS_OF + timedelta(days=days)})
        rows.append({"need": " now ", "expected_close": "", "next_close": PARITY_AS_OF + timedelta(days=days)})
    for need, tier in [("None", "VIP"), ("None", "Key"), ("Future", "Key"), ("Future", "VIP"), ("Now", "重点客户"),
                       ("无需求", "vip客户"), ("Future", "Regular"), ("Future", "gold")]:  # cadence caps
        rows.append({"need": need, "tier": tier, "last_contact": PARITY_AS_OF - timedelta(days=40)})
    for cadence_days, need, tier in [(1, "Now", None), (7, "Now", None), (30, "Future", None), (365, "None", None),
                                     (30, "None", "VIP"), (90, "None", "Key")]:
        close = PARITY_AS_OF + timedelta(days=5 if cadence_days == 1 else 60)
        for shift in (-1, 0, 1):  # last_contact + cadence == as_of, one day either side
            rows.append({"need": need, "tier": tier, "expected_close": close,
                         "last_contact": PARITY_AS_OF - timedelta(days=cadence_days + shift)})
    for days in (-1, 0, 7, 8, 30, 31, 90, 91):  # urgency thresholds via next_action_date
        rows.append({"next_action_date": PARITY_AS_OF + timedelta(days=days), "last_contact": PARITY_AS_OF})
    rows += [{}, {"need": "  ", "last_contact": "  ", "next_action_date": ""},
             {"last_contact": datetime(2024, 3, 14, 23, 59), "need": "now", "expected_close": "2024-04-01"}]
    return [{"customer_id": f"B{i:03d}", "name": "boundary", **row} for i, row in enumerate(rows)]


def random_opportunities(rng: random.Random, n: int) -> list[dict]:
    rows = []
    for i in range(n):
        row = {
            "opportunity_id": f"O{i:05d}",
            "customer_id": f"C{i % 50:05d}",
            "name": rng.choice(["=SUM(A1)", "Deal", "-1", "@x"]),
            "stage": _stage(rng),
            "status": pick(rng, vocab.STATUS),
            "amount": _amount(rng),
            "created": random_day(rng),
            "stage_since": rng.choice([random_day(rng), None]),
            "short_term_score": _score(rng),
            "long_term_score": _score(rng),
            "territory": pick(rng, vocab.TERRITORY),
            "lead": pick(rng, vocab.LEAD),
        }
        for key in ("need", "budget", "authority", "timeline", "tas_opportunity", "tas_solution", "tas_win",
                    "tas_worth"):
            row[key] = _yes_no(rng) if rng.random() < 0.8 else "Yes"
        rows.append(row)
    return rows


def boundary_opportunities() -> list[dict]:
    rows = []
    for stage in DEFAULT.stages:  # stale at rot_days and rot_days + 1, stage by name, Chinese name, number
        for ref in (stage.name, stage.name_zh, stage.number, str(stage.number)):
            for days in (stage.rot_days, stage.rot_days + 1):
                rows.append({"stage": ref, "status": "Open", "stage_since": PARITY_AS_OF - timedelta(days=days)})
                rows.append({"stage": ref, "status": "跟进中", "created": PARITY_AS_OF - timedelta(days=days)})
    for status in ("Won", "Lost", "赢单", "丢单", "open", "", "pending"):
        rows.append({"stage": "nonsense", "status": status, "amount": 100, "created": PARITY_AS_OF})
    yes_all = {k: "Y" for k in ("need", "budget", "authority", "timeline")}
    rows += [yes_all, {**yes_all, "timeline": "是"}, {**yes_all, "timeline": "maybe"},
             {"tas_opportunity": True, "tas_solution": 1, "tas_win": "有", "tas_worth": " YES "}]
    for short, long_ in [(-1, 5), (0, 0), (5.99, 6), (6, 5.99), (10, 10), (10.5, 3), (6, None), ("x", 6)]:
        rows.append({"short_term_score": short, "long_term_score": long_})
    for territory in vocab.TERRITORY.values:
        for lead in vocab.LEAD.values:
            rows.append({"territory": vocab.TERRITORY.label(territory, "zh"), "lead": lead})
    rows += [{"amount": 5_000_000}, {"amount": 5_000_001}, {"amount": 20_000_000}, {"amount": 20_000_001}, {}]
    return [{"opportunity_id": f"BO{i:03d}", "customer_id": "C00001", **row} for i, row in enumerate(rows)]


def parity_frames(seed: int, rows: int = PARITY_ROWS) -> dict[str, pd.DataFrame]:
    rng = random.Random(seed)
    customers = pd.DataFrame(random_customers(rng, rows) + boundary_customers(), dtype=object)
    opportunities = pd.DataFrame(random_opportunities(rng, rows) + boundary_opportunities(), dtype=object)
    return {"customers": customers, "opportunities": opportunities}


def same(expected, actual, serial_dates: bool = False) -> bool:
    """A Python rule's result against a recalculated cell (blank == "" == None).

    serial_dates: a date may come back as its serial number (Gnumeric's
    xlsx export drops the cells' number formats).
    """
    if expected is None:
        return actual in ("", None)
    if isinstance(expected, bool):
        return actual is expected
    if isinstance(expected, date):
        if serial_dates and isinstance(actual, float):
            return actual == to_serial(expected)
        return isinstance(actual, date) and to_serial(actual) == to_serial(expected)
    if isinstance(expected, (int, float)):
        return isinstance(actual, float) and math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9)
    return actual == expected


def expected_cell(column: schema.Column, value, lang: str):
    if value is not None and column.vocab is not None:
        return column.vocab.label(value, lang)
    return value


ENGINES = {"recalc": False, "gnumeric": True}  # fixture -> whether dates come back as serial numbers


# ---- a user's own workbook of those rows, for upgrade

UPGRADE_ROWS = 150
UPGRADE_INPUTS = {"customers": ["customer_id", "name", "need", "expected_close", "last_contact", "next_action_date"],
                  "opportunities": [c.key for c in schema.OPPORTUNITIES.columns if c.role == schema.INPUT]}
# which sheet is a table in which language: both kinds are covered for each sheet
UPGRADE_LAYOUT = {"en": {"customers": None, "opportunities": "DealBook"},
                  "zh": {"customers": "客户表", "opportunities": None}}
UPGRADE_SHEET_NAMES = {"customers": "My accounts", "opportunities": "Pipeline 2024"}


def upgrade_headers(key: str, lang: str) -> list[str]:
    spec = schema.sheet(key)
    names = [spec.column(k).header(lang) for k in UPGRADE_INPUTS[key]]
    if lang == "en" and key == "customers":
        names[1] = "Company"  # a synonym
    if lang == "en" and key == "opportunities":
        names[names.index("Amount")] = "Value"
    return names + (["My notes"] if lang == "en" else ["备注"])


def upgrade_book(path, lang: str, seed: int):
    """A user's own workbook of random and boundary rows: a plain range on one sheet, a Table on the other."""
    data = parity_frames(seed, UPGRADE_ROWS)
    sheets = []
    for key in ("customers", "opportunities"):
        rows = [[*(None if pd.isna(v) else v for v in record), "note"]
                for record in data[key].reindex(columns=UPGRADE_INPUTS[key]).astype(object).itertuples(index=False)]
        sheets.append({"name": UPGRADE_SHEET_NAMES[key], "headers": upgrade_headers(key, lang), "rows": rows,
                       "table": UPGRADE_LAYOUT[lang][key], "header_row": 0 if UPGRADE_LAYOUT[lang][key] else 2})
    return user_workbook(path, sheets)


def fix_as_of(path) -> None:
    """Pin the AsOf cell of the added Settings sheet, so the recalculation uses the test's date."""
    with Package.open(path) as pkg:
        found = re.fullmatch(r"'?(.*?)'?!\$?([A-Z]+)\$?(\d+)", pkg.defined_names["AsOf"])
        pkg.set_cells(found.group(1), {(int(found.group(3)), col_index(found.group(2))): PARITY_AS_OF})
        pkg.save(backup=False)


# ---- every name a formula uses is defined

_CELL = re.compile(r"^\$?[A-Z]{1,3}\$?\d+(:\$?[A-Z]{1,3}\$?\d+)?$|^\$?[A-Z]{1,3}:\$?[A-Z]{1,3}$|^\$?\d+:\$?\d+$")


def names_used(formula: str) -> set[str]:
    """The defined names a formula refers to (not cells, ranges, other sheets' cells or functions)."""
    out = set()
    for token in Tokenizer(formula if formula.startswith("=") else "=" + formula).items:
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            if "!" not in token.value and "[" not in token.value and not _CELL.match(token.value):
                out.add(token.value)
    return out


def undefined_names(path) -> list[str]:
    """Every formula of every sheet whose names the workbook does not define."""
    problems = []
    with Package.open(path) as pkg:
        defined = {name.lower() for name in pkg.defined_names}
        for sheet in pkg.sheet_names:
            xml = pkg.read(pkg.sheet_part(sheet)).decode("utf-8")
            for formula in set(re.findall(r"<(?:\w+:)?f\b[^>]*>([^<]+)</(?:\w+:)?f>", xml)):
                formula = formula.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
                missing = {n for n in names_used(formula) if n.lower() not in defined}
                if missing:
                    problems.append(f"{sheet}: {sorted(missing)} in {formula[:80]}")
    return problems


# ---- the engines agree with the cached results


def _engine_cell(value):
    """A cell as the engines' files can both hold it: dates as serials (Gnumeric drops date formats)."""
    if value in ("", None):
        return None
    if isinstance(value, (date, datetime)):
        return float(to_serial(value))
    return value


def _agree(a, b) -> bool:
    a, b = _engine_cell(a), _engine_cell(b)
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return type(a) is type(b) and a == b


def differences(written, recalculated: dict) -> list[str]:
    """Derived cells where a recalculated copy differs from the cached result of the written file."""
    data = read_workbook(written)
    problems, checked = [], 0
    for key in ("customers", "opportunities"):
        table = data.tables[key]
        derived = [c.key for c in schema.sheet(key).role(schema.DERIVED)]
        assert set(derived) <= set(table.columns), key
        cached = CalamineWorkbook.from_path(str(written)).get_sheet_by_name(table.sheet_name)
        grids = {"cached": cached.to_python(skip_empty_area=False)}
        grids |= {engine: CalamineWorkbook.from_path(str(path)).get_sheet_by_name(table.sheet_name)
                  .to_python(skip_empty_area=False) for engine, path in recalculated.items()}
        for row in table.frame.index:
            for column in derived:
                j = table.columns[column]
                values = {engine: grid[row - 1][j] for engine, grid in grids.items()}
                checked += 1
                if not all(_agree(values["cached"], v) for v in values.values()):
                    problems.append(f"{table.sheet_name!r} row {row} {column}: {values}")
    assert checked > 1000
    return problems


# ---- the small hand-made CRM the report KPIs are worked out from by hand

REPORT_AS_OF = date(2024, 3, 31)
D = date  # keeps the rows below on one line each

REPORT_CUSTOMERS = [  # customer_id, name, owner, industry, region, need, expected_close, last_contact
    ("C1", "Acme", "Ann", "Retail", "North", "Now", D(2024, 4, 10), D(2024, 2, 1)),
    ("C2", "Beta", "Bob", "Finance", "South", "Future", None, D(2024, 3, 20)),
    ("C3", "Gamma", "王伟", None, "East", "现有需求", None, None),
    ("C4", "Delta", "Ann", "Retail", "North", "None", None, D(2023, 1, 1)),
]
REPORT_OPPORTUNITIES = [  # id, customer, owner, product, stage, status, amount, created, closed, stage_since
    ("O1", "C1", "Ann", "ERP", "Close", "Won", 1000, D(2024, 1, 1), D(2024, 3, 1), None),
    ("O2", "C2", "Bob", "CRM", "成交", "赢单", 2000, D(2023, 12, 31), datetime(2024, 3, 31, 18, 0), None),
    ("O3", "C1", "Ann ", "ERP", 3, "Lost", 500, D(2024, 3, 5), D(2024, 4, 1), None),
    ("O4", "C3", "王伟", "BI", "Develop", "丢单", 300, D(2024, 2, 10), D(2024, 2, 29), None),
    ("O5", "X9", None, None, "主导进程", "Open", None, None, None, None),
    ("O6", "C2", "Bob", "CRM", "商务谈判", "跟进中", 4000, D(2024, 3, 31), None, None),
    ("O7", "C1", "Ann", "BI", "Qualify", "Open", 100, D(2024, 1, 10), None, D(2024, 2, 1)),
    ("O8", "C3", "王伟", "ERP", 4, "Lost", 700, D(2024, 3, 1), D(2024, 3, 15), None),
    ("O9", "C2", "Bob", "CRM", 5, "Won", 800, D(2024, 2, 1), D(2024, 2, 28), None),
    ("O10", "C1", "Ann", "ERP", "Develop", "Open", 50, D(2024, 4, 5), None, None),
]
REPORT_ACTIVITIES = [  # date, customer_id, opportunity_id, owner
    (D(2024, 3, 25), "C2", "O6", "Bob"),
    (D(2024, 3, 1), "C3", "O8", "王伟"),
    (D(2024, 4, 2), "C1", "O3", "Ann"),
    (D(2024, 2, 29), "C1", "O7", "Ann"),
    (D(2024, 3, 10), "C1", "O1", None),
]


def report_frames() -> dict[str, pd.DataFrame]:
    """The canonical frames read_workbook would give (index = Excel row)."""
    def frame(rows, keys):
        return pd.DataFrame(rows, columns=keys, index=range(2, 2 + len(rows)), dtype=object)

    return {
        "customers": frame(REPORT_CUSTOMERS, ["customer_id", "name", "owner", "industry", "region", "need",
                                              "expected_close", "last_contact"]),
        "opportunities": frame(REPORT_OPPORTUNITIES, ["opportunity_id", "customer_id", "owner", "product", "stage",
                                                      "status", "amount", "created", "closed_date", "stage_since"]),
        "activities": frame(REPORT_ACTIVITIES, ["date", "customer_id", "opportunity_id", "owner"]),
    }


REPORT_EXPECTED = {
    "Team": dict(
        new_count=3, new_amount=5200,  # O3, O6 (created on the last day), O8 (first day)
        won_count=2, won_amount=3000,  # O1 (closed on the first day), O2 (last day, a time part)
        lost_count=1, lost_amount=700,  # O8; O3 closed in April, O4 in February
        win_rate=2 / 3, avg_cycle_days=(60 + 91) / 2,
        open_count=4, open_amount=4600,  # O3 (closed after as_of), O5 (blank created, no account), O6, O7
        weighted_amount=0.5 * 500 + 0 + 0.7 * 4000 + 0.1 * 100,
        activities=3,  # 25 Mar, 1 Mar, 10 Mar (blank owner)
        overdue_followups=2,  # C1 (grade A, last touched 10 Mar), C4 (grade E, 2023)
        stale_count=1,  # O7: 59 days in Qualify > 20
        conversion_1_2=7 / 8, conversion_2_3=6 / 7, conversion_3_4=5 / 6, conversion_4_5=3 / 5,
    ),
    "Ann": dict(new_count=1, new_amount=500, won_count=1, won_amount=1000, lost_count=0, lost_amount=0,
                win_rate=1.0, avg_cycle_days=60, open_count=2, open_amount=600, weighted_amount=260, activities=0,
                overdue_followups=2, stale_count=1, conversion_1_2=2 / 3, conversion_2_3=1.0,
                conversion_3_4=1 / 2, conversion_4_5=1.0),
    "Bob": dict(new_count=1, new_amount=4000, won_count=1, won_amount=2000, lost_count=0, lost_amount=0,
                win_rate=1.0, avg_cycle_days=91, open_count=1, open_amount=4000, weighted_amount=2800, activities=1,
                overdue_followups=0, stale_count=0, conversion_1_2=1.0, conversion_2_3=1.0, conversion_3_4=1.0,
                conversion_4_5=2 / 3),
    "王伟": dict(new_count=1, new_amount=700, won_count=0, won_amount=0, lost_count=1, lost_amount=700,
               win_rate=0.0, avg_cycle_days=None, open_count=0, open_amount=0, weighted_amount=0, activities=1,
               overdue_followups=0, stale_count=0, conversion_1_2=1.0, conversion_2_3=1 / 2, conversion_3_4=1.0,
               conversion_4_5=0.0),
}


def write_report_workbook(path: Path, extra_customers=(), as_of: date | None = None) -> Path:
    """The hand-made data as a standard workbook; a Settings sheet with a fixed AsOf when given."""
    book = xlsxwriter.Workbook(str(path))
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    data = report_frames()
    for row in extra_customers:
        data["customers"].loc[len(data["customers"]) + 2] = row
    for key, frame in data.items():
        spec = schema.sheet(key)
        ws = book.add_worksheet(spec.en)
        ws.write_row(0, 0, [spec.column(k).en for k in frame.columns])
        for r, values in enumerate(frame.itertuples(index=False), start=1):
            for c, value in enumerate(values):
                if isinstance(value, date):
                    ws.write_datetime(r, c, value, dates)
                elif not pd.isna(value):  # a row added to a frame has NaN for None
                    ws.write(r, c, value)
    if as_of:
        ws = book.add_worksheet("Settings")
        for cell in settings_sheet.layout(as_of=as_of)[0]:
            ws.write(cell.row - 1, cell.col, cell.value, dates if isinstance(cell.value, date) else None)
    book.close()
    return path


# ---- a rep's own one-sheet tracker

TRACKER_AS_OF = date(2026, 3, 1)
TRACKER_HEADERS = ["客户名称", "联系人", "电话", "负责人", "阶段", "金额", "预计成交日期", "备注"]
TRACKER_ROWS = [
    ["华为技术有限公司", "张伟", "13800000001", "王芳", "确认商机", 100000, datetime(2026, 3, 20), "老客户"],
    ["华为技术（中国）有限公司", "张伟", "13800000001", "王芳", "方案论证", 250000, datetime(2026, 6, 1), None],
    ["星辰科技", "李娜", "13900000002", "刘洋", "赢单", 80000, datetime(2026, 2, 1), "已签约"],
    ["蓝海贸易", None, None, "刘洋", "输单", 30000, None, "价格太高"],
]


def tracker(path, headers=TRACKER_HEADERS, rows=TRACKER_ROWS, sheet="销售跟踪", title="2026 销售跟踪表"):
    """Title merged over row 1, a blank row, the header in row 3, a chart and a button beside the table."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet(sheet)
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    ws.merge_range(0, 0, 0, len(headers) - 1, title, bold)
    ws.write_row(2, 0, headers, bold)
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                ws.write_datetime(r, c, value, day)
            elif value is not None:
                ws.write(r, c, value)
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": [sheet, 3, 5, 2 + len(rows), 5]})
    ws.insert_chart("K2", chart)
    ws.insert_button("K20", {"macro": "refresh", "caption": "Refresh"})
    book.close()
    return path


# ---- two reps' books for handover: Ann's customers with every kind of row, Bob's one

HANDOVER_DAY = date(2026, 11, 20)


def ann_frames(n: int = 3) -> dict:
    customers = [{"customer_id": f"A{i}", "name": f"Ann Co {i}", "owner": "Ann", "need": "Now"} for i in range(n)]
    customers.append({"customer_id": "A-KEEP", "name": "Kept Co", "owner": "Annette", "need": "Now"})
    deals, contacts, acts, links, pays = [], [], [], [], []
    for i in range(n):
        deals.append({"opportunity_id": f"AO{i}", "customer_id": f"A{i}", "owner": "Ann", "stage": "Qualify",
                      "status": "Open", "amount": 100 + i, "created": date(2026, 10, 1)})
        deals.append({"opportunity_id": f"AW{i}", "customer_id": f"A{i}", "owner": "Ann", "stage": "Close",
                      "status": "Won", "amount": 50, "created": date(2026, 9, 1), "closed_date": date(2026, 10, 1)})
        contacts.append({"contact_id": f"AP{i}", "customer_id": f"A{i}", "name": f"Person {i}"})
        links.append({"opportunity_id": f"AO{i}", "contact_id": f"AP{i}", "role": "User"})
        acts.append({"date": date(2026, 11, 1), "customer_id": f"A{i}", "opportunity_id": f"AO{i}", "owner": "Ann",
                     "type": "Call"})
        pays.append({"payment_id": f"AY{i}", "opportunity_id": f"AW{i}", "customer_id": f"A{i}",
                     "due_date": date(2026, 12, 1), "amount_due": 50})
    deals.append({"opportunity_id": "AK", "customer_id": "A-KEEP", "owner": "Annette", "stage": "Qualify",
                  "status": "Open", "amount": 7, "created": date(2026, 10, 1)})
    return {"customers": pd.DataFrame(customers), "opportunities": pd.DataFrame(deals),
            "contacts": pd.DataFrame(contacts), "activities": pd.DataFrame(acts),
            "deal_contacts": pd.DataFrame(links), "payments": pd.DataFrame(pays)}


def bob_frames() -> dict:
    return {"customers": pd.DataFrame([{"customer_id": "B1", "name": "Bob Co", "owner": "Bob", "need": "Now"}]),
            "opportunities": pd.DataFrame([{"opportunity_id": "BO1", "customer_id": "B1", "owner": "Bob",
                                            "stage": "Qualify", "status": "Open", "amount": 9,
                                            "created": date(2026, 10, 1)}])}


# ---- a folder of rep workbooks: the same rows split across files

TEAM_DAY = date(2026, 11, 20)
TEAM_MONTH = "2026-11"


def write_team_book(path: Path, frames: dict) -> Path:
    """A standard English workbook of the frames, evaluated at TEAM_DAY."""
    return write_standard_workbook(path, frames, lang="en", as_of=AsOf(TEAM_DAY), backup=False)


def _split_rows(frames: dict, assign) -> dict[str, dict]:
    """Each sheet's rows given to the file assign(key, row) names."""
    books: dict[str, dict] = {}
    for key, frame in frames.items():
        names = [assign(key, row) for row in frame.to_dict("records")]
        for name in set(names):
            books.setdefault(name, {})[key] = frame[[n == name for n in names]].reset_index(drop=True)
    return books


def team_folder(tmp: Path, frames: dict, assign) -> Path:
    """A folder holding one workbook per name assign(key, row) gives a row."""
    tmp.mkdir(parents=True)
    for name, part in _split_rows(frames, assign).items():
        write_team_book(tmp / f"{name}.xlsx", part)
    return tmp


def kpi_rows(path: Path) -> list[list]:
    """The KPIs sheet's rows, sums rounded (rows added in another order differ in the last bit)."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("KPIs").to_python()
    return sorted(([round(v, 6) if isinstance(v, float) else v for v in row] for row in rows[1:]), key=repr)


def round_robin(files: int):
    """An assign for team_folder: rows dealt to book0, book1, ... in turn."""
    counter = iter(range(10 ** 9))
    return lambda key, row: f"book{next(counter) % files}"


# ---- the buttons' small CRM, as the in-memory stand-in of an open workbook holds it

LIVE_AS_OF = date(2025, 6, 30)
_LIVE_CUSTOMERS = ["customer_id", "name", "owner", "need", "expected_close", "last_contact", "next_action_date",
                   "next_close", "touch_count", "revenue_12m", "tier"]
_LIVE_DEALS = ["opportunity_id", "customer_id", "stage", "status", "amount", "expected_close", "closed_date",
               "touch_count"]
# and every other column refresh writes, as a workbook made by the current init has them
_LIVE_CUSTOMERS += [k for k in schema.CUSTOMERS.refreshed if k not in _LIVE_CUSTOMERS]
_LIVE_DEALS += [k for k in schema.OPPORTUNITIES.refreshed if k not in _LIVE_DEALS]
_LIVE_ACTIVITIES = ["date", "customer_id", "owner", "type", "summary", "next_date"]


def _live_header(spec, keys, lang="en"):
    return [spec.column(k).header(lang) for k in keys]


def _live_settings_rows(as_of=LIVE_AS_OF, lang="en"):
    cells, _ = settings_sheet.layout(lang=lang, as_of=as_of)
    rows = [[None] * 5 for _ in range(max(c.row for c in cells))]
    for cell in cells:
        rows[cell.row - 1][cell.col] = cell.value
    return rows


def live_sheets(as_of=LIVE_AS_OF, lang="en", fixed=True):
    """A small CRM: Ann's C1 is overdue, C2 has had no contact, Bob's C3 is fine; C9 has no owner.

    Dates are relative to as_of; the Settings AsOf cell holds it when fixed, else =TODAY().
    """
    d = lambda days: datetime.combine(as_of + timedelta(days=days), datetime.min.time())  # noqa: E731
    customers = [
        ["C1", "Acme", "Ann", "Now", d(10), d(-5), None, None, None, None, None],
        ["C2", "Beta", "Ann", "Future", None, None, None, None, None, None, None],
        ["C3", "Core", "Bob", "None", None, d(-1), d(30), None, None, None, None],
        ["C9", "Zeta", None, "现有需求", d(100), d(-400), None, None, None, None, None],
    ]
    opportunities = [
        ["O1", "C1", "Develop", "Open", 1000.0, d(20), None, None],
        ["O2", "C1", "Close", "Won", 5000.0, None, d(-30), None],
        ["O3", "C3", "Qualify", "赢单", 100.0, None, d(-10), None],
    ]
    activities = [[d(-2), "C1", "Ann", "Call", "Called", None], [d(-3), "C1", "Ann", "Visit", "Met", None],
                  [d(5), "C3", "Bob", "Call", "Future call", None]]
    return {
        schema.SETTINGS_NAME(lang): _live_settings_rows(as_of if fixed else None, lang),
        "Notes": [["My own notes"]],
        schema.CUSTOMERS.name(lang): [["Customers of the team"], _live_header(schema.CUSTOMERS, _LIVE_CUSTOMERS, lang),
                                      *customers],
        schema.OPPORTUNITIES.name(lang): [_live_header(schema.OPPORTUNITIES, _LIVE_DEALS, lang), *opportunities],
        schema.ACTIVITIES.name(lang): [_live_header(schema.ACTIVITIES, _LIVE_ACTIVITIES, lang), *activities],
    }


def live_column(book, sheet, key, spec=schema.CUSTOMERS, header_row=2, lang="en"):
    """A column's values below its header, as the live book holds them."""
    rows = book.rows(sheet)
    j = rows[header_row - 1].index(spec.column(key).header(lang))
    return [r[j] for r in rows[header_row:]]
