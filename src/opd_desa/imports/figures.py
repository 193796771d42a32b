"""Import figures of any measure per village (or region) and year, in the three shapes offices have.

- long: one figure per row (`village` or `region`, `year`, `measure`, `value`, `count`,
  `population`, `source`); `--measure` stands in for a missing measure column, `--year` for a
  missing year column;
- wide by measure: a column per measure (`persen_miskin`, `persen_miskin_ekstrem`, `idm`), with
  `status_idm` checked against the IDM score; Kemendes' IDM sheet (kode desa, nama desa, IKS, IKE,
  IKL, nilai IDM, status) is such a sheet, and its three sub-indices are named as ignored;
- wide by year: a column per year, with `--measure`.

Rows are checked with the rules of `figure set` (`services.figures.value_from`), against what is
stored where a row leaves a count or population out, and written with the same upserts
(`figurewriter`). A sheet wide by measure naming its villages in one column, such as a national
file of 840,000 rows, is read by raw cells in a second process (`figuresreader`), with the same checks.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from opd_desa.csvio import clean_cell
from opd_desa.errors import ImportFailed, UserError
from opd_desa.i18n import _
from opd_desa.imports import figuresreader
from opd_desa.imports.figurechecks import (
    IGNORED_SUBINDICES,
    WIDE_MEASURES,
    empty_place,
    empty_year,
    figure_value,
    repeated_figure,
    status_problem,
)
from opd_desa.imports.figuresreader import Batch
from opd_desa.imports.figurewriter import WRITE_CACHE_KIB as WRITE_CACHE_KIB  # poverty's writer uses it too
from opd_desa.imports.figurewriter import Writer
from opd_desa.imports.rows import PROGRESS_EVERY, ImportSummary, RowProblem, Rows, cell
from opd_desa.imports.source import Source
from opd_desa.measures import POVERTY, Measure
from opd_desa.parse import parse_count, parse_year
from opd_desa.resolve import Resolver
from opd_desa.rules import MIN_YEAR


@dataclass
class _Written:
    """What the rows of one file come to: the figures of each table and measure in file order (so a
    file sorted by village writes each B-tree in order), the line of each, and the years met per
    (measure, place) as bits, so that a national file's 1.7 million figures need no key dict."""

    rows: dict[tuple[str, int], list[tuple[Any, ...]]] = field(default_factory=dict)
    lines: dict[tuple[str, int], list[int]] = field(default_factory=dict)
    seen: dict[tuple[int, str], int] = field(default_factory=dict)

    def add(self, table: str, measure: Measure, place: str, year: int, line: int, figure: tuple[Any, ...]) -> None:
        """Keep `figure`; the same place, year and measure again must carry the same figure."""
        key, bit = (measure.id, place), 1 << (year - MIN_YEAR)
        bits = self.seen.get(key, 0)
        group = (table, measure.id)
        if bits & bit:
            self._repeat(group, figure, place, year)
            return
        self.seen[key] = bits | bit
        rows = self.rows.get(group)
        if rows is None:
            rows = self.rows[group] = []
            self.lines[group] = []
        rows.append(figure)
        self.lines[group].append(line)

    def _repeat(self, group: tuple[str, int], figure: tuple[Any, ...], place: str, year: int) -> None:
        """A figure met again (rare): the same is skipped, another one is a problem naming the first line."""
        at = 0 if group[0] == "poverty" else 1
        for index, earlier in enumerate(self.rows[group]):
            if earlier[at] == place and earlier[at + 1] == year:
                if earlier != figure:
                    raise repeated_figure("value", self.lines[group][index])
                return


def import_figures(
    conn: sqlite3.Connection,
    summary: ImportSummary,
    rows: Rows,
    *,
    columns: dict[str, int],
    year_columns: list[tuple[int, int]],
    measure: str | None = None,
    year: int | None = None,
    source: Source | None = None,
) -> None:
    """Check every row, then upsert the figures (all or nothing is the caller's transaction).

    A sheet with a column per measure naming villages by one column is read by raw cells from
    `source` (`figuresreader`), in a second process when large; every other file from `rows`."""
    from opd_desa.services.measures import find_measure, list_measures

    measures = {m.key: m for m in list_measures(conn)}
    given = find_measure(conn, measure) if measure else None
    try:
        shape = _shape(columns, year_columns, given, year)
    except ImportFailed as e:
        raise ImportFailed(f"{summary.location or summary.file + ':'} {e}") from e
    if any(name in columns for name in IGNORED_SUBINDICES):
        summary.notes.append(
            _("the IDM sub-indices ({names}) are not kept; the IDM score and status are").format(
                names=", ".join(n.upper() for n in IGNORED_SUBINDICES if n in columns)
            )
        )
    if source is not None and figuresreader.takes(shape, columns):
        _import_read(conn, summary, figuresreader.figure_batches(source, conn, measures, year))
        return
    places = _Places(conn)
    written = _Written()
    memo = _Memo()
    years: dict[str, int] = {}
    wide = shape == "wide_measure"
    for line, values in rows:
        try:
            place, is_region = places.of(values)
            year_text = values.get("year")
            row_year = year if not year_text else years.get(year_text)
            if row_year is None and shape != "wide_year":
                row_year = cell(values, "year", parse_year)
                if row_year is None:
                    raise empty_year()
                years[values["year"]] = row_year
            for column, found, value_text, figure_year in _figures_of(shape, values, measures, given, row_year):
                figure = _checked(conn, memo, found, column, value_text, values, place, is_region, figure_year, shape)
                if figure is None:
                    continue
                table = "area_figures" if is_region else "poverty" if found.key == POVERTY else "figures"
                try:
                    written.add(table, found, place, figure_year, line, figure)
                except RowProblem as problem:
                    raise RowProblem(column, problem.message) from None
            if wide:
                _check_status(memo, values)
        except RowProblem as problem:
            summary.add_error(line, problem)
    if not summary.errors:
        writer = Writer(conn, summary)
        try:
            for (table, _measure), figures in written.rows.items():
                writer.write(table, figures)
            writer.count()
        finally:
            writer.close()


def _import_read(conn: sqlite3.Connection, summary: ImportSummary, batches: Iterator[Batch]) -> None:
    """Write the figures of `figuresreader`'s batches as they come, until a problem is met (then
    only gather the problems: nothing will be written)."""
    writer = Writer(conn, summary)
    try:
        for batch in batches:
            if summary.progress and batch.rows_read // PROGRESS_EVERY > summary.rows // PROGRESS_EVERY:
                summary.progress(batch.rows_read)
            summary.rows = batch.rows_read
            summary.errors.extend(batch.errors)
            summary.notes.extend(note for note in batch.notes if note not in summary.notes)
            if summary.errors:
                continue
            writer.add_sources(batch.sources)
            for table, figures in batch.figures.items():
                if figures:
                    writer.write_stored(table, figures)
        writer.count()
    finally:
        writer.close()


def _shape(
    columns: dict[str, int], year_columns: list[tuple[int, int]], given: Measure | None, year: int | None
) -> str:
    """long, wide_measure or wide_year, from the header (and the options that stand in for columns)."""
    if "village" not in columns and "region" not in columns:
        raise ImportFailed(_("the header has no village (desa, kode_desa) or region (kode_wilayah) column"))
    if any(name in columns for name in WIDE_MEASURES):
        shape = "wide_measure"
    elif "value" in columns or "count" in columns:
        if "measure" not in columns and given is None:
            raise ImportFailed(_("the header has no measure column: add one, or give --measure"))
        shape = "long"
    elif year_columns:
        if given is None:
            raise ImportFailed(_("a sheet with one column per year needs --measure to say what its figures are"))
        return "wide_year"
    else:
        raise ImportFailed(
            _(
                "the header names no figures: give a value column (nilai), a column per measure "
                "(persen_miskin, persen_miskin_ekstrem, idm) or, with --measure, a column per year"
            )
        )
    if "year" not in columns and year is None:
        raise ImportFailed(_("the header has no year column (tahun): add one, or give --year"))
    return shape


def _figures_of(
    shape: str, values: dict[str, str], measures: dict[str, Measure], given: Measure | None, year: int | None
) -> list[tuple[str, Measure, str, int]]:
    """(column, measure, value text, year) of each figure a row holds."""
    if shape == "wide_year":
        assert given is not None
        return [(name, given, text, int(name)) for name, text in values.items() if name.isdigit() and text.strip()]
    assert year is not None
    if shape == "wide_measure":
        return [
            (column, measures[key], values[column], year)
            for column, key in WIDE_MEASURES.items()
            if values.get(column, "").strip()
        ]
    key = (values.get("measure") or "").strip()
    if key:
        found = measures.get(key.casefold())
        if found is None:
            raise RowProblem("measure", _unknown_measure(key, measures))
    elif given is not None:
        found = given
    else:
        raise RowProblem("measure", _("is empty; this column is required (or give --measure)"))
    return [("value", found, values.get("value", ""), year)]


def _unknown_measure(key: str, measures: dict[str, Measure]) -> str:
    """What to say of a measure key that is not known: the known ones, and the nearest."""
    from opd_desa.names import closest

    near = closest(key.casefold(), list(measures))
    return _("no measure '{key}'; known measures: {known}").format(key=key, known=", ".join(measures)) + (
        _("; did you mean: {listing}?").format(listing=", ".join(near)) if near else ""
    )


class _Memo:
    """What a row's texts come to, remembered per text: a national file repeats the same values
    (and statuses, and sources) hundreds of thousands of times, so each is parsed and checked once."""

    def __init__(self) -> None:
        self.figures: dict[tuple[int, str, str, str], float | RowProblem] = {}
        self.statuses: dict[tuple[str, str], RowProblem | None] = {}
        self.sources: dict[str, str | None] = {}


def _checked(
    conn: sqlite3.Connection,
    memo: _Memo,
    measure: Measure,
    column: str,
    value_text: str,
    values: dict[str, str],
    place: str,
    is_region: bool,
    year: int,
    shape: str,
) -> tuple[Any, ...] | None:
    """The row to upsert for one figure, checked by the rules of `figure set`."""
    count_text = values.get("count", "") if shape == "long" else ""
    population_text = values.get("population", "") if shape != "wide_year" else ""
    if not value_text.strip() and not count_text.strip():
        return None
    count = cell(values, "count", parse_count) if count_text else None
    population = cell(values, "population", parse_count) if population_text else None
    if count is not None and population is None:  # checked against the population it will sit beside
        figure = _figure(conn, measure, column, value_text, count, place, is_region, year)
    else:
        key = (measure.id, value_text, count_text, population_text)
        known = memo.figures.get(key)
        if known is None:
            try:
                known = figure_value(measure, column, value_text, count, population, (None, None))
            except RowProblem as problem:
                known = problem
            memo.figures[key] = known
        if isinstance(known, RowProblem):
            raise known
        figure = known
    source_text = values.get("source", "")
    source = memo.sources.get(source_text)
    if source is None and source_text not in memo.sources:
        source = memo.sources[source_text] = clean_cell(source_text) or None
    if is_region or measure.key != POVERTY:
        return (measure.id, place, year, figure, count, population, source)
    return (place, year, figure, count, population, source)


def _figure(
    conn: sqlite3.Connection,
    measure: Measure,
    column: str,
    value_text: str,
    count: int,
    place: str,
    is_region: bool,
    year: int,
) -> float:
    """A count without a population: checked against the population stored for that place and year."""
    table, where = ("area_figures", "region_code") if is_region else ("all_figures", "village_code")
    row = conn.execute(
        f"SELECT count, population FROM {table} WHERE measure_id = ? AND {where} = ? AND year = ?",
        (measure.id, place, year),
    ).fetchone()
    return figure_value(measure, column, value_text, count, None, (row[0], row[1]) if row else (None, None))


def _check_status(memo: _Memo, values: dict[str, str]) -> None:
    """`status_idm` must be a class, and the class of the score beside it."""
    text = values.get("status_idm") or ""
    if not text.strip():
        return
    key = (text, values.get("idm") or "")
    if key not in memo.statuses:
        memo.statuses[key] = status_problem(text.strip(), key[1].strip())
    found = memo.statuses[key]
    if found is not None:
        raise found


class _Places:
    """The village (or region) of a row, remembered per text: national files name each many times."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.resolver = Resolver(conn, bulk=True)
        self.known: dict[tuple[str, str, str], tuple[str, bool] | UserError] = {}  # by the cells as read

    def of(self, values: dict[str, str]) -> tuple[str, bool]:
        get = values.get
        key = (get("region", ""), get("village", "") or get("village_name", ""), get("kecamatan", ""))
        found = self.known.get(key)
        if found is None:
            region, village, kecamatan = (clean_cell(text) for text in key)
            if not region and not village:
                raise empty_place()
            try:
                if region and not village:
                    from opd_desa.services.places import find_place

                    place = find_place(self.conn, region)
                    found = (place.code, place.is_region)
                else:
                    found = (self.resolver.code_of(village, kecamatan or None), False)
            except UserError as e:
                found = e
            self.known[key] = found
        if isinstance(found, UserError):
            region, village = clean_cell(key[0]), clean_cell(key[1])
            raise RowProblem("region" if region and not village else "village", str(found))
        return found
