"""Shared fixtures: recalculating a workbook with LibreOffice and Gnumeric, reading sheets back, the report data."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from helpers import write_report_workbook
from python_calamine import CalamineWorkbook

from xl_crm.errors import XlCrmError
from xl_crm.ooxml import soffice


@pytest.fixture(scope="session")
def recalc(tmp_path_factory):
    """Recalculate a workbook with LibreOffice; returns the path of the recalculated copy.

    Without LibreOffice the parity tests fail rather than skip: `make test` installs it.
    """
    try:
        soffice.find_soffice()
    except XlCrmError as exc:
        pytest.fail(f"{exc} (make test installs LibreOffice)")
    outdir = tmp_path_factory.mktemp("recalculated")
    return lambda path: soffice.convert(path, "xlsx", outdir)


@pytest.fixture(scope="session")
def gnumeric(tmp_path_factory):
    """Recalculate a workbook with Gnumeric (`ssconvert --recalc`); returns the path of the recalculated copy.

    A second engine, stricter than LibreOffice about array idioms. Without
    it the parity tests fail rather than skip: `make test` installs it.
    """
    ssconvert = shutil.which("ssconvert")
    if ssconvert is None:
        pytest.fail("Gnumeric's ssconvert not found (make test installs gnumeric)")
    outdir = tmp_path_factory.mktemp("gnumeric")

    def run(path) -> Path:
        target = Path(tempfile.mkdtemp(dir=outdir)) / Path(path).name
        done = subprocess.run([ssconvert, "--recalc", str(path), str(target)], check=False, capture_output=True,
                              text=True, timeout=600)
        if done.returncode != 0 or not target.is_file():
            pytest.fail(f"ssconvert could not recalculate {path}: {done.stderr.strip()[-500:]}")
        return target

    return run


@pytest.fixture(scope="session")
def sheet_rows():
    """Every row of a sheet as calamine reads it ("" for empty cells)."""

    def read(path, name: str) -> list[list]:
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python(skip_empty_area=False)

    return read


@pytest.fixture
def report_workbook(tmp_path) -> Path:
    """The small hand-made CRM of the report tests as a standard workbook (English headers)."""
    return write_report_workbook(tmp_path / "crm.xlsx")
