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

    label = property(lambda self: self.source.label)
    location = property(lambda self: self.source.location)
    header = property(lambda self: [*self.source.header, *[""] * (self.at - len(self.source.header)), "year"])
    header_line = property(lambda self: self.source.header_line)
    year_columns = property(lambda self: self.source.year_columns)
    notes = property(lambda self: self.source.notes)
    size = property(lambda self: self.source.size)

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
