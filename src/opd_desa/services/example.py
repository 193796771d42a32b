"""The Jepara example: loaded by `init --example` and `demo` from the CSVs shipped in the package.

The example composes `setup.init_database` (which knows nothing of it) with the example's files.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from opd_desa.changelog import Actor
from opd_desa.db import open_database, transaction
from opd_desa.errors import DatabaseError
from opd_desa.i18n import _
from opd_desa.imports.rows import ImportSummary
from opd_desa.imports.service import import_file
from opd_desa.services.setup import InitResult, init_database

if TYPE_CHECKING:
    from opd_desa.db import Connection
    from opd_desa.services.report import Report

EXAMPLE_REGION = "33.20"  # Kabupaten Jepara, the region of the example data
FILES = (  # import order: reference data first, then what refers to it
    ("villages", "villages.csv"),
    ("agencies", "agencies.csv"),
    ("targets", "targets.csv"),
    ("poverty", "poverty.csv"),
    ("figures", "figures.csv"),
    ("pairings", "pairings.csv"),
    ("activities", "activities.csv"),
)
SETTINGS_FILE = "settings.csv"  # the example office: name and signatory (illustrative)
DEMO_KEY = "demo"


def example_dir() -> Path:
    """The folder of the Jepara CSVs: inside the installed package, else in the source tree."""
    packaged = Path(str(resources.files("opd_desa"))) / "data" / "jepara"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "data" / "jepara"


def load_example(conn: sqlite3.Connection) -> list[ImportSummary]:
    """Import the example files in order, adding only what is missing: a re-run, or a database
    with the user's own figures and pairings, keeps every row that is already there."""
    folder = example_dir()
    loaded = [import_file(conn, kind, folder / name, insert_only=True) for kind, name in FILES]
    _load_settings(conn, folder / SETTINGS_FILE)
    return loaded


def _load_settings(conn: sqlite3.Connection, path: Path) -> None:
    """The example office (`settings`), for the keys the user has not set: what the brief's title and
    signature block print."""
    import csv

    from opd_desa.services.settings import list_settings, set_setting

    already = {s.key for s in list_settings(conn) if s.value}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["key"] not in already:
                set_setting(conn, row["key"], row["value"])


def init_with_example(
    path: Path, region_queries: list[str], *, actor: Actor | None = None
) -> tuple[Connection, InitResult, list[ImportSummary]]:
    """`init --example`: the named regions plus Kabupaten Jepara (unless one holds it), then the example data."""
    conn, result = init_database(path, region_queries, required_region=EXAMPLE_REGION, actor=actor)
    return conn, result, load_example(conn)


def is_demo(conn: sqlite3.Connection) -> bool:
    """Whether the database was built by `demo` (and so may be replaced by it)."""
    return conn.execute("SELECT value FROM meta WHERE key = ?", (DEMO_KEY,)).fetchone() is not None


@dataclass
class Demo:
    """What `demo` built: the file, what was loaded, and the report of the latest year with figures and
    mentors (all villages, and those above target)."""

    path: Path
    villages: int
    loaded: list[ImportSummary]
    report: Report
    above_target: Report


def demo_year(conn: sqlite3.Connection, today: date) -> int | None:
    """The latest year with poverty figures in which some village had a mentor (else the latest year)."""
    from opd_desa.rules import in_force
    from opd_desa.services.figures import years_with_data
    from opd_desa.services.report import mentor_day

    years = years_with_data(conn)
    for year in reversed(years):
        if conn.execute(
            f"SELECT 1 FROM pairings p WHERE {in_force('p', ':day')} LIMIT 1", {"day": mentor_day(year, today)}
        ).fetchone():
            return year
    return years[-1] if years else None


def build_demo(path: Path, *, today: date, actor: Actor | None = None) -> Demo:
    """A fresh demo database at `path`; an existing file is replaced only if it is a demo database."""
    from opd_desa.services.report import build_report

    if path.exists():
        demo = False
        if path.stat().st_size:  # an empty file is nobody's demo; anything else must say it is one
            conn = open_database(path)
            demo = is_demo(conn)
            conn.close()
        if not demo:
            raise DatabaseError(
                _(
                    "{path} exists and is not a demo database; the demo will not overwrite it. "
                    "Give another file with --db"
                ).format(path=path)
            )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    conn, _result, loaded = init_with_example(path, [EXAMPLE_REGION], actor=actor)
    with transaction(conn):
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, '1')", (DEMO_KEY,))
    year = demo_year(conn, today)
    return Demo(
        path,
        conn.execute("SELECT count(*) FROM villages").fetchone()[0],
        loaded,
        build_report(conn, today=today, year=year),
        build_report(conn, today=today, year=year, above_target=True, sort="rate"),
    )
