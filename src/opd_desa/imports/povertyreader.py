"""Parse a poverty file into batches of figures, in a second process for a large file.

Parsing touches no database (the village index is in memory), so for a national file (840,000
rows) a forked process parses while the importing one writes. This is the hot loop of the program:
raw cells by position, and the answer for every village, year, rate and count text remembered,
since a national file repeats most of them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from opd_desa.csvio import clean_cell
from opd_desa.errors import UserError
from opd_desa.i18n import _
from opd_desa.imports.rows import RowError, RowProblem
from opd_desa.imports.source import Source
from opd_desa.parse import ParseError, parse_count, parse_rate, parse_year
from opd_desa.resolve import Resolver

BATCH = 5_000  # figures per batch handed to the writing side
PIPELINE_BYTES = 4 << 20  # files larger than this are read in a second process

T = TypeVar("T")
# village code, year, rate, poor, population, source text as read (the writing side cleans it once per text)
Figure = tuple[str, int, float, int | None, int | None, str]
Reader = Callable[[list[str]], list[Figure]]


@dataclass
class Batch:
    """What the reading side hands the writing side: figures ready to store, the same village and
    year met again (to compare with the stored figure), and the problems found."""

    rows_read: int
    figures: list[Figure] = field(default_factory=list)
    repeats: list[tuple[int, Figure]] = field(default_factory=list)  # (line, figure)
    # figures with a count of poor but no population: checked against the stored population
    counts_only: list[tuple[int, Figure]] = field(default_factory=list)  # (line, figure)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the source's notes, on the last batch (a totals row)


def figure_batches(source: Source, conn: sqlite3.Connection) -> Iterator[Batch]:
    """The batches of `read_figures`: for a large file from a second process (forked, so it shares
    the open file and the village index), which parses while this one writes; else in-process."""
    import contextlib
    import multiprocessing

    index = [Resolver(conn, bulk=True)]  # in a list, so this process can let go of it after the fork
    size = source.size or 0  # a workbook, or small standard input: read here
    if size <= PIPELINE_BYTES or "fork" not in multiprocessing.get_all_start_methods():
        yield from read_figures(source, index[0])
        return
    receiver, sender = multiprocessing.Pipe(duplex=False)

    def produce() -> None:
        receiver.close()  # else a writer killed mid-import would leave this end open and us blocked
        try:
            for batch in read_figures(source, index[0]):
                sender.send(batch)
            sender.send(None)
        except (BrokenPipeError, ConnectionError):
            return  # the writing process is gone (finished with an error, or killed): nothing to do
        except BaseException as e:  # handed to the writing process, which reports it
            with contextlib.suppress(BrokenPipeError, ConnectionError):
                sender.send(e)

    reader = multiprocessing.get_context("fork").Process(target=produce, daemon=True)
    reader.start()
    sender.close()
    index.clear()  # only the reading process needs the village index from here on
    try:
        while True:
            try:
                message = receiver.recv()
            except EOFError:
                raise RuntimeError("the process reading the file stopped unexpectedly") from None
            if message is None:
                return
            if isinstance(message, BaseException):
                raise message
            yield message
    finally:
        receiver.close()
        if reader.is_alive():
            reader.terminate()
        reader.join()


def read_figures(source: Source, resolver: Resolver) -> Iterator[Batch]:
    """Parse the poverty file into batches of figures; each (village, year) met again is a repeat."""
    read_row = _wide_reader(source, resolver) if "year" not in source.columns else _long_reader(source, resolver)
    width = 1 + max([*source.columns.values(), *(index for _year, index in source.year_columns)])
    seen: dict[str, int] = {}  # village code -> one bit per year already met
    batch = Batch(0)
    read = 0
    for line, cells in source.cells():
        read += 1
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        try:
            for figure in read_row(cells):
                code, bit = figure[0], 1 << (figure[1] - 2000)
                bits = seen.get(code, 0)
                if bits & bit:
                    batch.repeats.append((line, figure))
                else:
                    seen[code] = bits | bit
                    batch.figures.append(figure)
                    if figure[3] is not None and figure[4] is None:
                        batch.counts_only.append((line, figure))
        except RowProblem as problem:
            batch.errors.append(RowError(line, problem.column, problem.message))
        if len(batch.figures) + len(batch.errors) >= BATCH:  # a file of bad lines is not held whole
            batch.rows_read = read
            yield batch
            batch = Batch(0)
    batch.rows_read = read
    batch.notes = list(source.notes)
    yield batch


def _village_reader(source: Source, resolver: Resolver) -> Callable[[list[str]], str]:
    """cells -> the code of the row's village (by its village and kecamatan cells), remembered per text."""
    i_village, i_kecamatan = source.columns["village"], source.columns.get("kecamatan")
    codes: dict[object, str] = {}

    def village_of(cells: list[str]) -> str:
        where = cells[i_village] if i_kecamatan is None else (cells[i_village], cells[i_kecamatan])
        code = codes.get(where)
        if code is None:
            kecamatan = clean_cell(cells[i_kecamatan]) if i_kecamatan is not None else ""
            try:
                code = codes[where] = resolver.village(clean_cell(cells[i_village]), kecamatan or None).code
            except (ParseError, UserError) as e:
                raise RowProblem("village", str(e)) from e
        return code

    return village_of


def _long_reader(source: Source, resolver: Resolver) -> Reader:
    """cells -> [figure] for a file with a year column and a rate (or poor and population) per row."""
    from opd_desa.services.figures import rate_from  # the one rule for a rate and its counts

    at = source.columns.get
    village_of = _village_reader(source, resolver)
    i_year, i_source = source.columns["year"], at("source")
    i_rate, i_poor, i_population = at("rate"), at("poor"), at("population")
    years: dict[str, int] = {}
    rates: dict[str, float] = {}
    counts: dict[str, int] = {}  # poor and population

    def read_row(cells: list[str]) -> list[Figure]:
        code = village_of(cells)
        year = years.get(cells[i_year]) or _parsed("year", years, cells[i_year], parse_year)
        if year is None:
            raise RowProblem("year", _("is empty; this column is required"))
        rate: float | None = None
        poor: int | None = None
        population: int | None = None
        if i_rate is not None:
            rate = rates.get(cells[i_rate]) or _parsed("rate", rates, cells[i_rate], parse_rate)
        if i_poor is not None:
            poor = counts.get(cells[i_poor]) or _parsed("poor", counts, cells[i_poor], parse_count)
        if i_population is not None:
            text = cells[i_population]
            population = counts.get(text) or _parsed("population", counts, text, parse_count)
        try:
            rate = rate_from(rate, poor, population)
        except (ParseError, UserError) as e:
            raise RowProblem("rate", str(e)) from e
        return [(code, year, rate, poor, population, cells[i_source] if i_source is not None else "")]

    return read_row


def _wide_reader(source: Source, resolver: Resolver) -> Reader:
    """cells -> a figure per filled year cell, for a "wide" sheet with one rate column per year."""
    village_of = _village_reader(source, resolver)
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
