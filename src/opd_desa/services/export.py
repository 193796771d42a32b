"""Every table as CSV in the columns `import` reads, so export -> import gives the same data.

Every row is written, even one that points at a missing record (LEFT JOINs: its missing name is left
empty, and `opd-desa check` names the fault); each file is written in one step (`files.atomic_write`),
never through a symbolic link, and the files an export replaces are named.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
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
           FROM villages v LEFT JOIN regions k ON k.code = v.kecamatan_code ORDER BY v.code""",
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
           FROM poverty p LEFT JOIN villages v ON v.code = p.village_code
           LEFT JOIN regions k ON k.code = v.kecamatan_code
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
           FROM pairings p LEFT JOIN villages v ON v.code = p.village_code
           LEFT JOIN regions k ON k.code = v.kecamatan_code LEFT JOIN agencies a ON a.id = p.agency_id
           ORDER BY p.since, p.village_code, a.code""",
    ),
    "activities.csv": (
        _columns("activities"),
        ("budget", "spent", "households", "beneficiaries"),
        """SELECT t.village_code, k.name, a.code, t.date, t.kind, t.title, t.budget, t.spent, t.households,
                  t.beneficiaries, t.source, t.note
           FROM activities t LEFT JOIN villages v ON v.code = t.village_code
           LEFT JOIN regions k ON k.code = v.kecamatan_code LEFT JOIN agencies a ON a.id = t.agency_id
           ORDER BY t.date, t.village_code, a.code, t.kind, t.title""",
    ),
    # what documents print about the office; the logo's bytes stay in the database (its file name is shown)
    "settings.csv": (
        ("key", "value"),
        (),
        "SELECT key, value FROM settings ORDER BY key",
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


XLSX_FILE = "opd-desa.xlsx"


@dataclass
class Export:
    """What an export wrote: (file name, rows) in order, and the names of files it replaced."""

    written: list[tuple[str, int]] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)


def export_all(conn: sqlite3.Connection, folder: Path, *, workbook: bool = False) -> Export:
    """Write every file into `folder` (created if missing).

    With `workbook`, also `opd-desa.xlsx`: a sheet per table, same columns, typed cells. Refused before
    anything is written when one of the files is a symbolic link or not a regular file."""
    from opd_desa.files import write_failure

    if folder.exists() and not folder.is_dir():
        raise InvalidValue(_("{path} is a file; give a folder to export into").format(path=folder))
    names = [*TABLES, BOUNDARIES_FILE, *([XLSX_FILE] if workbook else [])]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        replaced = _existing(folder, names)
        result = _export(conn, folder, workbook)
    except OSError as e:
        raise write_failure(folder, e) from e
    result.replaced = replaced
    return result


def _boundaries(conn: sqlite3.Connection, folder: Path) -> list[tuple[str, int]]:
    """`boundaries.geojson` once boundaries are loaded (QGIS opens it; `import boundaries` reads it back)."""
    from opd_desa.maps.views import export_geojson

    features = export_geojson(conn, folder / BOUNDARIES_FILE)
    return [(BOUNDARIES_FILE, features)] if features else []


def _existing(folder: Path, names: list[str]) -> list[str]:
    """The names among `names` that exist in `folder` as regular files (to be replaced); a symbolic link
    or anything else (a folder, a device) is refused: writing through it would change another file."""
    existing = []
    for name in names:
        target = folder / name
        try:
            info = os.lstat(target)
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(info.st_mode):
            raise InvalidValue(
                _(
                    "{path} is a symbolic link; export does not write through links: remove it or export into "
                    "another folder"
                ).format(path=target)
            )
        if not stat.S_ISREG(info.st_mode):
            raise InvalidValue(
                _("{path} exists and is not a regular file; remove it or export into another folder").format(
                    path=target
                )
            )
        existing.append(name)
    return existing


def _export(conn: sqlite3.Connection, folder: Path, workbook: bool) -> Export:
    from opd_desa.csvio import write_csv
    from opd_desa.files import atomic_write

    result = Export()
    conn.execute("BEGIN")  # one read transaction: every file shows the same moment
    try:
        for name, (columns, numeric, _sql) in TABLES.items():
            with atomic_write(folder / name) as f:
                result.written.append((name, write_csv(f, columns, table_rows(conn, name), numeric=numeric)))
        result.written += _boundaries(conn, folder)
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
            write_workbook(folder / XLSX_FILE, sheets)
            result.written.append((XLSX_FILE, sum(len(rows) for rows in tables.values())))
    finally:
        conn.execute("COMMIT")
    return result
