"""`import boundaries` and `map`: the office's village boundaries, and a measure of year Y drawn on them.

The map shows each village's figure of year Y and the agency that mentors it as reports do: the
pairing in force on 31 December of Y (today, for the current year). `draw_village_map` is the one
call for any document that wants the map (the brief's map page too).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from opd_desa.errors import InvalidValue
from opd_desa.i18n import N_, _
from opd_desa.maps.classes import Measure
from opd_desa.maps.geometry import DEFAULT_SIMPLIFY_METRES
from opd_desa.maps.importing import BoundarySummary
from opd_desa.rules import in_force

if TYPE_CHECKING:
    from opd_desa.maps.drawing import MapVillage
    from opd_desa.measures import Measure as FoundMeasure

TITLES = {"poverty": N_("Poverty rate by village, {year}: {area}")}
"""A map's title by measure; any other measure is titled by its name (`_GENERIC_TITLE`)."""
_GENERIC_TITLE = N_("{measure} by village, {year}: {area}")

MAP_FORMATS = (".svg", ".png", ".pdf", ".geojson")


@dataclass
class MapResult:
    """What `map` drew: the file, the year and measure, and how many villages it shows."""

    output: Path
    year: int
    measure: str
    label: str  # the measure as the legend heads it: `Poverty rate (%)`
    mentors_on: date
    villages: int = 0
    without_figure: int = 0
    mentored: int = 0
    classes: list[tuple[str, int]] = field(default_factory=list)  # legend label, villages


def import_boundaries(
    conn: sqlite3.Connection,
    path: Path,
    *,
    simplify_m: float = DEFAULT_SIMPLIFY_METRES,
    code_field: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> BoundarySummary:
    """Read, match, simplify and (unless `dry_run`) store the boundaries in `path`."""
    from opd_desa.maps.importing import import_boundaries as run

    return run(conn, path, simplify_m=simplify_m, code_field=code_field, progress=progress, dry_run=dry_run)


def check_measure(conn: sqlite3.Connection, measure: str) -> FoundMeasure:
    """The measure of this key (poverty, extreme, idm or the office's own); an unknown one is refused
    naming those known."""
    from opd_desa.services.measures import find_measure

    return find_measure(conn, measure)


def measure_values(conn: sqlite3.Connection, measure: str, year: int) -> dict[str, float | None]:
    """Village code -> its figure of `measure` in `year` (None: no figure), for every village."""
    found = check_measure(conn, measure)
    rows = conn.execute(
        "SELECT v.code, f.value FROM villages v "
        "LEFT JOIN all_figures f ON f.village_code = v.code AND f.measure_id = ? AND f.year = ?",
        (found.id, year),
    )
    return {code: value for code, value in rows}


def measure_legend(conn: sqlite3.Connection, measure: str, year: int) -> Measure:
    """How the measure is read on the map: legend heading, unit, direction and the target of `year`."""
    from opd_desa.services.targets import target_for

    found = check_measure(conn, measure)
    if found.key == "poverty":
        label = _("Poverty rate (%)")
    else:  # `Percentage of people in extreme poverty (%)`; a score's name alone: `... index (IDM)`
        label = f"{found.title} (%)" if found.is_percent else found.title
    return Measure(
        label,
        "%" if found.is_percent else "",
        target=target_for(conn, year, found).rate,
        lower_is_better=found.better == "lower",
        decimals=2 if found.is_percent else 4,
        lowest=found.min,
        highest=found.max,
    )


def mentor_day(year: int, today: date) -> date:
    """The day whose pairings a map of `year` shows: 31 December of it, or today for this year."""
    return min(date(year, 12, 31), today)


def mentors_on(conn: sqlite3.Connection, day: date) -> dict[str, str]:
    """Village code -> code of the agency that mentors it on `day`."""
    rows = conn.execute(
        f"SELECT p.village_code, a.code FROM pairings p JOIN agencies a ON a.id = p.agency_id WHERE {in_force()}",
        {"today": day.isoformat()},
    )
    return {village: agency for village, agency in rows}


def draw_village_map(
    conn: sqlite3.Connection,
    output: Path,
    *,
    today: date,
    year: int | None = None,
    measure: str = "poverty",
    kecamatan: Sequence[str] = (),
) -> MapResult:
    """Draw the villages coloured by `measure` in `year` (default: the latest year with figures)
    into `output` (.svg, .png, .pdf, or .geojson for QGIS); `kecamatan` zooms to those kecamatan."""
    from opd_desa.maps.drawing import MapText, draw_map, select, to_geojson
    from opd_desa.maps.views import map_villages
    from opd_desa.services.figures import latest_year

    found = check_measure(conn, measure)
    key = found.key
    suffix = output.suffix.lower()
    if suffix not in MAP_FORMATS:
        raise InvalidValue(_("--output: {path} must end in .svg, .png, .pdf or .geojson").format(path=output))
    year = year if year is not None else (latest_year(conn, found) or today.year)
    day = mentor_day(year, today)
    legend = measure_legend(conn, key, year)
    villages = map_villages(conn, measure_values(conn, key, year), mentors_on(conn, day))
    shown = select(villages, kecamatan)
    result = MapResult(
        output,
        year,
        key,
        legend.label,
        day,
        villages=len(shown),
        without_figure=sum(1 for v in shown if v.value is None),
        mentored=sum(1 for v in shown if v.agency),
    )
    if suffix == ".geojson":
        to_geojson(villages, legend, output, kecamatan)
        return result
    text = MapText(
        title=_(TITLES.get(key, _GENERIC_TITLE)).format(
            measure=found.title, year=year, area=_area(conn, shown, kecamatan)
        ),
        subtitle=_("Target {target}; mentors as on {day}").format(
            target=legend.number(legend.target) if legend.target is not None else _("none"), day=day
        ),
        source=_source_line(conn, found.id, year, today),
    )
    classes = draw_map(villages, legend, text, output, kecamatan)
    result.classes = [(label, classes.count(i)) for i, label in enumerate(classes.labels)]
    return result


def _area(conn: sqlite3.Connection, villages: Sequence[MapVillage], kecamatan: Sequence[str]) -> str:
    """`Kabupaten Jepara` (up to three kabupaten named, else their provinces: `Jawa Tengah`), or
    `Kecamatan Kedung, Mlonggo (Kabupaten Jepara)` for a zoomed map."""
    kabupaten = sorted({v.code[:5] for v in villages})
    codes = kabupaten if len(kabupaten) <= 3 else sorted({code[:2] for code in kabupaten})
    marks = ",".join("?" * len(codes))
    names = [r[0] for r in conn.execute(f"SELECT name FROM regions WHERE code IN ({marks}) ORDER BY name", codes)]
    area = ", ".join(names)
    if not kecamatan:
        return area
    return _("Kecamatan {names} ({area})").format(names=", ".join(sorted({v.kecamatan for v in villages})), area=area)


def _source_line(conn: sqlite3.Connection, measure_id: int, year: int, today: date) -> str:
    """Where the figures and the boundaries come from, and when the map was made."""
    figures = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT s.text FROM all_figures f JOIN sources s ON s.id = f.source_id "
            "WHERE f.measure_id = ? AND f.year = ? ORDER BY 1",
            (measure_id, year),
        )
    ]
    files = [r[0] for r in conn.execute("SELECT DISTINCT source FROM boundaries WHERE source IS NOT NULL ORDER BY 1")]
    return _("Figures: {figures}. Boundaries: {boundaries}. Made with opd-desa on {day}.").format(
        figures="; ".join(figures[:3]) or _("figures of the database"),
        boundaries=", ".join(files[:3]) or "-",
        day=today.isoformat(),
    )
