"""A poverty sheet with no year column, read as if every row had `year` (`import poverty --year`).

Such sheets carry their year only in the title ("DATA ... TAHUN 2022"); the year column is added
after the last cell, so every reader and rule downstream stays as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType

from opd_desa.imports.source import Source


class WithYear:
    """A `Source` whose records all end with one more cell, the given year, matched as `year`."""

    def __init__(self, source: Source, year: int) -> None:
        self.source = source
        self.year = str(year)
        self.at = 1 + max([*source.columns.values(), *(i for _y, i in source.year_columns), len(source.header) - 1])

    @property
    def label(self) -> str:
        """The source's name in messages."""
        return self.source.label

    @property
    def location(self) -> str:
        """The source's prefix of a line number."""
        return self.source.location

    @property
    def header(self) -> list[str]:
        """The source's header, with `year` as the added column."""
        return [*self.source.header, *[""] * (self.at - len(self.source.header)), "year"]

    @property
    def header_line(self) -> int:
        """The source's header line."""
        return self.source.header_line

    @property
    def year_columns(self) -> list[tuple[int, int]]:
        """The source's year columns (none: a sheet with them is refused with --year)."""
        return self.source.year_columns

    @property
    def notes(self) -> list[str]:
        """The source's notes."""
        return self.source.notes

    @property
    def size(self) -> int | None:
        """The source's size (a large CSV file is parsed in a second process)."""
        return self.source.size

    @property
    def columns(self) -> dict[str, int]:
        """The source's columns and `year`."""
        return {**self.source.columns, "year": self.at}

    def cells(self) -> Iterator[tuple[int, list[str]]]:
        """The source's records, each padded to the year column and ending with the year."""
        at, year = self.at, self.year
        for line, cells in self.source.cells():
            yield line, [*cells[:at], *[""] * (at - len(cells)), year]

    def rows(self) -> Iterator[tuple[int, dict[str, str], list[str]]]:
        """The source's rows with `year` set."""
        for line, values, raw in self.source.rows():
            yield line, {**values, "year": self.year}, raw

    def close(self) -> None:
        """Close the source."""
        self.source.close()

    def __enter__(self) -> WithYear:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
