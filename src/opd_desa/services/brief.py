"""`brief`: the plain values of the programme's report for the Bupati, gathered in one place.

The figures come from the same services as `report`, `scorecard` and `status`, so the brief and
those commands never disagree; `documents/brief*.py` turn these values into pages. A brief is
about one year, the whole area or one kecamatan, and one or more measures (poverty first, then
each `--measure`: extreme poverty, the IDM with its classes, an office's own), read through the
`all_figures` view like every other report. The map (when boundaries are loaded) and the next
steps (`plan`, for the latest year) are gathered here too, so the document only arranges them.
The parts are gathered in `brief_figures` (each measure), `brief_pairings` (scorecard, agencies)
and `brief_outlook` (attention, map, next steps); this module puts them together.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from opd_desa.errors import InvalidValue, UserError
from opd_desa.i18n import _
from opd_desa.measures import POVERTY, Measure
from opd_desa.resolve import find_kecamatan
from opd_desa.services.brief_figures import MeasureFigures, figure_sources, measure_figures
from opd_desa.services.brief_outlook import Attention, MapPicture, NextSteps, attention_lists, map_picture, next_steps
from opd_desa.services.brief_pairings import AgencyWork, PairingResult, agency_work, pairing_results
from opd_desa.services.figures import latest_year
from opd_desa.services.measures import find_measure
from opd_desa.services.rates import mean
from opd_desa.services.settings import Office, office


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
    map: MapPicture | None = None
    next_steps: NextSteps | None = None


def build_brief(
    conn: sqlite3.Connection,
    *,
    today: date,
    year: int | None = None,
    measures: Sequence[str] = (),
    kecamatan: str | None = None,
    with_map: bool = True,
) -> Brief:
    """The brief for `year` (default: the latest year with figures), over the whole area or one kecamatan.

    `measures` are the measures' keys; poverty is always shown first. Who mentored whom is read
    as in `report`: the pairings in force on 31 December of the year (today, for this year), for
    the villages above target, the scorecard and the map alike. `with_map=False` leaves the map
    out (it takes a second or two to draw)."""
    found_measures = _measures(conn, measures)
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
    scorecard = pairing_results(conn, day, year, kecamatan_code)
    figures = tuple(measure_figures(conn, m, year, day, kecamatan_code) for m in found_measures)
    boundaries = _has_boundaries(conn)
    return Brief(
        year=year,
        region=_region(conn),
        kecamatan=kecamatan_name,
        office=office(conn),
        measures=figures,
        pairings=scorecard[0],
        # the mean over the pairings shown (one kecamatan's); the unpaired comparison stays the whole area's
        paired_change=mean([r.change for r in scorecard[0] if r.change is not None]),
        unpaired_change=scorecard[1]["unpaired_mean_change"],
        unpaired_baseline_year=scorecard[1]["baseline_year"],
        agencies=agency_work(conn, year, day, kecamatan_code),
        attention=attention_lists(conn, today, kecamatan_code),
        sources=tuple(figure_sources(conn, year, kecamatan_code, found_measures, figures)),
        programme_start=_programme_start(conn),
        has_boundaries=boundaries,
        today=today,
        warnings=tuple(warnings),
        map=map_picture(conn, today, year, kecamatan_name) if boundaries and with_map else None,
        next_steps=next_steps(conn, year) if year == found else None,
    )


def _measures(conn: sqlite3.Connection, keys: Sequence[str]) -> list[Measure]:
    """Poverty first, then each other measure asked for once; an unknown one is refused naming those known."""
    chosen = [find_measure(conn, POVERTY)]
    for key in keys:
        try:
            measure = find_measure(conn, key)
        except UserError as e:
            raise InvalidValue(str(e)) from e
        if measure.key not in {m.key for m in chosen}:
            chosen.append(measure)
    return chosen


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


def _programme_start(conn: sqlite3.Connection) -> date | None:
    """The programme's first day: the start of its earliest pairing."""
    first = conn.execute("SELECT min(since) FROM pairings").fetchone()[0]
    return date.fromisoformat(first) if first else None


def _has_boundaries(conn: sqlite3.Connection) -> bool:
    from opd_desa.maps.views import has_boundaries

    return has_boundaries(conn)
