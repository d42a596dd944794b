"""Shared fixtures: recalculating a workbook with LibreOffice and reading sheets back."""

from __future__ import annotations

import pytest
from python_calamine import CalamineWorkbook

from xl_crm.ooxml import soffice
from xl_crm.errors import XlCrmError


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
def sheet_rows():
    """Every row of a sheet as calamine reads it ("" for empty cells)."""

    def read(path, name: str) -> list[list]:
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python(skip_empty_area=False)

    return read
