"""A plan written as a pairings file imports with `import pairings`: graduates end, new pairings start."""

from __future__ import annotations

import csv
import sqlite3
from datetime import date
from pathlib import Path

from opd_desa.imports.service import import_file
from opd_desa.planning import Agency, Figure, Measure, Pairing, Village, default_since, make_plan, pairings_rows
from opd_desa.services.pairings import all_pairings, assign, list_pairings

TULAKAN = Village("33.20.16.2005", "Tulakan", "Donorojo")
SOWAN_KIDUL = Village("33.20.01.2006", "Sowan Kidul", "Kedung")
TROSO = Village("33.20.02.2006", "Troso", "Pecangaan")
BAPPEDA = Agency("BAPPEDA", "Badan Perencanaan Pembangunan Daerah")
DINKES = Agency("DINKES", "Dinas Kesehatan")


def test_the_plan_file_imports_and_a_second_import_changes_nothing(conn: sqlite3.Connection, tmp_path: Path) -> None:
    launch = date(2021, 10, 13)
    assign(conn, "Tulakan", "BAPPEDA", since=launch)
    plan = make_plan(
        year=2023,
        measure=Measure(8.0),
        villages=[TULAKAN, SOWAN_KIDUL, TROSO],
        figures=[
            Figure(TULAKAN.code, 2022, 7.5),
            Figure(TULAKAN.code, 2023, 6.9),
            Figure(SOWAN_KIDUL.code, 2023, 11.2),
            Figure(TROSO.code, 2023, 9.4),
        ],
        current=[Pairing(TULAKAN, BAPPEDA, launch)],
        history=[Pairing(TULAKAN, BAPPEDA, launch)],
        agencies=[BAPPEDA, DINKES],
    )
    path = tmp_path / "rencana.csv"
    rows = pairings_rows(plan, default_since(2023), decree="100.3.3.2/1 TAHUN 2024")
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    dry = import_file(conn, "pairings", path, dry_run=True)
    assert (dry.inserted, dry.updated) == (2, 1)
    assert [p.village for p in list_pairings(conn, as_of=date(2024, 1, 1))] == ["Tulakan"]  # nothing written

    assert (import_file(conn, "pairings", path).inserted, import_file(conn, "pairings", path).unchanged) == (2, 3)
    now = {(p.village, p.agency_code, p.decree) for p in list_pairings(conn, as_of=date(2024, 1, 1))}
    assert now == {("Sowan Kidul", "BAPPEDA", "100.3.3.2/1 TAHUN 2024"), ("Troso", "DINKES", "100.3.3.2/1 TAHUN 2024")}
    ended = [p for p in all_pairings(conn) if p.village == "Tulakan"]
    assert [(p.until, p.reason) for p in ended] == [("2024-01-01", "met the target in 2022, 2023")]
