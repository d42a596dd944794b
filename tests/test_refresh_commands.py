"""refresh does not pretend: an up-to-date workbook is not written, a workbook with no CRM table is refused."""

from __future__ import annotations

import os
from datetime import date

import openpyxl
from fixtures_book import rich_workbook
from helpers import xl_crm

from xl_crm.adopt.upgrade import upgrade_workbook

AS_OF = date(2026, 1, 10)


def stamp(path):
    return path.read_bytes(), os.stat(path).st_mtime_ns


def test_a_second_refresh_of_an_upgraded_workbook_leaves_the_file_and_its_backup_alone(tmp_path):
    book = rich_workbook(tmp_path / "book.xlsx", header_row=2)
    upgrade_workbook(book, as_of=AS_OF)
    assert xl_crm("refresh", str(book), check=True)
    before, backup = stamp(book), stamp(book.with_name("book.xlsx.bak"))
    result = xl_crm("refresh", str(book), check=True)
    assert "up to date: nothing written" in result.stdout
    assert stamp(book) == before and stamp(book.with_name("book.xlsx.bak")) == backup


def test_refresh_says_what_check_would_report_and_strict_fails_on_errors(tmp_path):
    book = rich_workbook(tmp_path / "book.xlsx", header_row=2)
    upgrade_workbook(book, as_of=AS_OF)
    result = xl_crm("refresh", str(book), check=True)
    assert "check: " in result.stdout and "errors" in result.stdout
    errors = int(result.stdout.split("check: ")[1].split(" errors")[0])
    assert (xl_crm("refresh", str(book), "--strict").exit_code == 1) == (errors > 0)


def test_a_workbook_with_no_crm_table_is_refused_in_one_line_and_left_as_it_was(tmp_path):
    path = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["foo", "bar"])
    book.active.append([1, 2])
    book.save(path)
    before = stamp(path)
    result = xl_crm("refresh", str(path))
    assert result.exit_code == 2 and "no customer or deal table found" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert stamp(path) == before and not path.with_name("other.xlsx.bak").exists()
