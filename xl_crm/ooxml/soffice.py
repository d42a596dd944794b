"""LibreOffice headless: recalculate a workbook or print it, with a private profile.

The profile tells Calc to recalculate xlsx formulas on load, so a converted
copy holds values a real spreadsheet engine computed (parity tests, PDF
reports). Each call gets its own throw-away profile, so parallel runs and a
user's own LibreOffice never share state.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import PackageError

CANDIDATES = ("soffice", "libreoffice", "/usr/lib/libreoffice/program/soffice",
              "/Applications/LibreOffice.app/Contents/MacOS/soffice",
              r"C:\Program Files\LibreOffice\program\soffice.exe")
# Formula/Load recalculation modes: 0 = always recalculate, 1 = never, 2 = ask.
_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
</oor:items>
"""


def find_soffice() -> str:
    """Path of the LibreOffice binary ($XL_CRM_SOFFICE, then PATH, then the usual places)."""
    for candidate in (os.environ.get("XL_CRM_SOFFICE"), *CANDIDATES):
        if not candidate:
            continue
        found = shutil.which(candidate)
        if found:
            return found
    raise PackageError("LibreOffice (soffice) not found: install it (e.g. apt-get install libreoffice-calc-nogui) "
                     "or set XL_CRM_SOFFICE")


def convert(path, to: str, outdir, *, recalc: bool = True, timeout: float = 300) -> Path:
    """Convert `path` to format `to` (xlsx, pdf, csv, ...) in `outdir`; return the new file's path.

    With `recalc`, every formula is recalculated on load before the copy is written.
    """
    path, outdir = Path(path).resolve(), Path(outdir).resolve()
    if not path.is_file():
        raise PackageError(f"{path}: no such file")
    outdir.mkdir(parents=True, exist_ok=True)
    if outdir == path.parent and to == path.suffix.lstrip("."):
        raise PackageError(f"{path}: converting to the same format needs another output folder")
    soffice = find_soffice()
    target = outdir / f"{path.stem}.{to.split(':')[0]}"
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="xl_crm_soffice_") as profile:
        user = Path(profile, "user")
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_PROFILE.format(mode=0 if recalc else 1), encoding="utf-8")
        command = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", to, "--outdir", str(outdir), str(path)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise PackageError(f"{path}: LibreOffice did not finish within {timeout:g} s") from exc
        except OSError as exc:
            raise PackageError(f"{path}: cannot run LibreOffice ({exc})") from exc
    if done.returncode != 0 or not target.is_file():
        detail = (done.stderr or done.stdout).strip().splitlines()
        reason = detail[-1] if detail else "no output"
        raise PackageError(f"{path}: LibreOffice could not convert it to {to} ({reason})")
    return target
