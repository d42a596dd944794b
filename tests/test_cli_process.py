"""The installed `xl-crm` entry point and `python -m xl_crm` run as processes of their own.

Every other CLI test runs the command in process (helpers.xl_crm); these
check what only a real process shows: the program starts, and its exit
code and one-line refusal reach the shell.
"""

import pytest
from helpers import xl_crm_process

from xl_crm import __version__

HOW = {"entry point": False, "python -m": True}


@pytest.mark.parametrize("module", HOW.values(), ids=list(HOW))
def test_version(module):
    done = xl_crm_process("--version", module=module)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"xl-crm {__version__}"


@pytest.mark.parametrize("module", HOW.values(), ids=list(HOW))
def test_a_refusal_is_exit_code_2_and_one_line_on_stderr(tmp_path, module):
    bogus = tmp_path / "notes.xlsx"
    bogus.write_text("not a workbook")
    done = xl_crm_process("check", bogus, module=module)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "notes.xlsx" in done.stderr
    assert "Traceback" not in done.stderr
