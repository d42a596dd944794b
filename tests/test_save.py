"""Atomic saving: backups, lock files, and a process killed mid-save."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import zipfile

import pytest
from fixtures_book import rich_workbook

from xl_crm.errors import XlCrmError
from xl_crm.ooxml.package import Package
from xl_crm.ooxml.save import atomic_write, backup_path


def test_save_replaces_and_keeps_a_backup(tmp_path):
    target = tmp_path / "book.xlsx"
    target.write_bytes(b"old")
    atomic_write(target, lambda s: s.write(b"new"))
    assert target.read_bytes() == b"new" and backup_path(target).read_bytes() == b"old"
    atomic_write(target, lambda s: s.write(b"newer"), backup=False)
    assert target.read_bytes() == b"newer" and backup_path(target).read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "book.xlsx.bak"]


def test_a_backup_left_as_a_hard_link_of_the_workbook_leaves_no_temp(tmp_path):
    # what a save killed between keeping the backup and installing the new file leaves behind
    target = tmp_path / "book.xlsx"
    target.write_bytes(b"old")
    os.link(target, backup_path(target))
    atomic_write(target, lambda s: s.write(b"new"))
    assert target.read_bytes() == b"new" and backup_path(target).read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "book.xlsx.bak"]


@pytest.mark.parametrize("lock", ["~$book.xlsx", ".~lock.book.xlsx#"])
def test_an_open_workbook_is_not_touched(tmp_path, lock):
    target = tmp_path / "book.xlsx"
    target.write_bytes(b"old")
    (tmp_path / lock).write_bytes(b"")
    with pytest.raises(XlCrmError, match="open in a spreadsheet program"):
        atomic_write(target, lambda s: s.write(b"new"))
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["book.xlsx", lock])


def test_a_failing_writer_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "book.xlsx"
    target.write_bytes(b"old")

    def boom(stream):
        stream.write(b"half")
        raise RuntimeError("disk full")
    with pytest.raises(RuntimeError):
        atomic_write(target, boom)
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


def test_killed_mid_save_leaves_the_old_workbook_and_the_next_save_cleans_up(tmp_path):
    book = rich_workbook(tmp_path / "book.xlsx")
    original = book.read_bytes()
    script = textwrap.dedent(f"""
        import os, signal
        from xl_crm.ooxml.package import Package
        from xl_crm.ooxml import save
        pkg = Package.open({str(book)!r})
        pkg.set_cells("Customers", {{(2, 10): "x"}})
        real = pkg.write_to
        def dying(stream):
            real(stream)
            os.kill(os.getpid(), signal.SIGKILL)
        pkg.write_to = dying
        pkg.save()
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert result.returncode == -signal.SIGKILL
    assert book.read_bytes() == original
    assert any(p.name.endswith(".xlcrm-tmp") for p in tmp_path.iterdir())
    with Package.open(book) as pkg:
        pkg.set_cells("Customers", {(2, 10): "y"})
        pkg.save()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "book.xlsx.bak"]
    assert zipfile.ZipFile(book).testzip() is None
    assert backup_path(book).read_bytes() == original


def test_save_keeps_file_permissions(tmp_path):
    book = rich_workbook(tmp_path / "book.xlsx")
    os.chmod(book, 0o640)
    with Package.open(book) as pkg:
        pkg.set_cells("Customers", {(2, 10): "x"})
        pkg.save()
    assert book.stat().st_mode & 0o777 == 0o640


def test_replace_file_installs_a_written_file_with_backup_and_lock_check(tmp_path):
    from xl_crm.ooxml.save import replace_file
    target, temp = tmp_path / "book.xlsx", tmp_path / ".tmp"
    target.write_bytes(b"old")
    temp.write_bytes(b"new")
    replace_file(temp, target)
    assert target.read_bytes() == b"new" and backup_path(target).read_bytes() == b"old" and not temp.exists()
    temp.write_bytes(b"newer")
    (tmp_path / "~$book.xlsx").write_bytes(b"")
    with pytest.raises(XlCrmError):
        replace_file(temp, target)
    assert target.read_bytes() == b"new"
