"""Write Excel workbooks (exports and reports): typed cells, a frozen header, fitted columns.

Reading workbooks for import is `opd_desa.imports.workbook`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RATE_FORMAT = "0.00%"
COUNT_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"


@dataclass
class SheetData:
    """A sheet to write: a header of (key, header text, kind) and rows of dicts."""

    name: str
    columns: Sequence[tuple[str, str, str]]  # kind: text, int, money, rate, date, bool, list
    rows: Sequence[dict[str, Any]] | Iterator[dict[str, Any]]
    title: Sequence[str] = ()
    footer: Sequence[str] = ()


def _typed(value: Any, kind: str) -> tuple[Any, str | None]:
    if value is None:
        return None, None
    if kind == "rate":
        return round(float(value) / 100, 6), RATE_FORMAT
    if kind in ("money", "int"):
        return int(value), COUNT_FORMAT
    if kind == "score" and isinstance(value, (int, float)):
        return float(value), "0.0000"
    if kind == "year":
        return int(value), "0"
    if kind == "change":
        return round(float(value), 2), "+0.00;-0.00;0.00"
    if kind == "date":
        return dt.date.fromisoformat(value), DATE_FORMAT
    if kind == "list":
        return "|".join(value), None
    if kind == "bool":
        return bool(value), None
    return value, None


def write_workbook(path: Path, sheets: Sequence[SheetData]) -> None:
    """Write sheets with typed cells, a frozen header row and columns as wide as their content."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.worksheets[0])  # the empty sheet a new workbook starts with
    bold = Font(bold=True)
    for data in sheets:
        ws = book.create_sheet(data.name[:31])
        row_number = 1
        for line in data.title:
            ws.cell(row=row_number, column=1, value=line).font = bold if row_number == 1 else Font(italic=True)
            row_number += 1
        if data.title:
            row_number += 1
        header_row = row_number
        widths = [len(header) for _key, header, _kind in data.columns]
        for i, (_key, header, _kind) in enumerate(data.columns, start=1):
            ws.cell(row=header_row, column=i, value=header).font = bold
        for row in data.rows:
            row_number += 1
            for i, (key, _header, kind) in enumerate(data.columns, start=1):
                value, number_format = _typed(row.get(key), kind)
                cell = ws.cell(row=row_number, column=i, value=value)
                if number_format:
                    cell.number_format = number_format
                shown = len(f"{value:,}") if isinstance(value, int | float) else len(str(value or ""))
                widths[i - 1] = max(widths[i - 1], shown + (2 if kind == "rate" else 0))
        row_number += 1  # a blank row between the table and its notes
        for line in data.footer:
            row_number += 1
            ws.cell(row=row_number, column=1, value=line)
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 6), 60)
    book.save(path)
