"""The brief's figures of each measure: the area by year, its kecamatan (or kabupaten), the villages
worse than the target with their mentor then, the official figure beside the villages', and the
sources of every figure printed. Read through each measure's own table, like every other report.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from opd_desa.measures import IDM_CLASS_NAMES, Measure, idm_class
from opd_desa.rules import in_force
from opd_desa.services.figures import figure_table
from opd_desa.services.places import home_region
from opd_desa.services.rates import Tally, digits
from opd_desa.services.targets import target_for


@dataclass(frozen=True)
class YearFigure:
    """The area's figure in one year against that year's target."""

    year: int
    value: float | None
    target: float | None


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
    status: str | None = None
    """The IDM class of the village's score (None for other measures)."""


@dataclass(frozen=True)
class Official:
    """The official figure recorded for the area in the year (BPS's kabupaten rate), with its source."""

    value: float
    source: str | None


@dataclass(frozen=True)
class MeasureFigures:
    """One measure's figures for the brief: the area by year, the kecamatan, the villages above target.

    "Above the target" means worse than it in the measure's direction (below it for the IDM); a
    measure without a target (`target` None) has no villages above it. `year_value` is the
    village-based figure (population-weighted for percentages, the plain mean otherwise);
    `official` the area's recorded official figure, which the brief leads with."""

    key: str
    name: str
    unit: str
    higher_is_worse: bool
    year_value: float | None
    target: float | None
    by_year: tuple[YearFigure, ...]
    groups: tuple[GroupFigure, ...]
    group_level: str
    """"kecamatan", or "kabupaten" where the area spans several (a province has hundreds of kecamatan)."""
    above: tuple[VillageAbove, ...]
    villages: int
    with_data: int
    paired_above: int
    decimals: int = 2
    official: Official | None = None
    official_years: tuple[int, ...] = ()
    """The years whose area figure in `by_year` is the official one."""
    village_sources: tuple[str, ...] = ()
    """The sources of the village figures of the year."""
    classes: tuple[tuple[str, int], ...] = ()
    """IDM only: each status class with its number of villages in the year."""

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


def in_scope(alias: str, kecamatan_code: str | None) -> str:
    """SQL: the village `alias` lies in the kecamatan asked for (every village without one)."""
    return f"{alias}.kecamatan_code = :kecamatan" if kecamatan_code else "1"


def measure_figures(
    conn: sqlite3.Connection, measure: Measure, year: int, day: date, kecamatan_code: str | None
) -> MeasureFigures:
    """One measure's figures: the area by year (the official figure where one is recorded, else the
    villages'), the kecamatan in the year, the villages worse than the target with their mentor then."""
    table = figure_table(measure)  # the measure's own table, so each lookup uses its key
    params: dict[str, Any] = {"kecamatan": kecamatan_code, "year": year, "day": day.isoformat()}
    scope = in_scope("v", kecamatan_code)
    places = digits(measure)
    weighted = measure.is_percent
    by_year: dict[int, Tally] = {}
    for y, value, population in conn.execute(
        f"""SELECT f.year, f.{table.value}, coalesce(f.population, v.population) FROM {table.name} f
            JOIN villages v ON v.code = f.village_code WHERE {table.on("f")}{scope}""",
        params,
    ):
        by_year.setdefault(y, Tally(places)).add(value, population, weighted=weighted)
    region = home_region(conn, kecamatan_code)
    official = _official(conn, measure, region)
    years = tuple(
        YearFigure(
            y,
            official[y].value if y in official else _area_value(by_year[y]) if y in by_year else None,
            target_for(conn, y, measure).rate,
        )
        for y in sorted(by_year.keys() | official.keys())
    )
    target = target_for(conn, year, measure).rate
    total = Tally(places)
    groups: dict[tuple[str, str], Tally] = {}  # (kabupaten, kecamatan)
    above: list[VillageAbove] = []
    classes: dict[str, int] = {}
    source_ids: set[int] = set()
    for code, name, kecamatan_name, kabupaten_name, value, population, source, mentor, since in conn.execute(
        f"""SELECT v.code, v.name, k.name, coalesce(kb.name, ''), f.{table.value},
                   coalesce(f.population, v.population), f.source_id, a.code, p.since
            FROM villages v JOIN regions k ON k.code = v.kecamatan_code
            LEFT JOIN regions kb ON kb.code = substr(v.kecamatan_code, 1, 5)
            LEFT JOIN {table.name} f ON {table.on("f")}f.village_code = v.code AND f.year = :year
            LEFT JOIN pairings p ON p.village_code = v.code AND {in_force("p", ":day")}
            LEFT JOIN agencies a ON a.id = p.agency_id
            WHERE {scope} ORDER BY v.code""",
        params,
    ):
        is_above = bool(measure.misses(value, target))
        total.add(value, population, is_above, mentor is not None, weighted=weighted)
        groups.setdefault((kabupaten_name, kecamatan_name), Tally(places)).add(
            value, population, is_above, weighted=weighted
        )
        if source is not None:
            source_ids.add(source)
        status = idm_class(value) if measure.has_classes else None
        if status is not None:
            classes[status] = classes.get(status, 0) + 1
        if is_above and target is not None:
            above.append(
                VillageAbove(
                    code,
                    name,
                    kecamatan_name,
                    value,
                    round(value - target, places),
                    mentor,
                    date.fromisoformat(since) if since else None,
                    status,
                )
            )
    worse_first = -1 if measure.better == "lower" else 1
    above.sort(key=lambda v: (worse_first * v.value, v.code))
    return MeasureFigures(
        key=measure.key,
        name=measure.title,
        unit=measure.unit,
        higher_is_worse=measure.better == "lower",
        year_value=_area_value(total),
        target=target,
        by_year=years,
        groups=_grouped(groups),
        group_level="kecamatan" if len({kabupaten for kabupaten, _k in groups}) <= 1 else "kabupaten",
        above=tuple(above),
        villages=total.villages,
        with_data=total.with_data,
        paired_above=total.above - total.above_unpaired,
        decimals=places,
        official=official.get(year),
        official_years=tuple(sorted(official)),
        village_sources=tuple(_source_texts(conn, source_ids)),
        classes=tuple((name, classes.get(name, 0)) for name in IDM_CLASS_NAMES) if measure.has_classes else (),
    )


def _area_value(tally: Tally) -> float | None:
    """The villages' figure for the area: population-weighted where it can be, else the plain mean."""
    return tally.weighted_rate if tally.weight else tally.mean_rate


def _official(conn: sqlite3.Connection, measure: Measure, region: str | None) -> dict[int, Official]:
    """The official figures recorded for the area (`figure set "Kabupaten Jepara" ...`), by year."""
    if region is None:
        return {}
    rows = conn.execute(
        "SELECT f.year, f.value, s.text FROM area_figures f LEFT JOIN sources s ON s.id = f.source_id "
        "WHERE f.measure_id = ? AND f.region_code = ?",
        (measure.id, region),
    )
    return {y: Official(value, text) for y, value, text in rows}


def _source_texts(conn: sqlite3.Connection, source_ids: set[int]) -> list[str]:
    if not source_ids:
        return []
    marks = ",".join("?" * len(source_ids))
    rows = conn.execute(f"SELECT text FROM sources WHERE id IN ({marks}) ORDER BY text", sorted(source_ids))
    return [str(r[0]) for r in rows]


def _grouped(tallies: dict[tuple[str, str], Tally]) -> tuple[GroupFigure, ...]:
    """Kecamatan figures; over several kabupaten, kabupaten figures (their villages' tallies added up)."""
    if len({kabupaten for kabupaten, _k in tallies}) <= 1:
        return tuple(GroupFigure(k, t.group_rate, t.villages, t.above) for (_kb, k), t in sorted(tallies.items()))
    merged: dict[str, Tally] = {}
    for (kabupaten, _kecamatan), tally in tallies.items():
        merged.setdefault(kabupaten, Tally(tally.digits)).absorb(tally)
    return tuple(GroupFigure(k, t.group_rate, t.villages, t.above) for k, t in sorted(merged.items()))


def figure_sources(
    conn: sqlite3.Connection,
    year: int,
    kecamatan_code: str | None,
    measures: Sequence[Measure],
    figures: Sequence[MeasureFigures],
) -> list[str]:
    """The sources of the figures printed: every year shown of the villages in scope for each
    measure, the official figures, and the targets."""
    texts: list[str] = []
    for measure, shown in zip(measures, figures, strict=True):
        table = figure_table(measure)
        rows = conn.execute(
            f"""SELECT DISTINCT s.text FROM {table.name} f JOIN sources s ON s.id = f.source_id
                JOIN villages v ON v.code = f.village_code
                WHERE {table.on("f")}f.year <= :year AND {in_scope("v", kecamatan_code)} ORDER BY s.text""",
            {"year": year, "kecamatan": kecamatan_code},
        ).fetchall()
        texts += [str(r[0]) for r in rows]
        if shown.official and shown.official.source:
            texts.append(shown.official.source)
        target = target_for(conn, year, measure)
        if target.rate is not None and target.source:
            texts.append(target.source)
    return list(dict.fromkeys(texts))
