"""Which files of a folder (or of the paths given) are the team's workbooks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..errors import XlCrmError
from .journal import recover

BOOK_SUFFIXES = (".xlsx", ".xlsm")
TEAM_NAMES = ("team.xlsx", "团队.xlsx")  # the team workbook, also any workbook holding only Settings/Targets


@dataclass
class Folder:
    """The candidate workbooks in a stable order, and a note per file skipped."""

    books: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    root: Path | None = None  # the folder given (journals of a handover live there)


def as_paths(source) -> list[Path]:
    """A path, a folder or several paths, as a list of paths."""
    if isinstance(source, (str, Path)):
        return [Path(source)]
    return [Path(p) for p in source]


def is_team(source) -> bool:
    """True for a folder or more than one path: the data set is a team's."""
    paths = as_paths(source)
    return len(paths) != 1 or paths[0].is_dir()


def _skip_reason(path: Path) -> str | None:
    name = path.name
    if name.startswith("~$"):
        return "an Excel lock file"
    if name.endswith(".bak") or ".bak" in path.suffixes:
        return "a backup"
    if name.startswith(".") or name.startswith(".xl-crm-"):
        return "a hidden or temporary file"
    if path.suffix.lower() not in BOOK_SUFFIXES:
        return "not an Excel workbook"
    return None


def scan(source: Iterable | str | Path) -> Folder:
    """The workbooks of a folder (not its subfolders) or of the paths given; others skipped with a note."""
    paths = as_paths(source)
    folder = Folder(root=paths[0] if len(paths) == 1 and paths[0].is_dir() else None)
    for parent in dict.fromkeys(p if p.is_dir() else p.parent for p in paths if p.exists()):
        folder.notes += recover(parent)  # a handover a kill interrupted: finished or undone first
    listed = []
    for path in paths:
        if path.is_dir():
            listed += sorted(p for p in path.iterdir() if p.is_file())
        elif path.exists():
            listed.append(path)
        else:
            raise XlCrmError(f"{path}: no such file or folder")
    for path in dict.fromkeys(listed):
        reason = _skip_reason(path)
        if reason is None:
            folder.books.append(path)
        elif path.suffix.lower() in BOOK_SUFFIXES or path.name.endswith(".bak"):
            folder.notes.append(f"{path}: skipped ({reason})")
    if not folder.books:
        raise XlCrmError(f"{', '.join(map(str, paths))}: no workbook found")
    return folder


def first_book(source) -> Path:
    """The first workbook of a team (its language speaks for refusals before anything is read)."""
    return scan(source).books[0] if is_team(source) else as_paths(source)[0]
