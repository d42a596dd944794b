"""The shared-string table states true counts after every edit: refresh, upgrade, import, cell edits.

`count` is how many cells of all sheets refer to a shared string and
`uniqueCount` how many strings the table holds; both are counted here again
with an XML parser, independently of the editor.
"""

from __future__ import annotations

import csv
import zipfile
from datetime import date, timedelta

from defusedxml import ElementTree
from fixtures_book import rich_workbook

from xl_crm.adopt.upgrade import upgrade_workbook
from xl_crm.commands.workbook import import_files, init_workbook, refresh_workbook
from xl_crm.ooxml.package import Package

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
AS_OF = date(2026, 11, 23)


def counts(path) -> tuple[tuple[int, int], tuple[int, int]]:
    """((count, uniqueCount) as the table states them, (references, strings) as the package holds them)."""
    with zipfile.ZipFile(path) as package:
        table = ElementTree.fromstring(package.read("xl/sharedStrings.xml"))
        used = 0
        for name in package.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                sheet = ElementTree.fromstring(package.read(name))
                used += sum(cell.get("t") == "s" for cell in sheet.iter(f"{MAIN}c"))
    return (int(table.get("count")), int(table.get("uniqueCount"))), (used, len(table.findall(f"{MAIN}si")))


def test_overwriting_cells_that_refer_to_shared_strings_lowers_the_count(tmp_path):
    book = rich_workbook(tmp_path / "book.xlsx")
    stated, used = counts(book)
    assert stated == used
    with Package.open(book) as pkg:
        pkg.set_cells("Customers", {(2, 1): 42, (3, 1): "inline now", (4, 2): None})
        pkg.save()
    stated_after, used_after = counts(book)
    assert used_after[0] == used[0] - 3 and used_after[1] == used[1]
    assert stated_after == used_after


def test_a_stale_count_is_set_right_by_the_next_edit(tmp_path):
    book = rich_workbook(tmp_path / "book.xlsx")
    with Package.open(book) as pkg:
        table = pkg.read("xl/sharedStrings.xml")
        pkg.write("xl/sharedStrings.xml", table.replace(b'count="', b'count="9', 1))
        pkg.save()
    stated, used = counts(book)
    assert stated != used
    with Package.open(book) as pkg:
        pkg.set_cells("My notes", {(5, 0): 1})
        pkg.save()
    stated, used = counts(book)
    assert stated == used


def test_an_edit_that_leaves_every_sheet_alone_leaves_the_table_alone(tmp_path):
    book = rich_workbook(tmp_path / "book.xlsx")
    before = zipfile.ZipFile(book).read("xl/sharedStrings.xml")
    with Package.open(book) as pkg:
        pkg.set_defined_name("Extra", "Customers!$A$1")
        pkg.save()
    assert zipfile.ZipFile(book).read("xl/sharedStrings.xml") == before


def write_customers(folder, rows):
    folder.mkdir(exist_ok=True)
    with open(folder / "customers.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["customer_id", "name", "owner", "need", "last_contact"], *rows])
    return folder


def test_refresh_states_true_counts(tmp_path):
    rows = [[f"C{i}", f"Customer {i}", f"Rep {i % 3}", ("Now", "Future", "None")[i % 3],
             (AS_OF - timedelta(days=7 * i)).isoformat()] for i in range(1, 40)]
    book = tmp_path / "crm.xlsx"
    init_workbook(book, data_dir=write_customers(tmp_path / "data", rows), as_of=AS_OF)
    stated, used = counts(book)
    assert stated[0] == used[0]
    refresh_workbook(book, as_of=AS_OF + timedelta(days=90))  # tiers and statuses move: text cells rewritten
    stated_after, used_after = counts(book)
    assert used_after[0] != used[0]
    assert stated_after == used_after


def test_upgrade_states_true_counts(tmp_path):
    book = rich_workbook(tmp_path / "book.xlsx")
    upgrade_workbook(book, as_of=AS_OF, backup=False)
    stated, used = counts(book)
    assert stated == used


def test_import_into_a_workbook_states_true_counts(tmp_path):
    book = tmp_path / "crm.xlsx"
    init_workbook(book, data_dir=write_customers(tmp_path / "data", [["C1", "Acme", "Ann", "Now", ""]]),
                  as_of=AS_OF)
    source = tmp_path / "more.csv"
    source.write_text("Customer ID,Name,Owner\nC1,Acme Renamed,Bob\nC2,Globex,Ann\n", encoding="utf-8")
    summary = import_files([source], book, on_duplicate="update")
    assert (summary.added, summary.updated) == (1, 1)
    stated, used = counts(book)
    assert stated == used
