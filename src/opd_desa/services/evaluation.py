"""Is it working? The scorecard of current pairings, and the rate's trend by year.

Both are descriptive: the scorecard compares mentored villages with villages that were also above
the target but have no mentor; it does not prove that mentoring caused the difference.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from opd_desa.i18n import _
from opd_desa.measures import Measure, idm_class
from opd_desa.resolve import Resolver
from opd_desa.rules import in_force
from opd_desa.services.figures import figure_table, latest_year
from opd_desa.services.measures import find_measure
from opd_desa.services.places import home_region
from opd_desa.services.rates import RatesAgainstTarget, Tally, digits, mean
from opd_desa.services.targets import target_for
from opd_desa.stored import stored_date


@dataclass
class Evaluation(RatesAgainstTarget):
    """A scorecard or a trend; `subject` names the village or area a trend is about."""

    subject: str = ""
    starts: list[dict[str, str]] = field(default_factory=list)
    """A trend's days worth marking: each pairing's start of the village (`since`, `agency`), or the programme's."""


def _sources(conn: sqlite3.Connection, measure: Measure, where: str, params: dict[str, Any]) -> list[str]:
    sql = (
        "SELECT DISTINCT s.text FROM all_figures p JOIN sources s ON s.id = p.source_id "
        f"WHERE p.measure_id = :measure AND {where} ORDER BY s.text"
    )
    return [r[0] for r in conn.execute(sql, {**params, "measure": measure.id})]


def _year_or_latest(
    conn: sqlite3.Connection, measure: Measure, year: int | None, today: date, warnings: list[str]
) -> int:
    if year is not None:
        return year
    found = latest_year(conn, measure)
    if found is None:
        warnings.append(
            _("no figures of {measure} yet; add them with `opd-desa import figures FILE`").format(measure=measure.key)
        )
        return today.year
    return found


def _values(conn: sqlite3.Connection, measure: Measure, year: int) -> dict[str, float]:
    return dict(
        conn.execute(
            "SELECT village_code, value FROM all_figures WHERE measure_id = ? AND year = ?", (measure.id, year)
        ).fetchall()
    )


def _with_measure(measure: Measure, row: dict[str, Any], *pairs: tuple[str, str]) -> dict[str, Any]:
    """A row with the names poverty scripts know (`rate` beside `value`) and the IDM class."""
    if measure.is_percent:
        for old, new in pairs:
            row[old] = row[new]
    if measure.has_classes:
        row["class"] = idm_class(row["value"])
    return row


def _points(measure: Measure, value: float | None, other: float | None) -> float | None:
    if value is None or other is None:
        return None
    return round(value - other, 2 if measure.is_percent else 4)


def scorecard(
    conn: sqlite3.Connection, *, today: date, year: int | None = None, measure: str | None = None
) -> Evaluation:
    """One row per pairing in force `today`: baseline before it started, figure in `year`, and what was done since."""
    warnings: list[str] = []
    found = find_measure(conn, measure)
    year = _year_or_latest(conn, found, year, today, warnings)
    target = target_for(conn, year, found)
    pairings = conn.execute(
        f"""SELECT p.id, p.village_code, v.name AS village, a.id AS agency_id, a.code AS agency, p.since
           FROM pairings p JOIN villages v ON v.code = p.village_code JOIN agencies a ON a.id = p.agency_id
           WHERE {in_force()} ORDER BY a.code""",
        {"today": today.isoformat()},
    ).fetchall()
    rates_now = _values(conn, found, year)
    if not rates_now:
        latest = latest_year(conn, found)
        if latest is not None and latest != year:
            warnings.append(
                _("no figures of {measure} for {year}; the latest year with figures is {latest}").format(
                    measure=found.key, year=year, latest=latest
                )
            )
    rows = []
    for p in pairings:
        start_year = stored_date(p["since"], _("pairing {id}: since").format(id=p["id"])).year
        # the latest year before the pairing started; a series that begins in that very year (extreme
        # poverty, counted from 2021) takes its first year instead, rather than having no baseline
        baseline = conn.execute(
            "SELECT year, value FROM all_figures WHERE measure_id = ? AND village_code = ? AND year <= ? "
            "ORDER BY year = ?, year DESC LIMIT 1",
            (found.id, p["village_code"], start_year, start_year),
        ).fetchone()
        done = conn.execute(
            """SELECT count(*), sum(budget), sum(spent), sum(beneficiaries) FROM activities
               WHERE village_code = ? AND agency_id = ? AND date >= ?""",
            (p["village_code"], p["agency_id"], p["since"]),
        ).fetchone()
        rate = rates_now.get(p["village_code"])
        baseline_rate = baseline["value"] if baseline else None
        misses = found.misses(rate, target.rate)
        row = {
            "agency": p["agency"],
            "village_code": p["village_code"],
            "village": p["village"],
            "since": p["since"],
            "baseline_year": baseline["year"] if baseline else None,
            "baseline_value": baseline_rate,
            "value": rate,
            # a pairing that started after `year` has nothing to show for it yet
            "change": _points(found, rate, baseline_rate) if int(p["since"][:4]) <= year else None,
            "meets_target": None if misses is None else not misses,
            "activities": done[0],
            "budget": done[1],
            "spent": done[2],
            "beneficiaries": done[3],
        }
        rows.append(_with_measure(found, row, ("baseline_rate", "baseline_value"), ("rate", "value")))
    summary = _comparison(conn, found, rows, year, today)
    used_years = {year} | {r["baseline_year"] for r in rows if r["baseline_year"]}
    if summary["baseline_year"]:
        used_years.add(summary["baseline_year"])
    params = {f"y{i}": y for i, y in enumerate(sorted(used_years))}
    sources = _sources(conn, found, f"p.year IN ({','.join(':' + k for k in params)})", params)
    return Evaluation(year, target.rate, target.source, rows, summary, sources, warnings=warnings, measure=found)


def _comparison(
    conn: sqlite3.Connection, measure: Measure, rows: list[dict[str, Any]], year: int, today: date
) -> dict[str, Any]:
    """Mean change of paired villages beside that of unpaired villages above target at the shared baseline."""
    changes = [r["change"] for r in rows if r["change"] is not None]
    baselines = Counter(r["baseline_year"] for r in rows if r["baseline_year"] is not None)
    baseline_year = baselines.most_common(1)[0][0] if baselines else None
    unpaired_changes: list[float] = []
    baseline_target = target_for(conn, baseline_year, measure).rate if baseline_year is not None else None
    if baseline_year is not None and baseline_target is not None:
        table = figure_table(measure)
        for rate_then, rate_now in conn.execute(
            f"""SELECT b.{table.value}, n.{table.value}
               FROM {table.name} b JOIN {table.name} n ON {table.on("n")}n.village_code = b.village_code
                    AND n.year = :year
               WHERE {table.on("b")}b.year = :baseline AND {measure.misses_sql(f"b.{table.value}", ":target")}
                 AND NOT EXISTS (SELECT 1 FROM pairings p WHERE p.village_code = b.village_code
                                 AND {in_force()})""",
            {
                "year": year,
                "baseline": baseline_year,
                "target": baseline_target,
                "today": today.isoformat(),
                "measure": measure.id,
            },
        ):
            unpaired_changes.append(rate_now - rate_then)
    return {
        "paired": len(changes),
        "paired_mean_change": mean(changes),
        "unpaired": len(unpaired_changes),
        "unpaired_mean_change": mean(unpaired_changes),
        "baseline_year": baseline_year,
    }


def trend(
    conn: sqlite3.Connection, village: str | None = None, *, today: date, measure: str | None = None
) -> Evaluation:
    """The figure by year against that year's target: one village's, or the whole area's (the official
    figure where one is recorded for the area, else the population-weighted mean of the villages;
    rows say which in `basis`). With no figures at all, it is about `today`'s year."""
    found = find_measure(conn, measure)
    by_year: dict[int, list[tuple[float, int | None]]] = {}
    official: dict[int, float] = {}
    where: str
    params: dict[str, Any]
    if village:
        ref = Resolver(conn).village(village)
        subject = ref.listing()
        figures = conn.execute(
            "SELECT year, value, population FROM all_figures WHERE measure_id = ? AND village_code = ? ORDER BY year",
            (found.id, ref.code),
        ).fetchall()
        by_year = {y: [(r, p)] for y, r, p in figures}
        where, params = "p.village_code = :code", {"code": ref.code}
        official_sources: list[str] = []
        starts = [
            {"since": since, "agency": agency}
            for since, agency in conn.execute(
                "SELECT p.since, a.code FROM pairings p JOIN agencies a ON a.id = p.agency_id "
                "WHERE p.village_code = ? ORDER BY p.since",
                (ref.code,),
            )
        ]
    else:
        subject = _("all villages (population-weighted)") if found.is_percent else _("all villages (mean)")
        for y, r, p in conn.execute(
            "SELECT f.year, f.value, coalesce(f.population, v.population) FROM all_figures f "
            "JOIN villages v ON v.code = f.village_code WHERE f.measure_id = ?",
            (found.id,),
        ):
            by_year.setdefault(y, []).append((r, p))
        where, params = "1", {}
        first = conn.execute("SELECT min(since) FROM pairings").fetchone()[0]
        starts = [{"since": first, "agency": ""}] if first else []
        region = home_region(conn)
        official_sources = []
        if region is not None:
            for y, value, text in conn.execute(
                "SELECT f.year, f.value, s.text FROM area_figures f LEFT JOIN sources s ON s.id = f.source_id "
                "WHERE f.measure_id = ? AND f.region_code = ?",
                (found.id, region),
            ):
                official[y] = value
                if text:
                    official_sources.append(text)
    rows: list[dict[str, Any]] = []
    for y in sorted(by_year.keys() | official.keys()):
        tally = Tally(digits(found))
        for village_rate, population in by_year.get(y, []):
            tally.add(village_rate, population, weighted=found.is_percent)
        value = official.get(y, tally.weighted_rate if tally.weight else tally.mean_rate)
        year_target = target_for(conn, y, found).rate
        misses = found.misses(value, year_target)
        row: dict[str, Any] = {
            "year": y,
            "value": value,
            "target": year_target,
            "above_target": misses,
            "meets_target": None if misses is None else not misses,
            "villages": tally.with_data,
        }
        if not village:
            row["basis"] = "official" if y in official else "villages"
        rows.append(_with_measure(found, row, ("rate", "value")))
    warnings = (
        []
        if rows
        else [_("no figures of {measure} yet; add them with `opd-desa import figures FILE`").format(measure=found.key)]
    )
    last: int = rows[-1]["year"] if rows else today.year
    target = target_for(conn, last, found)
    summary = {
        "years": len(rows),
        "first_rate": rows[0]["value"] if rows else None,
        "last_rate": rows[-1]["value"] if rows else None,
        "change": _points(found, rows[-1]["value"], rows[0]["value"]) if len(rows) > 1 else None,
    }
    sources = sorted(set(_sources(conn, found, where, params)) | set(official_sources))
    return Evaluation(
        last,
        target.rate,
        target.source,
        rows,
        summary,
        sources,
        subject=subject,
        starts=starts,
        warnings=warnings,
        measure=found,
    )
