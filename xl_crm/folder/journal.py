"""Replacing several workbooks together: after a kill at any moment, all old files or all new ones.

Every new file is written to a temporary file in the same folder and
fsync'ed; only then is the journal written (atomically), naming each
(temporary, workbook) pair; then each workbook is replaced and the journal
removed. `recover` finishes a journal a kill left (its temporaries are
complete) or, with no journal, removes temporaries (the old files stand).
Every team command runs it first, on each folder it reads.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import BinaryIO, Callable

JOURNAL = ".xl-crm-handover.json"
TEMP_PREFIX = ".xl-crm-new-"


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_synced(path: Path, write: Callable[[BinaryIO], None]) -> None:
    with open(path, "wb") as stream:
        write(stream)
        stream.flush()
        os.fsync(stream.fileno())


def recover(folder: Path) -> list[str]:
    """Finish or undo what a killed replacement left in the folder; a note per thing done."""
    journal, notes = folder / JOURNAL, []
    if journal.exists():
        try:
            pairs = json.loads(journal.read_text(encoding="utf-8"))["pairs"]
        except (ValueError, KeyError):  # a journal is written complete or not at all: never half
            pairs = []
        for temp, target in pairs:
            if (folder / temp).exists():
                os.replace(folder / temp, folder / target)
                notes.append(f"{folder / target}: finished the handover an earlier run left")
        _fsync_dir(folder)
        journal.unlink()
    for stale in folder.glob(f"{TEMP_PREFIX}*"):
        stale.unlink()
        notes.append(f"{folder}: removed {stale.name}, left by an interrupted handover (the workbooks are as before)")
    return notes


def replace_together(writes: dict[Path, Callable[[BinaryIO], None]]) -> None:
    """Write each workbook's new content, then replace them all, or none (see recover)."""
    folders = {path.parent for path in writes}
    if len(folders) != 1:
        raise ValueError("workbooks replaced together must share a folder")
    folder = folders.pop()
    pairs = []
    for i, (path, write) in enumerate(writes.items()):
        temp = folder / f"{TEMP_PREFIX}{i}-{path.name}"
        _write_synced(temp, write)
        pairs.append((temp.name, path.name))
    staged = folder / f"{TEMP_PREFIX}journal"
    _write_synced(staged, lambda s: s.write(json.dumps({"pairs": pairs}, ensure_ascii=False).encode("utf-8")))
    os.replace(staged, folder / JOURNAL)
    _fsync_dir(folder)
    for temp, target in pairs:
        os.replace(folder / temp, folder / target)
    _fsync_dir(folder)
    (folder / JOURNAL).unlink()
    _fsync_dir(folder)
