"""`status`: what the database holds and what needs the planning office's attention."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from opd_desa.db import schema_version
from opd_desa.services.dates import today, today_iso
from opd_desa.services.figures import latest_year, target_for, years_with_data
from opd_desa.services.pairings import in_force

INACTIVE_DAYS = 90


@dataclass
class Status:
    database: str
    schema_version: int
    counts: dict[str, int]
    years: list[int]
    latest_year: int | None
    target: float
    attention: dict[str, list[dict[str, Any]]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "schema_version": self.schema_version,
            **self.counts,
            "years": self.years,
            "attention": {key: [item["code"] for item in items] for key, items in self.attention.items()},
        }


_CURRENT = in_force()


def database_status(conn: sqlite3.Connection, path: Path) -> Status:
    """Counts, years with data, and the four attention lists of the SPEC."""
    params: dict[str, Any] = {"today": today_iso()}
    counts = {
        "villages": conn.execute("SELECT count(*) FROM villages").fetchone()[0],
        "agencies": conn.execute("SELECT count(*) FROM agencies").fetchone()[0],
        "pairings": conn.execute(f"SELECT count(*) FROM pairings p WHERE {_CURRENT}", params).fetchone()[0],
        "activities": conn.execute("SELECT count(*) FROM activities").fetchone()[0],
    }
    years = years_with_data(conn)
    year = latest_year(conn)
    target = target_for(conn, year or today().year).rate
    attention: dict[str, list[dict[str, Any]]] = {}
    attention["above_target_unpaired"] = [
        dict(r)
        for r in conn.execute(
            f"""SELECT v.code, v.name, f.rate FROM poverty f JOIN villages v ON v.code = f.village_code
            WHERE f.year = :year AND f.rate > :target
              AND NOT EXISTS (SELECT 1 FROM pairings p WHERE p.village_code = v.code AND {_CURRENT})
            ORDER BY f.rate DESC, v.code""",
            {**params, "year": year, "target": target},
        )
    ]
    attention["agencies_without_village"] = [
        dict(r)
        for r in conn.execute(
            f"""SELECT a.code, a.name FROM agencies a
            WHERE NOT EXISTS (SELECT 1 FROM pairings p WHERE p.agency_id = a.id AND {_CURRENT}) ORDER BY a.code""",
            params,
        )
    ]
    since = (today() - timedelta(days=INACTIVE_DAYS)).isoformat()
    attention["inactive_pairings"] = [
        dict(r)
        for r in conn.execute(
            f"""SELECT v.code, v.name, a.code AS agency, (SELECT max(t.date) FROM activities t
                WHERE t.village_code = p.village_code AND t.agency_id = p.agency_id) AS last_activity
            FROM pairings p JOIN villages v ON v.code = p.village_code JOIN agencies a ON a.id = p.agency_id
            WHERE {_CURRENT} AND NOT EXISTS (SELECT 1 FROM activities t WHERE t.village_code = p.village_code
                AND t.agency_id = p.agency_id AND t.date >= :since)
            ORDER BY v.code""",
            {**params, "since": since},
        )
    ]
    attention["stale_villages"] = (
        [
            dict(r)
            for r in conn.execute(
                """SELECT v.code, v.name, max(f.year) AS latest
           FROM poverty f JOIN villages v ON v.code = f.village_code
           GROUP BY v.code HAVING max(f.year) < :year - 1 ORDER BY v.code""",
                {"year": year},
            )
        ]
        if year
        else []
    )
    return Status(str(path), schema_version(conn), counts, years, year, target, attention)
