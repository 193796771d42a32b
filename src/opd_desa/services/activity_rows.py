"""Activities as lists show them: one by its id, those of a pairing, or filtered by village, agency and year.

Apart from recording and removing them (`services/activities.py`), so that reading a history does not
load what recording one needs.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from opd_desa.resolve import Resolver
from opd_desa.rules import FOREVER

if TYPE_CHECKING:
    from opd_desa.services.pairings import Pairing

COLUMNS = (
    "id",
    "date",
    "village_code",
    "village",
    "agency_code",
    "kind",
    "title",
    "budget",
    "spent",
    "households",
    "beneficiaries",
    "source",
    "note",
)

_SELECT = """
    SELECT t.id, t.date, t.village_code, v.name, a.code, t.kind, t.title, t.budget, t.spent,
           t.households, t.beneficiaries, t.source, t.note
    FROM activities t
    JOIN villages v ON v.code = t.village_code
    JOIN agencies a ON a.id = t.agency_id
"""


def activities_where(conn: sqlite3.Connection, where: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    sql = f"{_SELECT} WHERE {where} ORDER BY t.date, t.id"
    return [dict(zip(COLUMNS, row, strict=True)) for row in conn.execute(sql, params)]


def get_activity(conn: sqlite3.Connection, activity_id: int) -> dict[str, Any]:
    """One activity as lists and the change log show it."""
    return activities_where(conn, "t.id = :id", {"id": activity_id})[0]


def activities_of_pairing(conn: sqlite3.Connection, pairing: Pairing) -> list[dict[str, Any]]:
    """The activities of the pairing's agency in its village while the pairing ran."""
    return activities_where(
        conn,
        f"t.village_code = :v AND a.code = :a AND t.date >= :since AND t.date < coalesce(:until, '{FOREVER}')",
        {"v": pairing.village_code, "a": pairing.agency_code, "since": pairing.since, "until": pairing.until},
    )


def list_activities(
    conn: sqlite3.Connection,
    *,
    village: str | None = None,
    agency: str | None = None,
    year: int | None = None,
) -> list[dict[str, Any]]:
    """Activities, oldest first, filtered by village, agency and year."""
    resolver = Resolver(conn)
    where: list[str] = ["1"]
    params: dict[str, object] = {}
    if village:
        where.append("t.village_code = :village")
        params["village"] = resolver.village(village).code
    if agency:
        where.append("t.agency_id = :agency")
        params["agency"] = resolver.agency(agency).id
    if year:
        where.append("t.date BETWEEN :start AND :end")
        params.update(start=f"{year}-01-01", end=f"{year}-12-31")
    return activities_where(conn, " AND ".join(where), params)
