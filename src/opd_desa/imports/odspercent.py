"""Which cells of an .ods sheet are percentages: python-calamine gives their value (0.066) but not
their type, so they are found here, to be read as percent (6.6) like an Excel `0.00%` cell.

An .ods file is a zip whose content.xml marks such a cell `office:value-type="percentage"`. The XML
is streamed (its size was checked before), rows and columns counted with their repeat attributes.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree.ElementTree import Element, iterparse

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
_MAX_REPEAT = 1_000_000  # a repeated percent cell beyond this is formatting of empty space, not data


def percent_cells(path: Path, sheet: str) -> set[tuple[int, int]]:
    """(row, column), counted from 0, of every percentage cell of `sheet` in the .ods file `path`."""
    found: set[tuple[int, int]] = set()
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
            for column in _percent_columns(element):
                found.update((row + r, column) for r in range(min(rows, _MAX_REPEAT)))
            row += rows
            element.clear()
    return found


def _percent_columns(row: Element) -> list[int]:
    columns: list[int] = []
    column = 0
    for cell in row:
        if cell.tag not in _CELLS:
            continue
        span = _repeat(cell, "number-columns-repeated")
        if cell.get(f"{_OFFICE}value-type") == "percentage":
            columns.extend(range(column, column + min(span, _MAX_REPEAT)))
        column += span
    return columns


def _repeat(element: Element, attribute: str) -> int:
    try:
        return max(1, int(element.get(f"{_TABLE}{attribute}", "1")))
    except ValueError:
        return 1
