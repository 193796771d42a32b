"""Files saved by LibreOffice Calc in an Indonesian locale (tests/fixtures/libreoffice/, made by
scripts/make_libreoffice_fixtures.py) import with the right numbers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from opd_desa.imports.service import import_file
from opd_desa.services.figures import show_poverty

FILES = Path(__file__).parent.parent / "fixtures" / "libreoffice"


def pairings_of(conn: sqlite3.Connection) -> list[tuple[str, str, str, str | None, str | None]]:
    return [
        tuple(row)
        for row in conn.execute(
            "SELECT v.name, a.code, p.since, p.until, p.decree FROM pairings p "
            "JOIN villages v ON v.code = p.village_code JOIN agencies a ON a.id = p.agency_id ORDER BY v.name, p.since"
        )
    ]


def test_pairings_csv_with_two_digit_years_as_calc_writes_them(conn: sqlite3.Connection) -> None:
    path = FILES / "pasangan-13-10-21.csv"
    assert "13/10/21" in path.read_text(encoding="utf-8")  # what LibreOffice really wrote
    summary = import_file(conn, "pairings", path)
    assert (summary.rows, summary.inserted) == (4, 4)
    assert pairings_of(conn) == [
        ("Geneng", "DINKES", "2022-03-01", "2023-01-02", "188.4/60/2022"),
        ("Kedungmalang", "DPUPR", "2021-10-13", None, "188.4/412/2021"),
        ("Troso", "DISDIKPORA", "2022-02-01", None, "188.4/51/2022"),
        ("Tulakan", "BAPPEDA", "2021-10-13", None, "188.4/412/2021"),
    ]


def test_ods_poverty_figures_with_rates_as_percentage_cells(conn: sqlite3.Connection) -> None:
    # the rate cells hold 0.124 formatted 0.00% (shown 12,40%): read as 12.4 %, like Excel's
    summary = import_file(conn, "poverty", FILES / "kemiskinan-2023.ods")
    assert (summary.rows, summary.inserted) == (3, 3)
    assert any("ignored columns: No" in note for note in summary.notes)
    _ref, rows = show_poverty(conn, "Kedungmalang")
    assert rows == [{"year": 2023, "rate": 12.4, "poor": 1217, "population": 9814, "source": "DTKS 2023"}]


def test_excel_97_activities(conn: sqlite3.Connection) -> None:
    import_file(conn, "pairings", FILES / "pasangan-13-10-21.csv")
    summary = import_file(conn, "activities", FILES / "kegiatan-excel97.xls")
    assert (summary.rows, summary.inserted) == (3, 3)
    rows = [
        tuple(row)
        for row in conn.execute(
            "SELECT v.name, a.code, x.date, x.budget, x.spent, x.households, x.beneficiaries FROM activities x "
            "JOIN villages v ON v.code = x.village_code JOIN agencies a ON a.id = x.agency_id ORDER BY x.date"
        )
    ]
    assert rows == [
        ("Tulakan", "BAPPEDA", "2021-11-02", 15_000_000, 12_500_000, 25, 40),
        ("Troso", "DISDIKPORA", "2022-01-20", 30_000_000, 30_000_000, 12, 12),
        ("Kedungmalang", "DPUPR", "2022-03-07", 50_000_000, 48_750_000, 5, 19),
    ]


def test_government_sheet_with_title_merged_heading_and_totals_row(conn: sqlite3.Connection) -> None:
    summary = import_file(conn, "poverty", FILES / "kemiskinan-judul-jumlah.xls", year=2022)
    assert (summary.rows, summary.inserted) == (3, 3)
    notes = "\n".join(summary.notes)
    assert "Data!4: the header row" in notes and "Data!8: a totals row; skipped" in notes
    _ref, rows = show_poverty(conn, "Tulakan")
    assert rows == [{"year": 2022, "rate": 12.0, "poor": 1302, "population": 10850, "source": None}]


def test_government_sheet_without_year_says_to_give_it(conn: sqlite3.Connection) -> None:
    from opd_desa.errors import ImportFailed

    with pytest.raises(ImportFailed, match="no column for 'year'"):
        import_file(conn, "poverty", FILES / "kemiskinan-judul-jumlah.xls")
