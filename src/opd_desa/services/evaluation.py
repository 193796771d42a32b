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
from opd_desa.resolve import Resolver
from opd_desa.rules import in_force
from opd_desa.services.figures import latest_year, target_for
from opd_desa.services.rates import RatesAgainstTarget, Tally, mean, round2
from opd_desa.stored import stored_date


@dataclass
class Evaluation(RatesAgainstTarget):
    """A scorecard or a trend; `subject` names the village or area a trend is about."""

    subject: str = ""
    starts: list[dict[str, str]] = field(default_factory=list)
    """A trend's days worth marking: each pairing's start of the village (`since`, `agency`), or the programme's."""


def _sources(conn: sqlite3.Connection, where: str, params: dict[str, Any]) -> list[str]:
    sql = f"SELECT DISTINCT s.text FROM poverty p JOIN sources s ON s.id = p.source_id WHERE {where} ORDER BY s.text"
    return [r[0] for r in conn.execute(sql, params)]


def _year_or_latest(conn: sqlite3.Connection, year: int | None, today: date, warnings: list[str]) -> int:
    if year is not None:
        return year
    found = latest_year(conn)
    if found is None:
        warnings.append(_("no poverty figures yet; add them with `opd-desa import poverty FILE`"))
        return today.year
    return found


def _rates(conn: sqlite3.Connection, year: int) -> dict[str, float]:
    return dict(conn.execute("SELECT village_code, rate FROM poverty WHERE year = ?", (year,)).fetchall())


def scorecard(conn: sqlite3.Connection, *, today: date, year: int | None = None) -> Evaluation:
    """One row per pairing in force `today`: baseline before it started, rate in `year`, and what was done since."""
    warnings: list[str] = []
    year = _year_or_latest(conn, year, today, warnings)
    target = target_for(conn, year)
    pairings = conn.execute(
        f"""SELECT p.id, p.village_code, v.name AS village, a.id AS agency_id, a.code AS agency, p.since
           FROM pairings p JOIN villages v ON v.code = p.village_code JOIN agencies a ON a.id = p.agency_id
           WHERE {in_force()} ORDER BY a.code""",
        {"today": today.isoformat()},
    ).fetchall()
    rates_now = _rates(conn, year)
    if not rates_now:
        latest = latest_year(conn)
        if latest is not None and latest != year:
            warnings.append(
                _("no poverty figures for {year}; the latest year with figures is {latest}").format(
                    year=year, latest=latest
                )
            )
    rows = []
    for p in pairings:
        start_year = stored_date(p["since"], _("pairing {id}: since").format(id=p["id"])).year
        baseline = conn.execute(
            "SELECT year, rate FROM poverty WHERE village_code = ? AND year < ? ORDER BY year DESC LIMIT 1",
            (p["village_code"], start_year),
        ).fetchone()
        done = conn.execute(
            """SELECT count(*), sum(budget), sum(spent), sum(beneficiaries) FROM activities
               WHERE village_code = ? AND agency_id = ? AND date >= ?""",
            (p["village_code"], p["agency_id"], p["since"]),
        ).fetchone()
        rate = rates_now.get(p["village_code"])
        baseline_rate = baseline["rate"] if baseline else None
        rows.append(
            {
                "agency": p["agency"],
                "village_code": p["village_code"],
                "village": p["village"],
                "since": p["since"],
                "baseline_year": baseline["year"] if baseline else None,
                "baseline_rate": baseline_rate,
                "rate": rate,
                # a pairing that started after `year` has nothing to show for it yet
                "change": round2(rate - baseline_rate)
                if rate is not None and baseline_rate is not None and start_year <= year
                else None,
                "activities": done[0],
                "budget": done[1],
                "spent": done[2],
                "beneficiaries": done[3],
            }
        )
    summary = _comparison(conn, rows, year, today)
    used_years = {year} | {r["baseline_year"] for r in rows if r["baseline_year"]}
    if summary["baseline_year"]:
        used_years.add(summary["baseline_year"])
    params = {f"y{i}": y for i, y in enumerate(sorted(used_years))}
    sources = _sources(conn, f"p.year IN ({','.join(':' + k for k in params)})", params)
    return Evaluation(year, target.rate, target.source, rows, summary, sources, warnings=warnings)


def _comparison(conn: sqlite3.Connection, rows: list[dict[str, Any]], year: int, today: date) -> dict[str, Any]:
    """Mean change of paired villages beside that of unpaired villages above target at the shared baseline."""
    changes = [r["change"] for r in rows if r["change"] is not None]
    baselines = Counter(r["baseline_year"] for r in rows if r["baseline_year"] is not None)
    baseline_year = baselines.most_common(1)[0][0] if baselines else None
    unpaired_changes: list[float] = []
    if baseline_year is not None:
        baseline_target = target_for(conn, baseline_year).rate
        for rate_then, rate_now in conn.execute(
            f"""SELECT b.rate, n.rate
               FROM poverty b JOIN poverty n ON n.village_code = b.village_code AND n.year = :year
               WHERE b.year = :baseline AND b.rate > :target
                 AND NOT EXISTS (SELECT 1 FROM pairings p WHERE p.village_code = b.village_code
                                 AND {in_force()})""",
            {"year": year, "baseline": baseline_year, "target": baseline_target, "today": today.isoformat()},
        ):
            unpaired_changes.append(rate_now - rate_then)
    return {
        "paired": len(changes),
        "paired_mean_change": mean(changes),
        "unpaired": len(unpaired_changes),
        "unpaired_mean_change": mean(unpaired_changes),
        "baseline_year": baseline_year,
    }


def trend(conn: sqlite3.Connection, village: str | None = None, *, today: date) -> Evaluation:
    """The rate by year against that year's target: one village's, or the whole area's weighted rate
    (with no figures at all, it is about `today`'s year)."""
    by_year: dict[int, list[tuple[float, int | None]]] = {}
    where: str
    params: dict[str, Any]
    if village:
        ref = Resolver(conn).village(village)
        subject = ref.listing()
        figures = conn.execute(
            "SELECT year, rate, population FROM poverty WHERE village_code = ? ORDER BY year", (ref.code,)
        ).fetchall()
        by_year = {y: [(r, p)] for y, r, p in figures}
        where, params = "p.village_code = :code", {"code": ref.code}
        starts = [
            {"since": since, "agency": agency}
            for since, agency in conn.execute(
                "SELECT p.since, a.code FROM pairings p JOIN agencies a ON a.id = p.agency_id "
                "WHERE p.village_code = ? ORDER BY p.since",
                (ref.code,),
            )
        ]
    else:
        subject = _("all villages (population-weighted)")
        for y, r, p in conn.execute(
            "SELECT f.year, f.rate, coalesce(f.population, v.population) FROM poverty f "
            "JOIN villages v ON v.code = f.village_code"
        ):
            by_year.setdefault(y, []).append((r, p))
        where, params = "1", {}
        first = conn.execute("SELECT min(since) FROM pairings").fetchone()[0]
        starts = [{"since": first, "agency": ""}] if first else []
    rows: list[dict[str, Any]] = []
    for y in sorted(by_year):
        tally = Tally()
        for village_rate, population in by_year[y]:
            tally.add(village_rate, population)
        rate = tally.weighted_rate if tally.weight else tally.mean_rate
        year_target = target_for(conn, y).rate
        rows.append(
            {
                "year": y,
                "rate": rate,
                "target": year_target,
                "above_target": rate is not None and rate > year_target,
                "villages": tally.with_data,
            }
        )
    warnings = [] if rows else [_("no poverty figures yet; add them with `opd-desa import poverty FILE`")]
    last: int = rows[-1]["year"] if rows else today.year
    target = target_for(conn, last)
    summary = {
        "years": len(rows),
        "first_rate": rows[0]["rate"] if rows else None,
        "last_rate": rows[-1]["rate"] if rows else None,
        "change": round2(rows[-1]["rate"] - rows[0]["rate"]) if len(rows) > 1 else None,
    }
    sources = _sources(conn, where, params)
    return Evaluation(
        last, target.rate, target.source, rows, summary, sources, subject=subject, starts=starts, warnings=warnings
    )
