"""An online, consistent copy of the database (SQLite's backup API)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _


def backup_database(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy the open database to `target`, which must not exist yet."""
    if target.exists():
        raise InvalidValue(_("{path} exists already; give a new file name for the backup").format(path=target))
    if not target.parent.exists():
        raise InvalidValue(_("folder {folder} does not exist").format(folder=target.parent))
    copy = sqlite3.connect(target)
    try:
        conn.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
    finally:
        copy.close()
    return target
