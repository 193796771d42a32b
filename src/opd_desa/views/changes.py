"""How the change log (`log`) looks: old and new rows compact for people, JSON text in CSV, as stored in JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from opd_desa.changelog import local_time
from opd_desa.output.columns import Column
from opd_desa.output.present import View

LOG_COLUMNS = [
    Column("id", "#", "int"),
    Column("at", "At"),
    Column("user", "User"),
    Column("command", "Command"),
    Column("table", "Table"),
    Column("key", "Key"),
    Column("old", "Old"),
    Column("new", "New"),
]


def changes_view(entries: Sequence[dict[str, Any]], zone: str | None = None) -> View:
    """The change log's entries, newest first, as `changelog.entries` gives them: on screen at local time
    in `zone` (`$TZ`, else the system's) with the zone's name; in JSON and CSV in UTC, as stored."""
    shown = [
        {**e, "at": local_time(e["at"], zone), "old": _compact(e["old"]), "new": _compact(e["new"])} for e in entries
    ]
    as_json_text = [{**e, "old": _json_text(e["old"]), "new": _json_text(e["new"])} for e in entries]
    return View(shown, LOG_COLUMNS, data=list(entries), csv_rows=as_json_text)


def _compact(row: dict[str, Any] | None) -> str | None:
    """A stored row as people read it: key=value for the fields that have a value."""
    if row is None:
        return None
    return ", ".join(f"{k}={v}" for k, v in row.items() if v is not None)


def _json_text(row: dict[str, Any] | None) -> str | None:
    return None if row is None else json.dumps(row, ensure_ascii=False)
