"""The `boundaries` table: one simplified shape per village, as GeoJSON geometry text."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable


def create_boundaries_table(conn: sqlite3.Connection) -> None:
    """Migration: the table of village boundaries (one row per village; a re-import replaces it)."""
    conn.execute(
        """
        CREATE TABLE IF NOT EXISTS boundaries (
            village_code TEXT PRIMARY KEY REFERENCES villages(code),
            geometry TEXT NOT NULL,
            source TEXT,
            imported_at TEXT
        ) WITHOUT ROWID
        """
    )


def store(conn: sqlite3.Connection, shapes: Iterable[tuple[str, str]], source: str, imported_at: str) -> int:
    """Write (village code, geometry text) rows, replacing those villages' earlier boundaries;
    villages not in `shapes` keep theirs (a kecamatan's file can be imported on its own)."""
    cursor = conn.executemany(
        "INSERT INTO boundaries (village_code, geometry, source, imported_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (village_code) DO UPDATE SET geometry = excluded.geometry, source = excluded.source, "
        "imported_at = excluded.imported_at",
        ((code, text, source, imported_at) for code, text in shapes),
    )
    return cursor.rowcount


def load(conn: sqlite3.Connection, codes: Iterable[str] | None = None) -> dict[str, str]:
    """Village code -> geometry text, of all villages or of those given."""
    rows = conn.execute("SELECT village_code, geometry FROM boundaries ORDER BY village_code").fetchall()
    if codes is None:
        return dict(rows)
    wanted = set(codes)
    return {code: text for code, text in rows if code in wanted}


def count_without_boundary(conn: sqlite3.Connection) -> int | None:
    """Villages of the database that have no boundary; None while no boundary is loaded at all."""
    if conn.execute("SELECT 1 FROM boundaries LIMIT 1").fetchone() is None:
        return None
    row = conn.execute(
        "SELECT count(*) FROM villages v WHERE NOT EXISTS (SELECT 1 FROM boundaries b WHERE b.village_code = v.code)"
    ).fetchone()
    return int(row[0])
