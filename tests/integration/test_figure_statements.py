"""A batch written without the columns none of its rows fills is stored as binding None would store it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from opd_desa.db import open_database
from opd_desa.services.figures import OPTIONAL_COLUMNS, rows_to_write, table_columns, write_statement

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
# what the batch gives beside the key and value (count, population, source id): each optional column
# empty in every row, in some rows, or in none
GIVEN = {
    "nothing": [(None, None, None)] * 3,
    "a source for one": [(None, None, None), (None, None, None), (None, None, 1)],
    "counts for one": [(None, None, 1), (None, None, 1), (40, 4000, 1)],
    "populations only": [(None, 9000, None), (None, 1000, None), (None, 500, None)],
    "everything": [(300, 10000, 1), (20, 1000, 1), (30, 400, 1)],
}


def _stored(db_path: Path, table: str, write: Any) -> tuple[int, list[tuple[Any, ...]]]:
    """(rows changed, the table afterwards) when `write(conn)` runs over the STORED rows."""
    conn = open_database(db_path)
    conn.execute("BEGIN")
    try:
        conn.execute("INSERT OR IGNORE INTO sources (id, text) VALUES (1, 'stored')")
        conn.executemany(write_statement(table), STORED[table])
        changed = write(conn)
        return changed, [tuple(row) for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3")]
    finally:
        conn.execute("ROLLBACK")
        conn.close()


@pytest.mark.parametrize("given", GIVEN)
@pytest.mark.parametrize("how", ["merge", "insert_new"])
@pytest.mark.parametrize("table", STORED)
def test_columns_no_row_fills_are_left_out_and_stored_as_bound_nones(
    db_path: Path, table: str, how: Any, given: str
) -> None:
    rows = [(*row, *extra) for row, extra in zip(AGAIN[table], GIVEN[given], strict=True)]
    left_out: tuple[str, ...] = ()

    def narrowed(conn: sqlite3.Connection) -> int:
        nonlocal left_out
        written, left_out = rows_to_write(table, list(zip(*rows, strict=True)))
        return conn.executemany(write_statement(table, how, left_out), written).rowcount

    as_nones = _stored(db_path, table, lambda conn: conn.executemany(write_statement(table, how), rows).rowcount)
    assert _stored(db_path, table, narrowed) == as_nones
    names = table_columns(table)
    empty = {name for at, name in enumerate(names) if all(row[at] is None for row in rows)}
    assert set(left_out) == empty & OPTIONAL_COLUMNS
    assert as_nones[0] >= 1  # the new key at least


def test_a_plain_insert_leaving_out_columns_stores_them_empty(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN")
    conn.executemany(
        write_statement("figures", "insert", ("count", "population")), [(3, "33.20.16.2005", 2023, 0.6, None)]
    )
    row = conn.execute("SELECT value, count, population, source_id FROM figures WHERE measure_id = 3").fetchone()
    conn.execute("ROLLBACK")
    assert tuple(row) == (0.6, None, None, None)


def test_only_optional_columns_can_be_left_out() -> None:
    with pytest.raises(ValueError, match="only optional columns"):
        write_statement("figures", "merge", ("value",))
    with pytest.raises(ValueError, match="only optional columns"):
        write_statement("poverty", "merge", ("count",))  # poverty's count is `poor`
    with pytest.raises(ValueError, match="no way to write"):
        write_statement("figures", "upsert")  # type: ignore[arg-type]
