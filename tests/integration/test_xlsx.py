"""Excel workbooks: typed cells in, typed cells out, errors by sheet and row."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from opd_desa.errors import ImportFailed
from opd_desa.imports.service import import_file
from opd_desa.services.figures import show_poverty
from opd_desa.services.pairings import assign


def workbook(path: Path, rows: list[list[object]], *, sheet: str = "Data", percent_column: int | None = None) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    if percent_column is not None:
        for cells in ws.iter_rows(min_row=2, min_col=percent_column, max_col=percent_column):
            cells[0].number_format = "0.00%"
    book.save(path)
    return path


def test_typed_cells_with_indonesian_headers(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "kemiskinan.xlsx",
        [
            ["No", "Kode Desa", "Tahun", "Persentase Penduduk Miskin (%)", "Jumlah Penduduk", "Sumber Data"],
            [1, 3320162005, 2020, 0.1096, 4920, "DTKS 2020"],  # a code stored as a number, a percent cell
            [2, "33.20.11.2001", 2020.0, 0.1154, 4409.0, "DTKS 2020"],
        ],
        percent_column=4,
    )
    summary = import_file(conn, "poverty", path)
    assert (summary.rows, summary.inserted) == (2, 2)
    assert any("No" in note for note in summary.notes)
    _ref, rows = show_poverty(conn, "Tulakan")
    assert rows == [{"year": 2020, "rate": 10.96, "poor": None, "population": 4920, "source": "DTKS 2020"}]


def test_dates_and_money_as_typed_cells(conn: sqlite3.Connection, tmp_path: Path) -> None:
    assign(conn, "Tulakan", "Bappeda", since=dt.date(2021, 10, 13))
    path = workbook(
        tmp_path / "kegiatan.xlsx",
        [
            ["Desa", "Tanggal", "Jenis Kegiatan", "Nama Kegiatan", "Pagu Anggaran", "Penerima Manfaat (jiwa)"],
            ["Tulakan", dt.datetime(2021, 11, 2), "pelatihan", "Pelatihan BUMDes", 15_000_000, 40],
            ["Tulakan", "20 Januari 2022", "bantuan", "Bibit", "Rp 2.500.000", None],
        ],
    )
    assert import_file(conn, "activities", path).inserted == 2
    rows = conn.execute("SELECT date, budget, beneficiaries FROM activities ORDER BY date").fetchall()
    assert [tuple(r) for r in rows] == [("2021-11-02", 15_000_000, 40), ("2022-01-20", 2_500_000, None)]


def test_three_mistakes_by_sheet_and_row_and_nothing_written(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "salah.xlsx",
        [
            ["Desa", "Tahun", "Persen"],
            ["Tulakan", 2020, 10.9],
            ["Tulakn", 2020, 5],  # unknown village
            ["Ngabul", 1890, 5],  # year out of range
            ["Troso", 2020, 150],  # rate out of range
        ],
        sheet="Kemiskinan",
    )
    with pytest.raises(ImportFailed) as e:
        import_file(conn, "poverty", path)
    lines = str(e.value).splitlines()
    assert lines[0].startswith(f"{path}:Kemiskinan!3: village: ")
    assert lines[1].startswith(f"{path}:Kemiskinan!4: year: ")
    assert lines[2].startswith(f"{path}:Kemiskinan!5: rate: ")
    assert conn.execute("SELECT count(*) FROM poverty").fetchone()[0] == 0


def test_sheet_choice(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = workbook(tmp_path / "t.xlsx", [["Tahun", "Target"], [2022, 8]], sheet="Target")
    assert import_file(conn, "targets", path, sheet="Target").inserted == 1
    with pytest.raises(ImportFailed, match="no sheet 'Lain'; the sheets are: Target"):
        import_file(conn, "targets", path, sheet="Lain")


def test_a_file_that_is_not_a_workbook(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "palsu.xlsx"
    path.write_text("tahun,target\n2022,8\n")
    with pytest.raises(ImportFailed, match=r"seems to be a text \(CSV\) file; name it .csv"):
        import_file(conn, "targets", path)


def test_export_workbook_imports_back_to_the_same_data(conn: sqlite3.Connection, tmp_path: Path, samples: Path) -> None:
    from opd_desa.db import open_database
    from opd_desa.services.export import export_all

    assign(conn, "Tulakan", "Bappeda", since=dt.date(2021, 10, 13))
    import_file(conn, "poverty", samples / "kemiskinan-2020-excel.csv")
    import_file(conn, "activities", samples / "kegiatan-opd.csv")
    from opd_desa.services.figures import set_poverty

    set_poverty(conn, "Tulakan", 2021, rate=7.0)  # 0.07 in a percent cell reads back as 7.000000000000001
    first = tmp_path / "first"
    export_all(conn, first, workbook=True)
    book = load_workbook(first / "opd-desa.xlsx")
    tables = ["villages", "agencies", "targets", "poverty", "figures", "pairings", "activities", "settings", "log"]
    assert book.sheetnames == tables
    poverty = book["poverty"]
    assert poverty.freeze_panes == "A2"
    assert [c.value for c in poverty[1]] == ["village", "kecamatan", "year", "rate", "poor", "population", "source"]
    assert poverty["D2"].number_format == "0.00%" and isinstance(poverty["D2"].value, float)
    assert isinstance(book["pairings"]["D2"].value, dt.datetime)  # since: a date cell

    fresh = open_database(tmp_path / "fresh.db", create=True)
    for kind in ("villages", "agencies", "targets", "poverty", "pairings", "activities"):
        import_file(fresh, kind, first / "opd-desa.xlsx", sheet=kind)
    second = tmp_path / "second"
    export_all(fresh, second)
    for name in ("villages", "agencies", "poverty", "pairings", "activities"):
        assert (first / f"{name}.csv").read_bytes() == (second / f"{name}.csv").read_bytes(), name
