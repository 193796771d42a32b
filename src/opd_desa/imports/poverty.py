"""Import poverty figures per village and year (national files: 840,000 rows) as batched upserts.

The figures are parsed by `povertyreader` (in a second process for a large file) and written here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import suppress

from opd_desa import changelog
from opd_desa.csvio import clean_cell
from opd_desa.errors import InvalidValue, UserError
from opd_desa.i18n import _
from opd_desa.imports.povertyreader import Figure, figure_batches
from opd_desa.imports.rows import PROGRESS_EVERY, ImportSummary, KeptErrors, RowError
from opd_desa.imports.source import Source
from opd_desa.parse import ParseError
from opd_desa.services.figures import WriteHow, rate_from, rates_from, rows_to_write, source_id, write_statement

# Rows go straight into `poverty` with figures.write_statement ("merge"), which writes only when a
# value differs; a trigger logs the old row of every update, so inserted/updated/unchanged come from
# SQLite's own change counter instead of a second pass over the data.
_LOG_UPDATES = """
    CREATE TEMP TRIGGER IF NOT EXISTS poverty_import_log AFTER UPDATE ON main.poverty
    BEGIN
        INSERT INTO change_log (at, user, command, "table", key, old, new)
        SELECT c.at, c.user, c.command, 'poverty', NEW.village_code || ' ' || NEW.year,
               json_object('rate', OLD.rate, 'poor', OLD.poor, 'population', OLD.population,
                           'source', (SELECT text FROM main.sources WHERE id = OLD.source_id)),
               json_object('rate', NEW.rate, 'poor', NEW.poor, 'population', NEW.population,
                           'source', (SELECT text FROM main.sources WHERE id = NEW.source_id))
        FROM temp.import_context c;
    END
"""
# SQLite's page cache while the figures are written. The larger cache of the figures import
# (figures.WRITE_CACHE_KIB) kept the village index's pages that the foreign keys looked up; with those
# lookups left out (service._references_known) a file in key order needs few pages at a time, and
# 4 MiB is 12 MiB less of the national import's peak memory (the same time, within the noise)
_WRITE_CACHE_KIB = 4 * 1024


def _against_stored(conn: sqlite3.Connection, figures: list[tuple[int, Figure]]) -> list[RowError]:
    """A count of poor without a population is merged with the stored population: check it against
    that (more poor than people, or a rate that disagrees, is refused as on the command line)."""
    errors = []
    for line, (code, year, rate, poor, _population, _source) in figures:
        row = conn.execute(
            "SELECT population FROM poverty WHERE village_code = ? AND year = ?", (code, year)
        ).fetchone()
        if row is None or row[0] is None:
            continue
        try:
            rate_from(rate, poor, row[0])
        except InvalidValue as e:
            errors.append(RowError(line, "poor", str(e)))
    return errors


def _rates(
    lines: Sequence[int],
    rates: Sequence[float | None],
    poor: Sequence[int | None],
    populations: Sequence[int | None],
    errors: KeptErrors,
) -> Sequence[float | None]:
    """Each figure's rate by `rate_from` (as given, or from its counts; both given must agree): a
    column at a time where every figure gives all three (`rates_from`), else one map over the
    columns, and row by row only in a batch where one is wrong (that row's error)."""
    found_all = rates_from(rates, poor, populations)
    if found_all is not None:
        return found_all
    with suppress(ParseError, UserError):
        return list(map(rate_from, rates, poor, populations))
    found: list[float | None] = []
    for line, rate, count, population in zip(lines, rates, poor, populations, strict=True):
        try:
            found.append(rate_from(rate, count, population))
        except (ParseError, UserError) as e:
            errors.append(RowError(line, "rate", str(e)))
            found.append(None)
    return found


def _rated(figures: list[tuple[int, Figure]], errors: KeptErrors | None) -> list[tuple[int, Figure]]:
    """The (line, figure)s with the rate `rate_from` gives; one it refuses is left out (and, given
    `errors`, is that row's error)."""
    rated: list[tuple[int, Figure]] = []
    for line, (code, year, rate, poor, population, text) in figures:
        try:
            rated.append((line, (code, year, rate_from(rate, poor, population), poor, population, text)))
        except (ParseError, UserError) as e:
            if errors is not None:
                errors.append(RowError(line, "rate", str(e)))
    return rated


def import_poverty(conn: sqlite3.Connection, source: Source, summary: ImportSummary) -> None:
    """Upsert every figure; the same village and year twice in a file must carry the same figures.

    Reads the source's raw cells itself (through `povertyreader`), not the dict per row of the other kinds."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS import_context (at TEXT, user TEXT, command TEXT)")
    conn.execute("DELETE FROM temp.import_context")
    conn.execute(
        "INSERT INTO temp.import_context VALUES (?, ?, ?)",
        (changelog.now(), changelog.actor_of(conn).user, changelog.actor_of(conn).command),
    )
    conn.execute(_LOG_UPDATES)
    log_before = conn.execute("SELECT coalesce(max(id), 0) FROM change_log").fetchone()[0]
    how: WriteHow = "insert_new" if summary.insert_only else "merge"
    sources: dict[str, int | None] = {}
    written = 0  # rows handed to the upsert
    changed = 0  # rows it inserted or updated (its rowcount leaves out what the logging trigger writes)

    def source_of(text: str) -> int | None:
        """The id of a source text as read in the shared `sources` table (added when new)."""
        if text not in sources:
            sources[text] = source_id(conn, clean_cell(text))
        return sources[text]

    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{_WRITE_CACHE_KIB}")
    try:
        for batch in figure_batches(source, conn):
            if summary.progress and batch.rows_read // PROGRESS_EVERY > summary.rows // PROGRESS_EVERY:
                summary.progress(batch.rows_read)
            summary.rows = batch.rows_read
            summary.errors.extend(batch.errors)
            codes, years, rates, poor, populations, texts = batch.columns
            rates = _rates(batch.lines, rates, poor, populations, summary.errors)
            repeats = _rated(batch.repeats, summary.errors)
            summary.errors.extend(_against_stored(conn, _rated(batch.counts_only, None)))  # refused ones: above
            summary.notes.extend(note for note in batch.notes if note not in summary.notes)
            if summary.errors:
                continue  # nothing will be written: only look for more mistakes
            for text in dict.fromkeys(texts):  # each text once, in the order of the file
                source_of(text)
            ids = list(map(sources.get, texts))
            rows, left_out = rows_to_write("poverty", (codes, years, rates, poor, populations, ids))
            changed += conn.executemany(write_statement("poverty", how, left_out), rows).rowcount
            written += len(codes)
            for line, figure in repeats:
                if summary.insert_only:  # the earlier line decided already
                    continue
                stored = conn.execute(
                    "SELECT village_code, year, rate, poor, population, source_id FROM poverty "
                    "WHERE village_code = ? AND year = ?",
                    figure[:2],
                ).fetchone()
                given = (*figure[:5], source_of(figure[5]))
                differs = any(new is not None and new != old for new, old in zip(given, stored, strict=True))
                if differs or stored[2] != given[2]:
                    summary.errors.append(
                        RowError(
                            line,
                            "year",
                            _(
                                "this village and year are on an earlier line already, with other figures; "
                                "keep one of the two"
                            ),
                        )
                    )
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache)}")
        conn.execute("DROP TRIGGER IF EXISTS temp.poverty_import_log")
    summary.errors.sort(key=lambda e: e.line)
    summary.updated = conn.execute(
        "SELECT count(*) FROM change_log WHERE id > ? AND \"table\" = 'poverty'", (log_before,)
    ).fetchone()[0]
    summary.inserted = changed - summary.updated
    summary.unchanged = written - changed
