"""What an importer reads from: a `Source` is an open file (CSV or worksheet) whose header is matched.

The CSV reader (`csvfile.Table`) and the workbook reader (`workbook.Sheet`) both satisfy it, so
every parser, rule and error message downstream is shared between them.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import Protocol, Self


class UnreadableFile(Exception):
    """The file cannot be read as a table at all (not a CSV file, no header, a broken quote...).

    str(e) is one line naming the file (and line, where one is to blame) and what to do.
    """


class Source(Protocol):
    """An open table: its header matched to the fields of a file kind, its records streamed."""

    @property
    def label(self) -> str:
        """The file as named in messages (`<stdin>` for standard input)."""

    @property
    def location(self) -> str:
        """What precedes a line number in an error: `FILE:` (CSV) or `FILE:SHEET!` (workbook)."""

    @property
    def header(self) -> list[str]:
        """The header cells as written in the file."""

    @property
    def header_line(self) -> int:
        """The line (or sheet row) of the header."""

    @property
    def columns(self) -> dict[str, int]:
        """Field name -> index of its cell in a record."""

    @property
    def year_columns(self) -> list[tuple[int, int]]:
        """(year, index) of each year column of a wide poverty sheet."""

    @property
    def notes(self) -> list[str]:
        """What the reader decided on its own (encoding, ignored columns), to tell the user."""

    @property
    def size(self) -> int | None:
        """Bytes in the file when it is one on disk the reader could hand to a second process, else None."""

    def cells(self) -> Iterator[tuple[int, list[str]]]:
        """(line of the record, its cells as read) per non-empty record below the header."""

    def rows(self) -> Iterator[tuple[int, dict[str, str], list[str]]]:
        """(line of the record, {field: cleaned cell}, its cells as read) per non-empty record."""

    def close(self) -> None:
        """Let go of the file."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
