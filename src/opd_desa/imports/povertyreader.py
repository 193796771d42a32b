"""Parse a poverty file into batches of figures, in a second process for a large file.

Parsing needs little of the database (the village codes are in memory), so for a national file
(840,000 rows) a forked process parses while the importing one writes. This is the hot loop of the
program: raw cells by position, and the answer for every village, year, rate and count text
remembered, since a national file repeats most of them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from opd_desa.csvio import clean_cell
from opd_desa.errors import UserError
from opd_desa.i18n import _
from opd_desa.imports.forked import can_fork, in_second_process
from opd_desa.imports.rows import RowError, RowProblem
from opd_desa.imports.source import Source
from opd_desa.parse import ParseError, parse_count, parse_rate, parse_year
from opd_desa.resolve import Resolver

BATCH = 5_000  # figures per batch handed to the writing side
PIPELINE_BYTES = 4 << 20  # files larger than this are read in a second process

T = TypeVar("T")
# village code, year, rate, poor, population, source text as read (the writing side checks the rate
# against the counts, and cleans the text once per text)
Figure = tuple[str, int, float | None, int | None, int | None, str]
Reader = Callable[[list[str]], list[Figure]]


@dataclass
class Batch:
    """What the reading side hands the writing side: figures read, the same village and year met
    again (to compare with the stored figure), and the problems found.

    A figure's rate is as read: the writing side checks it against the counts (`rate_from`), which
    takes that work off the reading side, the busier of the two. The figures travel as six columns
    (codes, years, rates, poor, populations, source texts) and their lines: through the pipe that is
    one list per column instead of a tuple per figure, and the writing side zips them straight into
    its prepared statement."""

    rows_read: int
    columns: tuple[Sequence[Any], ...] = ((), (), (), (), (), ())
    lines: Sequence[int] = ()  # the line of each figure
    repeats: list[tuple[int, Figure]] = field(default_factory=list)  # (line, figure)
    # figures with a count of poor but no population: checked against the stored population
    counts_only: list[tuple[int, Figure]] = field(default_factory=list)  # (line, figure)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the source's notes, on the last batch (a totals row)

    @property
    def figures(self) -> list[Figure]:
        """The figures as tuples (village code, year, rate, poor, population, source text)."""
        return list(zip(*self.columns, strict=True))

    def __len__(self) -> int:
        """The number of figures."""
        return len(self.columns[0])


def figure_batches(source: Source, conn: sqlite3.Connection) -> Iterator[Batch]:
    """The batches of `read_figures`: for a large file from a second process (forked, so it shares
    the open file and the village codes), which parses while this one writes; else in-process."""
    if (source.size or 0) <= PIPELINE_BYTES or not can_fork():  # a workbook, or small standard input
        return read_figures(source, Resolver(conn, bulk=True))
    # the codes are held by the reading side alone: this process lets go of them once the other has started
    return in_second_process(partial(read_figures, source, Resolver(conn, bulk=True)))


def read_figures(source: Source, resolver: Resolver) -> Iterator[Batch]:
    """Parse the poverty file into batches of figures; each (village, year) met again is a repeat."""
    if "year" in source.columns:
        return _long_batches(source, resolver)
    return _wide_batches(source, resolver)


def _long_batches(source: Source, resolver: Resolver) -> Iterator[Batch]:
    """Batches of a file with a year column and a rate (or poor and population) per row.

    The hot loop of a national import, written out in one place: every answer (village, year, rate,
    count) is looked up by its text in a dict, and only a text not met before is parsed. A row's
    first problem is kept, its columns looked at in order (village, year, rate, poor, population).
    """
    at = source.columns.get
    i_village, i_kecamatan, i_year, i_source = (
        source.columns["village"],
        at("kecamatan"),
        source.columns["year"],
        at("source"),
    )
    i_rate, i_poor, i_population = at("rate"), at("poor"), at("population")
    width = _width(source)
    codes, village_of = _village_index(source, resolver)
    years: dict[str, int] = {}
    rates: dict[str, float] = {}
    counts: dict[str, int] = {}  # poor and population
    texts: dict[str, str] = {}  # each source text once: one object for the pipe to send per batch
    batch = _Open()
    seen = batch.seen
    figures, lines, repeats, counts_only = batch.figures, batch.lines, batch.repeats, batch.counts_only
    read, until = 0, BATCH
    for line, cells in source.cells():
        read += 1
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        try:
            where = cells[i_village] if i_kecamatan is None else (cells[i_village], cells[i_kecamatan])
            code = codes.get(where) or village_of(cells)
            text = cells[i_year]
            year = years.get(text) or _parsed("year", years, text, parse_year)
            if year is None:
                raise RowProblem("year", _("is empty; this column is required"))
            rate: float | None = None
            poor: int | None = None
            population: int | None = None
            if i_rate is not None:
                text = cells[i_rate]
                rate = rates.get(text) or _parsed("rate", rates, text, parse_rate)
            if i_poor is not None:
                text = cells[i_poor]
                poor = counts.get(text) or _parsed("poor", counts, text, parse_count)
            if i_population is not None:
                text = cells[i_population]
                population = counts.get(text) or _parsed("population", counts, text, parse_count)
        except RowProblem as problem:
            batch.errors.append(RowError(line, problem.column, problem.message))
        else:
            text = cells[i_source] if i_source is not None else ""
            figure = (code, year, rate, poor, population, texts.setdefault(text, text))
            # _Open.add written out (a call per row is a tenth of the reading): a repeat, or a figure
            bit = 1 << (year - 2000)
            bits = seen.get(code, 0)
            if bits & bit:
                repeats.append((line, figure))
            else:
                seen[code] = bits | bit
                figures.append(figure)
                lines.append(line)
                if poor is not None and population is None:
                    counts_only.append((line, figure))
        if read == until:  # a batch holds at most BATCH figures and errors (a row gives one)
            yield batch.handed(read)
            figures, lines, repeats, counts_only = batch.figures, batch.lines, batch.repeats, batch.counts_only
            until += BATCH
    yield batch.handed(read, notes=list(source.notes))


class _Open:
    """The batch being filled; a village and year met before (one bit per year and village remembers
    them) is a repeat. Handed over with its figures as columns, it starts again empty."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}  # village code -> one bit per year already met
        self._empty()

    def _empty(self) -> None:
        self.figures: list[Figure] = []
        self.lines: list[int] = []
        self.repeats: list[tuple[int, Figure]] = []
        self.counts_only: list[tuple[int, Figure]] = []  # a count of poor without a population
        self.errors: list[RowError] = []

    def add(self, line: int, figure: Figure) -> None:
        """Take the figure of `line`: to store if its village and year are new, else a repeat."""
        code, bit = figure[0], 1 << (figure[1] - 2000)
        bits = self.seen.get(code, 0)
        if bits & bit:
            self.repeats.append((line, figure))
        else:
            self.seen[code] = bits | bit
            self.figures.append(figure)
            self.lines.append(line)
            if figure[3] is not None and figure[4] is None:
                self.counts_only.append((line, figure))

    def handed(self, rows_read: int, notes: list[str] | None = None) -> Batch:
        """The batch as handed over; this one starts again empty."""
        columns = tuple(zip(*self.figures, strict=True)) if self.figures else Batch.columns
        batch = Batch(rows_read, columns, self.lines, self.repeats, self.counts_only, self.errors, notes or [])
        self._empty()
        return batch


def _wide_batches(source: Source, resolver: Resolver) -> Iterator[Batch]:
    """Batches of a "wide" sheet: a figure per filled year cell of each row."""
    read_row = _wide_reader(source, resolver)
    width = _width(source)
    batch = _Open()
    read = 0
    for line, cells in source.cells():
        read += 1
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        try:
            for figure in read_row(cells):
                batch.add(line, figure)
        except RowProblem as problem:
            batch.errors.append(RowError(line, problem.column, problem.message))
        if len(batch.figures) + len(batch.errors) >= BATCH:  # a file of bad lines is not held whole
            yield batch.handed(read)
    yield batch.handed(read, notes=list(source.notes))


def _width(source: Source) -> int:
    """Cells a record must have to be read by position (a shorter one is padded with blanks)."""
    return 1 + max([*source.columns.values(), *(index for _year, index in source.year_columns)])


def _village_index(source: Source, resolver: Resolver) -> tuple[dict[Any, str], Callable[[list[str]], str]]:
    """(the code of each village text met, keyed by the row's village cell, or its village and
    kecamatan cells; cells -> code, which resolves a text not met yet and keeps its code there)."""
    i_village, i_kecamatan = source.columns["village"], source.columns.get("kecamatan")
    codes: dict[Any, str] = {}

    def village_of(cells: list[str]) -> str:
        where = cells[i_village] if i_kecamatan is None else (cells[i_village], cells[i_kecamatan])
        code = codes.get(where)
        if code is None:
            kecamatan = clean_cell(cells[i_kecamatan]) if i_kecamatan is not None else ""
            try:
                # kept in `codes` only (the resolver's own memory of it would double the reader's)
                code = resolver.code_of(clean_cell(cells[i_village]), kecamatan or None)
            except (ParseError, UserError) as e:
                raise RowProblem("village", str(e)) from e
            codes[code if where == code else where] = code  # a code as written is kept once, not twice
        return code

    return codes, village_of


def _wide_reader(source: Source, resolver: Resolver) -> Reader:
    """cells -> a figure per filled year cell, for a "wide" sheet with one rate column per year."""
    _codes, village_of = _village_index(source, resolver)
    i_source = source.columns.get("source")
    wide = [(index, str(year), year) for year, index in source.year_columns]
    rates: dict[str, float] = {}

    def read_row(cells: list[str]) -> list[Figure]:
        code = village_of(cells)
        text = cells[i_source] if i_source is not None else ""
        found: list[Figure] = []
        for index, name, year in wide:
            rate = _parsed(name, rates, cells[index], parse_rate)
            if rate is not None:
                found.append((code, year, round(rate, 2), None, None, text))
        return found

    return read_row


def _parsed(column: str, cache: dict[str, T], text: str, parser: Callable[[str], T]) -> T | None:
    """`parser(text)`, remembered in `cache`; None for a blank cell; a parse error is a problem of `column`."""
    value = cache.get(text)
    if value is None and text.strip():
        try:
            value = cache[text] = parser(text)
        except ParseError as e:
            raise RowProblem(column, str(e)) from e
    return value
