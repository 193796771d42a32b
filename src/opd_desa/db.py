"""Open the database (path, pragmas, version check) and keep its schema current.

The schema is a list of migrations, applied in order; `PRAGMA user_version` records how many
have run and `PRAGMA application_id` marks the file as ours, so a file of another application
or of a newer opd-desa is refused before anything is written to it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from opd_desa.changelog import Actor
from opd_desa.errors import DatabaseError
from opd_desa.i18n import _
from opd_desa.maps.schema import create_boundaries_table
from opd_desa.rules import FOREVER, MAX_YEAR, MIN_YEAR

if TYPE_CHECKING:
    import sqlite_utils

C = TypeVar("C", bound=sqlite3.Connection)

APPLICATION_ID = 0x4F504444  # "OPDD"
DEFAULT_PATH = "opd-desa.db"
BUSY_TIMEOUT_MS = 60_000
SQLITE_HEADER = b"SQLite format 3\x00"


def database_path(option: str | os.PathLike[str] | None = None) -> Path:
    """`--db PATH`, else `$OPD_DESA_DB`, else `opd-desa.db` in the current folder."""
    return Path(option or os.environ.get("OPD_DESA_DB") or DEFAULT_PATH)


# --- migrations -------------------------------------------------------------------------------


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


Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = [
    _v1_schema,
    _v2_activity_ids_never_reused,
    _v3_agency_contacts_and_recording_times,
    create_boundaries_table,
    _office_settings,
    _measures,
]
SCHEMA_VERSION = len(MIGRATIONS)


# --- opening ----------------------------------------------------------------------------------


class Connection(sqlite3.Connection):
    """A connection that knows who is working through it, for the change log (`changelog.actor_of`)."""

    actor: Actor = Actor()


def read_only_mode(path: Path) -> str | None:
    """How a database that cannot be written is opened for reading (None: it can be written).

    `mode=ro` when the file is read-only; `immutable=1` when its folder is too, where SQLite could
    not make the -shm file a read-only WAL database needs, and only while no -wal file holds changes
    not yet folded into the database (immutable would not read them)."""
    if not os.access(path.parent, os.W_OK):
        wal = Path(f"{path}-wal")
        return "mode=ro" if wal.exists() and wal.stat().st_size else "immutable=1"
    if not os.access(path, os.W_OK):
        return "mode=ro"
    return None


def _connect(path: Path, actor: Actor, read_only: str | None = None) -> Connection:
    target: str | Path = path
    if read_only:
        from urllib.parse import quote

        target = f"file:{quote(str(path.absolute()))}?{read_only}"
    conn = sqlite3.connect(
        target, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, factory=Connection, uri=bool(read_only)
    )
    conn.actor = actor
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _check_header(path: Path) -> None:
    with path.open("rb") as f:
        head = f.read(len(SQLITE_HEADER))
    if head and head != SQLITE_HEADER:
        raise DatabaseError(
            _("{path} is not an SQLite database (is it the right file?); give another path with --db").format(path=path)
        )


def _check_ownership(conn: sqlite3.Connection, path: Path) -> int:
    """Return the schema version of an opd-desa database; refuse foreign or newer files."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id != APPLICATION_ID:
        has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id or has_tables:
            raise DatabaseError(
                _(
                    "{path} is an SQLite database of another application, not of opd-desa; give another path with --db"
                ).format(path=path)
            )
        return 0
    if version < 0:  # never written by opd-desa: migrating "from -1" would run the last migration again
        raise DatabaseError(
            _(
                "{path} records an impossible schema version ({found}); was it edited by hand? "
                "Run `opd-desa check` to see what is wrong"
            ).format(path=path, found=version)
        )
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            _(
                "{path} was written by a newer opd-desa (schema {found}, this one knows up to {known}); "
                "upgrade opd-desa to use it"
            ).format(path=path, found=version, known=SCHEMA_VERSION)
        )
    return version


def migrate(conn: sqlite3.Connection) -> None:
    """Apply the pending migrations, all in one transaction.

    The version is read again once the write lock is held: two commands opening an old (or new)
    file at once must not both migrate it."""
    with transaction(conn):
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0] if app_id == APPLICATION_ID else 0
        if version >= SCHEMA_VERSION:
            return
        for migration in MIGRATIONS[version:]:
            migration(conn)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def open_database(path: Path, *, create: bool = False, actor: Actor | None = None) -> Connection:
    """Open (and, with `create`, make) the database at `path`, upgrading its schema if needed.

    A file (or folder) that cannot be written is opened read-only: reading commands work, and a
    change is refused with "the database is read-only".

    `actor` (the user and command line) is written into every change-log entry made through it."""
    exists = path.exists()
    if not exists and not create:
        raise DatabaseError(
            _("no database at {path}: run `opd-desa init` to create one, or give its path with --db").format(path=path)
        )
    if exists:
        if path.is_dir():
            raise DatabaseError(_("{path} is a folder, not a database file").format(path=path))
        _check_header(path)
    elif not path.parent.exists():
        raise DatabaseError(
            _("cannot create {path}: folder {folder} does not exist").format(path=path, folder=path.parent)
        )
    read_only = read_only_mode(path) if exists else None
    try:
        conn = _connect(path, actor or Actor(), read_only)
        version = _check_ownership(conn, path)
        if version < SCHEMA_VERSION:
            if version == 0 and not create:
                raise DatabaseError(_("{path} is not an opd-desa database yet: run `opd-desa init`").format(path=path))
            if read_only:
                raise DatabaseError(
                    _(
                        "{path} is read-only and from an older opd-desa; copy it to a folder you can write to, "
                        "where it will be upgraded"
                    ).format(path=path)
                )
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            migrate(conn)
    except sqlite3.DatabaseError as e:
        raise DatabaseError(
            _("cannot use {path} as a database ({error}); give another path with --db").format(path=path, error=e)
        ) from e
    return conn


def open_as_it_is(path: Path) -> Connection:
    """Open an existing database without the version check or migrations: `check` must look at a
    file a normal open would refuse (a version of -1) or change (migrate). Read-write when the file
    allows it (SQLite's integrity_check verifies CHECK rules only then); nothing is written here."""
    if not path.exists():
        raise DatabaseError(
            _("no database at {path}: run `opd-desa init` to create one, or give its path with --db").format(path=path)
        )
    if path.is_dir():
        raise DatabaseError(_("{path} is a folder, not a database file").format(path=path))
    _check_header(path)
    try:
        return _connect(path, Actor(), read_only_mode(path))
    except sqlite3.DatabaseError as e:
        raise DatabaseError(
            _("cannot use {path} as a database ({error}); give another path with --db").format(path=path, error=e)
        ) from e


def schema_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in the open database."""
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


@contextmanager
def transaction(conn: C) -> Iterator[C]:
    """A write transaction taken up front (BEGIN IMMEDIATE), so parallel writers queue on the busy
    timeout instead of failing half-way; rolled back on any exception."""
    if conn.in_transaction:  # nested: the outer transaction decides
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
