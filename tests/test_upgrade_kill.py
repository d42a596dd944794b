"""`xl-crm upgrade` of a 30,000-row workbook killed with SIGKILL at random moments.

After every kill the workbook opens and is byte for byte either the old
file or the upgraded one; temporary files a kill leaves behind are gone
after the next successful run. Kills land at seeded random moments: some
while the workbook is read and computed, most while the new file is being
written, synced and renamed (from the moment its temporary file appears).
"""

from __future__ import annotations

import random
import shutil
import subprocess
import zipfile

from fixtures_book import big_workbook
from helpers import kill_at, xl_crm_argv
from python_calamine import CalamineWorkbook

from xl_crm.ooxml.save import TEMP_SUFFIX

ROWS = 30_000
# (what starts the clock, seconds after it): the start of the process, or the temporary file appearing
# (writing the new file takes a few tenths of a second; the first temp kill always lands inside it)
KILLS = [("start", random.Random(1).uniform(0.5, 3.0)), ("start", random.Random(2).uniform(0.5, 3.0)),
         ("temp", 0.0)] + [("temp", random.Random(seed).uniform(0.0, 0.4)) for seed in range(3, 7)]


def upgrade(path) -> subprocess.Popen:
    return subprocess.Popen(xl_crm_argv("upgrade", path, module=True), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def temp_files(folder) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX)]



def opens(path) -> None:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def test_a_killed_upgrade_leaves_the_old_or_the_new_workbook(tmp_path):
    original = big_workbook(tmp_path / "original.xlsx", ROWS).read_bytes()
    results, leftovers = [], None
    for i, (trigger, delay) in enumerate(KILLS):
        folder = tmp_path / f"run{i}"
        folder.mkdir()
        book = folder / "book.xlsx"
        book.write_bytes(original)
        kill_at(upgrade(book), (lambda: temp_files(folder)) if trigger == "temp" else None, delay)
        opens(book)
        results.append(book.read_bytes())
        if temp_files(folder):
            leftovers = folder
    assert leftovers is not None, "no kill landed while the new file was being written"
    book = leftovers / "book.xlsx"
    shutil.copyfile(tmp_path / "original.xlsx", book)
    done = upgrade(book)
    assert done.wait() == 0, done.stderr.read().decode()
    left = sorted(p.name for p in leftovers.iterdir())
    assert left == ["book.xlsx", "book.xlsx.bak"], left
    upgraded = book.read_bytes()
    assert upgraded != original
    states = ["old" if r == original else "new" if r == upgraded else "other" for r in results]
    assert "other" not in states and "old" in states, list(zip(KILLS, states))
