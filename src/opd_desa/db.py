"""Open the database (path, pragmas, version check) and keep its schema current.

The schema is the list of migrations in migrations.py, applied in order; `PRAGMA user_version` records how many
have run and `PRAGMA application_id` marks the file as ours, so a file of another application
or of a newer opd-desa is refused before anything is written to it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from opd_desa.changelog import Actor
from opd_desa.errors import DatabaseError
from opd_desa.i18n import _
from opd_desa.migrations import MIGRATIONS, SCHEMA_VERSION

C = TypeVar("C", bound=sqlite3.Connection)

APPLICATION_ID = 0x4F504444  # "OPDD"
DEFAULT_PATH = "opd-desa.db"
BUSY_TIMEOUT_MS = 60_000
SQLITE_HEADER = b"SQLite format 3\x00"


def database_path(option: str | os.PathLike[str] | None = None) -> Path:
    """`--db PATH`, else `$OPD_DESA_DB`, else `opd-desa.db` in the current folder."""
    return Path(option or os.environ.get("OPD_DESA_DB") or DEFAULT_PATH)


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
