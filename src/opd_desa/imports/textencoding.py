"""Which text encoding a CSV file is in: checked over all its bytes before any row is read.

UTF-8 (with or without BOM) is taken when every byte decodes, else Windows-1252 with a note; a
forced encoding must decode the whole file. UTF-16 (what "Unicode text" in Excel writes) and NUL
bytes are refused with a message saying what to do.
"""

from __future__ import annotations

import codecs
from typing import BinaryIO

from opd_desa.i18n import _
from opd_desa.imports.source import UnreadableFile

CHUNK_SIZE = 1 << 20
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_ASCII_PROBE = "\0\n\r;,|\t\"'aZ09"
Decoding = tuple[str, str, str]  # codec, error handler, name to show


def settle_encoding(binary: BinaryIO, label: str, encoding: str | None, notes: list[str]) -> Decoding:
    """(codec to read with, error handler, name to show): the forced one, else UTF-8, else Windows-1252."""
    if encoding is None:
        _refuse_utf16(binary, label)
        bad_line = _scan(binary, label, "utf-8", check_nul=True)
        if bad_line is None:
            return "utf-8-sig", "strict", "utf-8"
        message = _("{file}: not valid UTF-8 (first at line {line}), read as Windows-1252")
        notes.append(message.format(file=label, line=bad_line))
        return "cp1252", "replace", "cp1252"
    try:
        name = codecs.lookup(encoding).name
        probe = _ASCII_PROBE.encode(name) == _ASCII_PROBE.encode("ascii")
    except LookupError:
        message = _("{file}: unknown encoding '{encoding}'; use utf-8 or cp1252")
        raise UnreadableFile(message.format(file=label, encoding=encoding)) from None
    except UnicodeError:
        probe = False
    wide = name.startswith(("utf-16", "utf-32"))
    if not probe and not wide:  # EBCDIC, punycode, idna...: not how a CSV file is written
        message = _("{file}: '{encoding}' is not an encoding CSV files are written in; use utf-8 or cp1252")
        raise UnreadableFile(message.format(file=label, encoding=encoding))
    if name in ("utf-16", "utf-32"):
        _require_bom(binary, label, name)
    if name in ("utf-8", "utf-8-sig"):
        codec, errors, check = "utf-8-sig", "strict", "utf-8"
        name, probe = "utf-8", True
    elif name == "cp1252":
        codec, errors, check = "cp1252", "replace", None  # five bytes are undefined in cp1252
    else:
        codec, errors, check = name, "strict", name
    if not name.startswith(("utf-16", "utf-32")):
        _refuse_utf16(binary, label)
    bad_line = _scan(binary, label, check, check_nul=probe)
    if bad_line is not None:
        message = _("{file}:{line}: not valid {encoding}; try cp1252, or no encoding to detect it")
        raise UnreadableFile(message.format(file=label, line=bad_line, encoding=name))
    return codec, errors, name


def _require_bom(binary: BinaryIO, label: str, name: str) -> None:
    """utf-16/utf-32 without -le/-be reads the byte order from the file's first bytes: they must be a BOM."""
    head = binary.read(4)
    binary.seek(0)
    boms = _UTF16_BOMS if name == "utf-16" else (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
    if not head.startswith(boms):
        message = _(
            "{file}: no byte order mark at the start for --encoding {encoding}; use {encoding}-le or {encoding}-be"
        )
        raise UnreadableFile(message.format(file=label, encoding=name))


def _refuse_utf16(binary: BinaryIO, label: str) -> None:
    head = binary.read(4)
    binary.seek(0)
    if head.startswith(_UTF16_BOMS):
        raise UnreadableFile(_utf16_message(label))


def _utf16_message(label: str) -> str:
    return _("{file}: looks like UTF-16; save it from Excel as 'CSV UTF-8' and try again").format(file=label)


def _scan(binary: BinaryIO, label: str, check: str | None, *, check_nul: bool) -> int | None:
    """Read the bytes once in chunks: raise on a NUL byte; return the line of the first byte that `check`
    cannot decode, or None. Leaves the file at its start."""
    decoder = codecs.getincrementaldecoder(check)() if check else None
    bad_line: int | None = None
    lines = 0
    chunk = binary.read(CHUNK_SIZE)
    head = chunk[:4]
    while chunk:
        if check_nul and b"\0" in chunk:
            at = chunk.index(b"\0")
            if lines == 0 and at < 4 and _looks_like_utf16(head):
                raise UnreadableFile(_utf16_message(label))  # UTF-16 without a BOM
            message = _("{file}:{line}: contains NUL bytes; is this really a CSV file?")
            raise UnreadableFile(message.format(file=label, line=lines + chunk.count(b"\n", 0, at) + 1))
        if decoder is not None:
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                bad_line = lines + chunk.count(b"\n", 0, max(exc.start - pending, 0)) + 1
                decoder = None
            except UnicodeError:  # a codec that does not say where
                bad_line = lines + 1
                decoder = None
        lines += chunk.count(b"\n")
        chunk = binary.read(CHUNK_SIZE)
    if decoder is not None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeError:
            bad_line = lines + 1  # a sequence cut off at the end of the file
    binary.seek(0)
    return bad_line


def _looks_like_utf16(head: bytes) -> bool:
    """Every other byte zero in the first four: UTF-16 text without a BOM."""
    return len(head) == 4 and (head[1] == head[3] == 0 or head[0] == head[2] == 0)
