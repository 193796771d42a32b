"""Read an Excel worksheet as a `Source` for the importers: the only reading side of openpyxl.

The importer gets the same thing a CSV file gives (header matched to fields, rows of cell texts with
their sheet row numbers), so every parser, rule and error is shared. Cells Excel already typed are
turned into the text the parsers read: numbers as plain digits (a 10-digit village code stored as a
number stays a code), percent-formatted cells as percent (0.066 -> 6.6), dates as ISO.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from opd_desa.i18n import _
from opd_desa.imports.formats import Field
from opd_desa.imports.header import match_header
from opd_desa.imports.source import UnreadableFile

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

SUFFIXES = (".xlsx", ".xlsm")


def is_workbook(source: str | Path) -> bool:
    """True for a file name the workbook reader takes (.xlsx, .xlsm); anything else is read as CSV."""
    return Path(str(source)).suffix.lower() in SUFFIXES


def cell_as_text(value: Any, number_format: str | None = None) -> str:
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
    """One worksheet opened for import: a `Source`, like a CSV file's `csvfile.Table`."""

    label: str
    sheet: str
    columns: dict[str, int]
    ignored: list[str]
    year_columns: list[tuple[int, int]]
    notes: list[str]
    header: list[str]
    header_line: int
    _book: Workbook | None = field(default=None, repr=False)
    _rows: Iterator[tuple[Any, ...]] = field(default_factory=lambda: iter(()), repr=False)

    @property
    def location(self) -> str:
        """Prefix of an error's place: `FILE:SHEET!` (the row number follows)."""
        return f"{self.label}:{self.sheet}!"

    @property
    def size(self) -> int | None:
        """None: a worksheet is always read in the importing process."""
        return None

    def cells(self) -> Iterator[tuple[int, list[str]]]:
        """(sheet row number, all cell texts) per non-empty row below the header."""
        for row in self._rows:
            cells = [cell_as_text(c.value, getattr(c, "number_format", None)) for c in row]
            if any(cells):
                yield next((c.row for c in row if getattr(c, "row", None)), None) or 0, cells

    def rows(self) -> Iterator[tuple[int, dict[str, str], list[str]]]:
        """(sheet row number, {field: cell text}, all cell texts) per non-empty row below the header."""
        pairs = tuple(self.columns.items())
        for number, cells in self.cells():
            yield number, {name: cells[i] if i < len(cells) else "" for name, i in pairs}, cells

    def close(self) -> None:
        """Close the workbook."""
        if self._book is not None:
            self._book.close()
            self._book = None

    def __enter__(self) -> Sheet:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open_sheet(source: str | Path, fields: Sequence[Field], *, sheet: str | None = None) -> Sheet:
    """Open a worksheet (default: the first) and match its first non-empty row to `fields`."""
    from openpyxl import load_workbook

    label = str(source)
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except FileNotFoundError as e:
        raise UnreadableFile(_("{file}: no such file").format(file=label)) from e
    except Exception as e:  # openpyxl raises many kinds for a file that is not a workbook
        raise UnreadableFile(
            _("{file}: cannot be read as an Excel workbook ({error}); save it as .xlsx and try again").format(
                file=label, error=type(e).__name__
            )
        ) from e
    try:
        names = book.sheetnames
        name = sheet if sheet is not None else names[0]
        if name not in names:
            raise UnreadableFile(
                _("{file}: no sheet '{sheet}'; the sheets are: {names}").format(
                    file=label, sheet=name, names=", ".join(names)
                )
            )
        rows = book[name].iter_rows()
        for header_row in rows:
            header = [cell_as_text(c.value) for c in header_row]
            if any(header):
                break
        else:
            raise UnreadableFile(
                _("{file}:{sheet}: the sheet is empty; it needs a header row").format(file=label, sheet=name)
            )
        line: int = next((row for c in header_row if (row := getattr(c, "row", None))), 1)
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
