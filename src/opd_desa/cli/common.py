"""What every command shares: the database it works on, argument parsing, the format option."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _

T = TypeVar("T")


@dataclass
class State:
    """Global options, kept on the Typer context."""

    db: str | None = None


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if root.obj is None:
        root.obj = State()
    return root.obj


def db_path(ctx: typer.Context) -> Path:
    from opd_desa.db import database_path

    return database_path(state(ctx).db)


def connect(ctx: typer.Context) -> sqlite3.Connection:
    """Open the existing database named by --db / $OPD_DESA_DB / ./opd-desa.db."""
    from opd_desa.db import open_database

    return open_database(db_path(ctx))


def parsed(parser: Callable[[str], T], value: str | None, option: str) -> T | None:
    """Run a parse.py parser on an argument; its error names the argument."""
    from opd_desa.parse import ParseError

    if value is None:
        return None
    try:
        return parser(value)
    except ParseError as e:
        raise InvalidValue(f"{option}: {e}") from e


def check_year(year: int | None, option: str = "--year") -> int | None:
    if year is not None and not 2000 <= year <= 2100:
        raise InvalidValue(_("{option}: {year} is not a year between 2000 and 2100").format(option=option, year=year))
    return year


def fmt(value: str) -> str:
    from opd_desa.render import check_format

    return check_format(value)


def say(message: str) -> None:
    """A notice for the person at the terminal (stderr, so stdout stays data)."""
    print(message, file=sys.stderr)


def warn(message: str) -> None:
    print(_("warning: {message}").format(message=message), file=sys.stderr)


def done(message: str) -> None:
    """The one-line result of a change (stdout: it is what the command did)."""
    print(message)


FormatOption = Annotated[
    str,
    typer.Option("--format", "-f", help="Output format: table, csv, json or markdown.", show_default=True),
]
