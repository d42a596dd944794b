"""Print report workbooks to PDF with LibreOffice headless, several at a time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..ooxml.soffice import convert


def to_pdf(paths: list[Path], jobs: int = 1) -> list[Path]:
    """A PDF next to each workbook (reports hold values only: no recalculation needed)."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda path: convert(path, "pdf", path.parent, recalc=False), paths))
