"""The stored boundaries joined to their villages: for `map` and for `export` (boundaries.geojson)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _
from opd_desa.maps.drawing import MapVillage
from opd_desa.maps.geojson import write_collection

_SQL = """
    SELECT v.code, v.name, r.name, b.geometry
    FROM boundaries b JOIN villages v ON v.code = b.village_code JOIN regions r ON r.code = v.kecamatan_code
    ORDER BY v.code
"""


def has_boundaries(conn: sqlite3.Connection) -> bool:
    """Whether any boundary is stored (`brief` adds its map page only then)."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'boundaries'").fetchone()
    return bool(exists) and conn.execute("SELECT 1 FROM boundaries LIMIT 1").fetchone() is not None


def map_villages(
    conn: sqlite3.Connection, values: Mapping[str, float | None], agencies: Mapping[str, str]
) -> list[MapVillage]:
    """Every village with a boundary, with its figure (None: no figure) and mentoring agency code."""
    if not has_boundaries(conn):
        raise InvalidValue(_("no village boundaries are loaded yet: run `opd-desa import boundaries FILE` first"))
    return [
        MapVillage(code, name, kecamatan, geometry, values.get(code), agencies.get(code))
        for code, name, kecamatan, geometry in conn.execute(_SQL)
    ]


def export_geojson(conn: sqlite3.Connection, output: Path) -> int:
    """Write the stored boundaries as a FeatureCollection (properties: code, name, kecamatan), one
    feature per line; returns how many were written (0 and no file when none is stored)."""
    if not has_boundaries(conn):
        return 0
    rows = conn.execute(_SQL)
    return write_collection(output, (({"code": c, "name": n, "kecamatan": k}, g) for c, n, k, g in rows))
