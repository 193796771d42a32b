"""What a file really is, judged by its first bytes, so that a misnamed file gets one clear line.

An office often has a `.xls` that is really a web page (what some government systems export), an
`.xlsx` that is really CSV, or a `.csv` that is really a workbook. Each is named for what it seems to
be, with how to save it. Zip workbooks are also checked for their uncompressed size before any XML
is read (a small file can unpack to gigabytes).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import BinaryIO

from opd_desa.i18n import _
from opd_desa.imports.source import UnreadableFile

MAX_UNPACKED = 200 << 20  # bytes a workbook may unpack to: a kabupaten's sheet needs a few MiB
MAX_MEMBERS = 10_000  # files inside a workbook: a real one has a few dozen

XLSX, ODS, XLS, HTML, XML, ZIP, TEXT = "xlsx", "ods", "xls", "html", "xml", "zip", "text"
WORKBOOK_KINDS = (XLSX, ODS, XLS)
_SUFFIX_KINDS = {"xlsx": XLSX, "xlsm": XLSX, "xls": XLS, "ods": ODS}  # the reader each name calls for
_OLE = bytes.fromhex("d0cf11e0a1b11ae1")
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def sniff(head: bytes, path: Path | BinaryIO | None = None) -> str:
    """The kind of content the first bytes show: xlsx, ods, xls, html, xml, zip or text (a zip is
    looked into when `path`, a file name or a seekable binary file, is given)."""
    if head.startswith(_OLE):
        return XLS
    if head.startswith(b"PK\x03\x04"):
        if path is None:
            return ZIP
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "xl/workbook.xml" in names:
                    return XLSX
                if "mimetype" in names and archive.read("mimetype").startswith(_ODS_MIME):
                    return ODS
        except (zipfile.BadZipFile, OSError, KeyError):
            pass
        return ZIP
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<table", b"<head", b"<body", b"<meta")):
        return HTML
    if start.startswith(b"<?xml"):
        return XML
    return TEXT


def check_content(path: Path, label: str, *, workbook: bool) -> str:
    """The content's kind when it is what the name promises (a workbook, or text for a CSV), else
    UnreadableFile saying what the file seems to be and how to save it."""
    try:
        with open(path, "rb") as file:
            head = file.read(512)
    except OSError as exc:
        message = _("{file}: cannot open the file: {reason}")
        raise UnreadableFile(message.format(file=label, reason=exc.strerror or exc)) from None
    return check_head(head, path, label, workbook=workbook)


def check_head(head: bytes, file: Path | BinaryIO, label: str, *, workbook: bool) -> str:
    """`check_content` for bytes already read (`file` is looked into for a zip, then left at its start)."""
    kind = sniff(head, file)
    if not isinstance(file, Path):
        file.seek(0)
    if workbook and kind in WORKBOOK_KINDS:
        suffix = Path(label).suffix.lower().lstrip(".")
        if kind != _SUFFIX_KINDS.get(suffix, kind):
            message = _("{file}: seems to be an .{kind} workbook, not .{suffix}; rename it to end in .{kind}")
            raise UnreadableFile(message.format(file=label, kind=kind, suffix=suffix))
        return kind
    if not workbook and kind == TEXT:
        return kind
    raise UnreadableFile(_misnamed(label, kind, workbook=workbook))


def _misnamed(label: str, kind: str, *, workbook: bool) -> str:
    """One line: what the file seems to be instead of what its name says, and how to save it."""
    if kind in WORKBOOK_KINDS:
        message = _("{file}: is not a CSV file but seems to be a workbook ({kind}); name it .{kind}, or save it as CSV")
        return message.format(file=label, kind=kind)
    if kind == TEXT:  # only reached for a workbook name
        message = _("{file}: is not a workbook but seems to be a text (CSV) file; name it .csv, or save it as .xlsx")
        return message.format(file=label)
    seems = {
        HTML: _("a web page (HTML)"),
        XML: _("an XML file"),
        ZIP: _("a zip archive of other files"),
    }[kind]
    if workbook:
        message = _("{file}: is not a workbook but seems to be {what}; open it and save it as .xlsx or CSV")
    else:
        message = _("{file}: is not a CSV file but seems to be {what}; open it and save it as CSV or .xlsx")
    return message.format(file=label, what=seems)


def check_unpacked_size(path: Path, label: str) -> None:
    """Refuse a zip workbook that unpacks to more than MAX_UNPACKED bytes or holds too many files."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        message = _("{file}: the workbook is damaged ({reason}); open it and save it again")
        raise UnreadableFile(message.format(file=label, reason=exc)) from None
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED:
        message = _(
            "{file}: the workbook unpacks to {size} MiB in {count} parts, more than a sheet of villages "
            "needs ({limit} MiB); save only the sheet to import as CSV"
        )
        raise UnreadableFile(
            message.format(file=label, size=unpacked >> 20, count=len(members), limit=MAX_UNPACKED >> 20)
        )
