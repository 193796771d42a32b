"""Import CSV files of the six kinds: all or nothing, upserting by natural key.

Every row is parsed and applied inside one write transaction; problems are collected as
`FILE:LINE: column: message` and, if there is any (or on `--dry-run`), the transaction is rolled
back so the database is exactly as it was. The handlers per kind live in `importers.py`; poverty
figures, which can be national (840,000 rows), go in as batched upserts.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from opd_desa import changelog
from opd_desa.csvio import CsvFormatError, Table, open_table
from opd_desa.db import transaction
from opd_desa.errors import ImportFailed, InvalidValue, UserError
from opd_desa.i18n import _
from opd_desa.importkinds import FIELDS, KINDS, REQUIRED
from opd_desa.parse import ParseError

MAX_SHOWN_ERRORS = 20
PROGRESS_EVERY = 10_000


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def text(self, location: str) -> str:
        """`FILE:LINE: column: message` (`FILE:SHEET!ROW: ...` in a workbook: location is `FILE:SHEET!`)."""
        return f"{location}{self.line}: {self.column}: {self.message}"


@dataclass
class ImportSummary:
    """What an import read and did; `as_dict()` is its JSON form."""

    file: str
    kind: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    location: str = ""  # what precedes a line number in an error: `FILE:` or `FILE:SHEET!`
    insert_only: bool = False  # add what is missing, change nothing that is there (the example data)
    progress: Callable[[int], None] | None = field(default=None, repr=False)  # told the rows read so far

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def as_dict(self) -> dict[str, Any]:
        written = not self.errors  # a file with errors wrote nothing, whatever the counts were
        return {
            "file": self.file,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "inserted": self.inserted if written else 0,
            "updated": self.updated if written else 0,
            "unchanged": self.unchanged if written else 0,
            "errors": [{"line": e.line, "column": e.column, "message": e.message} for e in self.errors],
        }

    def error_lines(self) -> list[str]:
        shown = [e.text(self.location or f"{self.file}:") for e in self.errors[:MAX_SHOWN_ERRORS]]
        if len(self.errors) > MAX_SHOWN_ERRORS:
            shown.append(_("... and {n} more errors").format(n=len(self.errors) - MAX_SHOWN_ERRORS))
        return shown


class RowProblem(Exception):
    """A problem with one cell of one row (raised by the row handlers, collected by the importer)."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


class _Rollback(Exception):
    """Unwinds the transaction after a dry run or a file with errors."""


Progress = Callable[[int], None]


def cell(values: dict[str, str], name: str, parser: Callable[[str], Any] | None = None) -> Any:
    """The cell `name` of a row, parsed; None when absent or empty. Parse errors name the column."""
    text = values.get(name, "")
    if text == "":
        return None
    if parser is None:
        return text
    try:
        return parser(text)
    except ParseError as e:
        raise RowProblem(name, str(e)) from e


def required(values: dict[str, str], name: str, parser: Callable[[str], Any] | None = None) -> Any:
    value = cell(values, name, parser)
    if value is None:
        raise RowProblem(name, _("is empty; this column is required"))
    return value


def guard(column: str, call: Callable[[], Any]) -> Any:
    """Run `call`, turning a user error (unknown village, bad value) into a problem of `column`."""
    try:
        return call()
    except RowProblem:
        raise
    except UserError as e:
        raise RowProblem(column, str(e)) from e


def import_file(
    conn: sqlite3.Connection,
    kind: str,
    source: str | Path,
    *,
    dry_run: bool = False,
    delimiter: str | None = None,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
    sheet: str | None = None,
    insert_only: bool = False,
) -> ImportSummary:
    """Import one file of `kind`; raise ImportFailed (with the summary) when any row is wrong."""
    if kind not in KINDS:
        raise InvalidValue(_("cannot import '{kind}'; choose one of {kinds}").format(kind=kind, kinds=", ".join(KINDS)))
    from opd_desa import xlsx

    try:
        if xlsx.is_workbook(source):
            table: Table | xlsx.Sheet = xlsx.open_sheet(source, FIELDS[kind], sheet=sheet)
            location = table.location
        else:
            if sheet is not None:
                raise ImportFailed(_("--sheet is for .xlsx workbooks; {file} is read as CSV").format(file=source))
            table = open_table(source, FIELDS[kind], delimiter=delimiter, encoding=encoding, stdin=stdin)
            location = f"{table.label}:"
    except CsvFormatError as e:
        raise ImportFailed(str(e)) from e
    with table:
        summary = ImportSummary(
            table.label,
            kind,
            notes=list(table.notes),
            dry_run=dry_run,
            location=location,
            insert_only=insert_only,
            progress=progress,
        )
        _check_columns(table, kind, location)
        from opd_desa.services import importers

        handler = importers.HANDLERS[kind]
        try:
            with transaction(conn):
                handler(conn, table, summary, _rows(table, summary))
                if summary.errors or dry_run:
                    raise _Rollback
                log_import(conn, summary)
        except _Rollback:
            pass
        except CsvFormatError as e:
            raise ImportFailed(str(e), summary) from e
    if summary.errors:
        raise ImportFailed("\n".join(summary.error_lines()), summary)
    return summary


def _rows(table: Table, summary: ImportSummary) -> Iterator[tuple[int, dict[str, str]]]:
    wide = table.year_columns if "year" not in table.columns else []
    for line, values, raw in table.rows():
        for year, index in wide:  # a wide sheet's year cells, under the year as column name
            values[str(year)] = raw[index].strip() if index < len(raw) else ""
        summary.rows += 1
        if summary.progress and summary.rows % PROGRESS_EVERY == 0:
            summary.progress(summary.rows)
        yield line, values


def _check_columns(table: Table, kind: str, location: str) -> None:
    missing = [name for name in REQUIRED[kind] if name not in table.columns]
    if kind == "poverty":
        if table.year_columns:
            missing = [m for m in missing if m not in ("year", "rate")]
        elif "rate" in missing and "poor" in table.columns and "population" in table.columns:
            missing.remove("rate")
    if missing:
        names = ", ".join(_column_help(kind, m) for m in missing)
        raise ImportFailed(
            _("{location}{line}: the header has no column for {names}; found: {found}").format(
                location=location, line=table.header_line, names=names, found=", ".join(table.header) or "-"
            )
        )


def _column_help(kind: str, name: str) -> str:
    field_ = next(f for f in FIELDS[kind] if f.name == name)
    return f"'{name}'" + (f" ({' / '.join(field_.aliases[:3])})" if field_.aliases else "")


def log_import(conn: sqlite3.Connection, summary: ImportSummary) -> None:
    """One change-log entry for the import as a whole (row-level updates are logged by the handlers)."""
    if summary.inserted or summary.updated:
        changelog.record(
            conn,
            summary.kind,
            summary.file,
            None,
            {
                "import": summary.file,
                "rows": summary.rows,
                "inserted": summary.inserted,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
            },
        )
