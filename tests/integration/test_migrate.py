"""Migrations: each schema version opens, upgrades with its data intact, and ends in the same columns."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import sqlite_utils

from opd_desa.db import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, open_database
from opd_desa.services.activities import NewActivity, add_activity, remove_activity
from opd_desa.services.pairings import assign


def test_a_new_database_has_the_expected_columns(tmp_path: Path) -> None:
    open_database(tmp_path / "new.db", create=True).close()
    db = sqlite_utils.Database(tmp_path / "new.db")
    assert db["activities"].columns_dict == {
        "id": int,
        "village_code": str,
        "agency_id": int,
        "date": str,
        "kind": str,
        "title": str,
        "budget": int,
        "spent": int,
        "households": int,
        "beneficiaries": int,
        "source": str,
        "note": str,
    }
    assert db["pairings"].columns_dict == {
        "id": int,
        "village_code": str,
        "agency_id": int,
        "since": str,
        "until": str,
        "decree": str,
        "reason": str,
        "note": str,
    }
    assert set(db.table_names()) >= {
        "meta",
        "regions",
        "villages",
        "agencies",
        "agency_aliases",
        "agency_keys",
        "pairings",
        "sources",
        "poverty",
        "targets",
        "activities",
        "change_log",
    }


def _version_1(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    MIGRATIONS[0](conn)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("COMMIT")
    conn.close()


def test_version_1_upgrades_and_removed_activity_ids_are_never_given_again(db_path: Path, tmp_path: Path) -> None:
    conn = open_database(db_path)
    assign(conn, "Tulakan", "Bappeda", since=date(2021, 10, 13))
    first = add_activity(conn, NewActivity("Tulakan", date(2022, 1, 5), "pelatihan", "A")).activity["id"]
    last = add_activity(conn, NewActivity("Tulakan", date(2022, 2, 5), "pelatihan", "B")).activity["id"]
    remove_activity(conn, last)
    # turn the file back into a version-1 database holding the same rows (no AUTOINCREMENT yet)
    rows = conn.execute("SELECT * FROM activities").fetchall()
    conn.execute("BEGIN")
    conn.execute("DROP TABLE activities")
    conn.execute("DELETE FROM sqlite_sequence")
    conn.execute("""CREATE TABLE activities (id INTEGER PRIMARY KEY, village_code TEXT NOT NULL REFERENCES
        villages(code), agency_id INTEGER NOT NULL REFERENCES agencies(id), date TEXT NOT NULL, kind TEXT NOT NULL,
        title TEXT NOT NULL, budget INTEGER, spent INTEGER, households INTEGER, beneficiaries INTEGER, source TEXT,
        note TEXT)""")
    conn.executemany("INSERT INTO activities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [tuple(r) for r in rows])
    for view in ("all_figures", "all_targets"):  # and without what later versions added
        conn.execute(f"DROP VIEW {view}")
    for table in ("figures", "area_figures", "figure_targets", "measures"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("COMMIT")
    conn.close()

    upgraded = open_database(db_path)
    assert upgraded.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert [r[0] for r in upgraded.execute("SELECT id FROM activities")] == [first]
    again = add_activity(upgraded, NewActivity("Tulakan", date(2022, 3, 5), "pelatihan", "C")).activity["id"]
    assert again > last  # the removed #last is never reused


def test_an_empty_version_1_file_upgrades(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    _version_1(path)
    conn = open_database(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_migration_can_transform_a_table_within_the_migration_transaction(tmp_path: Path) -> None:
    """What a later migration will do: change a column's type with sqlite-utils' transform(), all of it
    undone when the migration fails (the transform runs inside our transaction, not in its own)."""
    from opd_desa.db import transaction
    from opd_desa.migrations import utils_database

    conn = open_database(tmp_path / "t.db", create=True)
    with transaction(conn):
        conn.execute("INSERT INTO targets (year, rate, source) VALUES (2024, 7.5, 'RPJMD')")
    try:
        with transaction(conn):
            utils_database(conn)["targets"].transform(types={"source": int})
            assert utils_database(conn)["targets"].columns_dict["source"] is int
            raise RuntimeError("the migration fails after the transform")
    except RuntimeError:
        pass
    assert utils_database(conn)["targets"].columns_dict["source"] is str
    assert [tuple(r) for r in conn.execute("SELECT year, rate, source FROM targets")] == [(2024, 7.5, "RPJMD")]


def test_a_database_from_before_maps_gains_an_empty_boundaries_table(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    _version_1(path)
    conn = open_database(path)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(boundaries)")}
    assert columns == {"village_code", "geometry", "source", "imported_at"}
    assert conn.execute("SELECT count(*) FROM boundaries").fetchone()[0] == 0
