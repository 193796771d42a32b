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
class Report:
    """A report as plain data: what `--format json` prints, plus notes for people."""

    year: int
    target: float
    target_source: str
    target_is_default: bool
    by: str
    rows: list[dict[str, Any]]
    summary: dict[str, Any]
    sources: list[str]
    area: str
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "target": self.target,
            "target_source": self.target_source,
            "rows": self.rows,
            "summary": self.summary,
            "sources": self.sources,
        }


_VILLAGES_SQL = """
    SELECT v.code, v.name, k.name AS kecamatan, v.kecamatan_code, a.code AS agency,
           p.rate, q.rate AS previous_rate, coalesce(p.population, v.population) AS population,
           p.source_id, q.source_id AS previous_source_id, coalesce(t.n, 0) AS activities, t.budget
    FROM villages v
    JOIN regions k ON k.code = v.kecamatan_code
    LEFT JOIN poverty p ON p.village_code = v.code AND p.year = :year
    LEFT JOIN poverty q ON q.village_code = v.code AND q.year = :year - 1
    LEFT JOIN pairings pr ON pr.village_code = v.code AND pr.since <= :today
         AND (pr.until IS NULL OR pr.until > :today)
    LEFT JOIN agencies a ON a.id = pr.agency_id
    LEFT JOIN (SELECT village_code, count(*) AS n, sum(budget) AS budget FROM activities
               WHERE date BETWEEN :start AND :end GROUP BY village_code) t ON t.village_code = v.code
"""


def _r2(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def weighted(rows: list[dict[str, Any]]) -> float | None:
    """Population-weighted mean rate over rows that have both a rate and a population."""
    pairs = [(r["rate"], r["population"]) for r in rows if r["rate"] is not None and r["population"]]
    total = sum(p for _, p in pairs)
    return _r2(sum(rate * p for rate, p in pairs) / total) if total else None


def mean(values: list[float]) -> float | None:
    return _r2(sum(values) / len(values)) if values else None


def group_rate(rows: list[dict[str, Any]]) -> float | None:
    """SPEC: population-weighted where every village with data has a population, else the plain mean."""
    with_data = [r for r in rows if r["rate"] is not None]
    if with_data and all(r["population"] for r in with_data):
        return weighted(with_data)
    return mean([r["rate"] for r in with_data])


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
    if sort and sort.lstrip("-") not in SORTS:
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
    elif paired is False:
        where.append("a.id IS NULL")
    sql = _VILLAGES_SQL + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY v.code"
    rows, source_ids = [], set()
    for r in conn.execute(sql, params):
        rate, previous = r["rate"], r["previous_rate"]
        if rate is not None and r["source_id"] is not None:
            source_ids.add(r["source_id"])
        if previous is not None and r["previous_source_id"] is not None:
            source_ids.add(r["previous_source_id"])
        rows.append(
            {
                "code": r["code"],
                "name": r["name"],
                "kecamatan": r["kecamatan"],
                "kecamatan_code": r["kecamatan_code"],
                "agency": r["agency"],
                "rate": _r2(rate),
                "previous_rate": _r2(previous),
                "change": _r2(rate - previous) if rate is not None and previous is not None else None,
                "gap": _r2(rate - target.rate) if rate is not None else None,
                "above_target": rate > target.rate if rate is not None else None,
                "population": r["population"],
                "activities": r["activities"],
                "budget": r["budget"],
            }
        )
    if above_target:
        rows = [r for r in rows if r["above_target"]]
    with_data = [r for r in rows if r["rate"] is not None]
    if not with_data and rows:
        warnings.append(_("no poverty figures for {year}; rates are empty").format(year=year))
    above = [r for r in with_data if r["above_target"]]
    summary = {
        "villages": len(rows),
        "with_data": len(with_data),
        "above_target": len(above),
        "paired": sum(1 for r in rows if r["agency"]),
        "above_target_unpaired": sum(1 for r in above if not r["agency"]),
        "weighted_rate": weighted(with_data),
        "mean_rate": mean([r["rate"] for r in with_data]),
    }
    if by != "village":
        rows = _aggregate(conn, rows, by)
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
    return Report(year, target.rate, target.source, target.is_default, by, rows, summary, sources, area, warnings)


def _aggregate(conn: sqlite3.Connection, rows: list[dict[str, Any]], by: str) -> list[dict[str, Any]]:
    """Roll village rows up to kecamatan or kabupaten/kota rows."""

    def group_code(row: dict[str, Any]) -> str:
        return row["kecamatan_code"] if by == "kecamatan" else row["kecamatan_code"][:5]

    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(group_code(row), []).append(row)
    names = dict(conn.execute("SELECT code, name FROM regions WHERE level = ?", (3 if by == "kecamatan" else 2,)))
    result = []
    for code, members in groups.items():
        with_data = [m for m in members if m["rate"] is not None]
        populations = [m["population"] for m in members if m["population"] is not None]
        result.append(
            {
                "code": code,
                "name": names.get(code, code),
                "villages": len(members),
                "with_data": len(with_data),
                "population": sum(populations) if populations else None,
                "rate": group_rate(members),
                "above_target": sum(1 for m in with_data if m["above_target"]),
            }
        )
    return result


def _sort(rows: list[dict[str, Any]], sort: str) -> None:
    key = sort.lstrip("-")
    if rows and key not in rows[0]:
        key = "code"
    descending = sort.startswith("-") or (
        key in ("rate", "change", "gap", "population", "budget") and not sort.startswith("+")
    )
    present = [r for r in rows if r.get(key) is not None]
    missing = [r for r in rows if r.get(key) is None]
    present.sort(key=lambda r: (r[key], r["code"]), reverse=descending)
    rows[:] = present + missing
