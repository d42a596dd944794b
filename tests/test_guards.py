"""Refusals: one clear line, the input unchanged, nothing left behind."""

from __future__ import annotations

import zipfile

import pytest
from fixtures_book import rich_workbook
from helpers import rewrite_part

from xl_crm.errors import XlCrmError
from xl_crm.ooxml import guards
from xl_crm.ooxml.package import Package
from xl_crm.sheets.read import read_workbook


def refused(path, match, opener=Package.open):
    before = path.read_bytes()
    listing = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(XlCrmError, match=match) as info:
        opener(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    assert path.read_bytes() == before and sorted(p.name for p in path.parent.iterdir()) == listing
    return message


@pytest.mark.parametrize("opener", [Package.open, read_workbook])
def test_not_a_workbook(tmp_path, opener):
    text = tmp_path / "notes.xlsx"
    text.write_text("name,amount\n")
    refused(text, "not an Excel workbook", opener)
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    refused(empty, "empty file", opener)


def test_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.txt", "hello")
    refused(path, r"no \[Content_Types\].xml")


@pytest.mark.parametrize("opener", [Package.open, read_workbook])
def test_truncated_and_damaged(tmp_path, opener):
    good = rich_workbook(tmp_path / "good.xlsx").read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good[: len(good) // 2])
    refused(cut, "damaged or truncated", opener)


def corrupt(src, dst, name):
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as z:
        info = z.getinfo(name)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 5
    data[start:start + 20] = bytes(20)
    dst.write_bytes(bytes(data))
    return dst


def test_damaged_xml_part(tmp_path):
    bad = corrupt(rich_workbook(tmp_path / "good.xlsx"), tmp_path / "bad.xlsx", "xl/theme/theme1.xml")
    refused(bad, "damaged")


def test_damaged_binary_part_is_reported_when_saving(tmp_path):
    bad = corrupt(rich_workbook(tmp_path / "good.xlsx", macro=True), tmp_path / "bad.xlsm", "xl/vbaProject.bin")
    before = bad.read_bytes()
    with Package.open(bad) as pkg:
        pkg.set_cells("Customers", {(2, 10): "x"})
        with pytest.raises(XlCrmError, match="damaged"):
            pkg.save()
    assert bad.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsm", "good.xlsx"]


@pytest.mark.parametrize("opener", [Package.open, read_workbook])
def test_legacy_xls_says_how_to_convert(tmp_path, opener):
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000) + "Workbook".encode("utf-16-le"))
    assert "--convert-to xlsx" in refused(xls, "legacy .xls", opener)


def test_password_protected(tmp_path):
    enc = tmp_path / "secret.xlsx"
    enc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(3000) + "EncryptedPackage".encode("utf-16-le")
                    + bytes(100))
    refused(enc, "password-protected")


@pytest.mark.parametrize("opener", [Package.open, read_workbook])
def test_entity_expansion(tmp_path, opener):
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>' \
           b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>'
    path = rewrite_part(rich_workbook(tmp_path / "good.xlsx"), tmp_path / "bomb.xlsx", "xl/sharedStrings.xml", bomb)
    refused(path, "entity", opener)


LONG_COMMENT, LONG_INSTRUCTION = b"<!-- " + b"notes " * 2000 + b"-->\n", b"<?pi " + b"x" * 3000 + b"?>"


@pytest.mark.parametrize("bom, before", [(b"\xef\xbb\xbf", b""), (b"", LONG_COMMENT), (b"", LONG_INSTRUCTION)])
def test_a_doctype_behind_a_long_prolog_is_found(tmp_path, bom, before):
    bomb = bom + b'<?xml version="1.0"?>' + before + b'<!DOCTYPE lolz [<!ENTITY lol "lol">]>' \
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol;</t></si></sst>'
    path = rewrite_part(rich_workbook(tmp_path / "good.xlsx"), tmp_path / "bomb.xlsx", "xl/sharedStrings.xml", bomb)
    refused(path, "entity")


def test_a_doctype_in_a_cells_text_is_no_declaration(tmp_path):
    text = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' \
           b'<si><t>&lt;!DOCTYPE html&gt;</t></si><si><t><![CDATA[<!DOCTYPE html>]]></t></si></sst>'
    path = rewrite_part(rich_workbook(tmp_path / "good.xlsx"), tmp_path / "page.xlsx", "xl/sharedStrings.xml", text)
    Package.open(path).close()


def test_zip_bomb_part(tmp_path):
    path = rewrite_part(rich_workbook(tmp_path / "good.xlsx"), tmp_path / "bomb.xlsx", "xl/theme/theme1.xml",
                        b" " * (guards.RATIO_FLOOR + 1))
    refused(path, "zip bomb")


def test_file_size_limit(tmp_path, monkeypatch):
    path = rich_workbook(tmp_path / "big.xlsx")
    monkeypatch.setattr(guards, "MAX_FILE_BYTES", 1000)
    refused(path, "beyond the 0 MiB limit")
