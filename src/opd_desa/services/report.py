"""The main view: each village's poverty rate in a year against the target, and aggregates."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _
from opd_desa.resolve import Resolver, find_kecamatan
from opd_desa.services.dates import today, today_iso
from opd_desa.services.figures import latest_year, target_for
from opd_desa.services.pairings import in_force

VILLAGE_COLUMNS = (
    "code",
    "name",
    "kecamatan",
    "agency",
    "rate",
    "previous_rate",
    "change",
    "gap",
    "above_target",
    "population",
    "activities",
    "budget",
)
GROUP_COLUMNS = ("code", "name", "villages", "with_data", "population", "rate", "above_target")
SORTS = ("code", "name", "kecamatan", "rate", "change", "gap", "population", "budget")
LEVELS = ("village", "kecamatan", "kabupaten")


@dataclass
class Figures:
    """Rows of figures for one year against its target: the JSON shape of report, scorecard and trend."""

    year: int
    target: float
    target_source: str
    rows: list[dict[str, Any]]
    summary: dict[str, Any]
    sources: list[str]
    warnings: list[str] = field(default_factory=list, kw_only=True)

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "target": self.target,
            "target_source": self.target_source,
            "rows": self.rows,
            "summary": self.summary,
            "sources": self.sources,
        }


@dataclass
class Report(Figures):
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


def round2(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


class Tally:
    """Running totals of village rates: the one home of the SPEC's weighted and plain means."""

    __slots__ = (
        "above",
        "above_unpaired",
        "missing_population",
        "paired",
        "population",
        "rate_sum",
        "villages",
        "weight",
        "weighted_sum",
        "with_data",
    )

    def __init__(self) -> None:
        self.villages = self.with_data = self.above = self.above_unpaired = self.paired = 0
        self.missing_population = 0  # villages with a rate but no population
        self.rate_sum = self.weighted_sum = 0.0
        self.weight = 0  # population of villages with a rate
        self.population: int | None = None  # population of all villages that have one

    def add(self, rate: float | None, population: int | None, above: bool | None = None, paired: bool = False) -> None:
        self.villages += 1
        self.paired += paired
        if population is not None:
            self.population = (self.population or 0) + population
        if rate is None:
            return
        self.with_data += 1
        self.rate_sum += rate
        if above:
            self.above += 1
            self.above_unpaired += not paired
        if population:
            self.weight += population
            self.weighted_sum += rate * population
        else:
            self.missing_population += 1

    @property
    def weighted_rate(self) -> float | None:
        """Population-weighted over villages with a rate and a population (None if there are none)."""
        return round2(self.weighted_sum / self.weight) if self.weight else None

    @property
    def mean_rate(self) -> float | None:
        return round2(self.rate_sum / self.with_data) if self.with_data else None

    @property
    def group_rate(self) -> float | None:
        """SPEC: population-weighted where every village with data has a population, else the plain mean."""
        return self.weighted_rate if self.with_data and not self.missing_population else self.mean_rate


def mean(values: list[float]) -> float | None:
    return round2(sum(values) / len(values)) if values else None


def build_report(
    conn: sqlite3.Connection,
    *,
    year: int | None = None,
    by: str = "village",
    kecamatan: str | None = None,
    agency: str | None = None,
    paired: bool | None = None,
    above_target: bool = False,
    sort: str | None = None,
) -> Report:
    """Every village in scope for `year` (default: the latest year with data) against the target."""
    if by not in LEVELS:
        raise InvalidValue(
            _("--by must be one of {choices}, not '{value}'").format(choices=", ".join(LEVELS), value=by)
        )
    if sort and sort.lstrip("+-") not in SORTS:
        raise InvalidValue(
            _("--sort must be one of {choices} (prefix - for descending), not '{value}'").format(
                choices=", ".join(SORTS), value=sort
            )
        )
    warnings: list[str] = []
    if year is None:
        year = latest_year(conn)
        if year is None:
            year = today().year
            warnings.append(
                _(
                    "no poverty figures yet; showing {year} without rates "
                    "(add figures with `opd-desa import poverty FILE`)"
                ).format(year=year)
            )
    target = target_for(conn, year)
    where, params = [], {"year": year, "today": today_iso(), "start": f"{year}-01-01", "end": f"{year}-12-31"}
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
    sql = _VILLAGES_SQL + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY v.code"
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: this loop meets every village of the country
    level = {"kecamatan": 8, "kabupaten": 5}.get(by)  # length of the group's code prefix
    total, groups, rows, source_ids = Tally(), {}, [], set()
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
    ) in cursor.execute(sql, params):
        above = rate > target.rate if rate is not None else None
        if above_target and not above:
            continue
        if rate is not None and source is not None:
            source_ids.add(source)
        if previous is not None and previous_source is not None:
            source_ids.add(previous_source)
        total.add(rate, population, above, mentor is not None)
        if level:
            group = groups.get(kecamatan_code[:level])
            if group is None:
                group = groups[kecamatan_code[:level]] = Tally()
            group.add(rate, population, above)
            continue
        rows.append(
            {
                "code": code,
                "name": name,
                "kecamatan": kecamatan_name,
                "kecamatan_code": kecamatan_code,
                "agency": mentor,
                "rate": rate,
                "previous_rate": previous,
                "change": round2(rate - previous) if rate is not None and previous is not None else None,
                "gap": round2(rate - target.rate) if rate is not None else None,
                "above_target": above,
                "population": population,
                "activities": activities,
                "budget": budget,
            }
        )
    if total.villages and not total.with_data and not warnings:
        warnings.append(_("no poverty figures for {year}; rates are empty").format(year=year))
    summary = {
        "villages": total.villages,
        "with_data": total.with_data,
        "above_target": total.above,
        "paired": total.paired,
        "above_target_unpaired": total.above_unpaired,
        "weighted_rate": total.weighted_rate,
        "mean_rate": total.mean_rate,
    }
    if level:
        names = dict(conn.execute("SELECT code, name FROM regions WHERE level = ?", (3 if by == "kecamatan" else 2,)))
        rows = [
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
    _sort(rows, sort or "code")
    sources = (
        [
            s[0]
            for s in conn.execute(
                f"SELECT text FROM sources WHERE id IN ({','.join('?' * len(source_ids))}) ORDER BY text",
                sorted(source_ids),
            )
        ]
        if source_ids
        else []
    )
    return Report(year, target.rate, target.source, rows, summary, sources, by=by, area=area, warnings=warnings)


def _sort(rows: list[dict[str, Any]], sort: str) -> None:
    key = sort.lstrip("+-")
    if rows and key not in rows[0]:
        key = "code"
    descending = sort.startswith("-") or (
        key in ("rate", "change", "gap", "population", "budget") and not sort.startswith("+")
    )
    present = [r for r in rows if r.get(key) is not None]
    missing = [r for r in rows if r.get(key) is None]
    present.sort(key=lambda r: (r[key], r["code"]), reverse=descending)
    rows[:] = present + missing
