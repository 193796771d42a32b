"""`brief`: the plain values of the programme's report for the Bupati, gathered in one place.

The figures come from the same services as `report`, `scorecard` and `status`, so the brief and
those commands never disagree; `documents/brief.py` turns these values into pages. A brief is
about one year, the whole area or one kecamatan, and one or more measures (poverty for now).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _
from opd_desa.resolve import find_kecamatan
from opd_desa.rules import in_force
from opd_desa.services.figures import DEFAULT_TARGET, latest_year, target_for
from opd_desa.services.rates import Tally, mean, round2
from opd_desa.services.settings import Office, office

POVERTY = "poverty"
MEASURES = (POVERTY,)
"""The measures a brief can show today; each measure added to the database adds its key here."""


@dataclass(frozen=True)
class YearFigure:
    """The area's figure in one year against that year's target."""

    year: int
    value: float | None
    target: float


@dataclass(frozen=True)
class GroupFigure:
    """One kecamatan's (or, over several kabupaten, one kabupaten's) figure: villages counted, above the target."""

    name: str
    value: float | None
    villages: int
    above: int


@dataclass(frozen=True)
class VillageAbove:
    """A village above the target in the year, with the agency that mentored it then (if any)."""

    code: str
    name: str
    kecamatan: str
    value: float
    gap: float
    mentor: str | None
    since: date | None


@dataclass(frozen=True)
class MeasureFigures:
    """One measure's figures for the brief: the area by year, the kecamatan, the villages above target."""

    key: str
    name: str
    unit: str
    higher_is_worse: bool
    year_value: float | None
    target: float
    by_year: tuple[YearFigure, ...]
    groups: tuple[GroupFigure, ...]
    group_level: str
    """"kecamatan", or "kabupaten" where the area spans several (a province has hundreds of kecamatan)."""
    above: tuple[VillageAbove, ...]
    villages: int
    with_data: int
    paired_above: int


@dataclass(frozen=True)
class PairingResult:
    """One current pairing's baseline figure before it started, its figure in the year, the change."""

    agency: str
    village: str
    since: date
    baseline_year: int | None
    baseline: float | None
    value: float | None
    change: float | None


@dataclass(frozen=True)
class AgencyWork:
    """What one agency did in the year: its village then, activities, budget, spending, realisation (%)."""

    agency: str
    name: str
    village: str | None
    activities: int
    budget: int | None
    spent: int | None
    realisation: float | None


@dataclass(frozen=True)
class Attention:
    """What needs the planning office's attention, as names people read."""

    above_target_unpaired: tuple[str, ...] = ()
    agencies_without_village: tuple[str, ...] = ()
    inactive_pairings: tuple[str, ...] = ()
    stale_villages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Brief:
    """Everything the brief prints, as plain values."""

    year: int
    region: str
    kecamatan: str | None
    office: Office
    measures: tuple[MeasureFigures, ...]
    pairings: tuple[PairingResult, ...]
    paired_change: float | None
    unpaired_change: float | None
    unpaired_baseline_year: int | None
    agencies: tuple[AgencyWork, ...]
    attention: Attention
    sources: tuple[str, ...]
    programme_start: date | None
    has_boundaries: bool
    today: date
    warnings: tuple[str, ...] = field(default_factory=tuple)


def build_brief(
    conn: sqlite3.Connection,
    *,
    today: date,
    year: int | None = None,
    measures: Sequence[str] = (),
    kecamatan: str | None = None,
) -> Brief:
    """The brief for `year` (default: the latest year with figures), over the whole area or one kecamatan.

    `measures` are the measures' keys; poverty is always shown first."""
    keys = _measure_keys(measures)
    warnings: list[str] = []
    found = latest_year(conn)
    if year is None:
        if found is None:
            raise InvalidValue(_("no figures yet: a brief needs them; add them with `opd-desa import poverty FILE`"))
        year = found
    kecamatan_code, kecamatan_name = find_kecamatan(conn, kecamatan) if kecamatan else (None, None)
    if not conn.execute("SELECT 1 FROM poverty WHERE year = ? LIMIT 1", (year,)).fetchone():
        warnings.append(
            _("no poverty figures for {year}; the latest year with figures is {latest}").format(year=year, latest=found)
        )
    day = min(today, date(year, 12, 31))  # who mentored whom "in that year": at its end, or today
    scorecard = _scorecard(conn, today, year, kecamatan_code)
    return Brief(
        year=year,
        region=_region(conn),
        kecamatan=kecamatan_name,
        office=office(conn),
        measures=tuple(_FIGURES[key](conn, year, day, kecamatan_code) for key in keys),
        pairings=scorecard[0],
        # the mean over the pairings shown (one kecamatan's); the unpaired comparison stays the whole area's
        paired_change=mean([r.change for r in scorecard[0] if r.change is not None]),
        unpaired_change=scorecard[1]["unpaired_mean_change"],
        unpaired_baseline_year=scorecard[1]["baseline_year"],
        agencies=_agencies(conn, year, day, kecamatan_code),
        attention=_attention(conn, today, kecamatan_code),
        sources=tuple(_sources(conn, year, kecamatan_code)),
        programme_start=_programme_start(conn),
        has_boundaries=_has_boundaries(conn),
        today=today,
        warnings=tuple(warnings),
    )


def _measure_keys(measures: Sequence[str]) -> list[str]:
    """Poverty first, then each other measure asked for once; an unknown one is refused by name."""
    keys = [POVERTY]
    for key in measures:
        cleaned = key.strip().lower()
        if cleaned not in MEASURES:
            raise InvalidValue(
                _("--measure: unknown measure '{key}'; the measures are {keys}").format(
                    key=key, keys=", ".join(MEASURES)
                )
            )
        if cleaned not in keys:
            keys.append(cleaned)
    return keys


def _in_scope(alias: str, kecamatan_code: str | None) -> str:
    """SQL: the village `alias` lies in the kecamatan asked for (every village without one)."""
    return f"{alias}.kecamatan_code = :kecamatan" if kecamatan_code else "1"


def _region(conn: sqlite3.Connection) -> str:
    """The area the villages lie in, as people name it: Kabupaten Jepara, or a province of several."""
    rows = conn.execute(
        """SELECT r.name, r.level FROM regions r WHERE r.code IN (
               SELECT DISTINCT substr(kecamatan_code, 1, 5) FROM villages) ORDER BY r.code"""
    ).fetchall()
    if len(rows) == 1:
        return str(rows[0][0])
    provinces = conn.execute(
        """SELECT name FROM regions WHERE level = 1 AND code IN (
               SELECT DISTINCT substr(kecamatan_code, 1, 2) FROM villages) ORDER BY code"""
    ).fetchall()
    return ", ".join(str(r[0]) for r in provinces)


def _poverty_target(conn: sqlite3.Connection, year: int) -> float:
    """The poverty target of `year` (poverty always has one: 8 % when none is stored)."""
    target = target_for(conn, year).rate
    return DEFAULT_TARGET if target is None else target


def _poverty(conn: sqlite3.Connection, year: int, day: date, kecamatan_code: str | None) -> MeasureFigures:
    """The poverty rate's figures: the area by year, the kecamatan in the year, the villages above target."""
    params: dict[str, Any] = {"kecamatan": kecamatan_code, "year": year, "day": day.isoformat()}
    scope = _in_scope("v", kecamatan_code)
    by_year: dict[int, Tally] = {}
    for y, rate, population in conn.execute(
        f"""SELECT f.year, f.rate, coalesce(f.population, v.population) FROM poverty f
            JOIN villages v ON v.code = f.village_code WHERE {scope}""",
        params,
    ):
        by_year.setdefault(y, Tally()).add(rate, population)
    years = tuple(
        YearFigure(y, t.weighted_rate if t.weight else t.mean_rate, _poverty_target(conn, y))
        for y, t in sorted(by_year.items())
    )
    target = _poverty_target(conn, year)
    total = Tally()
    groups: dict[tuple[str, str], Tally] = {}  # (kabupaten, kecamatan)
    above: list[VillageAbove] = []
    for code, name, kecamatan_name, kabupaten_name, rate, population, mentor, since in conn.execute(
        f"""SELECT v.code, v.name, k.name, coalesce(kb.name, ''), f.rate, coalesce(f.population, v.population),
                   a.code, p.since
            FROM villages v JOIN regions k ON k.code = v.kecamatan_code
            LEFT JOIN regions kb ON kb.code = substr(v.kecamatan_code, 1, 5)
            LEFT JOIN poverty f ON f.village_code = v.code AND f.year = :year
            LEFT JOIN pairings p ON p.village_code = v.code AND {in_force("p", ":day")}
            LEFT JOIN agencies a ON a.id = p.agency_id
            WHERE {scope} ORDER BY v.code""",
        params,
    ):
        is_above = rate is not None and rate > target
        total.add(rate, population, is_above, mentor is not None)
        groups.setdefault((kabupaten_name, kecamatan_name), Tally()).add(rate, population, is_above)
        if is_above:
            above.append(
                VillageAbove(
                    code,
                    name,
                    kecamatan_name,
                    rate,
                    round2(rate - target) or 0.0,
                    mentor,
                    date.fromisoformat(since) if since else None,
                )
            )
    above.sort(key=lambda v: (-v.value, v.code))
    return MeasureFigures(
        key=POVERTY,
        name=_("Poverty rate"),
        unit="%",
        higher_is_worse=True,
        year_value=total.weighted_rate if total.weight else total.mean_rate,
        target=target,
        by_year=years,
        groups=_grouped(groups),
        group_level="kecamatan" if len({kabupaten for kabupaten, _k in groups}) <= 1 else "kabupaten",
        above=tuple(above),
        villages=total.villages,
        with_data=total.with_data,
        paired_above=total.above - total.above_unpaired,
    )


def _grouped(tallies: dict[tuple[str, str], Tally]) -> tuple[GroupFigure, ...]:
    """Kecamatan figures; over several kabupaten, kabupaten figures (their villages' tallies added up)."""
    if len({kabupaten for kabupaten, _k in tallies}) <= 1:
        return tuple(GroupFigure(k, t.group_rate, t.villages, t.above) for (_kb, k), t in sorted(tallies.items()))
    merged: dict[str, Tally] = {}
    for (kabupaten, _kecamatan), tally in tallies.items():
        merged.setdefault(kabupaten, Tally()).absorb(tally)
    return tuple(GroupFigure(k, t.group_rate, t.villages, t.above) for k, t in sorted(merged.items()))


_FIGURES = {POVERTY: _poverty}
"""How each measure's figures are gathered; a measure of the measures table adds its reader here."""


def _scorecard(
    conn: sqlite3.Connection, today: date, year: int, kecamatan_code: str | None
) -> tuple[tuple[PairingResult, ...], dict[str, Any]]:
    """The scorecard's rows (in the kecamatan asked for) and its paired-against-unpaired summary."""
    from opd_desa.services.evaluation import scorecard

    found = scorecard(conn, today=today, year=year)
    prefix = f"{kecamatan_code}." if kecamatan_code else ""
    rows = tuple(
        PairingResult(
            r["agency"],
            r["village"],
            date.fromisoformat(r["since"]),
            r["baseline_year"],
            r["baseline_rate"],
            r["rate"],
            r["change"],
        )
        for r in found.rows
        if r["village_code"].startswith(prefix)
    )
    return rows, found.summary


def _agencies(conn: sqlite3.Connection, year: int, day: date, kecamatan_code: str | None) -> tuple[AgencyWork, ...]:
    """Each agency that mentored a village in the year or recorded an activity in it: what it did and spent."""
    params = {"start": f"{year}-01-01", "end": f"{year}-12-31", "day": day.isoformat(), "kecamatan": kecamatan_code}
    rows = conn.execute(
        f"""SELECT a.code, a.name, pv.name, coalesce(t.n, 0), t.budget, t.spent
            FROM agencies a
            LEFT JOIN pairings p ON p.agency_id = a.id AND {in_force("p", ":day")}
            LEFT JOIN villages pv ON pv.code = p.village_code
            LEFT JOIN (SELECT t.agency_id, count(*) AS n, sum(t.budget) AS budget, sum(t.spent) AS spent
                       FROM activities t JOIN villages v ON v.code = t.village_code
                       WHERE t.date BETWEEN :start AND :end AND {_in_scope("v", kecamatan_code)}
                       GROUP BY t.agency_id) t ON t.agency_id = a.id
            WHERE t.n IS NOT NULL OR (pv.code IS NOT NULL AND {_in_scope("pv", kecamatan_code)})
            ORDER BY a.code""",
        params,
    ).fetchall()
    return tuple(
        AgencyWork(
            code,
            name,
            village,
            n,
            budget,
            spent,
            round2(100 * spent / budget) if budget and spent is not None else None,
        )
        for code, name, village, n, budget, spent in rows
    )


def _attention(conn: sqlite3.Connection, today: date, kecamatan_code: str | None) -> Attention:
    """The `status` attention lists, as names, kept to the kecamatan asked for."""
    from opd_desa.services.status import database_status

    lists = database_status(conn, Path(), today=today).attention
    prefix = f"{kecamatan_code}." if kecamatan_code else ""

    def names(key: str, describe: str = "{name}") -> tuple[str, ...]:
        return tuple(describe.format(**item) for item in lists[key] if item["code"].startswith(prefix))

    return Attention(
        above_target_unpaired=names("above_target_unpaired"),
        agencies_without_village=() if kecamatan_code else names("agencies_without_village", "{code}"),
        inactive_pairings=names("inactive_pairings", "{name} ({agency})"),
        stale_villages=names("stale_villages", "{name} ({latest})"),
    )


def _sources(conn: sqlite3.Connection, year: int, kecamatan_code: str | None) -> list[str]:
    """The sources of the figures printed: every year shown of the villages in scope, and the targets."""
    rows = conn.execute(
        f"""SELECT DISTINCT s.text FROM poverty f JOIN sources s ON s.id = f.source_id
            JOIN villages v ON v.code = f.village_code WHERE f.year <= :year AND {_in_scope("v", kecamatan_code)}
            ORDER BY s.text""",
        {"year": year, "kecamatan": kecamatan_code},
    ).fetchall()
    target = target_for(conn, year)
    texts = [str(r[0]) for r in rows]
    if target.source and target.source not in texts:
        texts.append(target.source)
    return texts


def _programme_start(conn: sqlite3.Connection) -> date | None:
    """The programme's first day: the start of its earliest pairing."""
    first = conn.execute("SELECT min(since) FROM pairings").fetchone()[0]
    return date.fromisoformat(first) if first else None


def _has_boundaries(conn: sqlite3.Connection) -> bool:
    from opd_desa.maps.views import has_boundaries

    return has_boundaries(conn)
