"""Government sheets saved as CSV: a title and blank lines above the header, a totals row below the
data (SPEC "Files: CSV and workbooks")."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from opd_desa.errors import ImportFailed
from opd_desa.imports.povertyreader import PIPELINE_BYTES
from opd_desa.imports.service import import_file
from opd_desa.services.figures import show_poverty

TITLED = (
    "DATA PERSENTASE PENDUDUK MISKIN;;;\r\nKABUPATEN JEPARA TAHUN 2022;;;\r\n;;;\r\n"
    "No;Desa;Kecamatan;Persentase (%)\r\n1;Tulakan;Donorojo;12,4\r\n2;Troso;Pecangaan;9,6\r\nJUMLAH;;;11,0\r\n"
)


def write(tmp_path: Path, text: str, name: str = "sheet.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_title_lines_above_the_header_and_a_totals_row_are_skipped_with_notes(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    summary = import_file(conn, "poverty", write(tmp_path, TITLED), year=2022)
    assert (summary.rows, summary.inserted) == (2, 2)
    notes = "\n".join(summary.notes)
    assert "sheet.csv:4: the header line (the lines above it are skipped)" in notes
    assert "sheet.csv:7: a totals row; skipped" in notes
    _ref, rows = show_poverty(conn, "Troso")
    assert [(r["year"], r["rate"]) for r in rows] == [(2022, 9.6)]


def test_a_totals_row_with_rows_below_it_is_not_skipped(conn: sqlite3.Connection, tmp_path: Path) -> None:
    text = TITLED.replace("JUMLAH;;;11,0\r\n", "Total;;;11,0\r\n3;Geneng;Batealit;11,2\r\n")
    with pytest.raises(ImportFailed, match=r"sheet\.csv:7: village: the village name is empty"):
        import_file(conn, "poverty", write(tmp_path, text), year=2022)


def test_a_header_below_the_first_ten_rows_is_not_looked_for(conn: sqlite3.Connection, tmp_path: Path) -> None:
    text = "".join(f"catatan {i};;;\r\n" for i in range(10)) + TITLED.split("\r\n", 3)[3]
    with pytest.raises(ImportFailed, match="the header has no column for"):
        import_file(conn, "poverty", write(tmp_path, text), year=2022)


def test_year_option_is_refused_for_a_sheet_with_its_own_years(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(tmp_path, "desa;kecamatan;2021;2022\r\nTulakan;Donorojo;12,4;11,0\r\n")
    with pytest.raises(ImportFailed, match="has its own year column"):
        import_file(conn, "poverty", path, year=2022)


def test_the_totals_note_of_a_large_file_read_in_a_second_process(conn: sqlite3.Connection, tmp_path: Path) -> None:
    line = "Tulakan;Donorojo;2022;12,4\r\n"
    repeats = PIPELINE_BYTES // len(line) + 1000
    path = write(tmp_path, "desa;kecamatan;tahun;persen\r\n" + line * repeats + "Jumlah;;;12,4\r\n")
    assert path.stat().st_size > PIPELINE_BYTES  # parsed by the forked reader
    summary = import_file(conn, "poverty", path)
    assert summary.inserted == 1
    assert any(f"sheet.csv:{repeats + 2}: a totals row; skipped" in note for note in summary.notes)
