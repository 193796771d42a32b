"""`brief`: the plain values of the programme's report for the Bupati, gathered in one place.

The figures come from the same services as `report`, `scorecard` and `status`, so the brief and
those commands never disagree; `documents/brief.py` turns these values into pages. A brief is
about one year, the whole area or one kecamatan, and one or more measures (poverty first, then
each `--measure`: extreme poverty, the IDM with its classes, an office's own), read through the
`all_figures` view like every other report. The map (when boundaries are loaded) and the next
steps (`plan`, for the latest year) are gathered here too, so the document only arranges them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from opd_desa.errors import InvalidValue, UserError
from opd_desa.i18n import _
from opd_desa.measures import IDM_CLASS_NAMES, POVERTY, Measure, idm_class
from opd_desa.resolve import find_kecamatan
from opd_desa.rules import in_force
from opd_desa.services.figures import figure_table, latest_year, target_for
from opd_desa.services.measures import find_measure
from opd_desa.services.places import home_region
from opd_desa.services.rates import Tally, digits, mean, round2
from opd_desa.services.settings import Office, office


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
class MapPicture:
    """The map of the year's first measure, drawn for the brief (PNG bytes), with what it shows."""

    png: bytes
    title: str
    mentors_on: date
    villages: int
    without_figure: int


@dataclass(frozen=True)
class Graduating:
    """A current pairing the plan lets end: its village met the target in `years`."""

    agency: str
    village: str
    years: tuple[int, ...]


@dataclass(frozen=True)
class ProposedPair:
    """A proposed new pairing and its one-line reason."""

    agency: str
    village: str
    kecamatan: str
    why: str


@dataclass(frozen=True)
class NextSteps:
    """What `plan` proposes for the next decree: pairings that may graduate, new pairs and why."""

    graduate_after: int
    graduating: tuple[Graduating, ...]
    proposal: tuple[ProposedPair, ...]
    waiting: int
    """Villages above the target still without a mentor, before the proposal."""


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
    scorecard = _scorecard(conn, day, year, kecamatan_code)
    figures = tuple(_figures(conn, m, year, day, kecamatan_code) for m in found_measures)
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
        agencies=_agencies(conn, year, day, kecamatan_code),
        attention=_attention(conn, today, kecamatan_code),
        sources=tuple(_sources(conn, year, kecamatan_code, found_measures, figures)),
        programme_start=_programme_start(conn),
        has_boundaries=boundaries,
        today=today,
        warnings=tuple(warnings),
        map=_map(conn, today, year, kecamatan_name) if boundaries and with_map else None,
        next_steps=_next_steps(conn, year) if year == found else None,
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


def _figures(
    conn: sqlite3.Connection, measure: Measure, year: int, day: date, kecamatan_code: str | None
) -> MeasureFigures:
    """One measure's figures: the area by year (the official figure where one is recorded, else the
    villages'), the kecamatan in the year, the villages worse than the target with their mentor then."""
    table = figure_table(measure)  # the measure's own table, so each lookup uses its key
    params: dict[str, Any] = {"kecamatan": kecamatan_code, "year": year, "day": day.isoformat()}
    scope = _in_scope("v", kecamatan_code)
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


def _scorecard(
    conn: sqlite3.Connection, day: date, year: int, kecamatan_code: str | None
) -> tuple[tuple[PairingResult, ...], dict[str, Any]]:
    """The scorecard's rows (in the kecamatan asked for) and its paired-against-unpaired summary,
    of the pairings in force on `day`: the mentors of the year, not today's for a past year."""
    from opd_desa.services.evaluation import scorecard

    found = scorecard(conn, today=day, year=year)
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


def _sources(
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
                WHERE {table.on("f")}f.year <= :year AND {_in_scope("v", kecamatan_code)} ORDER BY s.text""",
            {"year": year, "kecamatan": kecamatan_code},
        ).fetchall()
        texts += [str(r[0]) for r in rows]
        if shown.official and shown.official.source:
            texts.append(shown.official.source)
        target = target_for(conn, year, measure)
        if target.rate is not None and target.source:
            texts.append(target.source)
    return list(dict.fromkeys(texts))


def _programme_start(conn: sqlite3.Connection) -> date | None:
    """The programme's first day: the start of its earliest pairing."""
    first = conn.execute("SELECT min(since) FROM pairings").fetchone()[0]
    return date.fromisoformat(first) if first else None


def _has_boundaries(conn: sqlite3.Connection) -> bool:
    from opd_desa.maps.views import has_boundaries

    return has_boundaries(conn)


def _map(conn: sqlite3.Connection, today: date, year: int, kecamatan: str | None) -> MapPicture | None:
    """The poverty map of the year with the mentors of the year, as PNG bytes (drawn once, for every format)."""
    import tempfile

    from opd_desa.services.maps import draw_village_map

    with tempfile.TemporaryDirectory(prefix="opd-desa-brief-") as folder:
        path = Path(folder) / "map.png"
        drawn = draw_village_map(conn, path, today=today, year=year, kecamatan=(kecamatan,) if kecamatan else ())
        if not drawn.villages:
            return None
        return MapPicture(path.read_bytes(), drawn.label, drawn.mentors_on, drawn.villages, drawn.without_figure)


def _next_steps(conn: sqlite3.Connection, year: int) -> NextSteps | None:
    """The proposal `plan` makes for the decree after `year` (None where it cannot make one)."""
    from opd_desa.services.plan import build_plan

    try:
        plan = build_plan(conn, year=year).plan
    except UserError:
        return None
    return NextSteps(
        plan.graduate_after,
        tuple(Graduating(g.pairing.agency.code, g.pairing.village.name, tuple(g.years)) for g in plan.graduating),
        tuple(ProposedPair(p.agency.code, p.village.name, p.village.kecamatan, p.why) for p in plan.proposal),
        len(plan.candidates),
    )
