"""An online, consistent copy of the database (SQLite's backup API)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from opd_desa.errors import DatabaseError, InvalidValue
from opd_desa.i18n import _
from opd_desa.names import shown


def backup_database(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy the open database to `target`, which must not exist yet."""
    if target.exists():
        raise InvalidValue(_("{path} exists already; give a new file name for the backup").format(path=target))
    if not target.parent.exists():
        raise InvalidValue(_("folder {folder} does not exist").format(folder=target.parent))
    try:
        copy = sqlite3.connect(target)
    except sqlite3.Error as e:
        raise InvalidValue(_("cannot write the backup to {path} ({error})").format(path=target, error=e)) from e
    try:
        conn.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
        check = copy.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as e:
        check = str(e)
    finally:
        copy.close()
    if check != "ok":  # never leave a damaged copy that looks like a good backup
        target.unlink(missing_ok=True)
        raise DatabaseError(
            _("the database is damaged ({problem}); no backup was written. Restore it from an earlier backup").format(
                problem=shown(check)
            )
        )
    return target
