"""An online, consistent copy of the database (SQLite's backup API), written in one step."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

from opd_desa.errors import DatabaseError, DiskFull, InvalidValue
from opd_desa.i18n import _
from opd_desa.names import shown


def backup_database(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy the open database to `target`, which must not exist yet.

    The copy is made in a temporary file beside `target` and checked before it is renamed into
    place, so a full disk or a failure leaves no file that looks like a good backup; a full disk
    is said as such (the database itself is fine)."""
    from opd_desa.files import write_failure

    if target.exists() or target.is_symlink():
        raise InvalidValue(_("{path} exists already; give a new file name for the backup").format(path=target))
    if not target.parent.is_dir():
        raise InvalidValue(_("folder {folder} does not exist").format(folder=target.parent))
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(handle)
    except OSError as e:
        raise write_failure(target, e) from e
    try:
        _copy(conn, Path(temporary), target)
        os.replace(temporary, target)
    except OSError as e:
        raise write_failure(target, e) from e
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return target


def _copy(conn: sqlite3.Connection, temporary: Path, target: Path) -> None:
    """Copy into `temporary` and check the copy; a write failure and a damaged database are told apart."""
    copy = sqlite3.connect(temporary)
    try:
        try:
            conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.Error as e:
            raise _write_trouble(e, target) from e
        try:
            check = copy.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as e:
            check = str(e)
    finally:
        copy.close()
    if check != "ok":  # never leave a damaged copy that looks like a good backup
        raise DatabaseError(
            _("the database is damaged ({problem}); no backup was written. Restore it from an earlier backup").format(
                problem=shown(check)
            )
        )


def _write_trouble(error: sqlite3.Error, target: Path) -> InvalidValue:
    """Why writing the copy failed, in words: the disk is full, the folder is read-only, or SQLite's reason."""
    code = getattr(error, "sqlite_errorcode", None)
    text = str(error)
    if code == sqlite3.SQLITE_FULL or "full" in text:
        return DiskFull(
            _(
                "cannot write the backup {path}: the disk is full; free some space and try again "
                "(the database itself is unharmed)"
            ).format(path=target)
        )
    if code == sqlite3.SQLITE_READONLY or "readonly" in text:
        return InvalidValue(
            _("cannot write the backup {path}: the folder is read-only; choose another").format(path=target)
        )
    return InvalidValue(_("cannot write the backup {path} ({error})").format(path=target, error=text))
