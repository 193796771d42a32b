"""Read a sheet of village figures with a column per measure into batches, in a second process when large.

A national IDM and extreme-poverty file has 840,000 rows and 1.7 million figures. Like the poverty
reader (whose village lookup and memoised parsing this reuses), it reads raw cells by position and
remembers what every text comes to, since such a file repeats most of them; a forked process parses
while the importing one writes. Every cell is checked by `figurechecks`, as in the row-by-row import,
and the first problem of each row is the one that import names.

A figure met again (the same village, year and measure) is rare: its line and key are noted, and it
is compared with the first occurrence after the file is read, in a second pass over it, so that
nothing is held per figure but one bit.
"""

from __future__ import annotations

import marshal
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from opd_desa.csvio import clean_cell
from opd_desa.imports.figurechecks import (
    WIDE_MEASURES,
    empty_place,
    empty_year,
    figure_value,
    repeated_figure,
    status_problem,
)
from opd_desa.imports.forked import can_fork, in_second_process
from opd_desa.imports.povertyreader import BATCH, PIPELINE_BYTES, _parsed, _village_index
from opd_desa.imports.rows import RowError, RowProblem
from opd_desa.imports.source import Source
from opd_desa.measures import POVERTY, Measure
from opd_desa.parse import parse_count, parse_year
from opd_desa.resolve import Resolver
from opd_desa.rules import MAX_YEAR, MIN_YEAR
from opd_desa.services.figures import SourceIds

# a row of `poverty` (village, year, rate, poor, population, source id) or of `figures` (the same
# after the measure id), ready to store
Figure = tuple[Any, ...]
# a row read: its village code, year, figures (in the order of the sheet's measure columns), the
# columns that hold one (a bit per column, _SPAN bits apart), and the problem met after them (if any)
Row = tuple[str, int, list[Figure], int, RowProblem | None]
_SPAN = MAX_YEAR - MIN_YEAR + 1  # bits per measure column in the years met of a village
# (village code, column and year) of a figure met again -> the line and stored values of its first
# occurrence, once the second pass has met it
_Wanted = dict[tuple[str, int], tuple[int, tuple[Any, ...]] | None]
_NOT_WANTED: tuple[int, tuple[Any, ...]] = (0, ())


class _Blank:
    """An empty cell, as remembered (None means not yet met)."""


_BLANK = _Blank()
# what a measure cell's text comes to: its figure and the population beside it, a problem, or blank
_Value = tuple[float, int | None] | RowProblem | _Blank


@dataclass
class Batch:
    """What the reading side hands the writing side: figures ready to store by table, and the
    problems found. Pickled with `marshal` for its figures, several times faster for plain tuples."""

    rows_read: int
    figures: dict[str, list[Figure]] = field(default_factory=dict)  # table -> its rows, in file order
    sources: list[tuple[int, str]] = field(default_factory=list)  # (id, text) to store before the rows
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the source's notes, on the last batch (a totals row)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "figures": marshal.dumps(self.figures)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, figures=marshal.loads(state["figures"]))


@dataclass(frozen=True)
class _Column:
    """A measure column of the sheet: its position among them, name, cell index and measure."""

    slot: int
    name: str
    index: int
    measure: Measure

    @property
    def table(self) -> str:
        return "poverty" if self.measure.key == POVERTY else "figures"


def takes(shape: str, columns: dict[str, int]) -> bool:
    """True for a sheet this reader reads: a column per measure, and villages named by one column
    (regions, and village names in a second column, are looked up in the database row by row)."""
    return shape == "wide_measure" and "village" in columns and not {"region", "village_name"} & columns.keys()


def figure_batches(
    source: Source, conn: sqlite3.Connection, measures: dict[str, Measure], year: int | None
) -> Iterator[Batch]:
    """The batches of `read_figures`: for a large file from a second process (forked, so it shares
    the open file and the village codes), which parses while this one writes; else in-process."""
    read = partial(read_figures, source, Resolver(conn, bulk=True), SourceIds(conn), measures, year)
    if (source.size or 0) <= PIPELINE_BYTES or not can_fork():
        return read()
    return in_second_process(read)


def read_figures(
    source: Source, resolver: Resolver, sources: SourceIds, measures: dict[str, Measure], year: int | None
) -> Iterator[Batch]:
    """Check every row of the sheet and hand over its figures in batches of about BATCH; once a
    problem is found only problems are handed over (nothing will be written)."""
    columns = [
        _Column(slot, name, source.columns[name], measures[key])
        for slot, (name, key) in enumerate((n, k) for n, k in WIDE_MEASURES.items() if n in source.columns)
    ]
    read_row = _row_reader(source, resolver, sources, columns, year)
    tables = {column.table for column in columns}
    width = 1 + max(source.columns.values())
    seen: dict[str, int] = {}  # village code -> the years met, a bit per measure column and year
    again: list[int] = []  # the lines holding a figure met before
    wanted: _Wanted = {}  # (village code, column and year) of each figure met again
    failed = False
    rows = held = 0
    batch = Batch(0, {table: [] for table in tables})
    out = batch.figures["figures"] if tables == {"figures"} else None  # one table: no sorting out
    for line, cells in source.cells():
        rows += 1
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        try:
            code, row_year, found, filled, problem = read_row(cells)
        except RowProblem as e:
            batch.errors.append(RowError(line, e.column, e.message))
            failed = True
            continue
        bits = seen.get(code, 0)
        mask = filled << (row_year - MIN_YEAR)
        if bits & mask:  # a figure met before: the row is checked again after the file is read
            offset = row_year - MIN_YEAR
            slotted = [(slot, figure, slot * _SPAN + offset) for slot, figure in _slotted(found, filled)]
            wanted.update(dict.fromkeys((code, at) for _slot, _figure, at in slotted if bits >> at & 1))
            found = [figure for _slot, figure, at in slotted if not bits >> at & 1]
            again.append(line)
            mask &= ~bits
            problem = None
        seen[code] = bits | mask
        if problem is not None:
            batch.errors.append(RowError(line, problem.column, problem.message))
            failed = True
        elif not failed:
            if out is not None:
                out.extend(found)
            else:
                for figure in found:
                    batch.figures["poverty" if len(figure) == 6 else "figures"].append(figure)
            held += len(found)
        if held + len(batch.errors) >= BATCH:  # a file of bad lines is not held whole either
            batch.rows_read = rows
            batch.sources = sources.taken()
            yield _sent(batch, failed)
            batch = Batch(0, {table: [] for table in tables})
            out = batch.figures["figures"] if tables == {"figures"} else None
            held = 0
    if again:
        batch.errors.extend(_repeats_checked(source, read_row, columns, again, wanted))
    batch.rows_read = rows
    batch.notes = list(source.notes)
    batch.sources = sources.taken()
    yield _sent(batch, failed or bool(batch.errors))


def _sent(batch: Batch, failed: bool) -> Batch:
    """`batch` as handed over: without figures once a problem is found."""
    if failed:
        batch.figures = {}
    return batch


def _slotted(found: list[Figure], filled: int) -> list[tuple[int, Figure]]:
    """(measure column, figure) of a row's figures."""
    slots = (slot for slot in range(filled.bit_length() // _SPAN + 1) if filled >> (slot * _SPAN) & 1)
    return list(zip(slots, found, strict=True))


def _repeats_checked(
    source: Source,
    read_row: Callable[[list[str]], Row],
    columns: list[_Column],
    again: list[int],
    wanted: _Wanted,
) -> list[RowError]:
    """The problems of the rows holding a figure met before, from the file read again from the top
    as the first pass read it: another figure than the first is one (naming the first line); the
    same one is skipped, and the row's own problem stands. Only the figures met again are kept,
    in `wanted`, with the line that first gave them."""
    errors = []
    lines = iter(again)
    next_line = next(lines)
    width = 1 + max(source.columns.values())
    for line, cells in source.cells():
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        try:
            code, row_year, found, filled, problem = read_row(cells)
        except RowProblem:
            continue
        offset = row_year - MIN_YEAR
        other: RowProblem | None = None
        for slot, figure in _slotted(found, filled):
            key = (code, slot * _SPAN + offset)
            earlier = wanted.get(key, _NOT_WANTED)
            if earlier is _NOT_WANTED:
                continue
            values = figure[-4:]  # the rest is the key
            if earlier is None:
                wanted[key] = (line, values)
            elif other is None and earlier[1] != values:
                other = repeated_figure(columns[slot].name, earlier[0])
        if line == next_line:
            problem = other or problem
            if problem is not None:
                errors.append(RowError(line, problem.column, problem.message))
            next_line = next(lines, 0)
            if not next_line:
                break
    return errors


def _row_reader(
    source: Source, resolver: Resolver, source_ids: SourceIds, columns: list[_Column], year: int | None
) -> Callable[[list[str]], Row]:
    """cells -> the row read; a problem before any figure (the village, the year) is raised.

    The checks, and their order, are those of the row-by-row import: the village, the year, each
    measure column (with the population beside it), then the IDM status against the score. This is
    the hot loop of a national import: every answer is remembered by the cell's text as read."""
    at = source.columns.get
    codes, village_of = _village_index(source, resolver)
    i_village, i_kecamatan, i_year = source.columns["village"], at("kecamatan"), at("year")
    i_population, i_source, i_status, i_idm = at("population"), at("source"), at("status_idm"), at("idm")
    years: dict[str, int] = {}
    populations: dict[str, int] = {}
    sources: dict[str, int | None] = {}  # source text -> its id
    statuses: dict[str, dict[str, RowProblem | None]] = {}  # status text -> IDM score text -> problem
    # per measure column: its cell, what each text (with the population's) comes to, the measure's
    # id (None for the poverty table), the column's bit, its name and measure
    wanted: list[tuple[int, dict[Any, _Value], int | None, int, str, Measure]] = [
        (c.index, {}, None if c.table == "poverty" else c.measure.id, 1 << (c.slot * _SPAN), c.name, c.measure)
        for c in columns
    ]

    def place_of(cells: list[str]) -> str:
        try:
            return village_of(cells)
        except RowProblem:
            if not clean_cell(cells[i_village]):
                raise empty_place() from None
            raise

    def year_of(text: str) -> int:
        if clean_cell(text):
            found = _parsed("year", years, text, _cleaned(parse_year))
            assert found is not None
            return found
        if year is None:
            raise empty_year()
        return year

    def value_of(column: str, measure: Measure, text: str, population_text: str) -> _Value:
        if not text.strip():
            return _BLANK
        try:
            population = _parsed("population", populations, population_text, _cleaned(parse_count))
            return figure_value(measure, column, clean_cell(text), None, population, (None, None)), population
        except RowProblem as problem:
            return problem

    def source_of(text: str) -> int | None:
        # cleaned twice, as the row-by-row import does (once reading the row, once storing it)
        found = sources[text] = source_ids.of(clean_cell(clean_cell(text)))
        return found

    def status_of(status_text: str, score_text: str) -> RowProblem | None:
        text = clean_cell(status_text).strip()
        found = status_problem(text, clean_cell(score_text).strip()) if text else None
        statuses.setdefault(status_text, {})[score_text] = found
        return found

    def read_row(cells: list[str]) -> Row:
        # a village met before is one lookup (the hot loop: place_of's two calls only for a new one)
        code = codes.get(cells[i_village] if i_kecamatan is None else (cells[i_village], cells[i_kecamatan]))
        if code is None:
            code = place_of(cells)
        year_text = cells[i_year] if i_year is not None else ""
        row_year = years.get(year_text) or year_of(year_text)
        population_text = cells[i_population] if i_population is not None else ""
        if i_source is None:
            source = None
        else:
            source_text = cells[i_source]
            source = sources[source_text] if source_text in sources else source_of(source_text)
        found: list[Figure] = []
        filled = 0
        for index, memo, measure_id, bit, column, measure in wanted:
            text = cells[index]
            key = text if i_population is None else (text, population_text)
            value = memo.get(key)
            if value is None:
                value = memo[key] = value_of(column, measure, text, population_text)
            if isinstance(value, tuple):
                filled |= bit
                if measure_id is None:
                    found.append((code, row_year, value[0], None, value[1], source))
                else:
                    found.append((measure_id, code, row_year, value[0], None, value[1], source))
            elif isinstance(value, RowProblem):
                return code, row_year, found, filled, value
        if i_status is None:
            return code, row_year, found, filled, None
        status_text, score_text = cells[i_status], cells[i_idm] if i_idm is not None else ""
        by_score = statuses.get(status_text)
        if by_score is not None and score_text in by_score:
            return code, row_year, found, filled, by_score[score_text]
        return code, row_year, found, filled, status_of(status_text, score_text)

    return read_row


def _cleaned(parser: Callable[[str], Any]) -> Callable[[str], Any]:
    """`parser` of the cell as the row-by-row import sees it (see csvio.clean_cell)."""
    return lambda text: parser(clean_cell(text))
