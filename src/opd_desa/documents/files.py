"""Writing a finished document to its file in one step, so a reader never opens half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then put it in place with one rename."""
    folder = path.parent
    if not folder.is_dir():
        raise InvalidValue(
            _("Cannot write {path}: the folder {folder} does not exist. Create it or choose another.").format(
                path=path, folder=folder
            )
        )
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise InvalidValue(
            _("Cannot write {path}: {reason}. Choose a folder you can write to.").format(
                path=path, reason=error.strerror
            )
        ) from error
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's owner-only mode
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise InvalidValue(
            _("Cannot write {path}: {reason}. Close it where it is open, or choose another name.").format(
                path=path, reason=error.strerror
            )
        ) from error
