"""The main view: each village's poverty rate in a year against the target, and aggregates.

`build_report` reads in order: the scope (year, target, which villages), the village rows, the
aggregates by kecamatan or kabupaten, and the summary with its sources.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from opd_desa.errors import ArgumentError
from opd_desa.i18n import _
from opd_desa.resolve import Resolver, find_kecamatan
from opd_desa.rules import in_force
from opd_desa.services.figures import Target, latest_year, target_for
from opd_desa.services.rates import RatesAgainstTarget, Tally, round2

SORTS = ("code", "name", "kecamatan", "rate", "change", "gap", "population", "budget")
LEVELS = ("village", "kecamatan", "kabupaten")
_GROUP_PREFIX = {"kecamatan": 8, "kabupaten": 5}  # length of a group's code: 33.20.16, 33.20
_GROUP_LEVEL = {"kecamatan": 3, "kabupaten": 2}  # its level in the regions table
_HIGH_FIRST = ("rate", "change", "gap", "population", "budget")  # sorted high to low unless prefixed +


@dataclass
class Report(RatesAgainstTarget):
    """The report: village rows (or kecamatan/kabupaten rows with `by`) for an area."""

    by: str = "village"
    area: str = ""


_VILLAGES_SQL = f"""
    SELECT v.code, v.name, k.name AS kecamatan, v.kecamatan_code, a.code AS agency,
           p.rate, q.rate AS previous_rate, coalesce(p.population, v.population) AS population,
           p.source_id, q.source_id AS previous_source_id, coalesce(t.n, 0) AS activities, t.budget
    FROM villages v
    JOIN regions k ON k.code = v.kecamatan_code
    LEFT JOIN poverty p ON p.village_code = v.code AND p.year = :year
    LEFT JOIN poverty q ON q.village_code = v.code AND q.year = :year - 1
    LEFT JOIN pairings pr ON pr.village_code = v.code AND {in_force("pr")}
    LEFT JOIN agencies a ON a.id = pr.agency_id
    LEFT JOIN (SELECT village_code, count(*) AS n, sum(budget) AS budget FROM activities
               WHERE date BETWEEN :start AND :end GROUP BY village_code) t ON t.village_code = v.code
"""


@dataclass
class _Scope:
    """Which villages, in which year, against which target; and the words that name the area."""

    year: int
    target: Target
    where: list[str]
    params: dict[str, Any]
    area: str
    warnings: list[str]


@dataclass
class _Rows:
    """What one pass over the villages in scope gives."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    total: Tally = field(default_factory=Tally)
    groups: dict[str, Tally] = field(default_factory=dict)
    source_ids: set[int] = field(default_factory=set)


def build_report(
    conn: sqlite3.Connection,
    *,
    today: date,
    year: int | None = None,
    by: str = "village",
    kecamatan: str | None = None,
    agency: str | None = None,
    paired: bool | None = None,
    above_target: bool = False,
    sort: str | None = None,
) -> Report:
    """Every village in scope for `year` (default: the latest year with data) against the target;
    mentors are those in force `today`."""
    _check(by, sort)
    scope = _scope(conn, today, year, kecamatan, agency, paired, above_target)
    found = _village_rows(conn, scope, _GROUP_PREFIX.get(by), above_target)
    if found.total.villages and not found.total.with_data and not scope.warnings:
        scope.warnings.append(_("no poverty figures for {year}; rates are empty").format(year=scope.year))
    rows = _group_rows(conn, by, found.groups) if by in _GROUP_PREFIX else found.rows
    _sort(rows, sort or "code")
    return Report(
        scope.year,
        scope.target.rate,
        scope.target.source,
        rows,
        _summary(found.total),
        _source_texts(conn, found.source_ids),
        by=by,
        area=scope.area,
        warnings=scope.warnings,
    )


def _check(by: str, sort: str | None) -> None:
    if by not in LEVELS:
        raise ArgumentError(
            _("{argument} must be one of {choices}, not '{value}'"), "by", choices=", ".join(LEVELS), value=by
        )
    if sort and sort.lstrip("+-") not in SORTS:
        raise ArgumentError(
            _("{argument} must be one of {choices} (prefix - for descending), not '{value}'"),
            "sort",
            choices=", ".join(SORTS),
            value=sort,
        )


def _scope(
    conn: sqlite3.Connection,
    today: date,
    year: int | None,
    kecamatan: str | None,
    agency: str | None,
    paired: bool | None,
    above_target: bool,
) -> _Scope:
    warnings: list[str] = []
    if year is None:
        year = latest_year(conn)
        if year is None:
            year = today.year
            warnings.append(
                _(
                    "no poverty figures yet; showing {year} without rates "
                    "(add figures with `opd-desa import poverty FILE`)"
                ).format(year=year)
            )
    where: list[str] = []
    params: dict[str, Any] = {
        "year": year,
        "today": today.isoformat(),
        "start": f"{year}-01-01",
        "end": f"{year}-12-31",
    }
    area = _("all villages")
    if kecamatan:
        code, name = find_kecamatan(conn, kecamatan)
        where.append("v.kecamatan_code = :kecamatan")
        params["kecamatan"] = code
        area = _("kecamatan {name}").format(name=name)
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
    return _Scope(year, target_for(conn, year), where, params, area, warnings)


def _village_rows(conn: sqlite3.Connection, scope: _Scope, prefix: int | None, above_target: bool) -> _Rows:
    """One pass over the villages in scope: their rows (or, with a group `prefix`, their groups' tallies)."""
    sql = _VILLAGES_SQL + (" WHERE " + " AND ".join(scope.where) if scope.where else "") + " ORDER BY v.code"
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: this loop meets every village of the country
    found = _Rows()
    target = scope.target.rate
    for (
        code,
        name,
        kecamatan_name,
        kecamatan_code,
        mentor,
        rate,
        previous,
        population,
        source,
        previous_source,
        activities,
        budget,
    ) in cursor.execute(sql, scope.params):
        above = rate > target if rate is not None else None
        if above_target and not above:
            continue
        if rate is not None and source is not None:
            found.source_ids.add(source)
        if previous is not None and previous_source is not None:
            found.source_ids.add(previous_source)
        found.total.add(rate, population, above, mentor is not None)
        if prefix:
            group = found.groups.setdefault(kecamatan_code[:prefix], Tally())
            group.add(rate, population, above)
            continue
        found.rows.append(
            {
                "code": code,
                "name": name,
                "kecamatan": kecamatan_name,
                "kecamatan_code": kecamatan_code,
                "agency": mentor,
                "rate": rate,
                "previous_rate": previous,
                "change": round2(rate - previous) if rate is not None and previous is not None else None,
                "gap": round2(rate - target) if rate is not None else None,
                "above_target": above,
                "population": population,
                "activities": activities,
                "budget": budget,
            }
        )
    return found


def _group_rows(conn: sqlite3.Connection, by: str, groups: dict[str, Tally]) -> list[dict[str, Any]]:
    """One row per kecamatan or kabupaten, with its name from the regions table."""
    names = dict(conn.execute("SELECT code, name FROM regions WHERE level = ?", (_GROUP_LEVEL[by],)))
    return [
        {
            "code": code,
            "name": names.get(code, code),
            "villages": t.villages,
            "with_data": t.with_data,
            "population": t.population,
            "rate": t.group_rate,
            "above_target": t.above,
        }
        for code, t in groups.items()
    ]


def _summary(total: Tally) -> dict[str, Any]:
    return {
        "villages": total.villages,
        "with_data": total.with_data,
        "above_target": total.above,
        "paired": total.paired,
        "above_target_unpaired": total.above_unpaired,
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


def _sort(rows: list[dict[str, Any]], sort: str) -> None:
    key = sort.lstrip("+-")
    if rows and key not in rows[0]:
        key = "code"
    descending = sort.startswith("-") or (key in _HIGH_FIRST and not sort.startswith("+"))
    present = [r for r in rows if r.get(key) is not None]
    missing = [r for r in rows if r.get(key) is None]
    present.sort(key=lambda r: (r[key], r["code"]), reverse=descending)
    rows[:] = present + missing
