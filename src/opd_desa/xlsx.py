"""Write Excel workbooks (exports and reports): typed cells, a frozen header, fitted columns.

Text is always written as a text cell (`put_text`), never as a formula: a village named
`=HYPERLINK(...)` stays that name, and reads back as it was written. Reading workbooks for import is
`opd_desa.imports.workbook`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opd_desa.stored import is_iso_date
from opd_desa.text import visible

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook import Workbook

from opd_desa.i18n import _

RATE_FORMAT = "0.00%"
COUNT_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"
POINTS_FORMAT = '+0.00" {pp}";\\-0.00" {pp}";0.00" {pp}"'
"""Changes and gaps in percentage points: signed, two decimals, the unit after each, all alike."""


@dataclass
class SheetData:
    """A sheet to write: a header of (key, header text, kind) and rows of dicts."""

    name: str
    columns: Sequence[tuple[str, str, str]]  # kind: text, int, money, rate, change, points, date, bool, yesno, list
    rows: Sequence[dict[str, Any]] | Iterator[dict[str, Any]]
    title: Sequence[str] = ()
    footer: Sequence[str] = ()


def put_text(cell: Cell, text: str) -> Cell:
    """Store `text` in `cell` as a text cell: never a formula (openpyxl makes "=..." one on assignment),
    control characters shown as pictures (a workbook cannot hold them). The one way every writer
    (exports, reports, documents, forms) puts text into a workbook."""
    cell.value = visible(text)
    cell.data_type = "s"
    return cell


def put_value(cell: Cell, value: Any) -> Cell:
    """Store a number, date or boolean as it is, and text through `put_text`."""
    if isinstance(value, str):
        return put_text(cell, value)
    cell.value = value
    return cell


def save_workbook(book: Workbook, path: Path) -> None:
    """Save `book` to `path` in one step: built in memory first, so a full disk leaves the old file and
    no half-written zip (`files.atomic_write`)."""
    import io

    from opd_desa.files import write_atomically

    buffer = io.BytesIO()
    book.save(buffer)
    write_atomically(path, buffer.getvalue())


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
    if kind == "points":
        return round(float(value), 2), POINTS_FORMAT.format(pp=_("pp"))
    if kind == "yesno":
        return _("yes") if value else _("no"), None
    if kind == "date":  # a date typed into the file by hand stays its text (`opd-desa check` names it)
        return (dt.date.fromisoformat(value), DATE_FORMAT) if is_iso_date(value) else (str(value), None)
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
            put_text(ws.cell(row=row_number, column=1), line).font = bold if row_number == 1 else Font(italic=True)
            row_number += 1
        if data.title:
            row_number += 1
        header_row = row_number
        widths = [len(header) for _key, header, _kind in data.columns]
        for i, (_key, header, _kind) in enumerate(data.columns, start=1):
            put_text(ws.cell(row=header_row, column=i), header).font = bold
        for row in data.rows:
            row_number += 1
            for i, (key, _header, kind) in enumerate(data.columns, start=1):
                value, number_format = _typed(row.get(key), kind)
                cell = put_value(ws.cell(row=row_number, column=i), value)
                if number_format:
                    cell.number_format = number_format
                shown = len(f"{value:,}") if isinstance(value, int | float) else len(str(value or ""))
                widths[i - 1] = max(widths[i - 1], shown + (2 if kind == "rate" else 0))
        row_number += 1  # a blank row between the table and its notes
        for line in data.footer:
            row_number += 1
            put_text(ws.cell(row=row_number, column=1), line)
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        _print_setup(ws, header_row)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 6), 60)
    save_workbook(book, path)


def _print_setup(ws: Any, header_row: int) -> None:
    """Ready to print: A4 landscape, one page wide, the header row on every page, page N of M at the foot."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.right.text = _("page {page} of {pages}").format(page="&P", pages="&N")
