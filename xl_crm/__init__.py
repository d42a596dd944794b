"""xl_crm: a lightweight CRM inside the Excel workbook a sales rep already uses.

The library calls behind the `xl-crm` commands (each command is one of them):

    init_workbook, refresh_workbook, check_workbook, upgrade_workbook,
    import_files, write_reports, build_demo

and the pieces they share: `AsOf` (the evaluation date), `read_workbook`,
`XlCrmError`; `xl_crm.compute.step.compute` is the one compute step. They are imported when
first used, so `import xl_crm` (and the xlwings functions in Excel) stay
quick.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("xl_crm")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"

_EXPORTS = {
    "init_workbook": "xl_crm.commands.workbook",
    "refresh_workbook": "xl_crm.commands.workbook",
    "check_workbook": "xl_crm.commands.check",
    "build_demo": "xl_crm.commands.demo",
    "upgrade_workbook": "xl_crm.adopt.upgrade",
    "import_files": "xl_crm.commands.workbook",
    "write_reports": "xl_crm.reports",
    "read_workbook": "xl_crm.sheets.read",
    "AsOf": "xl_crm.model.asof",
    "XlCrmError": "xl_crm.errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'xl_crm' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
