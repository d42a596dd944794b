"""`xl-crm handover` in a team folder killed with SIGKILL at random moments.

After every kill, and the recovery any next command on the folder runs
first, the two workbooks are byte for byte both the old ones or both the
new ones, and no journal or temporary file is left. Kills land at seeded
random moments: while the folder is read and the rows are moved, and from
the moment the first temporary file appears (writing, syncing, the journal,
the two renames).
"""

from __future__ import annotations

import random
import shutil
import subprocess

from helpers import HANDOVER_DAY as DAY
from helpers import ann_frames, bob_frames, kill_at, xl_crm_argv

from xl_crm.commands.workbook import write_standard_workbook
from xl_crm.folder.journal import JOURNAL, TEMP_PREFIX
from xl_crm.folder.scan import scan
from xl_crm.model.asof import AsOf

KILLS = [("start", random.Random(seed).uniform(0.5, 4.0)) for seed in range(3)] + [("temp", 0.0)] + [
    ("temp", random.Random(seed).uniform(0.0, 0.3)) for seed in range(3, 9)]
BOOKS = ("ann.xlsx", "bob.xlsx")


def handover(folder) -> subprocess.Popen:
    return subprocess.Popen(xl_crm_argv("handover", folder, "--from", "Ann", "--to", "Bob", "--as-of", DAY.isoformat(),
                                        module=True), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def leftovers(folder) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX) or p.name == JOURNAL]



def books(folder) -> tuple[bytes, ...]:
    return tuple((folder / name).read_bytes() for name in BOOKS)


def test_a_killed_handover_leaves_both_old_or_both_new_workbooks(tmp_path):
    original = tmp_path / "original"
    original.mkdir()
    write_standard_workbook(original / "ann.xlsx", ann_frames(800), lang="en", as_of=AsOf(DAY), backup=False)
    write_standard_workbook(original / "bob.xlsx", bob_frames(), lang="en", as_of=AsOf(DAY), backup=False)
    old = books(original)
    done = tmp_path / "done"
    shutil.copytree(original, done)
    proc = handover(done)
    assert proc.wait() == 0, proc.stderr.read()
    new = books(done)
    assert new[0] != old[0] and new[1] != old[1]
    outcomes = []
    for i, (trigger, delay) in enumerate(KILLS):
        folder = tmp_path / f"kill{i}"
        shutil.copytree(original, folder)
        kill_at(handover(folder), (lambda: leftovers(folder)) if trigger == "temp" else None, delay)
        left = leftovers(folder)
        scan(folder)  # what every team command runs first: finish or undo
        assert leftovers(folder) == []
        state = books(folder)
        assert state in (old, new), f"kill {i} ({trigger} + {delay:.3f}s, left {left}): one file changed alone"
        outcomes.append("new" if state == new else "old")
    assert "old" in outcomes  # the early kills: nothing was replaced


def test_a_kill_between_the_renames_is_finished_by_the_next_run(tmp_path, monkeypatch):
    """The journal is the point of no return: once written, recovery completes every replacement."""
    from xl_crm.folder import journal

    folder = tmp_path / "team"
    folder.mkdir()
    for name in BOOKS:
        (folder / name).write_bytes(b"old " + name.encode())
    real, renamed = journal.os.replace, []

    def killed_after_one(src, dst):
        if renamed and str(dst).endswith(".xlsx"):
            raise KeyboardInterrupt  # the process dies here
        real(src, dst)
        if str(dst).endswith(".xlsx"):
            renamed.append(dst)

    monkeypatch.setattr(journal.os, "replace", killed_after_one)
    writes = {folder / name: (lambda stream, n=name: stream.write(b"new " + n.encode())) for name in BOOKS}
    try:
        journal.replace_together(writes)
    except KeyboardInterrupt:
        pass
    monkeypatch.setattr(journal.os, "replace", real)
    assert [(folder / n).read_bytes() for n in BOOKS] == [b"new ann.xlsx", b"old bob.xlsx"]
    assert JOURNAL in leftovers(folder)
    notes = journal.recover(folder)
    assert [(folder / n).read_bytes() for n in BOOKS] == [b"new ann.xlsx", b"new bob.xlsx"]
    assert leftovers(folder) == [] and notes


def test_a_failure_before_the_journal_leaves_the_old_files(tmp_path):
    from xl_crm.folder import journal

    folder = tmp_path / "team"
    folder.mkdir()
    for name in BOOKS:
        (folder / name).write_bytes(b"old " + name.encode())

    def broken(stream):
        stream.write(b"half")
        raise OSError("disk full")

    writes = {folder / "ann.xlsx": lambda stream: stream.write(b"new"), folder / "bob.xlsx": broken}
    try:
        journal.replace_together(writes)
    except OSError:
        pass
    assert leftovers(folder)  # the temporaries a dead process would leave
    journal.recover(folder)
    assert [(folder / n).read_bytes() for n in BOOKS] == [b"old ann.xlsx", b"old bob.xlsx"]
    assert leftovers(folder) == []
