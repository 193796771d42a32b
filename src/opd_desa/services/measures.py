"""The measures a database keeps (`measure list`, `measure add`) and finding one by its key."""

from __future__ import annotations

import re
import sqlite3

from opd_desa import changelog
from opd_desa.db import transaction
from opd_desa.errors import ArgumentError, NotFound, RuleViolation
from opd_desa.i18n import _
from opd_desa.measures import BETTER, POVERTY, Measure
from opd_desa.names import closest, shown

_KEY = re.compile(r"[a-z][a-z0-9_]{0,31}")
_COLUMNS = "id, key, name, unit, better, min, max, default_target, default_target_source"


def _measure(row: sqlite3.Row | tuple[object, ...]) -> Measure:
    return Measure(*row)


def list_measures(conn: sqlite3.Connection) -> list[Measure]:
    """Every measure, the built-in ones first."""
    return [_measure(r) for r in conn.execute(f"SELECT {_COLUMNS} FROM measures ORDER BY id")]


def find_measure(conn: sqlite3.Connection, key: str | None, option: str = "--measure") -> Measure:
    """The measure with this key (default: poverty); unknown keys are refused with the known ones."""
    wanted = (key or POVERTY).strip().casefold()
    row = conn.execute(f"SELECT {_COLUMNS} FROM measures WHERE key = ?", (wanted,)).fetchone()
    if row is not None:
        return _measure(row)
    known = [m.key for m in list_measures(conn)]
    near = closest(wanted, known)
    raise NotFound(
        _("{option}: no measure '{key}'; known measures: {known}").format(
            option=option, key=shown(key or ""), known=", ".join(known)
        )
        + (_("; did you mean: {listing}?").format(listing=", ".join(near)) if near else "")
    )


def add_measure(
    conn: sqlite3.Connection,
    key: str,
    name: str,
    *,
    unit: str,
    better: str,
    minimum: float | None = None,
    maximum: float | None = None,
) -> Measure:
    """Define an office's own measure (stunting prevalence, uninhabitable houses, ...)."""
    key = key.strip().casefold()
    if not _KEY.fullmatch(key):
        raise ArgumentError(
            _("{argument}: '{value}' is not a measure key: use lower-case letters, digits and _ (e.g. stunting)"),
            "key",
            value=shown(key),
        )
    if better not in BETTER:
        raise ArgumentError(_("{argument} must be lower or higher, not '{value}'"), "better", value=shown(better))
    if not name.strip() or not unit.strip():
        raise ArgumentError(_("{argument}: give the measure a name and a unit"), "unit")
    if minimum is not None and maximum is not None and minimum >= maximum:
        raise ArgumentError(
            _("{argument}: the minimum {low} must be below the maximum {high}"), "min", low=minimum, high=maximum
        )
    with transaction(conn):
        if conn.execute("SELECT 1 FROM measures WHERE key = ?", (key,)).fetchone():
            raise RuleViolation(_("measure '{key}' exists already; `opd-desa measure list` shows it").format(key=key))
        cursor = conn.execute(
            "INSERT INTO measures (key, name, unit, better, min, max) VALUES (?, ?, ?, ?, ?, ?)",
            (key, name.strip(), unit.strip(), better, minimum, maximum),
        )
        measure = Measure(cursor.lastrowid or 0, key, name.strip(), unit.strip(), better, minimum, maximum)
        changelog.record(conn, "measures", key, None, measure.as_dict() | {"min": minimum, "max": maximum})
        return measure
