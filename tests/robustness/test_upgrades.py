"""Files from other versions, files that are not ours, and copies taken while the file changes.

`fixtures/schema-v1.db` was made by the first released schema (version 1) with the commands:

    opd-desa init --region 33.20
    opd-desa agencies add BAPPEDA "Badan Perencanaan Pembangunan Daerah" --alias Bappeda --alias Bapeda
    opd-desa agencies add DINKES "Dinas Kesehatan" --alias Dinkes
    opd-desa agencies add DPUPR "Dinas Pekerjaan Umum dan Penataan Ruang" --alias DPPUPR
    opd-desa agencies add DISKAN "Dinas Perikanan" --alias Diskan
    opd-desa assign Tulakan Bappeda --since 13/10/2021 --decree "188.4/123/2021" --note "Pencanangan"
    opd-desa assign Ngabul Dinkes --since 2021-10-13
    opd-desa assign Geneng DPPUPR --since "13 Oktober 2021"
    opd-desa reassign Ngabul DISKAN --since 2023-01-02 --reason "evaluasi tahunan"
    opd-desa poverty set Tulakan 2019 10,16 --source "DTKS 2019"
    opd-desa poverty set Tulakan 2020 "10,96%" --source "DTKS 2020"
    opd-desa poverty set Ngabul 2020 --poor 509 --population 4.409 --source "DTKS 2020"
    opd-desa poverty set Geneng 2020 11.76
    opd-desa target set 2022 8 --source "RPJMD Kabupaten Jepara 2017-2022"
    opd-desa activity add Tulakan --date 02/11/2021 --kind pelatihan --title "Pelatihan BUMDes" \\
        --budget "Rp 15.000.000" --spent "Rp14.500.000,00" --households 12 --beneficiaries 40 --source APBD
    opd-desa activity add Ngabul --date 2023-03-01 --kind kesehatan --title "Revitalisasi posyandu" --budget 68750000
    opd-desa activity add Geneng --date 2022-07-13 --kind infrastruktur --title "Salah ketik"
    opd-desa activity remove 3
    opd-desa agencies rename DISKAN "Dinas Kelautan dan Perikanan" --code DKP

then `PRAGMA wal_checkpoint(TRUNCATE)`. It must keep opening, with its data, in every later version
(which migrates it); tests copy it to a temporary folder first and never touch the original.
"""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from opd_desa.db import APPLICATION_ID, SCHEMA_VERSION
from tests.robustness.helpers import (
    BigImport,
    assert_readable_failure,
    copy_db,
    dump,
    fingerprint,
    integrity,
    opd,
    query,
    subprocess_env,
)
from tests.support.cli import Result

FIXTURE = Path(__file__).parent / "fixtures" / "schema-v1.db"
FIXTURE_SHA256 = "fc1eb71a97e0055feaedbfc5c77dea17e01ffb4ce05d281d585364a93bbb765e"

PAIRINGS_V1 = [
    ("33.20.05.2001", "DPUPR", "2021-10-13", None, None, None, None),
    ("33.20.11.2001", "DINKES", "2021-10-13", "2023-01-02", None, "evaluasi tahunan", None),
    ("33.20.16.2005", "BAPPEDA", "2021-10-13", None, "188.4/123/2021", None, "Pencanangan"),
    ("33.20.11.2001", "DKP", "2023-01-02", None, None, None, None),
]
POVERTY_V1 = [
    ("33.20.05.2001", 2020, 11.76, None, None, None),
    ("33.20.11.2001", 2020, 11.54, 509, 4409, "DTKS 2020"),
    ("33.20.16.2005", 2019, 10.16, None, None, "DTKS 2019"),
    ("33.20.16.2005", 2020, 10.96, None, None, "DTKS 2020"),
]


@pytest.fixture
def v1_db(tmp_path: Path) -> Path:
    return copy_db(FIXTURE, tmp_path / "opd-desa.db")


def _json(cli: Callable[..., Result], db: Path, *args: str) -> object:
    result = cli("--db", str(db), *args, "--format", "json")
    assert result.code == 0, (args, result.err)
    return json.loads(result.out)


def test_the_fixture_is_the_committed_schema_v1_file() -> None:
    import hashlib

    assert hashlib.sha256(FIXTURE.read_bytes()).hexdigest() == FIXTURE_SHA256, "the fixture changed: do not edit it"
    conn = sqlite3.connect(f"file:{FIXTURE}?immutable=1", uri=True)  # leaves no -wal/-shm beside it
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    finally:
        conn.close()


def test_schema_v1_file_opens_with_its_data_intact(cli, v1_db: Path) -> None:
    status = _json(cli, v1_db, "status")
    assert status["schema_version"] == SCHEMA_VERSION
    assert status["villages"] == 195
    assert status["agencies"] == 4
    assert query(v1_db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]  # migrated, if there was anything to do
    assert query(v1_db, "PRAGMA application_id") == [(APPLICATION_ID,)]
    assert integrity(v1_db) == "ok"

    pairings = _json(cli, v1_db, "pairings", "--all")
    assert sorted(
        (p["village_code"], p["agency_code"], p["since"], p["until"], p["decree"], p["reason"], p["note"])
        for p in pairings
    ) == sorted(PAIRINGS_V1)
    tulakan = _json(cli, v1_db, "poverty", "show", "Tulakan")
    assert [(r["year"], r["rate"], r["source"]) for r in tulakan] == [
        (2019, 10.16, "DTKS 2019"),
        (2020, 10.96, "DTKS 2020"),
    ]
    ngabul = _json(cli, v1_db, "poverty", "show", "Ngabul")
    assert [(r["year"], r["rate"], r["poor"], r["population"]) for r in ngabul] == [(2020, 11.54, 509, 4409)]
    activities = _json(cli, v1_db, "activity", "list")
    assert [(a["id"], a["agency_code"], a["title"], a["budget"], a["spent"]) for a in activities] == [
        (1, "BAPPEDA", "Pelatihan BUMDes", 15_000_000, 14_500_000),
        (2, "DKP", "Revitalisasi posyandu", 68_750_000, None),
    ]
    targets = _json(cli, v1_db, "target", "list")
    assert targets == [
        {"measure": "poverty", "year": 2022, "value": 8.0, "rate": 8.0, "source": "RPJMD Kabupaten Jepara 2017-2022"}
    ]
    agencies = {a["code"]: a for a in _json(cli, v1_db, "agencies")}
    assert set(agencies["DKP"]["aliases"]) >= {"DISKAN", "Diskan", "Dinas Perikanan"}
    log = _json(cli, v1_db, "log", "--limit", "0")
    removed = [e for e in log if e["table"] == "activities" and e["new"] is None and e["old"]]
    assert removed and removed[0]["old"]["title"] == "Salah ketik"  # the removed row is still recoverable


def test_upgrade_keeps_every_poverty_figure_and_adds_the_measures(cli, v1_db: Path) -> None:
    """The migration to measures rewrites nothing: every poverty row is there, byte for byte the same
    values, and seen through the measures it now belongs to."""
    before = query(v1_db, "SELECT village_code, year, rate, poor, population, source_id FROM poverty ORDER BY 1, 2")
    assert _json(cli, v1_db, "status")["schema_version"] == SCHEMA_VERSION  # opening migrates
    after = query(v1_db, "SELECT village_code, year, rate, poor, population, source_id FROM poverty ORDER BY 1, 2")
    assert after == before and len(after) == len(POVERTY_V1)
    assert [m["key"] for m in _json(cli, v1_db, "measure", "list")] == ["poverty", "extreme", "idm"]
    shown = _json(cli, v1_db, "figure", "show", "Ngabul")
    assert [(f["measure"], f["year"], f["value"], f["count"], f["population"]) for f in shown] == [
        ("poverty", 2020, 11.54, 509, 4409)
    ]
    report = _json(cli, v1_db, "report", "--year", "2020")
    tulakan = next(r for r in report["rows"] if r["code"] == "33.20.16.2005")
    assert (tulakan["value"], tulakan["rate"], tulakan["agency"]) == (10.96, 10.96, None)
    assert report["measure"]["key"] == "poverty"


def test_names_people_typed_then_still_resolve(cli, v1_db: Path) -> None:
    """The old agency code and name, aliases and village spellings still find the same rows."""
    for name in ("DISKAN", "Dinas Perikanan", "diskan", "DKP"):
        history = _json(cli, v1_db, "history", name)
        assert {p["village"] for p in history} == {"Ngabul"}, name
    assert _json(cli, v1_db, "history", "sowan-kidul") == []
    assert {p["agency_code"] for p in _json(cli, v1_db, "history", "DESA TULAKAN")} == {"BAPPEDA"}


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--year", "2020"],
        ["report", "--by", "kecamatan"],
        ["scorecard", "--year", "2020"],
        ["trend"],
        ["trend", "Tulakan"],
        ["report", "--measure", "idm", "--by", "kecamatan"],
        ["trend", "--measure", "extreme"],
        ["measure", "list"],
        ["figure", "show", "Tulakan"],
        ["villages", "--unpaired"],
        ["pairings", "--as-of", "2022-01-01"],
        ["log"],
        ["status"],
    ],
    ids=lambda a: "-".join(a),
)
def test_every_reading_command_works_on_a_v1_file(cli, v1_db: Path, args: list[str]) -> None:
    result = cli("--db", str(v1_db), *args)
    assert_readable_failure(result)
    assert result.code == 0, result.err
    assert result.out.strip()


def test_a_v1_file_takes_new_writes(cli, v1_db: Path) -> None:
    assert cli("--db", str(v1_db), "assign", "Clering", "Dinkes", "--since", "2024-01-01").code == 0
    assert cli("--db", str(v1_db), "poverty", "set", "Clering", "2024", "9,5").code == 0
    added = cli("--db", str(v1_db), "activity", "add", "Clering", "--date", "2024-02-01", "--kind", "kesehatan",
                "--title", "Posyandu")  # fmt: skip
    assert added.code == 0, added.err
    refused = cli("--db", str(v1_db), "assign", "Tulakan", "Dinkes")
    assert refused.code == 1 and "BAPPEDA" in refused.err
    assert integrity(v1_db) == "ok"


def test_init_again_on_a_v1_file_destroys_nothing(cli, v1_db: Path) -> None:
    tables = ("villages", "regions", "agencies", "agency_aliases", "pairings", "poverty", "activities", "targets")
    # the columns of version 1: later migrations may add columns, never drop or change what was there
    columns = {t: ", ".join(f'"{r[1]}"' for r in query(v1_db, f"PRAGMA table_info({t})")) for t in tables}
    before = {t: query(v1_db, f"SELECT {columns[t]} FROM {t} ORDER BY 1, 2") for t in tables}
    result = cli("--db", str(v1_db), "init", "--region", "33.20")
    assert result.code == 0, result.err
    assert {t: query(v1_db, f"SELECT {columns[t]} FROM {t} ORDER BY 1, 2") for t in tables} == before


def test_export_of_a_v1_file_imports_into_a_new_database(cli, v1_db: Path, tmp_path: Path) -> None:
    assert cli("--db", str(v1_db), "export", str(tmp_path / "out")).code == 0
    fresh = tmp_path / "baru.db"
    assert cli("--db", str(fresh), "init", "--region", "33.20").code == 0
    for kind in ("villages", "agencies", "targets", "poverty", "pairings", "activities"):
        result = cli("--db", str(fresh), "import", kind, str(tmp_path / "out" / f"{kind}.csv"))
        assert result.code == 0, (kind, result.err)
    pairings = query(
        fresh,
        "SELECT p.village_code, a.code, p.since, p.until, p.decree, p.reason, p.note FROM pairings p "
        "JOIN agencies a ON a.id = p.agency_id ORDER BY p.since, p.village_code",
    )
    assert sorted(pairings, key=str) == sorted(PAIRINGS_V1, key=str)
    assert (
        query(
            fresh,
            "SELECT p.village_code, p.year, p.rate, p.poor, p.population, s.text FROM poverty p "
            "LEFT JOIN sources s ON s.id = p.source_id ORDER BY 1, 2",
        )
        == POVERTY_V1
    )


# --- files opd-desa must refuse, untouched ------------------------------------------------------

REFUSING_COMMANDS = [
    ["status"],
    ["pairings"],
    ["report", "--year", "2020"],
    ["init", "--region", "33.20"],
    ["assign", "Clering", "Dinkes"],
    ["poverty", "set", "Tulakan", "2021", "5"],
    ["import", "targets", "{csv}"],
    ["backup", "{tmp}/copy.db"],
    ["export", "{tmp}/out"],
    ["demo", "--db", "{db}"],
]


def _bytes_of(db: Path) -> dict[str, bytes | None]:
    return {s: (Path(f"{db}{s}").read_bytes() if Path(f"{db}{s}").exists() else None) for s in ("", "-wal", "-journal")}


def _refuse(cli, db: Path, tmp_path: Path, args: list[str]) -> Result:
    csv_file = tmp_path / "targets.csv"
    csv_file.write_text("year,rate\n2030,5\n", encoding="utf-8")
    filled = [a.format(csv=csv_file, tmp=tmp_path, db=db) for a in args]
    before = _bytes_of(db)
    result = cli("--db", str(db), *filled) if filled[0] != "demo" else cli(*filled)
    assert_readable_failure(result)
    assert result.code == 1, (filled, result.out, result.err)
    after = _bytes_of(db)
    assert after[""] == before[""], "the refused file was changed"
    assert not after["-wal"] and not after["-journal"], "the refused file got a journal with content"
    assert not (tmp_path / "copy.db").exists() and not (tmp_path / "out").exists()
    return result


def _bump_version(db: Path, version: int) -> None:
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


@pytest.mark.parametrize("args", REFUSING_COMMANDS, ids=lambda a: a[0])
def test_a_file_of_a_newer_schema_is_refused_untouched(cli, v1_db: Path, tmp_path: Path, args: list[str]) -> None:
    _bump_version(v1_db, SCHEMA_VERSION + 1)
    result = _refuse(cli, v1_db, tmp_path, args)
    assert "newer" in result.err
    assert str(SCHEMA_VERSION + 1) in result.err


def test_a_file_of_a_much_newer_schema_in_rollback_mode_is_refused_untouched(cli, v1_db: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(v1_db)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    _bump_version(v1_db, 2**31 - 1)
    result = _refuse(cli, v1_db, tmp_path, ["init", "--region", "33.20"])
    assert "newer" in result.err


@pytest.mark.parametrize("args", REFUSING_COMMANDS, ids=lambda a: a[0])
def test_a_database_of_another_application_is_refused_untouched(cli, tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "lain.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE pegawai (nip TEXT PRIMARY KEY, nama TEXT)")
    conn.execute("INSERT INTO pegawai VALUES ('1975', 'Siti')")
    conn.commit()
    conn.close()
    result = _refuse(cli, db, tmp_path, args)
    assert "another application" in result.err


@pytest.mark.parametrize("content", [b"village,year,rate\nTulakan,2020,5\n", b"\x89PNG\r\n\x1a\n" + bytes(3000)])
@pytest.mark.parametrize("args", REFUSING_COMMANDS, ids=lambda a: a[0])
def test_a_file_that_is_not_a_database_is_refused_untouched(
    cli, tmp_path: Path, args: list[str], content: bytes
) -> None:
    db = tmp_path / "data.csv"
    db.write_bytes(content)
    result = _refuse(cli, db, tmp_path, args)
    assert "not an SQLite database" in result.err


@pytest.mark.parametrize(
    "args", [["status"], ["report", "--year", "2020"], ["backup", "{tmp}/copy.db"]], ids=lambda a: a[0]
)
def test_a_damaged_database_gets_a_clear_message(cli, v1_db: Path, tmp_path: Path, args: list[str]) -> None:
    data = bytearray(v1_db.read_bytes())
    rng = random.Random(3)
    for i in range(4096 * 5, 4096 * 30):  # the pages after the first few: tables and indexes
        data[i] = rng.randrange(256)
    v1_db.write_bytes(bytes(data))
    result = _refuse(cli, v1_db, tmp_path, args)
    assert "unexpected internal error" not in result.err
    assert "damaged" in result.err or "malformed" in result.err or "corrupt" in result.err


def test_a_truncated_database_is_refused_untouched(cli, v1_db: Path, tmp_path: Path) -> None:
    v1_db.write_bytes(v1_db.read_bytes()[:20_000])
    result = _refuse(cli, v1_db, tmp_path, ["status"])
    assert str(v1_db) in result.err


def test_a_folder_as_database_is_refused(cli, tmp_path: Path) -> None:
    for args in (["status"], ["init", "--region", "33.20"]):
        result = cli("--db", str(tmp_path), *args)
        assert_readable_failure(result)
        assert result.code == 1
        assert "folder" in result.err


def test_a_missing_database_is_not_created_by_accident(cli, tmp_path: Path) -> None:
    db = tmp_path / "tidak-ada.db"
    for args in (["status"], ["assign", "Tulakan", "Bappeda"], ["import", "poverty", "x.csv"], ["backup", "b.db"]):
        result = cli("--db", str(db), *args)
        assert_readable_failure(result)
        assert result.code == 1 and "opd-desa init" in result.err
        assert not db.exists()


# --- backup while another process imports ---------------------------------------------------------


@pytest.mark.slow
def test_backup_during_an_import_is_a_consistent_copy(jateng: BigImport, tmp_path: Path) -> None:
    """`backup` again and again while a ~100,000-row import runs (reading, writing, committing), and once
    after: each copy is whole, and holds the figures of before or of after the import, never a mix.
    Back to back rather than at fractions of a measured duration, which a busy machine makes a guess."""
    db = copy_db(jateng.old_db, tmp_path / "live.db")
    importer = subprocess.Popen(
        opd("import", "poverty", str(jateng.big)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=subprocess_env(db),
    )
    copies: list[tuple[Path, subprocess.CompletedProcess, bool]] = []
    running = True
    while running and len(copies) < 30:
        target = tmp_path / f"backup-{len(copies)}.db"
        done = subprocess.run(
            opd("backup", str(target)), capture_output=True, text=True, env=subprocess_env(db), timeout=120
        )
        running = importer.poll() is None  # the import ran during the whole backup
        copies.append((target, done, running))
    assert importer.wait(timeout=300) == 0
    assert fingerprint(db) == jateng.new
    after = tmp_path / "backup-after.db"
    done = subprocess.run(
        opd("backup", str(after)), capture_output=True, text=True, env=subprocess_env(db), timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert fingerprint(after) == jateng.new
    assert any(running for _t, _d, running in copies), "no backup ran while the import was running"
    for target, done, _running in copies:
        assert done.returncode == 0, done.stderr
        assert "locked" not in done.stderr
        assert integrity(target) == "ok"
        assert not Path(f"{target}-wal").exists()
        assert query(target, "PRAGMA journal_mode") == [("delete",)]  # a single file, ready to mail
        assert fingerprint(target) in (jateng.old, jateng.new), target


def test_a_backup_opens_as_an_opd_desa_database(cli, v1_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "salinan.db"
    assert cli("--db", str(v1_db), "backup", str(copy)).code == 0
    assert dump(copy) == dump(v1_db)
    refused = cli("--db", str(v1_db), "backup", str(copy))
    assert refused.code == 1 and "exists" in refused.err
    assert dump(copy) == dump(v1_db)
