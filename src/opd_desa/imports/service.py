"""`import_file`: import one file of one of the six kinds, all or nothing, upserting by natural key.

Every row is parsed and applied inside one write transaction; problems are collected as
`FILE:LINE: column: message` and, if there is any (or on a dry run), the transaction is rolled back
so the database is exactly as it was.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from opd_desa import changelog
from opd_desa.db import transaction
from opd_desa.errors import ImportFailed, InvalidValue
from opd_desa.i18n import _
from opd_desa.imports import activities, agencies, figures, pairings, poverty, targets, villages
from opd_desa.imports.forked import in_one_process
from opd_desa.imports.formats import FIELDS, KINDS, missing_columns
from opd_desa.imports.header import HeaderMatch
from opd_desa.imports.rows import ImportSummary, Progress, Rows, records
from opd_desa.imports.source import Source, UnreadableFile

RowHandler = Callable[[sqlite3.Connection, ImportSummary, Rows], None]

# the kinds read row by row; poverty reads its source's raw cells itself (poverty.import_poverty)
ROW_HANDLERS: dict[str, RowHandler] = {
    "villages": villages.import_villages,
    "agencies": agencies.import_agencies,
    "pairings": pairings.import_pairings,
    "targets": targets.import_targets,
    "activities": activities.import_activities,
}


class _Rollback(Exception):
    """Unwinds the transaction after a dry run or a file with errors."""


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
    measure: str | None = None,
    year: int | None = None,
) -> ImportSummary:
    """Import one file of `kind`; raise ImportFailed (with the summary) when any row is wrong.

    `year` is the year of every row of a poverty sheet that has no year column; `measure` and `year`
    stand in for a figures file's missing measure or year column."""
    if kind not in KINDS:
        raise InvalidValue(_("cannot import '{kind}'; choose one of {kinds}").format(kind=kind, kinds=", ".join(KINDS)))
    try:
        opened = open_source(source, kind, delimiter=delimiter, encoding=encoding, stdin=stdin, sheet=sheet, year=year)
    except UnreadableFile as e:
        raise ImportFailed(str(e)) from e
    if year is not None and kind != "figures":  # a figures file's own reader takes the year
        opened = _with_year(opened, kind, year)
    with opened:
        summary = ImportSummary(
            opened.label,
            kind,
            notes=list(opened.notes),
            dry_run=dry_run,
            location=opened.location,
            insert_only=insert_only,
            progress=progress,
        )
        _check_columns(opened, kind)
        references = _references_known(conn) if kind in ("poverty", "figures") else contextlib.nullcontext()
        # inside a caller's transaction, the file is read here: a second process could not see its changes
        processes = in_one_process() if conn.in_transaction else contextlib.nullcontext()
        try:
            with references, processes, transaction(conn):
                if kind == "poverty":
                    poverty.import_poverty(conn, opened, summary)
                elif kind == "figures":
                    figures.import_figures(
                        conn,
                        summary,
                        records(opened, summary),
                        columns=opened.columns,
                        year_columns=opened.year_columns,
                        measure=measure,
                        year=year,
                        source=opened,
                    )
                else:
                    ROW_HANDLERS[kind](conn, summary, records(opened, summary))
                if summary.errors or dry_run:
                    raise _Rollback
                log_import(conn, summary)
        except _Rollback:
            pass
        except UnreadableFile as e:
            raise ImportFailed(str(e), summary) from e
        summary.notes.extend(note for note in opened.notes if note not in summary.notes)  # found while reading
    if summary.errors:
        raise ImportFailed("\n".join(summary.error_lines()), summary)
    return summary


def open_source(
    source: str | Path,
    kind: str,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
    sheet: str | None = None,
    year: int | None = None,
) -> Source:
    """The file opened with the reader its name calls for (.xlsx/.xlsm/.xls/.ods: a worksheet; else
    CSV), its header being the first row (of the first ten) that names the columns `kind` needs."""
    from opd_desa.imports import csvfile, workbook

    def wanted(match: HeaderMatch) -> bool:
        return not missing_columns(kind, match.columns, match.year_columns, year_given=year is not None)

    if workbook.is_workbook(source):
        return workbook.open_sheet(source, FIELDS[kind], sheet=sheet, wanted=wanted)
    if sheet is not None:
        raise UnreadableFile(_("--sheet is for workbooks; {file} is read as CSV").format(file=source))
    return csvfile.open_table(source, FIELDS[kind], delimiter=delimiter, encoding=encoding, stdin=stdin, wanted=wanted)


def _with_year(source: Source, kind: str, year: int) -> Source:
    """`source` with a year column holding `year` on every row (`import poverty FILE --year 2022`)."""
    from opd_desa.imports.withyear import WithYear

    if kind != "poverty":
        source.close()
        message = _("--year is for poverty and figures files only; {kind} files carry their own dates")
        raise ImportFailed(message.format(kind=kind))
    if "year" in source.columns or source.year_columns:
        source.close()
        message = _("{location}{line}: the sheet has its own year column(s); leave out --year")
        raise ImportFailed(message.format(location=source.location, line=source.header_line))
    return WithYear(source, year)


def _check_columns(source: Source, kind: str) -> None:
    missing = missing_columns(kind, source.columns, source.year_columns)
    if missing:
        names = ", ".join(_column_help(kind, m) for m in missing)
        message = _("{location}{line}: the header has no column for {names}; found: {found}").format(
            location=source.location,
            line=source.header_line,
            names=names,
            found=", ".join(h for h in source.header if h) or "-",
        )
        if kind == "poverty" and missing == ["year"]:
            message += _(" (a sheet whose year is only in its title: give it with --year, e.g. --year 2022)")
        raise ImportFailed(message)


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


@contextlib.contextmanager
def _references_known(conn: sqlite3.Connection) -> Iterator[None]:
    """SQLite's foreign-key lookups left out while a poverty or figures file is written (around the
    import's transaction: the setting is only read outside one).

    Every village or region code written is one the index read from `villages`/`regions` inside the
    same write transaction, every measure one read from `measures`, and every source id one found or
    added in it, so the lookup SQLite makes per row (about a third of the writing) can never fail; a
    place the index does not know is still refused row by row, with its line. `opd-desa check` runs
    SQLite's foreign_key_check over the whole database."""
    if conn.in_transaction or not conn.execute("PRAGMA foreign_keys").fetchone()[0]:
        yield
        return
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
