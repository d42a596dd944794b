"""Atomic saving: a killed process leaves the old workbook or the new one, never half of one.

The new content goes to a temporary file in the same folder (so the final
rename never crosses file systems), is flushed and fsync'ed, then replaces
the target with os.replace. The previous version is kept as NAME.bak
(`book.xlsx` -> `book.xlsx.bak`) unless backup=False. A workbook that
Excel (`~$book.xlsx`) or LibreOffice (`.~lock.book.xlsx#`) holds open is
refused before anything is written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable

from .errors import PackageError

TEMP_SUFFIX = ".xlcrm-tmp"


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def lock_files(path: Path) -> list[Path]:
    """The lock files Excel and LibreOffice keep next to an open workbook."""
    names = [f"~${path.name}", f".~lock.{path.name}#"]
    if len(path.name) > 2:
        names.append(f"~${path.name[2:]}")  # Excel shortens the lock name of long file names
    return [path.with_name(n) for n in names]


def refuse_if_open(path: Path) -> None:
    for lock in lock_files(path):
        if lock.exists():
            raise PackageError(f"{path}: the workbook is open in a spreadsheet program ({lock.name} exists); "
                             "close it and try again")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_stale_temps(path: Path) -> None:
    """Temporary files a killed earlier save left next to this workbook."""
    for stale in path.parent.glob(f".{path.name}.*{TEMP_SUFFIX}"):
        stale.unlink(missing_ok=True)


def _keep_backup(path: Path) -> None:
    """Replace NAME.bak atomically with the current file (a hard link when possible, else a copy).

    A save killed after this step leaves NAME.bak a hard link of the workbook;
    it already holds the current file then, and renaming a second link over it
    would do nothing and leave the staging link behind.
    """
    bak = backup_path(path)
    if bak.exists() and os.path.samefile(path, bak):
        return
    staging = path.with_name(f".{path.name}.bak{TEMP_SUFFIX}")
    staging.unlink(missing_ok=True)
    try:
        os.link(path, staging)
    except OSError:
        shutil.copy2(path, staging)
    os.replace(staging, bak)


def _install(temp: Path, path: Path, backup: bool) -> None:
    """The last step of every save: keep NAME.bak, then atomically rename temp over path."""
    if path.exists():
        os.chmod(temp, path.stat().st_mode & 0o777)
        if backup:
            _keep_backup(path)
    else:
        os.chmod(temp, 0o666 & ~_umask())
    os.replace(temp, path)
    _fsync_dir(path.parent)


def atomic_write(path: str | Path, write: Callable[[BinaryIO], None], backup: bool = True) -> Path:
    """Call write(stream) into a temporary file, then atomically put it at path."""
    path = Path(path)
    refuse_if_open(path)
    if not path.parent.is_dir():
        raise PackageError(f"{path}: the folder {path.parent} does not exist")
    _remove_stale_temps(path)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        _install(Path(temp), path, backup)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def replace_file(temp: str | Path, path: str | Path, backup: bool = True) -> Path:
    """Atomically put an already written file (in path's folder) at path, with the same checks and backup."""
    temp, path = Path(temp), Path(path)
    refuse_if_open(path)
    with open(temp, "rb+") as stream:
        os.fsync(stream.fileno())
    _install(temp, path, backup)
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
