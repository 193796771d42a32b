"""Every table as CSV in the columns `import` reads, so export -> import gives the same data."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _
from opd_desa.imports.formats import FIELDS


def _columns(kind: str) -> tuple[str, ...]:
    """The canonical columns of a file kind, in the order `import` documents them."""
    return tuple(f.name for f in FIELDS[kind])


FIGURE_COLUMNS = ("village", "region", "kecamatan", "year", "measure", "value", "count", "population", "source")

# file -> (columns, numeric columns, query); the query selects the columns of imports.formats.FIELDS in order
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "villages.csv": (
        _columns("villages"),
        ("population",),
        """SELECT v.code, v.name, k.name, v.kind, v.postal_code, v.population
           FROM villages v JOIN regions k ON k.code = v.kecamatan_code ORDER BY v.code""",
    ),
    "agencies.csv": (
        _columns("agencies"),
        (),
        """SELECT a.code, a.name, (SELECT group_concat(alias, '|') FROM
               (SELECT alias FROM agency_aliases WHERE agency_id = a.id ORDER BY alias)), a.head,
               a.contact, a.phone, a.email
           FROM agencies a ORDER BY a.code""",
    ),
    "targets.csv": (
        _columns("targets"),
        ("year",),  # targets keep every decimal (an IDM target has four)
        """SELECT t.year, t.value, t.source, m.key FROM all_targets t JOIN measures m ON m.id = t.measure_id
           ORDER BY t.measure_id, t.year""",
    ),
    "poverty.csv": (
        _columns("poverty"),
        ("year", "rate", "poor", "population"),
        """SELECT p.village_code, k.name, p.year, p.rate, p.poor, p.population, s.text
           FROM poverty p JOIN villages v ON v.code = p.village_code JOIN regions k ON k.code = v.kecamatan_code
           LEFT JOIN sources s ON s.id = p.source_id ORDER BY p.village_code, p.year""",
    ),
    # the other measures' village figures, and every official area figure (poverty's village figures are poverty.csv)
    "figures.csv": (
        FIGURE_COLUMNS,
        ("year", "count", "population"),  # values keep every decimal (an IDM score has four)
        """SELECT f.village_code, NULL, k.name, f.year, m.key, f.value, f.count, f.population, s.text
           FROM figures f JOIN measures m ON m.id = f.measure_id JOIN villages v ON v.code = f.village_code
           JOIN regions k ON k.code = v.kecamatan_code LEFT JOIN sources s ON s.id = f.source_id
           UNION ALL
           SELECT NULL, f.region_code, NULL, f.year, m.key, f.value, f.count, f.population, s.text
           FROM area_figures f JOIN measures m ON m.id = f.measure_id LEFT JOIN sources s ON s.id = f.source_id
           ORDER BY 5, 1, 2, 4""",
    ),
    "pairings.csv": (
        _columns("pairings"),
        (),
        """SELECT p.village_code, k.name, a.code, p.since, p.until, p.decree, p.reason, p.note
           FROM pairings p JOIN villages v ON v.code = p.village_code JOIN regions k ON k.code = v.kecamatan_code
           JOIN agencies a ON a.id = p.agency_id ORDER BY p.since, p.village_code, a.code""",
    ),
    "activities.csv": (
        _columns("activities"),
        ("budget", "spent", "households", "beneficiaries"),
        """SELECT t.village_code, k.name, a.code, t.date, t.kind, t.title, t.budget, t.spent, t.households,
                  t.beneficiaries, t.source, t.note
           FROM activities t JOIN villages v ON v.code = t.village_code
           JOIN regions k ON k.code = v.kecamatan_code JOIN agencies a ON a.id = t.agency_id
           ORDER BY t.date, t.village_code, a.code, t.kind, t.title""",
    ),
    "log.csv": (
        ("id", "at", "user", "command", "table", "key", "old", "new"),
        ("id",),
        'SELECT id, at, user, command, "table", key, old, new FROM change_log ORDER BY id',
    ),
}


BOUNDARIES_FILE = "boundaries.geojson"

# how each column is typed in a workbook (export --xlsx); the rest is text
XLSX_KINDS = {
    "rate": "rate",
    "year": "year",
    "id": "year",
    "count": "int",
    "population": "int",
    "poor": "int",
    "households": "int",
    "beneficiaries": "int",
    "budget": "money",
    "spent": "money",
    "since": "date",
    "until": "date",
    "date": "date",
}


def table_rows(conn: sqlite3.Connection, name: str) -> Iterator[tuple[Any, ...]]:
    """The rows of one export file, streamed."""
    yield from conn.execute(TABLES[name][2])


def export_all(conn: sqlite3.Connection, folder: Path, *, workbook: bool = False) -> list[tuple[str, int]]:
    """Write every file into `folder` (created if missing); return (file, rows) pairs.

    With `workbook`, also `opd-desa.xlsx`: a sheet per table, same columns, typed cells."""
    if folder.exists() and not folder.is_dir():
        raise InvalidValue(_("{path} is a file; give a folder to export into").format(path=folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return _export(conn, folder, workbook)
    except OSError as e:
        raise InvalidValue(_("cannot write into {path} ({error})").format(path=folder, error=e.strerror or e)) from e


def _boundaries(conn: sqlite3.Connection, folder: Path) -> list[tuple[str, int]]:
    """`boundaries.geojson` once boundaries are loaded (QGIS opens it; `import boundaries` reads it back)."""
    from opd_desa.maps.views import export_geojson

    features = export_geojson(conn, folder / BOUNDARIES_FILE)
    return [(BOUNDARIES_FILE, features)] if features else []


def _export(conn: sqlite3.Connection, folder: Path, workbook: bool) -> list[tuple[str, int]]:
    from opd_desa.csvio import write_csv

    written = []
    conn.execute("BEGIN")  # one read transaction: every file shows the same moment
    try:
        for name, (columns, numeric, _sql) in TABLES.items():
            with (folder / name).open("w", encoding="utf-8", newline="") as f:
                written.append((name, write_csv(f, columns, table_rows(conn, name), numeric=numeric)))
        written += _boundaries(conn, folder)
        if workbook:
            from opd_desa.xlsx import SheetData, write_workbook

            tables = {
                name: [dict(zip(columns, row, strict=True)) for row in table_rows(conn, name)]
                for name, (columns, _numeric, _sql) in TABLES.items()
            }
            sheets = [
                SheetData(name.removesuffix(".csv"), [(c, c, XLSX_KINDS.get(c, "text")) for c in TABLES[name][0]], rows)
                for name, rows in tables.items()
            ]
            write_workbook(folder / "opd-desa.xlsx", sheets)
            written.append(("opd-desa.xlsx", sum(len(rows) for rows in tables.values())))
    finally:
        conn.execute("COMMIT")
    return written
