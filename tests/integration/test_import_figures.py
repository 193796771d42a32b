"""`import figures`: the three shapes offices keep figures in, all or nothing, idempotent."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from opd_desa.errors import ImportFailed, NotFound
from opd_desa.imports import figuresreader
from opd_desa.imports.service import import_file
from opd_desa.services.figures import set_poverty, show_figures


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def figures_of(conn: sqlite3.Connection, place: str) -> list[tuple[object, ...]]:
    return [(f["measure"], f["year"], f["value"], f["count"], f["population"]) for f in show_figures(conn, place)[1]]


# as Kemendes publishes the IDM: sub-indices, the score and the status, upper case
KEMENDES_IDM = (
    "No,Kode Desa,Nama Desa,IKS,IKE,IKL,Nilai IDM,Status IDM\n"
    "1,3320162005,TULAKAN,0.7143,0.5000,0.6000,0.6048,BERKEMBANG\n"
    "2,3320162002,CLERING,0.6000,0.5333,0.5333,0.5556,TERTINGGAL\n"
)


def test_the_kemendes_idm_sheet_takes_the_score_and_checks_the_status(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(tmp_path, "idm-2023.csv", KEMENDES_IDM)
    summary = import_file(conn, "figures", path, year=2023)
    assert (summary.rows, summary.inserted, summary.updated, summary.unchanged) == (2, 2, 0, 0)
    assert any("IKS, IKE, IKL" in note for note in summary.notes)
    assert figures_of(conn, "Tulakan") == [("idm", 2023, 0.6048, None, None)]
    again = import_file(conn, "figures", path, year=2023)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)


def test_bad_idm_rows_are_all_named_and_nothing_is_written(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "idm.csv",
        "kode_desa,tahun,nilai_idm,status_idm\n"
        "3320162005,2023,0.6048,Maju\n"  # the score says Berkembang
        "3320162002,2023,1.5,\n"  # outside 0-1
        "3320162003,2023,0.5,Hebat\n"  # not a class
        "Tulakn,2023,0.5,\n",  # unknown village
    )
    with pytest.raises(ImportFailed) as failed:
        import_file(conn, "figures", path)
    text = str(failed.value)
    assert "idm.csv:2: status_idm: Maju does not match the IDM score 0.6048, which is Berkembang" in text
    assert "idm.csv:3: idm: 1.5 is outside the range of idm (0..1)" in text
    assert "idm.csv:4: status_idm: 'Hebat' is not an IDM status" in text
    assert "idm.csv:5: village:" in text and "Tulakan" in text
    assert figures_of(conn, "Tulakan") == []


def test_a_long_file_with_measures_villages_and_regions(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "long.csv",
        "desa,kode_wilayah,tahun,ukuran,nilai,jumlah,penduduk,sumber\n"
        "Tulakan,,2022,extreme,,60,5000,P3KE\n"
        "Tulakan,,2022,poverty,9.5,,,DTKS\n"
        ",33.20,2020,poverty,7,,,BPS\n"
        ",Kabupaten Jepara,2021,poverty,6.8,,,BPS\n",
    )
    summary = import_file(conn, "figures", path)
    assert summary.inserted == 4
    assert figures_of(conn, "Tulakan") == [("poverty", 2022, 9.5, None, None), ("extreme", 2022, 1.2, 60, 5000)]
    assert figures_of(conn, "33.20") == [("poverty", 2020, 7.0, None, None), ("poverty", 2021, 6.8, None, None)]


def test_an_unknown_measure_in_a_file_suggests_the_known_ones(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", "desa,tahun,ukuran,nilai\nTulakan,2022,extrem,2.5\n")
    with pytest.raises(ImportFailed, match=r"m\.csv:2: measure: no measure 'extrem'.*did you mean: extreme"):
        import_file(conn, "figures", path)
    with pytest.raises(NotFound, match="--measure: no measure 'stunting'"):
        import_file(conn, "figures", write(tmp_path, "n.csv", "desa,tahun,nilai\nTulakan,2022,2\n"), measure="stunting")


def test_a_sheet_wide_by_measure_and_one_wide_by_year(conn: sqlite3.Connection, tmp_path: Path) -> None:
    by_measure = write(
        tmp_path,
        "wide.csv",
        "desa,tahun,persen_miskin,miskin_ekstrem,idm,status_idm\nTulakan,2023,7.19,1.5,0.6321,Berkembang\n",
    )
    assert import_file(conn, "figures", by_measure).inserted == 3
    by_year = write(tmp_path, "years.csv", "desa,2021,2022\nTulakan,2.1,1.9\nClering,0.8,\n")
    with pytest.raises(ImportFailed, match="needs --measure"):
        import_file(conn, "figures", by_year)
    assert import_file(conn, "figures", by_year, measure="extreme").inserted == 3
    assert [f[:3] for f in figures_of(conn, "Tulakan")] == [
        ("poverty", 2023, 7.19),
        ("extreme", 2021, 2.1),
        ("extreme", 2022, 1.9),
        ("extreme", 2023, 1.5),
        ("idm", 2023, 0.6321),
    ]


def test_a_count_is_checked_against_the_stored_population(conn: sqlite3.Connection, tmp_path: Path) -> None:
    set_poverty(conn, "Tulakan", 2021, poor=500, population=4968)
    path = write(tmp_path, "p.csv", "desa,tahun,ukuran,nilai,jumlah\nTulakan,2021,poverty,5,100000\n")
    with pytest.raises(ImportFailed, match=r"p\.csv:2: value: 100000 poor is more than the population of 4968"):
        import_file(conn, "figures", path)


def test_the_same_figure_twice_with_other_values_is_an_error(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "desa,tahun,ukuran,nilai\nTulakan,2022,idm,0.6\nTulakan,2022,idm,0.7\n")
    with pytest.raises(ImportFailed, match=r"d\.csv:3: value: the same place, year and measure as line 2"):
        import_file(conn, "figures", path)


def test_a_figure_met_again_is_kept_once_and_another_figure_for_it_is_refused(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    same = write(
        tmp_path,
        "same.csv",
        "kode_desa,tahun,persen_miskin_ekstrem,idm\n3320162005,2023,1.5,0.6\n3320162005,2023,1.5,0.6\n",
    )
    summary = import_file(conn, "figures", same)
    assert (summary.rows, summary.inserted, summary.unchanged) == (2, 2, 0)
    other = write(
        tmp_path,
        "other.csv",
        "kode_desa,tahun,persen_miskin_ekstrem,idm\n"
        "3320162005,2022,1.5,0.6\n3320162002,2022,2.0,0.5\n3320162005,2022,1.5,0.7\n",
    )
    with pytest.raises(ImportFailed) as failed:
        import_file(conn, "figures", other)
    assert "other.csv:4: idm: the same place, year and measure as line 2 with another figure" in str(failed.value)
    assert [f for f in figures_of(conn, "Tulakan") if f[1] == 2022] == []


def _national_like(conn: sqlite3.Connection, tmp_path: Path) -> tuple[Path, list[str], int]:
    """A sheet with a column per measure, as Bappeda exports it (`;`, decimal commas, CRLF), larger than
    the size read in a second process: every village of the database for every year. Returns the
    file, its lines (header first) and its number of figures."""
    from opd_desa.imports.povertyreader import PIPELINE_BYTES
    from opd_desa.measures import idm_class

    codes = [row[0] for row in conn.execute("SELECT code FROM villages ORDER BY code")]
    note = "Sintetis, diolah dari P3KE dan IDM Kemendes PDTT " * 4  # a long source, for a file of a few MB
    lines = ["Kode Desa;Tahun;Persen Miskin Ekstrem;Nilai IDM;Status IDM;Sumber Data"]
    for number, code in enumerate(codes):
        for year in range(2000, 2101):
            score = round(0.45 + (number * 7 + year) % 50 / 100, 4)
            extreme = f"{(number + year) % 80 / 10:.2f}".replace(".", ",")
            lines.append(f"{code};{year};{extreme};{str(score).replace('.', ',')};{idm_class(score)};{note}")
    path = tmp_path / "ukuran.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    assert path.stat().st_size > PIPELINE_BYTES  # parsed by the forked reader
    return path, lines, 2 * (len(lines) - 1)


def test_a_large_sheet_read_in_a_second_process_is_stored_whole_and_again_unchanged(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    path, lines, figures = _national_like(conn, tmp_path)
    summary = import_file(conn, "figures", path)
    assert (summary.rows, summary.inserted, summary.updated, summary.unchanged) == (len(lines) - 1, figures, 0, 0)
    code, year, extreme, score, _status, source = lines[1].split(";")
    _place, stored = show_figures(conn, code)
    assert [(f["measure"], f["value"], f["source"]) for f in stored if f["year"] == int(year)] == [
        ("extreme", float(extreme.replace(",", ".")), source.strip()),
        ("idm", float(score.replace(",", ".")), source.strip()),
    ]
    again = import_file(conn, "figures", path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, figures)


def test_the_mistakes_of_a_large_sheet_are_named_by_line_and_nothing_is_written(
    conn: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, lines, _figures = _national_like(conn, tmp_path)
    code, year, extreme, score, status, source = lines[3].split(";")  # line 4 of the file
    lines[10] = f"{code};{year};{extreme};{score};{status};{source}"  # the same figures again: skipped
    lines[20] = f"{code};{year};{extreme};0,9999;{status};{source}"  # line 4's village and year, another IDM
    lines[30] = lines[30].replace(";Maju;", ";Tertinggal;").replace(";Berkembang;", ";Tertinggal;")
    lines[40] = "Desa Tidak Ada;" + lines[40].split(";", 1)[1]
    lines[50] = lines[50].replace(";2", ";", 1)  # a year of three digits
    lines[60] = ";".join([*lines[60].split(";")[:3], "1,5", "", source])  # an IDM score outside 0..1
    lines[70] = ";".join([*lines[70].split(";")[:4], "Hebat", source])
    lines[80] = ";" + lines[80].split(";", 1)[1]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    with pytest.raises(ImportFailed) as failed:
        import_file(conn, "figures", path)
    errors = failed.value.summary.errors
    assert [(e.line, e.column) for e in errors] == [
        (21, "idm"),
        (31, "status_idm"),
        (41, "village"),
        (51, "year"),
        (61, "idm"),
        (71, "status_idm"),
        (81, "village"),
    ]
    text = str(failed.value)
    assert "ukuran.csv:21: idm: the same place, year and measure as line 4 with another figure" in text
    assert "ukuran.csv:31: status_idm: Tertinggal does not match the IDM score" in text
    assert "ukuran.csv:61: idm: 1.5 is outside the range of idm (0..1)" in text
    assert "ukuran.csv:71: status_idm: 'Hebat' is not an IDM status" in text
    assert "ukuran.csv:81: village: is empty; give the village (or the region in kode_wilayah)" in text
    assert conn.execute("SELECT count(*) FROM figures").fetchone()[0] == 0
    with monkeypatch.context() as patched:  # the row-by-row import says exactly the same
        patched.setattr(figuresreader, "takes", lambda shape, columns: False)
        with pytest.raises(ImportFailed) as row_by_row:
            import_file(conn, "figures", path)
    assert str(row_by_row.value) == text


def test_a_broken_sheet_read_in_a_second_process_is_reported(
    conn: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(figuresreader, "PIPELINE_BYTES", 0)  # read every file in a second process
    path = tmp_path / "quote.csv"  # the reading process meets the unterminated quote, the writing one reports it
    path.write_bytes(b'kode_desa;tahun;idm;status_idm\n3320162005;2023;0,6;Berkembang\n"3320162002;2023;0,5;\n')
    with pytest.raises(ImportFailed, match=r"quote.csv:3: a quoted cell starting here is never closed"):
        import_file(conn, "figures", path)
    assert conn.execute("SELECT count(*) FROM figures").fetchone()[0] == 0


def test_the_connection_checks_references_again_after_a_figures_import(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    """A figures import writes without SQLite's per-row reference lookups; the next command must not."""
    path = tmp_path / "f.csv"
    path.write_text("village,year,measure,value\n33.20.16.2005,2021,extreme,1.5\n", encoding="utf-8")
    import_file(conn, "figures", path)
    path.write_text("village,year,measure,value\nNowhere,2021,extreme,1.5\n", encoding="utf-8")
    with pytest.raises(ImportFailed):
        import_file(conn, "figures", path)
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO figures (measure_id, village_code, year, value) VALUES (2, '99.99.99.9999', 2020, 5)")
