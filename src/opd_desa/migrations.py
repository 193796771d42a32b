"""The schema as a list of migrations, applied in order by `db.migrate` (`PRAGMA user_version` counts
how many have run), in the manner of simonw/llm's migrations: plain functions, never edited once released.
A new one is appended at the end; `SCHEMA_VERSION` follows from the list."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from opd_desa.maps.schema import create_boundaries_table
from opd_desa.rules import FOREVER, MAX_YEAR, MIN_YEAR

if TYPE_CHECKING:
    import sqlite_utils


def _v1_schema(conn: sqlite3.Connection) -> None:
    """The first schema: regions, villages, agencies, pairings, figures, activities, change log."""
    _run_script(
        conn,
        f"""
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT
        ) WITHOUT ROWID;

        CREATE TABLE regions (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
            parent_code TEXT
        ) WITHOUT ROWID;

        CREATE TABLE villages (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            kecamatan_code TEXT NOT NULL REFERENCES regions(code),
            kind TEXT NOT NULL CHECK (kind IN ('desa', 'kelurahan', 'desa_adat')),
            postal_code TEXT,
            population INTEGER CHECK (population >= 0)
        ) WITHOUT ROWID;
        CREATE INDEX villages_name_key ON villages(name_key);
        CREATE INDEX villages_kecamatan ON villages(kecamatan_code);

        CREATE TABLE agencies (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            head TEXT
        );
        CREATE TABLE agency_aliases (
            agency_id INTEGER NOT NULL REFERENCES agencies(id),
            alias TEXT NOT NULL,
            PRIMARY KEY (agency_id, alias)
        ) WITHOUT ROWID;
        -- every normalised name an agency answers to (code, name, aliases): one agency per key
        CREATE TABLE agency_keys (
            key TEXT PRIMARY KEY,
            agency_id INTEGER NOT NULL REFERENCES agencies(id)
        ) WITHOUT ROWID;

        CREATE TABLE pairings (
            id INTEGER PRIMARY KEY,
            village_code TEXT NOT NULL REFERENCES villages(code),
            agency_id INTEGER NOT NULL REFERENCES agencies(id),
            since TEXT NOT NULL,
            until TEXT,
            decree TEXT,
            reason TEXT,
            note TEXT,
            CHECK (until IS NULL OR until > since)
        );
        CREATE INDEX pairings_village ON pairings(village_code, since);
        CREATE INDEX pairings_agency ON pairings(agency_id, since);
        -- the programme's rule, kept by the database itself: one open pairing per village and per agency
        CREATE UNIQUE INDEX pairings_open_village ON pairings(village_code) WHERE until IS NULL;
        CREATE UNIQUE INDEX pairings_open_agency ON pairings(agency_id) WHERE until IS NULL;
        -- ... and no two pairings of one village or one agency covering the same day
        CREATE TRIGGER pairings_no_overlap_insert BEFORE INSERT ON pairings
        WHEN EXISTS (
            SELECT 1 FROM pairings p
            WHERE (p.village_code = NEW.village_code OR p.agency_id = NEW.agency_id)
              AND p.since < coalesce(NEW.until, '{FOREVER}')
              AND NEW.since < coalesce(p.until, '{FOREVER}'))
        BEGIN SELECT RAISE(ABORT, 'pairing overlaps another pairing'); END;
        CREATE TRIGGER pairings_no_overlap_update BEFORE UPDATE ON pairings
        WHEN EXISTS (
            SELECT 1 FROM pairings p
            WHERE p.id != NEW.id
              AND (p.village_code = NEW.village_code OR p.agency_id = NEW.agency_id)
              AND p.since < coalesce(NEW.until, '{FOREVER}')
              AND NEW.since < coalesce(p.until, '{FOREVER}'))
        BEGIN SELECT RAISE(ABORT, 'pairing overlaps another pairing'); END;
        CREATE TRIGGER pairings_never_deleted BEFORE DELETE ON pairings
        BEGIN SELECT RAISE(ABORT, 'pairings are never deleted; end them instead'); END;

        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            text TEXT NOT NULL UNIQUE
        );
        CREATE TABLE poverty (
            village_code TEXT NOT NULL REFERENCES villages(code),
            year INTEGER NOT NULL CHECK (year BETWEEN {MIN_YEAR} AND {MAX_YEAR}),
            rate REAL NOT NULL CHECK (rate BETWEEN 0 AND 100),
            poor INTEGER CHECK (poor >= 0),
            population INTEGER CHECK (population >= 0),
            source_id INTEGER REFERENCES sources(id),
            PRIMARY KEY (village_code, year)
        ) WITHOUT ROWID;

        CREATE TABLE targets (
            year INTEGER PRIMARY KEY CHECK (year BETWEEN {MIN_YEAR} AND {MAX_YEAR}),
            rate REAL NOT NULL CHECK (rate BETWEEN 0 AND 100),
            source TEXT
        );

        CREATE TABLE activities (
            id INTEGER PRIMARY KEY,
            village_code TEXT NOT NULL REFERENCES villages(code),
            agency_id INTEGER NOT NULL REFERENCES agencies(id),
            date TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            budget INTEGER CHECK (budget >= 0),
            spent INTEGER CHECK (spent >= 0),
            households INTEGER CHECK (households >= 0),
            beneficiaries INTEGER CHECK (beneficiaries >= 0),
            source TEXT,
            note TEXT
        );
        CREATE UNIQUE INDEX activities_key ON activities(village_code, agency_id, date, kind, title);
        CREATE INDEX activities_agency ON activities(agency_id, date);

        CREATE TABLE change_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user TEXT,
            command TEXT,
            "table" TEXT NOT NULL,
            key TEXT,
            old TEXT,
            new TEXT
        );
        """,
    )


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run SQL statements one by one inside the caller's transaction (`executescript` would commit)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement[:60]}")


def _v2_activity_ids_never_reused(conn: sqlite3.Connection) -> None:
    """Activity ids are AUTOINCREMENT: after `activity remove 27` no new activity becomes #27, so a
    repeated remove (or a note that says "#27") can never hit another activity."""
    _run_script(
        conn,
        """
        CREATE TABLE activities_v2 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            village_code TEXT NOT NULL REFERENCES villages(code),
            agency_id INTEGER NOT NULL REFERENCES agencies(id),
            date TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            budget INTEGER CHECK (budget >= 0),
            spent INTEGER CHECK (spent >= 0),
            households INTEGER CHECK (households >= 0),
            beneficiaries INTEGER CHECK (beneficiaries >= 0),
            source TEXT,
            note TEXT
        );
        INSERT INTO activities_v2 SELECT id, village_code, agency_id, date, kind, title, budget, spent, households,
            beneficiaries, source, note FROM activities;
        DROP TABLE activities;
        ALTER TABLE activities_v2 RENAME TO activities;
        CREATE UNIQUE INDEX activities_key ON activities(village_code, agency_id, date, kind, title);
        CREATE INDEX activities_agency ON activities(agency_id, date);
        """,
    )
    # ids already given out and removed since (kept in the change log) stay used too
    conn.execute("DELETE FROM sqlite_sequence WHERE name = 'activities'")
    conn.execute(
        """INSERT INTO sqlite_sequence (name, seq) SELECT 'activities', max(n) FROM (
               SELECT coalesce(max(id), 0) AS n FROM activities
               UNION ALL
               SELECT coalesce(max(CAST(key AS INTEGER)), 0) FROM change_log WHERE "table" = 'activities'
           )"""
    )


def utils_database(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """The open connection seen through sqlite-utils, for a migration that changes a table with
    `Table.transform()` (which copies it, inside our transaction, through savepoints) or for
    introspection (`table_names()`, `.count`, `.columns`); sqlite-utils is imported only here."""
    import sqlite_utils

    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


def _measures(conn: sqlite3.Connection) -> None:
    """Measures as data, their figures per village and per region, and their targets.

    Storage decision: the poverty measure keeps its own `poverty` and `targets` tables, untouched,
    so the national `import poverty` (its fast path and benchmark) and every v1/v2 figure stay
    exactly as they were: an upgrade rewrites nothing. One table for all measures would have meant
    copying every stored figure on upgrade and a wider key on the national poverty import. The
    other measures go to `figures`, WITHOUT ROWID and keyed (measure, village, year), which serves
    both the report (each village's figure of a year) and a village's trend without a second index;
    measured locally on Jawa Tengah (85,630 village-years, 171,260 figures of two measures) the
    import spends its time parsing rows in Python, not writing (executemany about 1.3 s of it).
    Their targets go to `figure_targets`. Official figures of an area (BPS's kabupaten rate) are
    not village figures and live in `area_figures`, for every measure. The views `all_figures` and
    `all_targets` give every measure one shape, so queries never ask where a measure is kept. No
    existing table changes, so no `Table.transform()` is needed here.
    """
    _run_script(
        conn,
        f"""
        CREATE TABLE measures (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            unit TEXT NOT NULL,
            better TEXT NOT NULL CHECK (better IN ('lower', 'higher')),
            min REAL,
            max REAL,
            default_target REAL,
            default_target_source TEXT,
            CHECK (min IS NULL OR max IS NULL OR min < max)
        );
        INSERT INTO measures (id, key, name, unit, better, min, max, default_target, default_target_source) VALUES
            (1, 'poverty', 'Percentage of poor people', '%', 'lower', 0, 100, 8.0,
             'default: RPJMD target of at most 8 %'),
            (2, 'extreme', 'Percentage of people in extreme poverty', '%', 'lower', 0, 100, NULL, NULL),
            (3, 'idm', 'Village development index (IDM)', 'score', 'higher', 0, 1, NULL, NULL);

        CREATE TABLE figures (
            measure_id INTEGER NOT NULL REFERENCES measures(id),
            village_code TEXT NOT NULL REFERENCES villages(code),
            year INTEGER NOT NULL CHECK (year BETWEEN {MIN_YEAR} AND {MAX_YEAR}),
            value REAL NOT NULL,
            count INTEGER CHECK (count >= 0),
            population INTEGER CHECK (population >= 0),
            source_id INTEGER REFERENCES sources(id),
            PRIMARY KEY (measure_id, village_code, year)
        ) WITHOUT ROWID;

        CREATE TABLE area_figures (
            measure_id INTEGER NOT NULL REFERENCES measures(id),
            region_code TEXT NOT NULL REFERENCES regions(code),
            year INTEGER NOT NULL CHECK (year BETWEEN {MIN_YEAR} AND {MAX_YEAR}),
            value REAL NOT NULL,
            count INTEGER CHECK (count >= 0),
            population INTEGER CHECK (population >= 0),
            source_id INTEGER REFERENCES sources(id),
            PRIMARY KEY (measure_id, region_code, year)
        ) WITHOUT ROWID;

        CREATE TABLE figure_targets (
            measure_id INTEGER NOT NULL REFERENCES measures(id) CHECK (measure_id != 1),
            year INTEGER NOT NULL CHECK (year BETWEEN {MIN_YEAR} AND {MAX_YEAR}),
            value REAL NOT NULL,
            source TEXT,
            PRIMARY KEY (measure_id, year)
        ) WITHOUT ROWID;

        CREATE VIEW all_figures AS
            SELECT 1 AS measure_id, village_code, year, rate AS value, poor AS count, population, source_id
            FROM poverty
            UNION ALL
            SELECT measure_id, village_code, year, value, count, population, source_id FROM figures;

        CREATE VIEW all_targets AS
            SELECT 1 AS measure_id, year, rate AS value, source FROM targets
            UNION ALL
            SELECT measure_id, year, value, source FROM figure_targets;
        """,
    )


def _v3_agency_contacts_and_recording_times(conn: sqlite3.Connection) -> None:
    """Agencies gain `contact`, `phone` and `email` (whom the reporting loop writes to), and the change
    log an index by table and key: `reporting` reads when each activity was first recorded from it."""
    agencies = utils_database(conn).table("agencies")
    for column in ("contact", "phone", "email"):
        if column not in agencies.columns_dict:  # a file rebuilt from a newer one may have them already
            agencies.add_column(column, str)
    conn.execute('CREATE INDEX IF NOT EXISTS change_log_table_key ON change_log("table", key)')


def _office_settings(conn: sqlite3.Connection) -> None:
    """What documents print about the office (`settings`): name, address, logo, signatory, decree.
    The logo is kept in the database as bytes, so a copied database prints the same brief. (IF NOT
    EXISTS: the table holds nothing earlier versions know of, so a file set back to an older version
    by hand keeps it.)"""
    conn.execute("CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT, blob BLOB)")


# The letters a to z a village's name key holds, one bit each (bit 0: a). "Did you mean" keeps a name
# only when enough of the letters typed are in it (resolve.near_query); read from the index below,
# with the names' lengths, that is a few bit tests per name instead of a search of each name for each
# letter (27 -> about 10 ms over the country's villages). The query spells the expression from here,
# as the index does: changing it needs a new migration that builds the index again.
NAME_LETTERS = " | ".join(
    f"((instr(name_key, '{c}') > 0) << {bit})" for bit, c in enumerate("abcdefghijklmnopqrstuvwxyz")
)


def village_name_letters(conn: sqlite3.Connection) -> None:
    """An index of the villages by the length of their name key and the letters in it (NAME_LETTERS),
    kept by SQLite itself as villages are added or renamed. (Also run by `setup.load_region`, which
    drops it while it loads thousands of villages: built once afterwards, it costs a fifth as much.)"""
    conn.execute(
        f"CREATE INDEX IF NOT EXISTS villages_name_letters ON villages (length(name_key), ({NAME_LETTERS}), name_key)"
    )


Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = [
    _v1_schema,
    _v2_activity_ids_never_reused,
    _v3_agency_contacts_and_recording_times,
    create_boundaries_table,
    _office_settings,
    _measures,
    village_name_letters,
]
SCHEMA_VERSION = len(MIGRATIONS)
