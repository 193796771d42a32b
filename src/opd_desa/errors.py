"""The exception types a user can cause, and the exit statuses they map to."""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitStatus(IntEnum):
    """Exit statuses of the command line, the one mapping `cli.main` uses (after httpie's status.py)."""

    OK = 0
    ERROR = 1  # something the user can fix: the message says what
    USAGE = 2  # an unknown option or a missing argument, as the argument parser reports it
    INTERNAL = 70  # a defect of opd-desa (EX_SOFTWARE of sysexits.h)
    INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as shells report it


class UserError(Exception):
    """Something the user can fix; the message says what was wrong and what to do."""

    exit_status = ExitStatus.ERROR


class DatabaseError(UserError):
    """The database file is missing, foreign, or from a newer version."""


class NotFound(UserError):
    """A name or id that matches nothing."""


class Ambiguous(UserError):
    """A name that matches several things; the message lists them."""


class RuleViolation(UserError):
    """A change that would break one of the programme's rules."""


class InvalidValue(UserError):
    """A value given on the command line that cannot be used."""


class ImportFailed(UserError):
    """An import found errors in its file; nothing was written."""

    def __init__(self, message: str, summary: Any = None) -> None:  # the importer's summary, for JSON
        super().__init__(message)
        self.summary = summary


class ArgumentError(InvalidValue):
    """A service refusing one of its arguments. The service names the argument as data
    (`argument="by"`) and its message says `{argument}`; the message reads it as the command
    line's option (`--by`), and a caller with other words for it can `render` its own."""

    def __init__(self, template: str, argument: str, **values: object) -> None:
        self.template, self.argument, self.values = template, argument, values
        super().__init__(self.render("--" + argument.replace("_", "-")))

    def render(self, name: str) -> str:
        return self.template.format(argument=name, **self.values)
