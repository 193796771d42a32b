"""What python-calamine does not tell of an .ods sheet: which cells are percentages (it gives their
value, 0.066, not their type), to be read as percent (6.6) like an Excel `0.00%` cell; and how far
the filled cells reach (calamine holds them as one dense block, repeats expanded).

An .ods file is a zip whose content.xml marks such a cell `office:value-type="percentage"`. The XML
is streamed (its size was checked before), rows and columns counted with their repeat attributes.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree.ElementTree import Element, iterparse

from opd_desa.imports.xlsxcells import SheetScan

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
_MAX_REPEAT = 1_000_000  # a repeated percent cell beyond this is formatting of empty space, not data


def scan_sheet(path: Path, sheet: str) -> SheetScan:
    """The percentage cells ((row, column) from 0) and the filled block of `sheet` in the .ods `path`."""
    found = SheetScan()
    row = 0
    inside = False
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
        for event, element in iterparse(content, events=("start", "end")):
            if element.tag == f"{_TABLE}table":
                if event == "start":
                    inside = element.get(f"{_TABLE}name") == sheet
                elif inside:
                    return found
                continue
            if not inside or event != "end" or element.tag != f"{_TABLE}table-row":
                continue
            rows = _repeat(element, "number-rows-repeated")
            percent, filled = _columns(element)
            for column in percent:
                found.percent.update((row + r, column) for r in range(min(rows, _MAX_REPEAT)))
            if filled:
                found.see(row, filled[0])
                found.see(row + rows - 1, filled[1])
            row += rows
            element.clear()
    return found


def _columns(row: Element) -> tuple[list[int], tuple[int, int] | None]:
    """The percentage columns of a row, and its first and last filled column (None: no filled cell)."""
    columns: list[int] = []
    filled: tuple[int, int] | None = None
    column = 0
    for cell in row:
        if cell.tag not in _CELLS:
            continue
        span = _repeat(cell, "number-columns-repeated")
        kind = cell.get(f"{_OFFICE}value-type")
        if kind is not None or len(cell):  # a value, or text
            filled = (column if filled is None else filled[0], column + span - 1)
        if kind == "percentage":
            columns.extend(range(column, column + min(span, _MAX_REPEAT)))
        column += span
    return columns, filled


def _repeat(element: Element, attribute: str) -> int:
    try:
        return max(1, int(element.get(f"{_TABLE}{attribute}", "1")))
    except ValueError:
        return 1
