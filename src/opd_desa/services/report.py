"""The main view: each village's figure of a measure (poverty by default) in a year against the
target, and aggregates.

`build_report` reads in order: the scope (measure, year, target, which villages), the village rows,
the aggregates by kecamatan or kabupaten with the official figures recorded for them, and the
summary with its sources. The mentor shown for year Y is the pairing in force on 31 December of Y
(today, for the current year): a 2020 report shows no mentor of a programme that began in 2021.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import compress, groupby, repeat
from operator import is_not
from typing import Any, TypeVar

from opd_desa.columnar import ColumnRows
from opd_desa.errors import ArgumentError
from opd_desa.i18n import _
from opd_desa.measures import IDM_CLASS_NAMES, Measure, idm_class
from opd_desa.resolve import Resolver, find_kecamatan
from opd_desa.rules import in_force
from opd_desa.services.figures import FigureTable, figure_table, latest_year
from opd_desa.services.measures import find_measure
from opd_desa.services.places import home_region
from opd_desa.services.rates import RatesAgainstTarget, Tally, digits
from opd_desa.services.report_order import arranged, check_sort, values_of
from opd_desa.services.targets import Target, target_for

_T = TypeVar("_T")

LEVELS = ("village", "kecamatan", "kabupaten")
_GROUP_PREFIX = {"kecamatan": 8, "kabupaten": 5}  # length of a group's code: 33.20.16, 33.20
_GROUP_LEVEL = {"kecamatan": 3, "kabupaten": 2}  # its level in the regions table


@dataclass
class Report(RatesAgainstTarget):
    """The report: village rows (or kecamatan/kabupaten rows with `by`) for an area."""

    by: str = "village"
    area: str = ""

    def measure_misses(self, value: float) -> bool:
        """Whether an area's `value` is worse than the report's target, in the measure's direction."""
        if self.measure is None:
            return self.target is not None and value > self.target
        return bool(self.measure.misses(value, self.target))


def _joins(table: FigureTable) -> str:
    """Every village with its figure of the year and the year before (from the measure's own table,
    so each lookup uses its key) and its mentor on `:mentor_day`."""
    return f"""
    FROM villages v
    JOIN regions k ON k.code = v.kecamatan_code
    LEFT JOIN {table.name} p ON {table.on("p")}p.village_code = v.code AND p.year = :year
    LEFT JOIN {table.name} q ON {table.on("q")}q.village_code = v.code AND q.year = :year - 1
    LEFT JOIN pairings pr ON pr.village_code = v.code AND {in_force("pr", ":mentor_day")}
    LEFT JOIN agencies a ON a.id = pr.agency_id
"""


def _group_sql(table: FigureTable) -> str:
    """What a village adds to its kecamatan's or kabupaten's figures (the columns `_VALUE`..`_KECAMATAN_CODE`;
    a group shows no previous figure, only the source of the village's)."""
    return f"""
    SELECT p.{table.value}, NULL, coalesce(p.population, v.population), p.source_id, q.source_id,
           a.code, v.kecamatan_code
    {_joins(table)}"""


def _villages_sql(table: FigureTable) -> str:
    """A village's row: what `_group_sql` selects, then its names and its activities of the year."""
    return f"""
    SELECT p.{table.value}, q.{table.value}, coalesce(p.population, v.population), p.source_id, q.source_id,
           a.code, v.kecamatan_code, v.code, v.name, k.name, coalesce(t.n, 0), t.budget
    {_joins(table)}
    LEFT JOIN (SELECT village_code, count(*) AS n, sum(budget) AS budget FROM activities
               WHERE date BETWEEN :start AND :end GROUP BY village_code) t ON t.village_code = v.code
"""


@dataclass
class _Scope:
    """Which measure, which villages, in which year, against which target; and the words that name the area."""

    measure: Measure
    year: int
    target: Target
    where: list[str]
    params: dict[str, Any]
    area: str
    warnings: list[str]
    region: str | None  # the one region whose villages are exactly those in scope, if any


@dataclass
class _Rows:
    """What one pass over the villages in scope gives."""

    rows: Sequence[dict[str, Any]] = field(default_factory=list)
    total: Tally = field(default_factory=Tally)
    groups: dict[str, Tally] = field(default_factory=dict)
    source_ids: set[int] = field(default_factory=set)
    classes: dict[str, int] = field(default_factory=dict)


def build_report(
    conn: sqlite3.Connection,
    *,
    today: date,
    year: int | None = None,
    measure: str | None = None,
    by: str = "village",
    kecamatan: str | None = None,
    agency: str | None = None,
    paired: bool | None = None,
    above_target: bool = False,
    sort: str | None = None,
    with_data: bool = False,
) -> Report:
    """Every village in scope for `year` (default: the latest year with figures of the measure)
    against the target; mentors are those of that year (31 December, or `today` for this year).
    `with_data` leaves out the rows without a figure (the summary still counts every village in scope)."""
    _check(by, sort)
    scope = _scope(conn, today, year, find_measure(conn, measure), kecamatan, agency, paired, above_target)
    found = _village_rows(conn, scope, _GROUP_PREFIX.get(by), above_target)
    if found.total.villages and not found.total.with_data and not scope.warnings:
        scope.warnings.append(
            _("no figures of {measure} for {year}; values are empty").format(measure=scope.measure.key, year=scope.year)
        )
    rows = arranged(_group_rows(conn, scope, by, found) if by in _GROUP_PREFIX else found.rows, sort, with_data)
    summary = _summary(found.total, scope.target.rate is None)
    if scope.measure.has_classes:
        summary["classes"] = {name: found.classes.get(name, 0) for name in IDM_CLASS_NAMES}
    if scope.region is not None:
        official = _official(conn, scope.measure, scope.year, scope.region)
        if official is not None:
            summary["official_rate"], summary["official_source"] = official
    official_sources = {summary.get("official_source"), *values_of(rows, "official_source")}
    sources = sorted(set(_source_texts(conn, found.source_ids)) | {s for s in official_sources if s})
    return Report(
        scope.year,
        scope.target.rate,
        scope.target.source,
        rows,
        summary,
        sources,
        by=by,
        area=scope.area,
        warnings=scope.warnings,
        measure=scope.measure,
    )


def _check(by: str, sort: str | None) -> None:
    if by not in LEVELS:
        raise ArgumentError(
            _("{argument} must be one of {choices}, not '{value}'"), "by", choices=", ".join(LEVELS), value=by
        )
    check_sort(sort)


def _scope(
    conn: sqlite3.Connection,
    today: date,
    year: int | None,
    measure: Measure,
    kecamatan: str | None,
    agency: str | None,
    paired: bool | None,
    above_target: bool,
) -> _Scope:
    warnings: list[str] = []
    if year is None:
        year = latest_year(conn, measure)
        if year is None:
            year = today.year
            warnings.append(
                _(
                    "no figures of {measure} yet; showing {year} without values "
                    "(add figures with `opd-desa import figures FILE`)"
                ).format(measure=measure.key, year=year)
            )
    where: list[str] = []
    params: dict[str, Any] = {
        "year": year,
        "measure": measure.id,
        "mentor_day": mentor_day(year, today),
        "start": f"{year}-01-01",
        "end": f"{year}-12-31",
    }
    region: str | None = None
    area = _("all villages")
    if kecamatan:
        code, name = find_kecamatan(conn, kecamatan)
        where.append("v.kecamatan_code = :kecamatan")
        params["kecamatan"] = code
        area = _("kecamatan {name}").format(name=name)
        region = code
    if agency:
        ref = Resolver(conn).agency(agency)
        where.append("a.id = :agency")
        params["agency"] = ref.id
        area = _("villages mentored by {agency}").format(agency=ref.code)
    if paired is True:
        where.append("a.id IS NOT NULL")
        area += ", " + _("with a mentor")
    elif paired is False:
        where.append("a.id IS NULL")
        area += ", " + _("without a mentor")
    if above_target:
        area += ", " + _("above the target")
    if not (agency or paired is not None or above_target or kecamatan):
        region = home_region(conn)
    return _Scope(measure, year, target_for(conn, year, measure), where, params, area, warnings, region)


def mentor_day(year: int, today: date) -> str:
    """The day whose pairings are the mentors of `year`: 31 December, or today for this year."""
    return min(date(year, 12, 31), today).isoformat()


def _village_rows(conn: sqlite3.Connection, scope: _Scope, prefix: int | None, above_target: bool) -> _Rows:
    """One pass over the villages in scope: their rows (or, with a group `prefix`, their groups' tallies).

    The villages of the whole country pass here, so the work is done a column at a time (whole lists
    through C-level builtins) rather than a call or two per village and cell."""
    table = figure_table(scope.measure)
    sql = (
        (_group_sql(table) if prefix else _villages_sql(table))
        + (" WHERE " + " AND ".join(scope.where) if scope.where else "")
        + " ORDER BY v.code"
    )
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples
    fetched = cursor.execute(sql, scope.params).fetchall()
    measure, target = scope.measure, scope.target.rate
    found = _Rows(total=Tally(digits(measure)))
    if not fetched:
        return found
    columns = list(zip(*fetched, strict=True))
    del fetched
    above = _each_once(lambda value: measure.misses(value, target), columns[_VALUE])
    if above_target:
        columns = [tuple(compress(column, above)) for column in columns]
        above = [True] * len(columns[_VALUE])
        if not above:
            return found
    values, populations = columns[_VALUE], columns[_POPULATION]
    # a figure's value is NOT NULL in its table: a source id comes with a figure of the year or the year before
    found.source_ids = (set(columns[_SOURCE]) | set(columns[_PREVIOUS_SOURCE])) - {None}
    percent = measure.is_percent
    paired = list(map(is_not, columns[_MENTOR], repeat(None)))
    found.total.add_all(values, populations, above, paired, weighted=percent)
    statuses = _each_once(idm_class, values) if measure.has_classes else None
    if statuses is not None:
        found.classes = dict(Counter(filter(None, statuses)))
    if prefix:
        _tally_groups(found, [code[:prefix] for code in columns[_KECAMATAN_CODE]], values, populations, above, percent)
    else:
        found.rows = _village_columns(measure, target, columns, above, statuses)
    return found


def _each_once(function: Callable[[Any], _T], values: Sequence[Any]) -> list[_T]:
    """`function` of each value, computed once for each distinct value (a country's 83,762 rates hold a
    few thousand). Only for functions that read 0.0 and -0.0 alike, which a set does not tell apart."""
    results = {value: function(value) for value in set(values)}
    return list(map(results.__getitem__, values))


def _rounded(numbers: list[float | None], places: int) -> list[float | None]:
    """round(number, places) of each number, each distinct one rounded once; a zero (or None) is
    itself rounded, and keeps its sign (round(-0.0) is -0.0, and a set holds one of 0.0 and -0.0)."""
    results = {number: round(number, places) for number in set(numbers) if number}
    return [results[number] if number else number for number in numbers]


# where _villages_sql and _group_sql put what both select (the rest of a village row follows)
_VALUE, _PREVIOUS, _POPULATION, _SOURCE, _PREVIOUS_SOURCE, _MENTOR, _KECAMATAN_CODE = range(7)


def _tally_groups(
    found: _Rows,
    keys: list[str],
    values: Sequence[float | None],
    populations: Sequence[int | None],
    above: list[bool | None],
    percent: bool,
) -> None:
    """Each group's tally, a run of consecutive villages of the group at a time (in village order, as
    the villages of a kecamatan come; a group met again later goes on adding where it stopped)."""
    start = 0
    for key, run in groupby(keys):
        end = start + len(list(run))
        group = found.groups.get(key)
        if group is None:
            group = found.groups[key] = Tally(found.total.digits)
        group.add_all(values[start:end], populations[start:end], above[start:end], weighted=percent)
        start = end


def _village_columns(
    measure: Measure,
    target: float | None,
    columns: list[tuple[Any, ...]],
    above: list[bool | None],
    statuses: list[str | None] | None,
) -> ColumnRows:
    """The village rows as the report shows them (JSON keys in this order), kept as columns."""
    values, previous = columns[_VALUE], columns[_PREVIOUS]
    places = 2 if measure.is_percent else 4  # differences are rounded as the measure's figures are
    change: list[float | None] = [
        None if v is None or p is None else v - p for v, p in zip(values, previous, strict=True)
    ]
    gap: list[float | None] = (
        [None] * len(values) if target is None else [None if v is None else v - target for v in values]
    )
    code, name, kecamatan, activities, budget = columns[_KECAMATAN_CODE + 1 :]
    shown: dict[str, Sequence[Any]] = {
        "code": code,
        "name": name,
        "kecamatan": kecamatan,
        "kecamatan_code": columns[_KECAMATAN_CODE],
        "agency": columns[_MENTOR],
        "value": values,
        "previous_value": previous,
        "change": _rounded(change, places),
        "gap": _rounded(gap, places),
        "above_target": above,
        "meets_target": list(map(_MEETS.__getitem__, above)),
        "population": columns[_POPULATION],
        "activities": activities,
        "budget": budget,
    }
    if measure.is_percent:
        shown["rate"], shown["previous_rate"] = values, previous
    if statuses is not None:
        shown["class"] = statuses
    return ColumnRows(shown)


_MEETS = {None: None, True: False, False: True}  # meets_target from above_target


def _meets(misses: bool | None) -> bool | None:
    """`meets_target` from "worse than the target" (None without a figure or a target)."""
    return None if misses is None else not misses


def _group_rows(conn: sqlite3.Connection, scope: _Scope, by: str, found: _Rows) -> list[dict[str, Any]]:
    """One row per kecamatan or kabupaten, with its name and the official figure recorded for it."""
    names = dict(conn.execute("SELECT code, name FROM regions WHERE level = ?", (_GROUP_LEVEL[by],)))
    official = {
        code: (value, text)
        for code, value, text in conn.execute(
            "SELECT f.region_code, f.value, s.text FROM area_figures f LEFT JOIN sources s ON s.id = f.source_id "
            "WHERE f.measure_id = ? AND f.year = ?",
            (scope.measure.id, scope.year),
        )
    }
    rows = []
    for code, t in found.groups.items():
        value = t.group_rate
        row: dict[str, Any] = {
            "code": code,
            "name": names.get(code, code),
            "villages": t.villages,
            "with_data": t.with_data,
            "population": t.population,
            "value": value,
            "above_target": t.above if scope.target.rate is not None else None,
            "meets_target": _meets(scope.measure.misses(value, scope.target.rate)),
            "official": official.get(code, (None, None))[0],
            "official_source": official.get(code, (None, None))[1],
        }
        if scope.measure.is_percent:
            row["rate"] = value
        if scope.measure.has_classes:
            row["class"] = idm_class(value)
        rows.append(row)
    return rows


def _official(conn: sqlite3.Connection, measure: Measure, year: int, region: str) -> tuple[float, str | None] | None:
    """The official figure recorded for a region in a year, with its source."""
    row = conn.execute(
        "SELECT f.value, s.text FROM area_figures f LEFT JOIN sources s ON s.id = f.source_id "
        "WHERE f.measure_id = ? AND f.region_code = ? AND f.year = ?",
        (measure.id, region, year),
    ).fetchone()
    return (row[0], row[1]) if row else None


def _summary(total: Tally, no_target: bool) -> dict[str, Any]:
    return {
        "villages": total.villages,
        "with_data": total.with_data,
        "above_target": None if no_target else total.above,
        "paired": total.paired,
        "above_target_unpaired": None if no_target else total.above_unpaired,
        "weighted_rate": total.weighted_rate,
        "mean_rate": total.mean_rate,
    }


def _source_texts(conn: sqlite3.Connection, source_ids: set[int]) -> list[str]:
    """The texts of the sources of the figures shown, in alphabetical order."""
    if not source_ids:
        return []
    marks = ",".join("?" * len(source_ids))
    return [
        s[0] for s in conn.execute(f"SELECT text FROM sources WHERE id IN ({marks}) ORDER BY text", sorted(source_ids))
    ]
