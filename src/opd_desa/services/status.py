"""`status`: what the database holds and what needs the planning office's attention."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from opd_desa.db import schema_version
from opd_desa.measures import Measure
from opd_desa.migrations import utils_database
from opd_desa.rules import IDLE_DAYS, in_force
from opd_desa.services.check import schema_is_whole
from opd_desa.services.figures import figure_table, latest_year, years_with_data
from opd_desa.services.measures import find_measure
from opd_desa.services.targets import target_for


@dataclass
class Status:
    database: str
    schema_version: int
    counts: dict[str, int]
    years: list[int]
    latest_year: int | None
    target: float | None  # None: the measure has no target
    attention: dict[str, list[dict[str, Any]]]
    idle_days: int = IDLE_DAYS  # how long without activity puts a pairing on the inactive list
    sound: bool = True  # the quick check passed (else: run `opd-desa check`)
    measure: Measure | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "schema_version": self.schema_version,
            "sound": self.sound,
            **self.counts,
            "years": self.years,
            **({"measure": self.measure.as_dict()} if self.measure else {}),
            "attention": {key: [item["code"] for item in items] for key, items in self.attention.items()},
        }


_CURRENT = in_force()


def database_status(conn: sqlite3.Connection, path: Path, *, today: date, measure: str | None = None) -> Status:
    """Counts, years with figures of the measure (poverty by default), and the four attention lists,
    as they stand `today`."""
    found = find_measure(conn, measure)
    params: dict[str, Any] = {"today": today.isoformat(), "measure": found.id}
    tables = utils_database(conn)
    counts = {
        "villages": tables.table("villages").count,
        "agencies": tables.table("agencies").count,
        "pairings": conn.execute(f"SELECT count(*) FROM pairings p WHERE {_CURRENT}", params).fetchone()[0],
        "activities": tables.table("activities").count,
    }
    year = latest_year(conn, found)
    target = target_for(conn, year or today.year, found).rate
    worst_first = "DESC" if found.better == "lower" else "ASC"
    table = figure_table(found)  # the table itself: through the all_figures view each list scans every figure
    attention = {
        "above_target_unpaired": _rows(
            conn,
            f"""SELECT v.code, v.name, f.{table.value} AS value FROM {table.name} f
            JOIN villages v ON v.code = f.village_code
            WHERE {table.on("f")} f.year = :year AND {found.misses_sql(f"f.{table.value}", ":target")}
              AND NOT EXISTS (SELECT 1 FROM pairings p WHERE p.village_code = v.code AND {_CURRENT})
            ORDER BY value {worst_first}, v.code""",
            {**params, "year": year, "target": target},
        )
        if target is not None
        else [],
        "agencies_without_village": _rows(
            conn,
            f"""SELECT a.code, a.name FROM agencies a
            WHERE NOT EXISTS (SELECT 1 FROM pairings p WHERE p.agency_id = a.id AND {_CURRENT}) ORDER BY a.code""",
            params,
        ),
        "inactive_pairings": _rows(
            conn,
            f"""SELECT v.code, v.name, a.code AS agency, (SELECT max(t.date) FROM activities t
                WHERE t.village_code = p.village_code AND t.agency_id = p.agency_id) AS last_activity
            FROM pairings p JOIN villages v ON v.code = p.village_code JOIN agencies a ON a.id = p.agency_id
            WHERE {_CURRENT} AND NOT EXISTS (SELECT 1 FROM activities t WHERE t.village_code = p.village_code
                AND t.agency_id = p.agency_id AND t.date >= :since)
            ORDER BY v.code""",
            {**params, "since": (today - timedelta(days=IDLE_DAYS)).isoformat()},
        ),
        "stale_villages": _rows(
            conn,
            f"""SELECT v.code, v.name,
                (SELECT max(f.year) FROM {table.name} f WHERE {table.on("f")} f.village_code = v.code) AS latest
            FROM villages v WHERE latest < :year - 1 ORDER BY v.code""",
            {"year": year},
        )
        if year
        else [],
        **_boundary_attention(conn),
    }
    status = Status(
        str(path), schema_version(conn), counts, years_with_data(conn, found), year, target, attention, measure=found
    )
    status.sound = schema_is_whole(conn)
    return status


def _boundary_attention(conn: sqlite3.Connection) -> dict[str, list[dict[str, Any]]]:
    """Villages without a boundary, once any boundary is loaded (before that, maps are simply not used)."""
    from opd_desa.maps.schema import count_without_boundary

    if count_without_boundary(conn) is None:
        return {}
    return {
        "villages_without_boundary": _rows(
            conn,
            """SELECT v.code, v.name FROM villages v
            WHERE NOT EXISTS (SELECT 1 FROM boundaries b WHERE b.village_code = v.code) ORDER BY v.code""",
            {},
        )
    }


def _rows(conn: sqlite3.Connection, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(sql, params)]
