"""`pairings --output FILE`: the decree annex for the pairings in force on a day."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import typer

from opd_desa.cli.common import say
from opd_desa.errors import InvalidValue
from opd_desa.i18n import _, counted


def write_annex(ctx: typer.Context, conn: sqlite3.Connection, day: date, path: Path, *, every: bool = False) -> None:
    """Write the annex (its kind from the file's suffix) and say where it went and what it lacks."""
    from opd_desa.services.decree import write_annex_file

    if every:
        raise InvalidValue(
            _("--output writes the annex of the pairings in force on one day; leave out --all and give --as-of")
        )
    annex = write_annex_file(conn, day, path)
    say(
        ctx,
        _("wrote {path}: {pairings} in force on {day}").format(
            path=path, pairings=counted(len(annex.lines), "{n} pairing", "{n} pairings"), day=day.isoformat()
        ),
    )
    if annex.number is None or annex.day is None:
        say(
            ctx,
            _(
                "note: the decree's number or date is not recorded, so the annex leaves dotted blanks for them, "
                "to be filled in by hand"
            ),
        )
