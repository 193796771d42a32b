"""Opening databases: missing, foreign, newer files are refused and left untouched."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from opd_desa.db import APPLICATION_ID, SCHEMA_VERSION, open_database
from opd_desa.errors import DatabaseError


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_missing_file_is_not_created_by_accident(tmp_path: Path) -> None:
    path = tmp_path / "none.db"
    with pytest.raises(DatabaseError, match="opd-desa init"):
        open_database(path)
    assert not path.exists()


def test_create_records_schema_version_wal_and_application_id(tmp_path: Path) -> None:
    conn = open_database(tmp_path / "new.db", create=True)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"villages", "agencies", "pairings", "poverty", "targets", "activities", "change_log"} <= tables


def test_a_text_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("village;rate\nTulakan;10,9\n")
    before = digest(path)
    with pytest.raises(DatabaseError, match="not an SQLite database"):
        open_database(path, create=True)
    assert digest(path) == before


def test_an_sqlite_file_of_another_application_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    other.commit()
    other.close()
    before = digest(path)
    for create in (False, True):
        with pytest.raises(DatabaseError, match="another application"):
            open_database(path, create=create)
    assert digest(path) == before


def test_a_database_from_a_newer_opd_desa_is_refused_untouched(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = digest(db_path)
    with pytest.raises(DatabaseError, match="newer opd-desa"):
        open_database(db_path)
    assert digest(db_path) == before


def test_codes_are_stored_as_text(conn: sqlite3.Connection) -> None:
    types = {r[0] for r in conn.execute("SELECT DISTINCT typeof(code) FROM villages")}
    assert types == {"text"}
    assert conn.execute("SELECT code FROM regions WHERE code = '33.20.10'").fetchone()[0] == "33.20.10"


def test_every_change_records_who_made_it_with_which_command(tmp_path: Path) -> None:
    from opd_desa.changelog import Actor, actor_of, entries
    from opd_desa.services.targets import set_target

    actor = Actor("siti", "opd-desa target set 2024 7.5")
    conn = open_database(tmp_path / "new.db", create=True, actor=actor)
    set_target(conn, 2024, 7.5)
    (entry,) = entries(conn)
    assert (entry["user"], entry["command"], entry["table"]) == ("siti", "opd-desa target set 2024 7.5", "targets")
    assert actor_of(conn) == actor
    assert actor_of(sqlite3.connect(":memory:")) == Actor()  # a plain connection has nobody behind it
