"""The change log: who changed what, when, by which command, and the row as it was before."""

from __future__ import annotations

import sqlite3
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

_command: ContextVar[str] = ContextVar("command", default="")


def set_command(text: str) -> None:
    """Remember the command line that is running, for the log entries it writes."""
    _command.set(text)


def current_command() -> str:
    """The command line being run (for log entries written in SQL)."""
    return _command.get()


def current_user() -> str:
    """The login name of the person running the command."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name (e.g. a container without a passwd entry)
        return "unknown"


def now() -> str:
    """The time a change is recorded, in UTC, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _dump(row: dict[str, Any] | None) -> str | None:
    import json

    return None if row is None else json.dumps(row, ensure_ascii=False, sort_keys=True, default=str)


def record(
    conn: sqlite3.Connection,
    table: str,
    key: str,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
) -> None:
    """Write one change (old is None for an insert, new is None for a removal)."""
    conn.execute(
        'INSERT INTO change_log (at, user, command, "table", key, old, new) VALUES (?, ?, ?, ?, ?, ?, ?)',
        (now(), current_user(), _command.get(), table, key, _dump(old), _dump(new)),
    )


def record_many(conn: sqlite3.Connection, table: str, changes: list[tuple[str, Any, Any]]) -> None:
    """Write many changes of one table at once: (key, old, new) each."""
    at, user, command = now(), current_user(), _command.get()
    conn.executemany(
        'INSERT INTO change_log (at, user, command, "table", key, old, new) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [(at, user, command, table, key, _dump(old), _dump(new)) for key, old, new in changes],
    )


def entries(conn: sqlite3.Connection, limit: int | None = 50) -> list[dict[str, Any]]:
    """The latest changes, newest first (all of them with limit None)."""
    import json

    sql = 'SELECT id, at, user, command, "table", key, old, new FROM change_log ORDER BY id DESC'
    params: tuple[int, ...] = ()
    if limit is not None:
        sql += " LIMIT ?"
        params = (limit,)
    return [
        {
            "id": row[0],
            "at": row[1],
            "user": row[2],
            "command": row[3],
            "table": row[4],
            "key": row[5],
            "old": json.loads(row[6]) if row[6] else None,
            "new": json.loads(row[7]) if row[7] else None,
        }
        for row in conn.execute(sql, params)
    ]
