"""Listing villages with their kecamatan and current mentor."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from opd_desa.resolve import find_kecamatan
from opd_desa.rules import in_force

COLUMNS = ("code", "name", "kecamatan", "kecamatan_code", "kind", "postal_code", "population", "agency")


def list_villages(
    conn: sqlite3.Connection, *, today: date, kecamatan: str | None = None, unpaired: bool = False
) -> list[dict[str, Any]]:
    """Villages in code order with their mentor `today`, optionally of one kecamatan or only those without one."""
    where, params = ["1"], {"today": today.isoformat()}
    if kecamatan:
        where.append("v.kecamatan_code = :kecamatan")
        params["kecamatan"] = find_kecamatan(conn, kecamatan)[0]
    if unpaired:
        where.append("a.code IS NULL")
    sql = f"""
        SELECT v.code, v.name, k.name, v.kecamatan_code, v.kind, v.postal_code, v.population, a.code
        FROM villages v
        JOIN regions k ON k.code = v.kecamatan_code
        LEFT JOIN pairings p ON p.village_code = v.code AND {in_force()}
        LEFT JOIN agencies a ON a.id = p.agency_id
        WHERE {" AND ".join(where)}
        ORDER BY v.code
    """
    return [dict(zip(COLUMNS, row, strict=True)) for row in conn.execute(sql, params)]
