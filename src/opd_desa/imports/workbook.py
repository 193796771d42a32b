"""Read a worksheet (.xlsx, .xlsm, .xls, .ods) as a `Source` for the importers.

The importer gets the same thing a CSV file gives (header matched to fields, rows of cell texts with
their sheet row numbers), so every parser, rule and error is shared. Cells already typed are turned
into the text the parsers read: numbers as plain digits (a 10-digit village code stored as a number
stays a code), percent-formatted cells as percent (0.066 -> 6.6), dates as ISO.

Every kind is read through python-calamine: on 100,000 rows x 7 columns it took 4.6 s where
openpyxl's read-only mode took 62 s (same machine, same file), which matters for a national file of
840,000 rows. calamine gives values but not number formats, so the percent cells are found apart:
an .xlsx file's percent styles and the cells that use them (`xlsxcells`, a byte scan), an .ods
file's percentage cells (`odscells`); the same scans refuse a sheet whose filled cells span more
than MAX_CELLS before calamine holds them. An .xlsx whose cells lack their `r` reference falls back
to openpyxl. An .xls cell formatted as percent is
read as its plain value (0.066, then 0.066 %): Excel 97 formats are not looked at.
The whole sheet is read (bounded: MAX_CELLS cells, MAX_EMPTY_RUN empty rows in a row) when it is
opened, before any write transaction starts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from opd_desa.i18n import _
from opd_desa.imports.filekind import ODS, XLS, XLSX, check_content, check_unpacked_size
from opd_desa.imports.formats import Field
from opd_desa.imports.header import HeaderMatcher, Wanted, find_header, is_totals_row, name_list
from opd_desa.imports.source import UnreadableFile
from opd_desa.imports.xlsxcells import NoCellReferences, is_percent_format

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
MAX_CELLS = 8_000_000  # a national sheet (840,000 rows x 7 columns) fits, a sheet bomb does not
MAX_EMPTY_RUN = 1_000  # empty rows in a row after which the sheet is taken to have ended


def is_workbook(source: str | Path) -> bool:
    """True for a file name the workbook reader takes (.xlsx, .xlsm, .xls, .ods); anything else is CSV."""
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
        if is_percent_format(number_format):
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
    """One worksheet read for import: a `Source`, like a CSV file's `csvfile.Table`."""

    label: str
    sheet: str
    columns: dict[str, int]
    ignored: list[str]
    year_columns: list[tuple[int, int]]
    notes: list[str]
    header: list[str]
    header_line: int
    records: list[tuple[int, list[str]]] = field(default_factory=list, repr=False)

    @property
    def location(self) -> str:
        """Prefix of an error's place: `FILE:SHEET!` (the row number follows)."""
        return f"{self.label}:{self.sheet}!"

    @property
    def size(self) -> int | None:
        """None: a worksheet is read whole when opened, in the importing process."""
        return None

    def cells(self) -> Iterator[tuple[int, list[str]]]:
        """(sheet row number, all cell texts) per non-empty row below the header."""
        return iter(self.records)

    def rows(self) -> Iterator[tuple[int, dict[str, str], list[str]]]:
        """(sheet row number, {field: cell text}, all cell texts) per non-empty row below the header."""
        pairs = tuple(self.columns.items())
        for number, cells in self.records:
            yield number, {name: cells[i] if i < len(cells) else "" for name, i in pairs}, cells

    def close(self) -> None:
        """Let go of the rows."""
        self.records = []

    def __enter__(self) -> Sheet:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open_sheet(
    source: str | Path, fields: Sequence[Field], *, sheet: str | None = None, wanted: Wanted | None = None
) -> Sheet:
    """Read a worksheet (default: the first) whole; its header is the first row (of the first ten)
    whose columns are `wanted`. Raises UnreadableFile with one line for a file that is not a workbook,
    too large a one, a missing or chart sheet, or an empty one."""
    label = str(source)
    path = Path(source)
    kind = check_content(path, label, workbook=True)
    notes: list[str] = []
    if kind != XLS:
        check_unpacked_size(path, label)
    try:
        name, grid = _calamine_grid(path, label, sheet, kind)
    except NoCellReferences:  # an .xlsx whose cells do not say where they are: openpyxl counts them
        name, grid = _openpyxl_grid(path, label, sheet)
    where = f"{label}:{name}!"
    rows = list(_bounded(grid, where, notes))
    line, header, match = find_header(iter(rows), HeaderMatcher(fields), wanted, where)
    records = [row for row in rows if row[0] > line]
    if line > 1:
        notes.append(_("{where}{line}: the header row (the rows above it are skipped)").format(where=where, line=line))
    if records and is_totals_row(records[-1][1]):
        notes.append(_("{where}{line}: a totals row; skipped").format(where=where, line=records.pop()[0]))
    if match.ignored:
        notes.append(
            _("{file}:{sheet}: ignored columns: {names}").format(file=label, sheet=name, names=name_list(match.ignored))
        )
    clean = [h.strip() for h in header]
    return Sheet(label, name, match.columns, match.ignored, match.year_columns, notes, clean, line, records)


def _bounded(grid: Iterator[tuple[int, list[str]]], where: str, notes: list[str]) -> Iterator[tuple[int, list[str]]]:
    """The non-empty rows of `grid`, stopping after MAX_EMPTY_RUN empty rows (with a note) and refusing
    a sheet of more than MAX_CELLS cells."""
    cells = 0
    last = 0
    texts: dict[str, str] = {}  # one string per distinct text: a national sheet repeats most of them
    for number, row in grid:
        row = [texts.setdefault(text, text) for text in row]
        cells += len(row)
        if cells > MAX_CELLS:
            message = _("{where}{line}: the sheet has more than {limit} cells; save only the rows to import as CSV")
            raise UnreadableFile(message.format(where=where, line=number, limit=f"{MAX_CELLS:,}"))
        if any(row):
            last = number
            yield number, row
        elif number - last > MAX_EMPTY_RUN:
            message = _("{where}{line}: {count} empty rows in a row; the rows below them were not read")
            notes.append(message.format(where=where, line=last + 1, count=MAX_EMPTY_RUN))
            return


def _pick(names: list[str], charts: set[str], label: str, wanted: str | None) -> str:
    """The sheet to read: `wanted`, else the first that is not a chart."""
    tables = [n for n in names if n not in charts]
    if wanted is None:
        if not tables:
            raise UnreadableFile(_("{file}: the workbook has only charts, no sheet of rows").format(file=label))
        return tables[0]
    if wanted in charts:
        message = _("{file}: '{sheet}' is a chart, not a sheet of rows; name one of: {names}")
        raise UnreadableFile(message.format(file=label, sheet=wanted, names=", ".join(tables)))
    if wanted not in names:
        message = _("{file}: no sheet '{sheet}'; the sheets are: {names}")
        raise UnreadableFile(message.format(file=label, sheet=wanted, names=", ".join(tables)))
    return wanted


def _unreadable(label: str, error: Exception) -> UnreadableFile:
    message = _("{file}: cannot be read as a workbook ({error}); open it and save it as .xlsx again")
    return UnreadableFile(message.format(file=label, error=type(error).__name__))


def _openpyxl_grid(path: Path, label: str, wanted: str | None) -> tuple[str, Iterator[tuple[int, list[str]]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a file that is not a workbook
        raise _unreadable(label, e) from e
    charts = {c.title for c in getattr(book, "chartsheets", [])}
    try:
        name = _pick(book.sheetnames, charts, label, wanted)
    except BaseException:
        book.close()
        raise

    def grid() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, row in enumerate(book[name].iter_rows(), start=1):
                yield number, [cell_as_text(c.value, getattr(c, "number_format", None)) for c in row]
        except UnreadableFile:
            raise
        except Exception as e:  # a damaged part of the file
            raise _unreadable(label, e) from e
        finally:
            book.close()

    return name, grid()


def _scan(path: Path, label: str, sheet: str, kind: str) -> set[tuple[int, int]]:
    """The percent cells ((row, column) from 0) calamine cannot tell (.xlsx formats, .ods types), after
    refusing a sheet whose filled cells span more than MAX_CELLS (calamine would hold them all)."""
    if kind == XLSX:
        from opd_desa.imports.xlsxcells import scan_sheet

        scan = scan_sheet(str(path), sheet)
    elif kind == ODS:
        from opd_desa.imports.odscells import scan_sheet as scan_ods

        scan = scan_ods(path, sheet)
    else:
        return set()
    if scan.rows * scan.columns > MAX_CELLS:
        message = _(
            "{file}:{sheet}: the filled cells span {rows} rows and {columns} columns, more than {limit} cells; "
            "save only the rows to import as CSV"
        )
        raise UnreadableFile(
            message.format(file=label, sheet=sheet, rows=scan.rows, columns=scan.columns, limit=f"{MAX_CELLS:,}")
        )
    return scan.percent


def _calamine_grid(
    path: Path, label: str, wanted: str | None, kind: str
) -> tuple[str, Iterator[tuple[int, list[str]]]]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    try:
        book = CalamineWorkbook.from_path(str(path))
        metadata = book.sheets_metadata
    except Exception as e:  # calamine raises its own kinds for a damaged file
        raise _unreadable(label, e) from e
    charts = {m.name for m in metadata if m.typ != SheetTypeEnum.WorkSheet}
    name = _pick([m.name for m in metadata], charts, label, wanted)

    try:
        percent = _scan(path, label, name, kind)
    except (NoCellReferences, UnreadableFile):
        book.close()
        raise
    except Exception as e:  # a damaged styles or content part
        book.close()
        raise _unreadable(label, e) from e

    def grid() -> Iterator[tuple[int, list[str]]]:
        try:
            table = book.get_sheet_by_name(name)
            top, left = table.start or (0, 0)
            for offset, row in enumerate(table.iter_rows()):
                number = top + offset
                cells = [
                    cell_as_text(v if v != "" else None, "0%" if (number, left + i) in percent else None)
                    for i, v in enumerate(row)
                ]
                yield number + 1, [""] * left + cells
        except UnreadableFile:
            raise
        except Exception as e:
            raise _unreadable(label, e) from e
        finally:
            book.close()

    return name, grid()
