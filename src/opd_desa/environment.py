"""What a command runs in: its streams, terminal, colour, today's date, user, command line and language.

Made once by `cli.main` and handed down (the CLI keeps it on the Typer context), so that nothing else
reads `sys.stdout`, `date.today()` or `os.environ` itself and tests build one instead of monkeypatching.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TextIO


@dataclass(frozen=True, eq=False)
class Environment:
    """The world one command line runs in (one process's streams and settings: compared by identity,
    which also spares every start the making of a field-by-field `==` and hash)."""

    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    stdout_isatty: bool = False
    stderr_isatty: bool = False
    colors: bool = False
    today: date = field(default_factory=date.today)
    user: str = "unknown"
    command_line: str = "opd-desa"
    language: str = "en"
    environ: Mapping[str, str] = field(default_factory=dict)

    @property
    def debug(self) -> bool:
        """Show tracebacks of internal errors (`OPD_DESA_DEBUG=1`)."""
        return bool(self.environ.get("OPD_DESA_DEBUG"))

    @property
    def db_default(self) -> str | None:
        """`$OPD_DESA_DB`, the database when `--db` is not given."""
        return self.environ.get("OPD_DESA_DB") or None

    @classmethod
    def from_system(cls, args: list[str], language: str) -> Environment:
        """The real process's environment, for the command line `opd-desa ARGS`."""
        return cls(
            stdin=sys.stdin,
            stdout=sys.stdout,
            stderr=sys.stderr,
            stdout_isatty=_isatty(sys.stdout),
            stderr_isatty=_isatty(sys.stderr),
            colors="NO_COLOR" not in os.environ,
            today=date.today(),
            user=_login_name(os.environ),
            command_line=shlex.join(["opd-desa", *args]),
            language=language,
            environ=dict(os.environ),
        )


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


def _login_name(environ: Mapping[str, str]) -> str:
    """Who runs the command, found as `getpass.getuser()` finds it (the first of $LOGNAME, $USER,
    $LNAME and $USERNAME, else the password database) without loading the terminal modules getpass
    brings along, which every command would pay for at start."""
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        if environ.get(variable):
            return environ[variable]
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except Exception:  # no login name (e.g. a container without a passwd entry, or no pwd module)
        return "unknown"
