"""Excel workbooks in and out: the only module that talks to openpyxl.

Reading gives the importer the same thing a CSV file does (header matched to fields, rows of cell
texts with their sheet row numbers), so every parser, rule and error is shared. Cells Excel already
typed are turned into the text the parsers read: numbers as plain digits (a 10-digit village code
stored as a number stays a code), percent-formatted cells as percent (0.066 -> 6.6), dates as ISO.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opd_desa.csvio import CsvFormatError, match_header
from opd_desa.fields import Field
from opd_desa.i18n import _

SUFFIXES = (".xlsx", ".xlsm")
RATE_FORMAT = "0.00%"
COUNT_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"


def is_workbook(source: str | Path) -> bool:
    return Path(str(source)).suffix.lower() in SUFFIXES


def cell_text(value: Any, number_format: str | None = None) -> str:
    """What a typed cell says, written the way the parsers read it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        if number_format and "%" in number_format:
            value = value * 100
        if isinstance(value, float):
            value = round(value, 10)  # 0.07 * 100 is 7.000000000000001: the cell said 7 %
            if value != value or value in (float("inf"), float("-inf")):
                return str(value)
            if value.is_integer():
                return str(int(value))
            return f"{round(value, 10):.10f}".rstrip("0")
        return str(value)
    return str(value).strip()


@dataclass
class Sheet:
    """One worksheet opened for import; the same shape as csvio.Table."""

    label: str
    sheet: str
    columns: dict[str, int]
    ignored: list[str]
    year_columns: list[tuple[int, int]]
    notes: list[str]
    header: list[str]
    header_line: int
    encoding: str = "xlsx"
    delimiter: str = ""
    _book: Any = field(default=None, repr=False)
    _rows: Any = field(default=None, repr=False)

    @property
    def location(self) -> str:
        """Prefix of an error's place: `FILE:SHEET!` (the row number follows)."""
        return f"{self.label}:{self.sheet}!"

    def cells(self) -> Iterator[tuple[int, list[str]]]:
        """(sheet row number, all cell texts) per non-empty row below the header."""
        for row in self._rows:
            cells = [cell_text(c.value, getattr(c, "number_format", None)) for c in row]
            if any(cells):
                yield next((c.row for c in row if getattr(c, "row", None)), None) or 0, cells

    def rows(self) -> Iterator[tuple[int, dict[str, str], list[str]]]:
        """(sheet row number, {field: cell text}, all cell texts) per non-empty row below the header."""
        pairs = tuple(self.columns.items())
        for number, cells in self.cells():
            yield number, {name: cells[i] if i < len(cells) else "" for name, i in pairs}, cells

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None

    def __enter__(self) -> Sheet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_sheet(source: str | Path, fields: Sequence[Field], *, sheet: str | None = None) -> Sheet:
    """Open a worksheet (default: the first) and match its first non-empty row to `fields`."""
    from openpyxl import load_workbook

    label = str(source)
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except FileNotFoundError as e:
        raise CsvFormatError(_("{file}: no such file").format(file=label)) from e
    except Exception as e:  # openpyxl raises many kinds for a file that is not a workbook
        raise CsvFormatError(
            _("{file}: cannot be read as an Excel workbook ({error}); save it as .xlsx and try again").format(
                file=label, error=type(e).__name__
            )
        ) from e
    try:
        names = book.sheetnames
        name = sheet if sheet is not None else names[0]
        if name not in names:
            raise CsvFormatError(
                _("{file}: no sheet '{sheet}'; the sheets are: {names}").format(
                    file=label, sheet=name, names=", ".join(names)
                )
            )
        rows = book[name].iter_rows()
        for header_row in rows:
            header = [cell_text(c.value) for c in header_row]
            if any(header):
                break
        else:
            raise CsvFormatError(
                _("{file}:{sheet}: the sheet is empty; it needs a header row").format(file=label, sheet=name)
            )
        line = next((c.row for c in header_row if getattr(c, "row", None)), 1)
        match = match_header(header, fields, where=f"{label}:{name}!{line}")
        notes = (
            [
                _("{file}:{sheet}: ignored columns: {names}").format(
                    file=label, sheet=name, names=", ".join(match.ignored)
                )
            ]
            if match.ignored
            else []
        )
        return Sheet(
            label, name, match.columns, match.ignored, match.year_columns, notes, header, line, _book=book, _rows=rows
        )
    except BaseException:
        book.close()
        raise


# --- writing -------------------------------------------------------------------------------------


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
