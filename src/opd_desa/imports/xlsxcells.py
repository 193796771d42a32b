"""What python-calamine does not tell of an .xlsx sheet, found by one byte scan of its XML before
calamine reads it: which cells have a percent number format (calamine gives 0.066, not 6.6 %), and
how far the filled cells reach (calamine holds the sheet as one dense block from the first filled
cell to the last, so two cells at A1 and XFD1048576 would ask for 17 billion cells).

The styles part says which cell styles are percent (built-in formats 9 and 10, or a custom format
with a real `%`).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from xml.etree.ElementTree import fromstring

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_PERCENT_BUILTIN = {9, 10}  # 0% and 0.00%
_CELL_TAG = re.compile(rb"<(?:\w+:)?c\s[^>]*>")
_STYLE = re.compile(rb'\ss="(\d+)"')
_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]+)"')
_CHUNK = 1 << 20


_QUOTED_OR_ESCAPED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def is_percent_format(number_format: str | None) -> bool:
    """True for a real percent number format (`0.00%`), not one showing a literal sign (`0.00"%"`, `0.0\\%`)."""
    if not number_format or "%" not in number_format:
        return False
    return "%" in _QUOTED_OR_ESCAPED.sub("", number_format)


class NoCellReferences(Exception):
    """A cell without its `r` reference: its place is not known from the bytes alone."""


@dataclass
class SheetScan:
    """The percent cells ((row, column) from 0) and the block the filled cells span."""

    percent: set[tuple[int, int]] = field(default_factory=set)
    first_row: int | None = None
    last_row: int = 0
    first_column: int | None = None
    last_column: int = 0

    def see(self, row: int, column: int) -> None:
        """Widen the block to take in a filled cell."""
        self.first_row = row if self.first_row is None else min(self.first_row, row)
        self.first_column = column if self.first_column is None else min(self.first_column, column)
        self.last_row, self.last_column = max(self.last_row, row), max(self.last_column, column)

    @property
    def rows(self) -> int:
        """Rows in the block."""
        return 0 if self.first_row is None else self.last_row - self.first_row + 1

    @property
    def columns(self) -> int:
        """Columns in the block."""
        return 0 if self.first_column is None else self.last_column - self.first_column + 1


def scan_sheet(path: str, sheet: str) -> SheetScan:
    """The percent cells and the filled block of `sheet` in the .xlsx file `path`."""

    with zipfile.ZipFile(path) as archive:
        styles = _percent_styles(archive, is_percent_format)
        return _scan(archive, _sheet_part(archive, sheet), styles)


def _percent_styles(archive: zipfile.ZipFile, is_percent: Callable[[str], bool]) -> set[bytes]:
    """The indexes (as the bytes written in `s="..."`) of the cell styles whose format is percent."""
    try:
        root = fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return set()
    codes = {int(f.get("numFmtId", "-1")): f.get("formatCode", "") for f in root.iter(f"{_MAIN}numFmt")}
    xfs = root.find(f"{_MAIN}cellXfs")
    found: set[bytes] = set()
    for index, xf in enumerate(xfs if xfs is not None else []):
        number = int(xf.get("numFmtId", "0"))
        if number in _PERCENT_BUILTIN or (number in codes and is_percent(codes[number])):
            found.add(str(index).encode())
    return found


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str:
    """The zip member holding `sheet`'s cells, from the workbook part and its relationships."""
    book = fromstring(archive.read("xl/workbook.xml"))
    rid = next(s.get(f"{_REL}id") for s in book.iter(f"{_MAIN}sheet") if s.get("name") == sheet)
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next(r.get("Target", "") for r in rels.iter(f"{_PACKAGE_REL}Relationship") if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)


def _scan(archive: zipfile.ZipFile, part: str, styles: set[bytes]) -> SheetScan:
    found = SheetScan()
    carry = b""
    with archive.open(part) as content:
        while chunk := content.read(_CHUNK):
            data = carry + chunk
            end = data.rfind(b"<")  # a tag may be cut at the end of the chunk: keep it for the next
            text, carry = (data[:end], data[end:]) if end > 0 else (data, b"")
            for tag in _CELL_TAG.findall(text):
                if tag.endswith(b"/>"):
                    continue  # an empty cell (only a style): calamine leaves it out
                ref = _REF.search(tag)
                if ref is None:
                    raise NoCellReferences
                row, column = int(ref.group(2)) - 1, _column(ref.group(1))
                found.see(row, column)
                style = _STYLE.search(tag)
                if style is not None and style.group(1) in styles:
                    found.percent.add((row, column))
    return found


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number - 1
