"""Registration with the classic xlwings add-in, checked on Linux.

xlwings writes a VBA wrapper per function when the add-in imports the UDF
module; with the pywin32 modules stubbed, its own generator runs here.
"""

import importlib.util
import io
import re
import sys
import types

import helpers
import pytest
import xlwings as xw

import xl_crm.excel.udfs

EXPECTED = {
    "crm_grade": "need, expected_close, Optional next_close, Optional as_of, Optional settings",
    "crm_cadence": "grade, Optional tier, Optional settings",
    "crm_next_due": "last_contact, cadence_days, Optional next_action_date, Optional as_of, Optional settings",
    "crm_followup_status": "last_contact, next_action_date, next_due, Optional as_of, Optional settings",
    "crm_probability": "stage, status, Optional settings",
    "crm_weighted": "amount, probability",
    "crm_opening": "territory, lead",
    "crm_opening_play": "letter, Optional settings",
    "crm_value_class": "short_term_score, long_term_score, Optional settings",
    "crm_bant": "need, budget, authority, timeline",
    "crm_tier": "revenues, Optional settings",
    "crm_funnel": "stages, statuses, Optional amounts, Optional settings",
    "crm_forecast": "forecast_category, status, stage, Optional settings",
    "crm_outstanding": "amount_due, Optional amount_received",
    "crm_days_late": "outstanding, due_date, Optional as_of, Optional settings",
    "crm_aging": "days_late, Optional settings",
    "crm_map_warnings": "roles, attitudes, levels, coaches, departments, Optional stage, Optional settings",
    "crm_play": "territory, lead, Optional settings",
}


@pytest.fixture
def registered(monkeypatch):
    """xl_crm.excel.udfs loaded as the Windows add-in loads it: with xlwings' real decorators."""
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda *a, **k: None
    win32com = types.ModuleType("win32com")
    win32com.client = client
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None
    for name, module in {"pythoncom": pythoncom, "pywintypes": types.ModuleType("pywintypes"),
                         "win32com": win32com, "win32com.client": client}.items():
        monkeypatch.setitem(sys.modules, name, module)
    before = sys.modules.pop("xlwings.udfs", None)
    udfs = importlib.import_module("xlwings.udfs")
    monkeypatch.setattr(xw, "udfs", udfs, raising=False)
    monkeypatch.setattr(xw, "func", udfs.xlfunc)
    monkeypatch.setattr(xw, "arg", udfs.xlarg)
    monkeypatch.setattr(xw, "ret", udfs.xlret)
    spec = importlib.util.spec_from_file_location("xl_crm.excel.udfs", xl_crm.excel.udfs.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield udfs, module
    sys.modules.pop("xlwings.udfs")  # it was imported against the stubs
    if before is not None:
        sys.modules["xlwings.udfs"] = before


def test_every_function_gets_a_vba_wrapper(registered):
    udfs, module = registered
    buffer = io.StringIO()
    udfs.generate_vba_wrapper("xl_crm.excel.udfs", module, buffer, types.SimpleNamespace(Name="crm.xlsm"))
    vba = buffer.getvalue()
    signatures = dict(re.findall(r"^Function (crm_\w+)\((.*)\)$", vba, re.MULTILINE))
    assert signatures == EXPECTED
    for name in EXPECTED:
        assert f'XLPy.CallUDF("xl_crm.excel.udfs", "{name}", ' in vba


def test_category_and_wizard_docs(registered):
    _, module = registered
    for function in module.FUNCTIONS:
        info = function.__xlfunc__
        assert info["category"] == "xl_crm"
        assert info["ret"]["doc"] == function.__doc__ and function.__doc__
        for arg in info["args"]:
            assert not arg["doc"].startswith("Positional argument"), (info["name"], arg["name"])
            assert arg["options"].get("ndim") == 2


def test_module_imports_plainly_on_linux():
    """Outside Windows xw.func is a pass-through: the functions are plain Python."""
    assert not hasattr(xl_crm.excel.udfs.crm_grade, "__xlfunc__")
    assert {f.__name__ for f in xl_crm.excel.udfs.FUNCTIONS} == set(EXPECTED)


def _conf(path):
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name("xlwings.conf").to_python()
    return book.sheet_names, {r[0]: r[1] for r in rows if r[0]}


def test_excel_setup_adds_the_conf_sheet_and_keeps_the_rest(tmp_path):
    import xlsxwriter

    path = tmp_path / "crm.xlsx"
    book = xlsxwriter.Workbook(path)
    mine = book.add_worksheet("Mine")
    mine.write("A1", "keep me")
    mine.insert_button("C3", {"macro": "CrmRefresh", "caption": "Refresh"})
    conf = book.add_worksheet("xlwings.conf")
    conf.write_row(0, 0, ["LICENSE_KEY", "abc"])
    conf.write_row(1, 0, ["UDF Modules", "old_module"])
    book.close()
    run = helpers.xl_crm("excel-setup", path, "--interpreter-win", r"C:\py\python.exe", "--no-backup")
    assert run.exit_code == 0, run.output
    names, settings = _conf(path)
    assert names == ["Mine", "xlwings.conf"]
    assert settings["UDF Modules"] == "xl_crm.excel.udfs"
    assert settings["LICENSE_KEY"] == "abc"
    assert settings["Interpreter_Win"] == r"C:\py\python.exe"
    assert settings["Use UDF Server"] is False
    import zipfile

    with zipfile.ZipFile(path) as z:
        assert any(n.startswith("xl/drawings/vmlDrawing") for n in z.namelist())  # the button is still there


def test_excel_setup_refuses_a_missing_workbook_in_one_line(tmp_path):
    run = helpers.xl_crm("excel-setup", tmp_path / "missing.xlsx")
    assert run.exit_code == 2 and run.stderr.count("\n") == 1 and "missing.xlsx" in run.stderr
