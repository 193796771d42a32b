"""A statement that leaves out the columns no row fills writes what binding None to them would."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest

from opd_desa.db import open_database
from opd_desa.services.figures import OPTIONAL_COLUMNS, table_columns, write_statement

# stored first: every column filled, so that a left-out column can be seen to keep (or drop) its value
STORED = {
    "poverty": [("33.20.16.2005", 2020, 12.4, 1269, 10231, 1), ("33.20.16.2002", 2020, 9.0, 90, 1000, 1)],
    "figures": [(2, "33.20.16.2005", 2020, 3.1, 310, 10000, 1), (2, "33.20.16.2002", 2020, 2.0, 20, 1000, 1)],
    "area_figures": [(2, "33.20", 2020, 1.5, 15000, 1000000, 1), (2, "33.20.16", 2020, 2.5, 250, 10000, 1)],
}
# then written again: the first row another value, the second the same, the third a new key
AGAIN = {
    "poverty": [("33.20.16.2005", 2020, 12.41), ("33.20.16.2002", 2020, 9.0), ("33.20.16.2001", 2021, 7.5)],
    "figures": [(2, "33.20.16.2005", 2020, 3.2), (2, "33.20.16.2002", 2020, 2.0), (2, "33.20.16.2001", 2021, 1.0)],
    "area_figures": [(2, "33.20", 2020, 1.4), (2, "33.20.16", 2020, 2.5), (2, "33.20.16", 2021, 2.4)],
}


def _optional(table: str) -> list[str]:
    return [name for name in table_columns(table) if name in OPTIONAL_COLUMNS]


@pytest.mark.parametrize(
    ("table", "how", "left_out"),
    [
        (table, how, left_out)
        for table in STORED
        for how in ("merge", "insert_new")
        for n in range(1, 4)
        for left_out in itertools.combinations(_optional(table), n)
    ],
)
def test_left_out_columns_write_as_bound_nones(db_path: Path, table: str, how: str, left_out: tuple[str, ...]) -> None:
    results = []
    for leave_out in ((), left_out):
        conn = open_database(db_path)
        conn.execute("BEGIN")
        conn.execute("INSERT OR IGNORE INTO sources (id, text) VALUES (1, 'stored')")
        conn.executemany(write_statement(table), STORED[table])
        columns = table_columns(table)
        # the rows as the writer has them: None in every optional column (the source of the third given)
        given = [(*row, None, None, 1 if i == 2 else None) for i, row in enumerate(AGAIN[table])]
        nones = [name for name in left_out if all(row[columns.index(name)] is None for row in given)]
        if leave_out and nones:
            kept = [at for at, name in enumerate(columns) if name not in nones]
            rows = [tuple(row[at] for at in kept) for row in given]
            changed = conn.executemany(write_statement(table, how, tuple(nones)), rows).rowcount
        else:
            changed = conn.executemany(write_statement(table, how), given).rowcount
        stored = [tuple(row) for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3")]
        results.append((changed, stored))
        conn.execute("ROLLBACK")
        conn.close()
    assert results[0] == results[1]
    assert results[0][0] == {"merge": 2, "insert_new": 1}[how]  # the changed row and the new one; the new one


def test_a_plain_insert_leaving_out_columns_stores_them_empty(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN")
    conn.executemany(
        write_statement("figures", "insert", ("count", "population")), [(3, "33.20.16.2005", 2023, 0.6, None)]
    )
    row = conn.execute("SELECT value, count, population, source_id FROM figures WHERE measure_id = 3").fetchone()
    conn.execute("ROLLBACK")
    assert tuple(row) == (0.6, None, None, None)
