"""The change log: who changed what, when, by which command, and the row as it was before."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any


@dataclass(frozen=True)
class Actor:
    """Who works through a connection: the login name and the command line, as the log records them."""

    user: str = "unknown"
    command: str = ""


def actor_of(conn: sqlite3.Connection) -> Actor:
    """The actor a connection was opened for (`db.open_database(..., actor=)`); a plain connection has none."""
    actor = getattr(conn, "actor", None)
    return actor if isinstance(actor, Actor) else Actor()


def now() -> str:
    """The time a change is recorded, in UTC, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_time(at: str, zone: str | None = None) -> str:
    """A stored UTC time (`2026-12-01T13:20:09Z`) as people read it where they are: `2026-12-01 20:20 WIB`.

    `zone` is `$TZ` (an IANA name such as Asia/Jakarta, Asia/Makassar, Asia/Jayapura); without it, or
    when it is not a zone name, the system's local zone."""
    moment = datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    local = moment.astimezone(_zone(zone))
    return local.strftime("%Y-%m-%d %H:%M ") + (local.tzname() or local.strftime("UTC%z"))


def _zone(name: str | None) -> tzinfo | None:
    """The zone named by `$TZ` (a leading ':' allowed, as POSIX writes it), else None: the system's own."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = (name or "").removeprefix(":")
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


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
    actor = actor_of(conn)
    conn.execute(
        'INSERT INTO change_log (at, user, command, "table", key, old, new) VALUES (?, ?, ?, ?, ?, ?, ?)',
        (now(), actor.user, actor.command, table, key, _dump(old), _dump(new)),
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
