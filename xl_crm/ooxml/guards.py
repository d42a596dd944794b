"""Refuse files that are not safe or not possible to edit, with one clear line each.

Limits (documented in the README):
- MAX_FILE_BYTES: a workbook file larger than 256 MiB is refused;
- MAX_PART_BYTES: a package part whose uncompressed size exceeds 1 GiB is
  refused, and so is a part that expands more than MAX_RATIO times while
  being larger than 16 MiB (a zip bomb);
- an XML part with a DOCTYPE (the only way to declare entities) is refused:
  Office never writes one, and entity expansion is the classic XML bomb.

The declared sizes in the zip directory bound every read: Python's zip
reader never returns more bytes than the declared size and fails on a CRC
mismatch, so memory stays bounded even when the directory lies.
"""

from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from pathlib import Path

from . import parts
from .errors import PackageError

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_PART_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200
RATIO_FLOOR = 16 * 1024 * 1024
PROLOG_SCAN = 64 * 1024
PROLOG_STEP = 1024
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, RuntimeError, NotImplementedError)

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
REQUIRED_PARTS = ("[Content_Types].xml",)


def _compound_file_kind(path: Path) -> str:
    """'encrypted' for an Office password-protected package, else 'legacy' (.xls and kin)."""
    tail = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            if _ENCRYPTED in tail + chunk:
                return "encrypted"
            tail = chunk[-len(_ENCRYPTED):]
    return "legacy"


def check_file(path: Path) -> None:
    """Size and signature checks that need no unzipping."""
    if not path.exists():
        raise PackageError(f"{path}: no such file")
    if not path.is_file():
        raise PackageError(f"{path}: not a file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise PackageError(f"{path}: the file is {size / 2**20:.0f} MiB, beyond the {MAX_FILE_BYTES // 2**20} MiB "
                         "limit for a workbook")
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(_CFB_MAGIC):
        if _compound_file_kind(path) == "encrypted":
            raise PackageError(f"{path}: the workbook is password-protected; remove the password in Excel "
                             "(File > Info > Protect Workbook > Encrypt with Password) and try again")
        raise PackageError(f"{path}: a legacy .xls workbook; convert it first: open it in Excel and Save As "
                         "'Excel Workbook (.xlsx)', or run: soffice --headless --convert-to xlsx FILE")
    if not head.startswith(_ZIP_MAGIC):
        what = "an empty file" if size == 0 else "not an Excel workbook (.xlsx/.xlsm)"
        raise PackageError(f"{path}: {what}")


def open_zip(path: Path) -> zipfile.ZipFile:
    """The workbook's zip, after every check; the caller closes it."""
    path = Path(path)
    check_file(path)
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS as exc:
        raise PackageError(f"{path}: the workbook is damaged or truncated ({exc})") from exc
    try:
        check_parts(path, archive)
        check_main_part(path, archive)
    except BaseException:
        archive.close()
        raise
    return archive


def check_parts(path: Path, archive: zipfile.ZipFile) -> None:
    names = set(archive.namelist())
    missing = [p for p in REQUIRED_PARTS if p not in names]
    if missing:
        raise PackageError(f"{path}: not an Excel workbook (no {missing[0]} in the package)")
    for info in archive.infolist():
        if info.flag_bits & 0x1:
            raise PackageError(f"{path}: part {info.filename} is encrypted; remove the password and try again")
        if info.file_size > MAX_PART_BYTES:
            raise PackageError(f"{path}: part {info.filename} would expand to {info.file_size / 2**20:.0f} MiB, "
                             f"beyond the {MAX_PART_BYTES // 2**20} MiB limit")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PackageError(f"{path}: part {info.filename} expands {info.file_size // max(info.compress_size, 1)} "
                             "times; refusing a likely zip bomb")
        if info.filename.endswith((".xml", ".rels", ".vml")):
            check_prolog(path, archive, info)


_OTHER_OFFICE = {"wordprocessingml": "a Word document", "presentationml": "a PowerPoint presentation"}


def check_main_part(path: Path, archive: zipfile.ZipFile) -> None:
    """The package's main document must be a workbook, not a Word or PowerPoint file renamed .xlsx."""
    names = set(archive.namelist())
    try:
        rels = parts.parse_rels(read_part(path, archive, "_rels/.rels") if "_rels/.rels" in names else None,
                                f"{path}: _rels/.rels")
        types = parts.ContentTypes(read_part(path, archive, parts.CONTENT_TYPES))
    except PackageError as exc:
        raise PackageError(f"{path}: not an Excel workbook ({exc})") from exc
    main = [r for r in rels if r.type.endswith("/officeDocument") and not r.external]
    kind = (types.of(parts.resolve("", main[0].target)) or "") if main else ""
    if "spreadsheetml" in kind or "ms-excel" in kind:
        return
    other = next((what for key, what in _OTHER_OFFICE.items() if key in kind), None)
    raise PackageError(f"{path}: not an Excel workbook ({other or 'no workbook part in the package'})")


def check_prolog(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a DOCTYPE or ENTITY declaration before the root element (streamed, bounded read).

    A kilobyte at a time until the markup after the XML declaration and
    comments shows (in a part's first bytes, nearly always): a workbook's
    forty parts are checked without inflating 64 KiB of each large one.
    """
    try:
        with archive.open(info) as stream:
            head = stream.read(PROLOG_STEP)
            while (scope := _prolog(head)) is None and len(head) < PROLOG_SCAN:
                more = stream.read(min(len(head), PROLOG_SCAN - len(head)))
                if not more:
                    break
                head += more
    except ZIP_ERRORS as exc:
        raise PackageError(f"{path}: the workbook is damaged ({info.filename}: {exc})") from exc
    upper = (head if scope is None else scope).upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise PackageError(f"{path}: part {info.filename} declares XML entities (DOCTYPE); refusing a possible "
                         "entity-expansion attack")


_MISC = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)  # white space, processing instructions, comments
_MARK = len(b"<!DOCTYPE")


def _prolog(head: bytes) -> bytes | None:
    """The part's bytes up to the first markup after its declaration, comments and processing instructions,
    and that markup's first bytes (a DOCTYPE or the root element); None until `head` shows them."""
    at = _MISC.match(head, len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0).end()
    mark = head[at:at + _MARK]
    if len(mark) < _MARK or not mark.startswith(b"<") or mark.startswith((b"<?", b"<!--")):
        return None  # not yet read, left open, or not markup: the whole head is looked at
    return head[:at + _MARK]


def read_part(path: Path, archive: zipfile.ZipFile, name: str) -> bytes:
    """A whole part, CRC-checked, every zip failure turned into one line."""
    try:
        return archive.read(name)
    except KeyError as exc:
        raise PackageError(f"{path}: part {name} is missing from the package") from exc
    except ZIP_ERRORS as exc:
        raise PackageError(f"{path}: the workbook is damaged ({name}: {exc})") from exc
