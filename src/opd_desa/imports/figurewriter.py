"""Write checked figures into their tables, counting what was inserted, updated and left unchanged.

Both ways of reading a figures file end here: the row-by-row import hands over each table's rows
with their source text, the fast reader (`figuresreader`) rows ready to store. A temporary trigger
logs every update in the change log, so the counts come from SQLite, not from a second look.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from opd_desa import changelog
from opd_desa.imports.rows import ImportSummary
from opd_desa.services.figures import add_sources, rows_to_write, source_id, write_statement

_TABLES = ("poverty", "figures", "area_figures")

_LOG = """
    CREATE TEMP TRIGGER IF NOT EXISTS {table}_figures_import_log AFTER UPDATE ON main.{table}
    BEGIN
        INSERT INTO change_log (at, user, command, "table", key, old, new)
        SELECT c.at, c.user, c.command, '{table}', {key},
               json_object('value', OLD.{value}, 'count', OLD.{count}, 'population', OLD.population,
                           'source', (SELECT text FROM main.sources WHERE id = OLD.source_id)),
               json_object('value', NEW.{value}, 'count', NEW.{count}, 'population', NEW.population,
                           'source', (SELECT text FROM main.sources WHERE id = NEW.source_id))
        FROM temp.import_context c;
    END
"""
_LOG_KEYS = {
    "poverty": ("NEW.village_code || ' ' || NEW.year", "rate", "poor"),
    "figures": ("NEW.measure_id || ' ' || NEW.village_code || ' ' || NEW.year", "value", "count"),
    "area_figures": ("NEW.measure_id || ' ' || NEW.region_code || ' ' || NEW.year", "value", "count"),
}
# SQLite's page cache while the figures are written: with the default 2 MiB, the pages of the
# village index the foreign keys look up and those being filled evict each other (measured on
# Jawa Tengah's 171,260 figures: 2.0 s of upserts with 2 MiB, 1.2 s with 16 MiB, no better above)
WRITE_CACHE_KIB = 16 * 1024


class Writer:
    """Upserts figures table by table as they are handed over; a temporary trigger logs each update,
    so the inserted, updated and unchanged counts come from SQLite, not from a second look."""

    def __init__(self, conn: sqlite3.Connection, summary: ImportSummary) -> None:
        self.conn, self.summary = conn, summary
        how = "insert_new" if summary.insert_only else "merge"
        self.how = dict.fromkeys(_TABLES, how)  # per table: the write_statement to use
        self.logged: set[str] = set()
        self.sources: dict[str | None, int | None] = {}
        self.changed = self.total = 0
        self.log_before: int | None = None
        self.cache: int | None = None

    def _start(self) -> None:
        conn = self.conn
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS import_context (at TEXT, user TEXT, command TEXT)")
        conn.execute("DELETE FROM temp.import_context")
        actor = changelog.actor_of(conn)
        conn.execute("INSERT INTO temp.import_context VALUES (?, ?, ?)", (changelog.now(), actor.user, actor.command))
        self.log_before = conn.execute("SELECT coalesce(max(id), 0) FROM change_log").fetchone()[0]
        self.cache = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")

    def write(self, table: str, figures: list[tuple[Any, ...]]) -> None:
        """Upsert `figures` (rows of `table` ending with their source text) into `table`."""
        sources = self.sources
        for text in {f[-1] for f in figures} - sources.keys():
            sources[text] = source_id(self.conn, text)
        self.write_stored(table, [(*f[:-1], sources[f[-1]]) for f in figures])

    def add_sources(self, added: list[tuple[int, str]]) -> None:
        """Store the source texts a reader gave ids to (`services.figures.SourceIds`)."""
        if added:
            add_sources(self.conn, added)

    def write_stored(self, table: str, stored: list[tuple[Any, ...]]) -> None:
        """Upsert `stored` (rows of `table` as stored, with their source id) into `table`."""
        if self.log_before is None:
            self._start()
        if table not in self.logged:
            key, value, count = _LOG_KEYS[table]
            self.conn.execute(_LOG.format(table=table, key=key, value=value, count=count))
            self.logged.add(table)
            if self.conn.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})").fetchone()[0]:
                # an empty table meets no stored figure, and a file's figures are each written once
                # (the readers skip a figure met again), so a plain insert does what the upsert would
                self.how[table] = "insert"
        if not stored:
            return
        rows, left_out = rows_to_write(table, list(zip(*stored, strict=True)))
        self.changed += self.conn.executemany(write_statement(table, self.how[table], left_out), rows).rowcount
        self.total += len(stored)

    def close(self) -> None:
        """Put the page cache back as it was, and drop the triggers."""
        if self.log_before is None:
            return
        self.conn.execute(f"PRAGMA cache_size = {int(self.cache or 0)}")
        for table in self.logged:
            self.conn.execute(f"DROP TRIGGER IF EXISTS temp.{table}_figures_import_log")

    def count(self) -> None:
        """Set the summary's inserted, updated and unchanged from what SQLite did."""
        if self.log_before is None:
            return
        conn, summary = self.conn, self.summary
        summary.updated = conn.execute(
            'SELECT count(*) FROM change_log WHERE id > ? AND "table" IN (?, ?, ?)', (self.log_before, *_TABLES)
        ).fetchone()[0]
        summary.inserted = self.changed - summary.updated
        summary.unchanged = self.total - self.changed
