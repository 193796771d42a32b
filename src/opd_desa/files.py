"""Writing files in one step: a temporary file beside the target, then one rename.

Every file opd-desa writes (`--output`, exports, documents, forms) goes through `atomic_write`, so a
full disk or an interrupted command leaves the previous file as it was and never half a file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal, TextIO, overload

from opd_desa.errors import DiskFull, InvalidValue
from opd_desa.i18n import _


def write_failure(path: Path, error: OSError) -> InvalidValue:
    """The one-line error for an OSError met while writing `path`: a full disk, a read-only disk, or its reason."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(
            _(
                "cannot write {path}: the disk is full; free some space and run the command again "
                "(the previous file, if any, is unchanged)"
            ).format(path=path)
        )
    if error.errno == errno.EROFS:
        return InvalidValue(
            _("cannot write {path}: the disk is read-only; choose a folder you can write to").format(path=path)
        )
    return InvalidValue(
        _("cannot write {path} ({reason}); choose another file or folder").format(
            path=path, reason=error.strerror or error
        )
    )


@overload
def atomic_write(path: Path, mode: Literal["w"] = "w") -> contextlib.AbstractContextManager[TextIO]: ...
@overload
def atomic_write(path: Path, mode: Literal["wb"]) -> contextlib.AbstractContextManager[BinaryIO]: ...
def atomic_write(path: Path, mode: str = "w") -> contextlib.AbstractContextManager[IO[Any]]:
    """Open a temporary file beside `path` ("w": UTF-8 text with "\\n" lines, "wb": bytes); on leaving
    the block it replaces `path` in one rename. On any failure the temporary file is removed, `path` is
    untouched, and an OSError becomes one line (`write_failure`)."""
    return _atomic_write(path, mode)


@contextlib.contextmanager
def _atomic_write(path: Path, mode: str) -> Iterator[IO[Any]]:
    folder = path.parent
    if not folder.is_dir():
        raise InvalidValue(
            _("cannot write {path}: the folder {folder} does not exist; create it or choose another").format(
                path=path, folder=folder
            )
        )
    if path.is_symlink():
        raise InvalidValue(
            _("cannot write {path}: it is a symbolic link; remove it or choose another name").format(path=path)
        )
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise write_failure(path, error) from error
    try:
        text = mode == "w"
        with os.fdopen(handle, mode, encoding="utf-8" if text else None, newline="" if text else None) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's owner-only mode
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise write_failure(path, error) from error
        raise


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` in one step (see `atomic_write`)."""
    with atomic_write(path, "wb") as out:
        out.write(data)
