"""Poverty figures per village and year, and the poverty-rate target per year."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from opd_desa import changelog
from opd_desa.db import transaction
from opd_desa.errors import InvalidValue
from opd_desa.i18n import N_, _
from opd_desa.resolve import Resolver, VillageRef
from opd_desa.rules import AGREEMENT

DEFAULT_TARGET = 8.0
DEFAULT_TARGET_SOURCE = N_("default: RPJMD target of at most 8 %")


# One figure per village and year. A row that leaves poor, population or source empty keeps what is
# stored (a sheet of rates does not erase the populations); a stored count of poor that no longer
# agrees with the new rate (within AGREEMENT) is dropped rather than kept wrong. The WHERE makes an
# identical row a no-op.
FIGURE_UPSERT = f"""
    INSERT INTO poverty (village_code, year, rate, poor, population, source_id) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (village_code, year) DO UPDATE SET
        rate = excluded.rate,
        population = coalesce(excluded.population, population),
        poor = CASE
            WHEN excluded.poor IS NOT NULL THEN excluded.poor
            WHEN poor IS NOT NULL AND coalesce(excluded.population, population) > 0
                 AND abs(100.0 * poor / coalesce(excluded.population, population) - excluded.rate)
                     <= {AGREEMENT} THEN poor
        END,
        source_id = coalesce(excluded.source_id, source_id)
    WHERE rate IS NOT excluded.rate
       OR (excluded.poor IS NOT NULL AND poor IS NOT excluded.poor)
       OR (excluded.population IS NOT NULL AND population IS NOT excluded.population)
       OR (excluded.source_id IS NOT NULL AND source_id IS NOT excluded.source_id)
"""


def rate_from(rate: float | None, poor: int | None, population: int | None) -> float:
    """The rate of a figure: as given, or poor/population*100; both given must agree (one rule for all)."""
    if population is not None and population <= 0:
        raise InvalidValue(_("the population must be more than 0"))
    if poor is not None and population is not None and poor > population:
        raise InvalidValue(
            _("{poor} poor is more than the population of {population}").format(poor=poor, population=population)
        )
    computed = poor / population * 100 if poor is not None and population is not None else None
    if rate is None:
        if computed is None:
            raise InvalidValue(_("give the rate, or the number of poor and the population"))
        return round(computed, 2)
    if not 0 <= rate <= 100:
        raise InvalidValue(_("a rate must be between 0 and 100 (percent), not {rate}").format(rate=rate))
    if computed is not None and abs(computed - rate) > AGREEMENT:
        raise InvalidValue(
            _("the rate {rate} does not agree with {poor} poor of {population} ({computed:.2f} %)").format(
                rate=rate, poor=poor, population=population, computed=computed
            )
        )
    return round(rate, 2)


def source_id(conn: sqlite3.Connection, text: str | None) -> int | None:
    """Id of a source text in the shared `sources` table (added when new)."""
    text = (text or "").strip()
    if not text:
        return None
    conn.execute("INSERT OR IGNORE INTO sources (text) VALUES (?)", (text,))
    found: int = conn.execute("SELECT id FROM sources WHERE text = ?", (text,)).fetchone()[0]
    return found


def _figure(conn: sqlite3.Connection, code: str, year: int) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT p.year, p.rate, p.poor, p.population, s.text FROM poverty p "
        "LEFT JOIN sources s ON s.id = p.source_id WHERE p.village_code = ? AND p.year = ?",
        (code, year),
    ).fetchone()
    return dict(zip(("year", "rate", "poor", "population", "source"), row, strict=True)) if row else None


def set_poverty(
    conn: sqlite3.Connection,
    village: str,
    year: int,
    *,
    rate: float | None = None,
    poor: int | None = None,
    population: int | None = None,
    source: str | None = None,
) -> tuple[VillageRef, dict[str, Any]]:
    """Record (or replace) a village's figure for a year."""
    value = rate_from(rate, poor, population)
    with transaction(conn):
        ref = Resolver(conn).village(village)
        old = _figure(conn, ref.code, year)
        conn.execute(FIGURE_UPSERT, (ref.code, year, value, poor, population, source_id(conn, source)))
        new = _figure(conn, ref.code, year)
        assert new is not None
        if new != old:
            changelog.record(conn, "poverty", f"{ref.code} {year}", old, new)
        return ref, new


def show_poverty(conn: sqlite3.Connection, village: str) -> tuple[VillageRef, list[dict[str, Any]]]:
    """Every figure of a village, by year."""
    ref = Resolver(conn).village(village)
    rows = conn.execute(
        "SELECT p.year, p.rate, p.poor, p.population, s.text FROM poverty p "
        "LEFT JOIN sources s ON s.id = p.source_id WHERE p.village_code = ? ORDER BY p.year",
        (ref.code,),
    )
    return ref, [dict(zip(("year", "rate", "poor", "population", "source"), r, strict=True)) for r in rows]


def set_target(conn: sqlite3.Connection, year: int, rate: float, source: str | None = None) -> dict[str, Any]:
    """Record (or replace) the poverty-rate target for a year."""
    value = rate_from(rate, None, None)
    with transaction(conn):
        row = conn.execute("SELECT year, rate, source FROM targets WHERE year = ?", (year,)).fetchone()
        old = dict(row) if row else None
        conn.execute(
            "INSERT OR REPLACE INTO targets (year, rate, source) VALUES (?, ?, ?)",
            (year, value, (source or "").strip() or None),
        )
        new = {"year": year, "rate": value, "source": (source or "").strip() or None}
        if new != old:
            changelog.record(conn, "targets", str(year), old, new)
        return new


def list_targets(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The stored targets by year."""
    return [dict(r) for r in conn.execute("SELECT year, rate, source FROM targets ORDER BY year")]


@dataclass(frozen=True)
class Target:
    rate: float
    source: str
    year: int | None  # the year whose stored target applies; None for the default
    is_default: bool


def target_for(conn: sqlite3.Connection, year: int) -> Target:
    """The target for `year`: stored for it, else the nearest later year's, else the nearest earlier's, else 8 %."""
    row = conn.execute(
        "SELECT year, rate, source FROM targets ORDER BY year < ?, abs(year - ?) LIMIT 1",
        (year, year),
    ).fetchone()
    if row is None:
        return Target(DEFAULT_TARGET, _(DEFAULT_TARGET_SOURCE), None, True)
    source = row[2] or _("target set for {year}").format(year=row[0])
    return Target(row[1], source, row[0], False)


def years_with_data(conn: sqlite3.Connection) -> list[int]:
    """The years for which any village has a poverty figure."""
    return [r[0] for r in conn.execute("SELECT DISTINCT year FROM poverty ORDER BY year")]


def latest_year(conn: sqlite3.Connection) -> int | None:
    """The latest year with any poverty figure (None for none)."""
    year: int | None = conn.execute("SELECT max(year) FROM poverty").fetchone()[0]
    return year
