"""`xl-crm excel-setup` writes only the xlwings.conf keys that have a value.

The classic add-in reads the sheet from A1 down to the first blank key and
takes a key it finds, even with a blank value, over its own setting: an
empty Interpreter_Win row would override the interpreter set in the add-in.
"""

from pathlib import Path

import xlsxwriter
from helpers import xl_crm
from python_calamine import CalamineWorkbook

from xl_crm.excel.setup import NOT_SET, add_xlwings_conf


def conf_rows(path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name("xlwings.conf").to_python(skip_empty_area=False)


def keys_the_addin_reads(path) -> dict:
    """What xlwings' GetConfigFromSheet reads: column A from A1 down to the first blank, with column B."""
    read = {}
    for row in conf_rows(path):
        if row[0] in ("", None):
            break
        read[row[0]] = row[1] if len(row) > 1 else ""
    return read


def workbook(path, conf_rows=()) -> Path:
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("Data").write("A1", "keep me")
    if conf_rows:
        sheet = book.add_worksheet("xlwings.conf")
        for i, row in enumerate(conf_rows):
            sheet.write_row(i, 0, row)
    book.close()
    return path


def test_without_an_interpreter_no_interpreter_key_is_read(tmp_path):
    path = workbook(tmp_path / "crm.xlsx")
    run = xl_crm("excel-setup", path, "--no-backup")
    assert run.exit_code == 0, run.output
    assert "add-in's Interpreter setting applies" in run.stdout
    read = keys_the_addin_reads(path)
    assert read == {"UDF Modules": "xl_crm.excel.udfs", "Debug UDFs": False, "Use UDF Server": False,
                    "Show Console": False}
    listed = [row[0] for row in conf_rows(path)[len(read) + 1:]]  # below the blank row, for the user to read
    assert listed == [NOT_SET + key for key in ("Interpreter_Win", "Interpreter_Mac", "PYTHONPATH")]


def test_given_interpreter_is_written_and_a_blank_one_left_by_an_earlier_run_is_dropped(tmp_path):
    path = workbook(tmp_path / "crm.xlsx", [["LICENSE_KEY", "abc"], ["Interpreter_Win", ""], ["PYTHONPATH", ""],
                                             ["Show Console", True]])
    add_xlwings_conf(path, backup=False)
    read = keys_the_addin_reads(path)
    assert "Interpreter_Win" not in read and "PYTHONPATH" not in read
    assert read["LICENSE_KEY"] == "abc" and read["Show Console"] is True
    add_xlwings_conf(path, interpreter_win=r"C:\crm\.venv\Scripts\python.exe", backup=False)
    read = keys_the_addin_reads(path)
    assert read["Interpreter_Win"] == r"C:\crm\.venv\Scripts\python.exe"
    assert list(read)[:2] == ["LICENSE_KEY", "Show Console"]
    assert all(value not in ("", None) for value in read.values())
    assert CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data").to_python() == [["keep me"]]
