"""The brief's pairings: each current pairing's baseline and change (the scorecard, read in the year's
mentors), and what each agency did and spent in the year.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from opd_desa.rules import in_force
from opd_desa.services.brief_figures import in_scope
from opd_desa.services.rates import round2


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


def pairing_results(
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


def agency_work(conn: sqlite3.Connection, year: int, day: date, kecamatan_code: str | None) -> tuple[AgencyWork, ...]:
    """Each agency that mentored a village in the year or recorded an activity in it: what it did and spent."""
    params = {"start": f"{year}-01-01", "end": f"{year}-12-31", "day": day.isoformat(), "kecamatan": kecamatan_code}
    rows = conn.execute(
        f"""SELECT a.code, a.name, pv.name, coalesce(t.n, 0), t.budget, t.spent
            FROM agencies a
            LEFT JOIN pairings p ON p.agency_id = a.id AND {in_force("p", ":day")}
            LEFT JOIN villages pv ON pv.code = p.village_code
            LEFT JOIN (SELECT t.agency_id, count(*) AS n, sum(t.budget) AS budget, sum(t.spent) AS spent
                       FROM activities t JOIN villages v ON v.code = t.village_code
                       WHERE t.date BETWEEN :start AND :end AND {in_scope("v", kecamatan_code)}
                       GROUP BY t.agency_id) t ON t.agency_id = a.id
            WHERE t.n IS NOT NULL OR (pv.code IS NOT NULL AND {in_scope("pv", kecamatan_code)})
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
