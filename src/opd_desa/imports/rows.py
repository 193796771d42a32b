"""The plumbing every file kind shares: the summary, row errors, and reading cells of a row.

Handlers append problems to `summary.errors` instead of stopping, so a person sees every mistake in
the file at once; `import_file` then rolls the whole file back.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar, overload

from opd_desa.errors import UserError
from opd_desa.i18n import _
from opd_desa.imports.source import Source
from opd_desa.parse import ParseError

MAX_SHOWN_ERRORS = 20
PROGRESS_EVERY = 10_000

T = TypeVar("T")
Progress = Callable[[int], None]
Rows = Iterator[tuple[int, dict[str, str]]]  # (line, {field: cell text}) per record


@dataclass(frozen=True)
class RowError:
    """A problem found in one row: its line (or sheet row), the column to blame and what is wrong."""

    line: int
    column: str
    message: str

    def text(self, location: str) -> str:
        """`FILE:LINE: column: message` (`FILE:SHEET!ROW: ...` in a workbook: location is `FILE:SHEET!`)."""
        return f"{location}{self.line}: {self.column}: {self.message}"


class KeptErrors:
    """The row errors of a file, bounded: the MAX_SHOWN_ERRORS earliest (by line) and a count of all.

    A file of a million bad lines then costs no more memory than one of twenty.
    """

    def __init__(self, limit: int = MAX_SHOWN_ERRORS) -> None:
        self.limit = limit
        self.kept: list[RowError] = []
        self.total = 0

    def append(self, error: RowError) -> None:
        """Count `error`; keep it if it is among the earliest."""
        self.total += 1
        kept = self.kept
        if len(kept) < self.limit or error.line < kept[-1].line:
            kept.append(error)
            kept.sort(key=lambda e: e.line)
            del kept[self.limit :]

    def extend(self, errors: Iterable[RowError]) -> None:
        """Count and keep each of `errors`."""
        for error in errors:
            self.append(error)

    def sort(self, key: Callable[[RowError], Any] | None = None) -> None:
        """Kept in line order already (here for list-like callers)."""

    def __len__(self) -> int:
        return self.total

    def __eq__(self, other: object) -> bool:
        if isinstance(other, KeptErrors):
            return (self.kept, self.total) == (other.kept, other.total)
        if isinstance(other, list):
            return self.total == len(other) and self.kept == other[: self.limit]
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __bool__(self) -> bool:
        return self.total > 0

    def __iter__(self) -> Iterator[RowError]:
        return iter(self.kept)

    def __getitem__(self, index: slice) -> list[RowError]:
        return self.kept[index]


@dataclass
class ImportSummary:
    """What an import read and did; `as_dict()` is its JSON form."""

    file: str
    kind: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: KeptErrors = field(default_factory=KeptErrors)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    location: str = ""  # what precedes a line number in an error: `FILE:` or `FILE:SHEET!`
    insert_only: bool = False  # add what is missing, change nothing that is there (the example data)
    progress: Progress | None = field(default=None, repr=False)  # told the rows read so far

    def count(self, outcome: str) -> None:
        """Count one row as `inserted`, `updated` or `unchanged`."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    def add_error(self, line: int, problem: RowProblem) -> None:
        """Record the problem of one row and go on with the next."""
        self.errors.append(RowError(line, problem.column, problem.message))

    def as_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready values."""
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
        """The errors as the user reads them, the first MAX_SHOWN_ERRORS and a count of the rest."""
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


def records(source: Source, summary: ImportSummary) -> Rows:
    """(line, {field: cell text}) per record of `source`, counting rows and telling `summary.progress`.

    A wide poverty sheet's year cells come under the year as column name ("2021": "6.6")."""
    wide = source.year_columns if "year" not in source.columns else []
    for line, values, raw in source.rows():
        for year, index in wide:
            values[str(year)] = raw[index].strip() if index < len(raw) else ""
        summary.rows += 1
        if summary.progress and summary.rows % PROGRESS_EVERY == 0:
            summary.progress(summary.rows)
        yield line, values


@overload
def cell(values: dict[str, str], name: str) -> str | None: ...
@overload
def cell(values: dict[str, str], name: str, parser: Callable[[str], T]) -> T | None: ...
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


@overload
def required(values: dict[str, str], name: str) -> str: ...
@overload
def required(values: dict[str, str], name: str, parser: Callable[[str], T]) -> T: ...
def required(values: dict[str, str], name: str, parser: Callable[[str], Any] | None = None) -> Any:
    """The cell `name` of a row, parsed; an empty cell is a problem of that column."""
    value = cell(values, name) if parser is None else cell(values, name, parser)
    if value is None:
        raise RowProblem(name, _("is empty; this column is required"))
    return value


@contextmanager
def blame(column: str) -> Iterator[None]:
    """Turn a user error (unknown village, bad value) raised inside the block into a problem of `column`."""
    try:
        yield
    except RowProblem:
        raise
    except UserError as e:
        raise RowProblem(column, str(e)) from e


class Seen:
    """Natural keys met so far in the file: an exact repeat is skipped, a conflicting one is an error."""

    def __init__(self, column: str) -> None:
        self.column = column
        self.first: dict[Hashable, tuple[int, object]] = {}

    def is_new(self, key: Hashable, record: object, line: int) -> bool:
        """True the first time `key` is met; False for a repeat of the same record; else RowProblem."""
        previous = self.first.get(key)
        if previous is None:
            self.first[key] = (line, record)
            return True
        if previous[1] == record:
            return False
        raise RowProblem(
            self.column,
            _("the same key as line {line} with other values; keep one of the two").format(line=previous[0]),
        )
