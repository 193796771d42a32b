"""Each measure's target per year: typed, stored, listed, and the one that applies to a year.

The poverty measure keeps its v1 table (`targets`); the others live in `figure_targets`; reading goes
through the view `all_targets` (see db._measures).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from opd_desa import changelog
from opd_desa.db import transaction
from opd_desa.errors import InvalidValue
from opd_desa.i18n import N_, _
from opd_desa.measures import IDM, POVERTY, Measure, idm_class, idm_class_floor, idm_class_named
from opd_desa.parse import ParseError, parse_decimal
from opd_desa.services.measures import find_measure, list_measures

DEFAULT_TARGET = 8.0
DEFAULT_TARGET_SOURCE = N_("default: RPJMD target of at most 8 %")


def target_value(measure: Measure, text: str) -> float:
    """A typed target: a number (a rate for percentage measures) or, for the IDM, a class name
    (`Maju`), meaning the lowest score of that class."""
    if measure.key == IDM:
        named = idm_class_named(text)
        if named is not None:
            return idm_class_floor(named)
    try:
        value = parse_decimal(text)
    except ParseError as e:
        if measure.key == IDM:
            raise InvalidValue(
                _("'{value}' is neither an IDM score nor a status ({classes})").format(
                    value=text.strip(), classes=", ".join(n for n in _idm_names())
                )
            ) from e
        raise InvalidValue(str(e)) from e
    if not measure.in_range(value):
        raise InvalidValue(
            _("{value:g} is outside the range of {measure} ({range})").format(
                value=value, measure=measure.key, range=measure.range_text()
            )
        )
    return value


def _idm_names() -> tuple[str, ...]:
    from opd_desa.measures import IDM_CLASS_NAMES

    return IDM_CLASS_NAMES


def set_target(
    conn: sqlite3.Connection, year: int, value: float | str, source: str | None = None, measure: str | None = None
) -> dict[str, Any]:
    """Record (or replace) a measure's target for a year (a str is read as people type it)."""
    with transaction(conn):
        found = find_measure(conn, measure)
        number = target_value(found, value) if isinstance(value, str) else value
        if not found.in_range(number):
            raise InvalidValue(
                _("{value:g} is outside the range of {measure} ({range})").format(
                    value=number, measure=found.key, range=found.range_text()
                )
            )
        number = round(number, 2 if found.is_percent else 4)
        text = (source or "").strip() or None
        old = _target_row(conn, found, year)
        if found.key == POVERTY:
            conn.execute("INSERT OR REPLACE INTO targets (year, rate, source) VALUES (?, ?, ?)", (year, number, text))
            table = "targets"
        else:
            conn.execute(
                "INSERT OR REPLACE INTO figure_targets (measure_id, year, value, source) VALUES (?, ?, ?, ?)",
                (found.id, year, number, text),
            )
            table = "figure_targets"
        new = _target_row(conn, found, year)
        if new != old:
            changelog.record(conn, table, str(year) if found.key == POVERTY else f"{found.key} {year}", old, new)
        assert new is not None
        return new


def _target_row(conn: sqlite3.Connection, measure: Measure, year: int) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT year, value, source FROM all_targets WHERE measure_id = ? AND year = ?", (measure.id, year)
    ).fetchone()
    return _target_dict(measure, row) if row else None


def _target_dict(measure: Measure, row: tuple[Any, ...]) -> dict[str, Any]:
    target = {"measure": measure.key, "year": row[0], "value": row[1], "source": row[2]}
    if measure.is_percent:
        target["rate"] = row[1]
    if measure.has_classes:
        target["class"] = idm_class(row[1])
    return target


def list_targets(conn: sqlite3.Connection, measure: str | None = None) -> list[dict[str, Any]]:
    """The stored targets by measure and year (only `measure`'s when given)."""
    wanted = find_measure(conn, measure) if measure else None
    measures = {m.id: m for m in list_measures(conn)}
    rows = conn.execute(
        "SELECT measure_id, year, value, source FROM all_targets WHERE ? IS NULL OR measure_id = ? "
        "ORDER BY measure_id, year",
        (wanted.id if wanted else None, wanted.id if wanted else None),
    ).fetchall()
    return [_target_dict(measures[r[0]], tuple(r[1:])) for r in rows]


@dataclass(frozen=True)
class Target:
    """The target that applies to a year; `rate` is None when the measure has none at all."""

    rate: float | None
    source: str
    year: int | None  # the year whose stored target applies; None for the default (or none)
    is_default: bool

    @property
    def value(self) -> float | None:
        return self.rate


def target_for(conn: sqlite3.Connection, year: int, measure: Measure | None = None) -> Target:
    """The target for `year`: stored for it, else the nearest later year's, else the nearest
    earlier's, else the measure's default (8 % for poverty), else none."""
    measure_id = measure.id if measure else 1
    row = conn.execute(
        "SELECT year, value, source FROM all_targets WHERE measure_id = ? ORDER BY year < ?, abs(year - ?) LIMIT 1",
        (measure_id, year, year),
    ).fetchone()
    if row is None:
        if measure is None or measure.key == POVERTY:
            return Target(DEFAULT_TARGET, _(DEFAULT_TARGET_SOURCE), None, True)
        if measure.default_target is not None:
            return Target(measure.default_target, measure.default_target_source or "", None, True)
        return Target(None, _("no target set for {measure}").format(measure=measure.key), None, True)
    source = row[2] or _("target set for {year}").format(year=row[0])
    return Target(row[1], source, row[0], False)
