"""Register xl_crm with the classic xlwings add-in: the workbook's `xlwings.conf` sheet.

The add-in reads keys from column A and values from column B of that sheet,
from A1 down to the first blank key, and a key it finds wins over the
add-in's own setting even when its value is blank: so only keys with a
value are written there (Interpreter_Win only when one is given), and the
others are listed, with what they do, below a blank row where the add-in
does not look. Keys already there with a value (a licence key, a Conda
path) are kept; the ones set here are replaced. The sheet is written into
the package losslessly, so buttons, macros and formats elsewhere stay.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import xlsxwriter

from ..errors import XlCrmError
from ..ooxml.package import Package

CONF_SHEET = "xlwings.conf"
UDF_MODULE = "xl_crm.excel.udfs"
HINTS = {
    "Interpreter_Win": "python.exe of the environment where xl_crm is installed, e.g. "
                       r"%USERPROFILE%\xl_crm\.venv\Scripts\python.exe",
    "Interpreter_Mac": "python of that environment on a Mac, e.g. $HOME/xl_crm/.venv/bin/python",
    "PYTHONPATH": "Extra folders to import from",
    "UDF Modules": "The module with the =CRM_... functions; click Import Functions after a change",
    "Debug UDFs": "TRUE to run the functions from a Python debugger instead",
    "Use UDF Server": "TRUE to run the buttons' macros in the functions' Python process (faster start)",
    "Show Console": "TRUE to show Python's console window (Windows)",
}


NOT_SET = "Not set here (the add-in's own setting applies): "


def _existing(path: Path) -> dict[str, object]:
    """Keys and values of a workbook's xlwings.conf sheet, in order, those with a value; empty when absent."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    if CONF_SHEET not in book.sheet_names:
        return {}
    conf = {}
    for row in book.get_sheet_by_name(CONF_SHEET).to_python(skip_empty_area=False):
        if not row or row[0] in ("", None):
            break
        if len(row) > 1 and row[1] not in ("", None):
            conf[str(row[0])] = row[1]
    return conf


def add_xlwings_conf(path: str | Path, *, interpreter_win: str | None = None, interpreter_mac: str | None = None,
                     pythonpath: str | None = None, backup: bool = True) -> dict[str, object]:
    """Add or update the xlwings.conf sheet so the add-in imports xl_crm.excel.udfs; returns the settings."""
    path = Path(path)
    if not path.is_file():
        raise XlCrmError(f"{path}: no such workbook")
    with Package.open(path) as package:
        conf = _existing(path)
        given = {"Interpreter_Win": interpreter_win, "Interpreter_Mac": interpreter_mac, "PYTHONPATH": pythonpath}
        conf |= {key: value for key, value in given.items() if value}
        conf["UDF Modules"] = UDF_MODULE
        for flag in ("Debug UDFs", "Use UDF Server", "Show Console"):
            conf.setdefault(flag, False)
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "conf.xlsx"
            book = xlsxwriter.Workbook(source, {"strings_to_numbers": False, "strings_to_formulas": False})
            sheet = book.add_worksheet(CONF_SHEET)
            note = book.add_format({"italic": True, "font_color": "#808080"})
            for i, (key, value) in enumerate(conf.items()):
                sheet.write_string(i, 0, key)
                sheet.write(i, 1, value)
                if key in HINTS:
                    sheet.write_string(i, 2, HINTS[key], note)
            unset = [key for key in HINTS if key not in conf]
            for i, key in enumerate(unset, len(conf) + 1):  # after a blank row: the add-in reads no further
                sheet.write_string(i, 0, NOT_SET + key, note)
                sheet.write_string(i, 2, HINTS[key], note)
            sheet.set_column(0, 0, 18)
            sheet.set_column(1, 1, 40)
            book.close()
            package.put_sheet(CONF_SHEET, source, CONF_SHEET)
        package.save(backup=backup)
    return conf
