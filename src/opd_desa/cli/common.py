"""What every command shares: the database it works on, argument parsing, the format option, the output path."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from opd_desa.environment import Environment
from opd_desa.errors import InvalidValue
from opd_desa.i18n import _
from opd_desa.text import visible

if TYPE_CHECKING:
    from opd_desa.changelog import Actor
    from opd_desa.output.present import View


@dataclass(eq=False)
class State:
    """Global options and the environment of the command, kept on the Typer context (one per run:
    compared by identity)."""

    db: str | None = None
    env: Environment = field(default_factory=Environment)


def state(ctx: typer.Context) -> State:
    """The global options and environment, kept on the root context."""
    root = ctx.find_root()
    if root.obj is None:
        root.obj = State()
    found: State = root.obj
    return found


def env(ctx: typer.Context) -> Environment:
    """The environment the command runs in (streams, terminal, today, user, language)."""
    return state(ctx).env


def today(ctx: typer.Context) -> date:
    """Today, as the command's environment has it (the one "today" every service is given)."""
    return state(ctx).env.today


def db_path(ctx: typer.Context) -> Path:
    from opd_desa.db import database_path

    return database_path(state(ctx).db)


def connect(ctx: typer.Context) -> sqlite3.Connection:
    """Open the existing database named by --db / $OPD_DESA_DB / ./opd-desa.db."""
    from opd_desa.db import open_database

    return open_database(db_path(ctx), actor=actor(ctx))


def actor(ctx: typer.Context) -> Actor:
    """Who runs the command, for the change log: the environment's user and command line."""
    from opd_desa.changelog import Actor

    environment = env(ctx)
    return Actor(environment.user, environment.command_line)


def parsed(kind: str, value: str | None, option: str) -> Any:
    """Read an argument with parse.py's `parse_<kind>` (date, rate, count, money, int_id); errors name the argument."""
    if value is None:
        return None
    from opd_desa import parse

    try:
        return getattr(parse, f"parse_{kind}")(value)
    except parse.ParseError as e:
        raise InvalidValue(f"{option}: {e}") from e


def given(value: str | None, option: str) -> str | None:
    """A filter or name as typed (None: not given); an empty one (`--agency ''`) is refused, since it
    would silently mean "everything" or "here"."""
    if value is not None and not value.strip():
        raise InvalidValue(_("{option} is empty; give a name or code, or leave {option} out").format(option=option))
    return value


def check_year(year: int | None, option: str = "--year") -> int | None:
    from opd_desa.parse import MAX_YEAR, MIN_YEAR

    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidValue(_("{option}: {year} is not a year between 2000 and 2100").format(option=option, year=year))
    return year


def format_option(help: str | None = None, check: Callable[[str], str] | None = None) -> Any:
    """The `--format` option (built with the app, so its help is translated); `check` validates the name."""
    return typer.Option("--format", "-f", help=help or _("table, csv, json or markdown."), callback=check or _format)


def _format(value: str) -> str:
    """The `--format` name, checked (a callback of one parameter: Typer passes it the value)."""
    from opd_desa.output.format_names import check_format

    return check_format(value)


def dry_run_option(files: bool = False) -> Any:
    """`--dry-run` of every import (`files`: one that reads several)."""
    if files:
        return typer.Option("--dry-run", help=_("Check the files and report; write nothing."))
    return typer.Option("--dry-run", help=_("Check the file and report; write nothing."))


def delimiter_option() -> Any:
    """`--delimiter` of every import (built with the app, so its help is translated)."""
    return typer.Option(help=_("Column separator (default: detected among , ; tab |)."))


def encoding_option() -> Any:
    """`--encoding` of every import."""
    return typer.Option(help=_("Text encoding (default: UTF-8, else Windows-1252)."))


def sheet_option() -> Any:
    """`--sheet` of every import."""
    return typer.Option(help=_("Worksheet of a workbook (default: the first)."))


def summary_format(value: str) -> str:
    """An import summary is a line for people or JSON for scripts."""
    from opd_desa.output.format_names import check_format
    from opd_desa.views.imports import SUMMARY_FORMATS

    name = check_format(value)
    if name not in SUMMARY_FORMATS:
        raise InvalidValue(_("--format for an import summary is table or json, not '{value}'").format(value=name))
    return name


def show(ctx: typer.Context, view: View, format: str, output: Path | None = None) -> None:
    """Hand the command's view to the one output path, in the command's environment."""
    from opd_desa.output.present import present

    present(view, format, output, env(ctx))


def say(ctx: typer.Context, message: str) -> None:
    """A notice for the person at the terminal (stderr, so stdout stays data)."""
    env(ctx).stderr.write(visible(message) + "\n")


def warn(ctx: typer.Context, message: str) -> None:
    say(ctx, _("warning: {message}").format(message=message))


def done(ctx: typer.Context, message: str) -> None:
    """The one-line result of a change (stdout: it is what the command did)."""
    env(ctx).stdout.write(visible(message) + "\n")
