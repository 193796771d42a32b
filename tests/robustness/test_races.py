"""Many opd-desa processes at once on one file (`python -m opd_desa`, OPD_DESA_DB).

Every process is started behind a barrier (it imports everything, then waits for a start file) so
that they really run at the same moment. Afterwards: every process exited 0 or 1 with a clear
message, none saw a locked database, the file is intact, and the programme's rules hold in SQL
(at most one open pairing per village and per agency, no two pairings of one village or one agency
covering the same day).
"""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.robustness.helpers import (
    assert_readable_failure,
    dump,
    integrity,
    query,
    subprocess_env,
)
from tests.support.cli import Result

BARRIER = r"""
import os, sys, time
from opd_desa.cli.main import build_app, main
build_app()  # every command module imported before the start line
go = sys.argv[1]
open(f"{go}.ready.{os.getpid()}", "w").close()
deadline = time.monotonic() + 60
while not os.path.exists(go) and time.monotonic() < deadline:
    time.sleep(0.0005)
sys.exit(main(sys.argv[2:]))
"""


def race(db: Path, commands: list[list[str]], folder: Path, *, timeout: float = 120) -> list[Result]:
    """Start every command behind one barrier; return their results in the same order."""
    go = folder / f"go-{time.monotonic_ns()}"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", BARRIER, str(go), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=subprocess_env(db),
        )
        for args in commands
    ]
    deadline = time.monotonic() + 60
    while len(list(folder.glob(f"{go.name}.ready.*"))) < len(commands) and time.monotonic() < deadline:
        time.sleep(0.005)  # until every process has imported everything and waits at the barrier
    go.touch()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=timeout)
        results.append(Result(process.returncode, out, err))
    for result in results:
        assert_readable_failure(result)
    return results


def rule_breaks(db: Path) -> dict[str, list]:
    """Every way the stored pairings could break the programme's rule (all empty when it holds)."""
    return {
        "two open per village": query(
            db, "SELECT village_code FROM pairings WHERE until IS NULL GROUP BY village_code HAVING count(*) > 1"
        ),
        "two open per agency": query(
            db, "SELECT agency_id FROM pairings WHERE until IS NULL GROUP BY agency_id HAVING count(*) > 1"
        ),
        "overlap": query(
            db,
            """SELECT a.id, b.id FROM pairings a JOIN pairings b ON a.id < b.id
               AND (a.village_code = b.village_code OR a.agency_id = b.agency_id)
               AND a.since < coalesce(b.until, '9999-12-31') AND b.since < coalesce(a.until, '9999-12-31')""",
        ),
        "ends before it starts": query(db, "SELECT id FROM pairings WHERE until IS NOT NULL AND until <= since"),
    }


def assert_rules_hold(db: Path) -> None:
    assert integrity(db) == "ok"
    breaks = rule_breaks(db)
    assert breaks == {k: [] for k in breaks}, breaks
    assert query(db, "PRAGMA foreign_key_check") == []


def open_pairing(db: Path, village: str) -> str | None:
    rows = query(
        db,
        """SELECT a.code FROM pairings p JOIN agencies a ON a.id = p.agency_id
           JOIN villages v ON v.code = p.village_code WHERE v.name = ? AND p.until IS NULL""",
        (village,),
    )
    return rows[0][0] if rows else None


def test_the_checks_see_a_broken_rule(example_db: Path) -> None:
    """The SQL above finds an overlap when the database's own guards are bypassed (so its silence means something)."""
    conn = sqlite3.connect(example_db)
    conn.execute("DROP TRIGGER pairings_no_overlap_insert")
    conn.execute("DROP INDEX pairings_open_village")
    conn.execute(
        "INSERT INTO pairings (village_code, agency_id, since) "
        "SELECT '33.20.16.2005', id, '2022-01-01' FROM agencies WHERE code = 'DLH'"
    )
    conn.commit()
    conn.close()
    breaks = rule_breaks(example_db)
    assert breaks["two open per village"] and breaks["overlap"]


@pytest.mark.slow
def test_one_village_twelve_agencies_exactly_one_wins(example_db: Path, tmp_path: Path) -> None:
    agencies = ["DLH", "DISHUB", "DPMD", "BPBD", "DISPARBUD", "DISPERKIM", "SATPOLPP", "BAPENDA", "BKPSDM",
                "INSPEKTORAT", "SETDA", "SETWAN"]  # fmt: skip
    results = race(example_db, [["assign", "Clering", a, "--since", "2024-01-01"] for a in agencies], tmp_path)
    assert sorted(r.code for r in results) == [0] + [1] * 11, [r.err for r in results]
    winner = agencies[[r.code for r in results].index(0)]
    assert open_pairing(example_db, "Clering") == winner
    for result in results:
        if result.code == 1:
            assert "Clering" in result.err and "33.20.16.2002" in result.err, result.err
    assert_rules_hold(example_db)


@pytest.mark.slow
def test_eight_reassigns_of_one_village(example_db: Path, tmp_path: Path) -> None:
    """Each reassign ends the current pairing and starts its own, in one transaction, on different days."""
    agencies = ["DLH", "DISHUB", "DPMD", "BPBD", "DISPARBUD", "DISPERKIM", "SATPOLPP", "BAPENDA"]
    commands = [
        ["reassign", "Tulakan", agency, "--since", f"2024-{month:02d}-01", "--reason", f"uji {month}"]
        for month, agency in enumerate(agencies, start=1)
    ]
    results = race(example_db, commands, tmp_path)
    assert any(r.code == 0 for r in results)
    assert_rules_hold(example_db)
    history = query(
        example_db,
        "SELECT a.code, p.since, p.until FROM pairings p JOIN agencies a ON a.id = p.agency_id "
        "WHERE p.village_code = '33.20.16.2005' ORDER BY p.since",
    )
    # a chain: every pairing ends the day the next begins, and only the last is open
    for (_a, _since, until), (_b, next_since, _until) in itertools.pairwise(history):
        assert until == next_since, history
    assert history[-1][2] is None
    winners = {agencies[i] for i, r in enumerate(results) if r.code == 0}
    assert {code for code, _s, _u in history[1:]} == winners


def test_same_file_imported_six_times_at_once_inserts_once(example_db: Path, tmp_path: Path) -> None:
    codes = [c for (c,) in query(example_db, "SELECT code FROM villages ORDER BY code")]
    source = tmp_path / "kemiskinan-2024.csv"
    source.write_text(
        "desa;tahun;persentase\n" + "".join(f"{c};2024;{i % 97},{i % 10}\n" for i, c in enumerate(codes)),
        encoding="utf-8",
    )
    results = race(example_db, [["import", "poverty", str(source), "--format", "json"] for _ in range(6)], tmp_path)
    assert [r.code for r in results] == [0] * 6, [r.err for r in results]
    summaries = sorted((json.loads(r.out)["inserted"], json.loads(r.out)["unchanged"]) for r in results)
    assert summaries == [(0, len(codes))] * 5 + [(len(codes), 0)]
    assert query(example_db, "SELECT count(*) FROM poverty WHERE year = 2024") == [(len(codes),)]
    assert query(
        example_db, """SELECT count(*) FROM change_log WHERE "table" = 'poverty' AND key LIKE '%kemiskinan-2024%'"""
    ) == [(1,)]
    assert integrity(example_db) == "ok"


@pytest.mark.slow
def test_mixed_writers_and_readers(example_db: Path, tmp_path: Path) -> None:
    codes = [c for (c,) in query(example_db, "SELECT code FROM villages ORDER BY code")]
    poverty = tmp_path / "poverty-2024.csv"
    poverty.write_text(
        "village,year,poor,population\n" + "".join(f"{c},2024,{50 + i},{2000 + i}\n" for i, c in enumerate(codes)),
        encoding="utf-8",
    )
    pairings = tmp_path / "pairings.csv"
    pairings.write_text(
        "village,agency,since,decree\nBanyumanis,BPBD,2024-01-05,SK-1\nBandungharjo,DISPARBUD,2024-01-05,SK-2\n",
        encoding="utf-8",
    )
    activities = tmp_path / "activities.csv"
    activities.write_text(
        "village,agency,date,kind,title,budget\n"
        + "".join(
            f"Tulakan,BAPPEDA,2023-07-{d:02d},pelatihan,Pelatihan impor {d},Rp 1.000.000\n" for d in range(1, 21)
        ),
        encoding="utf-8",
    )
    commands: list[list[str]] = [
        ["assign", "Clering", "DLH", "--since", "2024-01-01"],
        ["assign", "Sumberrejo", "DLH", "--since", "2024-01-01"],
        ["assign", "Clering", "DISHUB", "--since", "2024-01-01"],
        ["assign", "Ujungwatu", "DISHUB", "--since", "2024-01-01"],
        ["reassign", "Tulakan", "DLH", "--since", "2024-02-01", "--reason", "evaluasi"],
        ["reassign", "Tulakan", "DPMD", "--since", "2024-02-01", "--reason", "evaluasi"],
        ["reassign", "Ngabul", "DISHUB", "--since", "2024-03-01"],
        ["reassign", "Geneng", "BAPPEDA", "--since", "2024-02-15"],
        ["unassign", "Lebak", "--until", "2024-01-15", "--reason", "mandiri"],
        ["assign", "Lebak", "DPMD", "--since", "2024-01-20"],
        ["assign", "Banyumanis", "BPBD", "--since", "2024-01-10"],
        ["import", "pairings", str(pairings)],
        ["import", "poverty", str(poverty)],
        ["import", "poverty", str(poverty)],
        ["import", "activities", str(activities)],
        ["poverty", "set", "Tulakan", "2024", "9,9"],
        ["target", "set", "2025", "7"],
        ["agencies", "add", "OPDBARU", "Organisasi Perangkat Daerah Baru", "--alias", "Baru"],
        ["agencies", "rename", "DISPERKIM", "Dinas Perumahan dan Kawasan Permukiman Kabupaten Jepara"],
        *[
            [
                "activity",
                "add",
                "Tulakan",
                "--date",
                f"2023-06-{d:02d}",
                "--kind",
                "pelatihan",
                "--title",
                f"Kegiatan {d}",
            ]
            for d in range(1, 7)
        ],
        ["activity", "remove", "1"],
        ["report", "--year", "2020", "--format", "json"],
        ["status", "--format", "json"],
        ["pairings", "--all", "--format", "csv"],
        ["export", str(tmp_path / "export")],
        ["backup", str(tmp_path / "backup.db")],
    ]
    results = race(example_db, commands, tmp_path)
    by_command = {" ".join(args): r for args, r in zip(commands, results, strict=True)}
    assert_rules_hold(example_db)

    # what must succeed whatever the order
    for name in ("import poverty", "import activities", "poverty set", "target set", "agencies add", "agencies rename",
                 "activity add", "activity remove", "report", "status", "pairings", "export", "backup"):  # fmt: skip
        for command, result in by_command.items():
            if command.startswith(name):
                assert result.code == 0, (command, result.err)
    # the conflicting ones: refusals name the pairing in the way (village by name and code)
    for args, result in zip(commands, results, strict=True):
        if result.code == 1 and args[0] in ("assign", "reassign", "unassign"):
            assert re.search(r"\w \(33\.20\.\d\d\.\d{4}\)", result.err), (args, result.err)
    tulakan = [by_command[f"reassign Tulakan {a} --since 2024-02-01 --reason evaluasi"].code for a in ("DLH", "DPMD")]
    assert tulakan.count(0) == 1, tulakan
    # every success is in the database
    for args, result in zip(commands, results, strict=True):
        if result.code == 0 and args[0] == "assign":
            village, agency, since = args[1], args[2], args[4]
            assert query(
                example_db,
                "SELECT count(*) FROM pairings p JOIN villages v ON v.code = p.village_code "
                "JOIN agencies a ON a.id = p.agency_id WHERE v.name = ? AND a.code = ? AND p.since = ?",
                (village, agency, since),
            ) == [(1,)], args
    assert query(example_db, "SELECT count(*) FROM activities WHERE title LIKE 'Kegiatan %'") == [(6,)]
    assert query(example_db, "SELECT count(*) FROM activities WHERE title LIKE 'Pelatihan impor %'") == [(20,)]
    assert query(example_db, "SELECT count(*) FROM poverty WHERE year = 2024") == [(len(codes),)]
    assert integrity(tmp_path / "backup.db") == "ok"
    json.loads(by_command["report --year 2020 --format json"].out)
    json.loads(by_command["status --format json"].out)


@pytest.mark.slow
def test_parallel_activity_adds_all_land_with_distinct_ids(example_db: Path, tmp_path: Path) -> None:
    commands = [
        ["activity", "add", "Tulakan", "--date", "2023-08-01", "--kind", "bantuan", "--title", f"Paralel {i}",
         "--budget", "Rp 1.000.000"]
        for i in range(10)
    ]  # fmt: skip
    results = race(example_db, commands, tmp_path)
    assert [r.code for r in results] == [0] * 10, [r.err for r in results]
    ids = {r.out.split("#")[1].split(":")[0] for r in results}
    assert len(ids) == 10
    assert query(example_db, "SELECT count(*), sum(budget) FROM activities WHERE title LIKE 'Paralel %'") == [
        (10, 10_000_000)
    ]


@pytest.mark.slow
def test_the_same_activity_added_eight_times_at_once_is_stored_once(example_db: Path, tmp_path: Path) -> None:
    command = ["activity", "add", "Tulakan", "--date", "2023-08-02", "--kind", "bantuan", "--title", "Bantuan sama"]
    results = race(example_db, [command] * 8, tmp_path)
    assert [r.code for r in results].count(0) >= 1
    assert query(example_db, "SELECT count(*) FROM activities WHERE title = 'Bantuan sama'") == [(1,)]


@pytest.mark.slow
def test_two_inits_creating_the_same_file_both_succeed(tmp_path: Path) -> None:
    """The first `init` is still creating the file (holding the write lock) when two more start.

    The test holds the lock on a brand-new WAL file, as an `init` that has just created it would; the
    two `init` processes read "schema 0", wait for the lock, then each must cope with the schema the
    other wrote."""
    db = tmp_path / "baru.db"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA journal_mode = WAL")
    holder.execute("BEGIN IMMEDIATE")
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "opd_desa", "init", "--region", "33.20"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=subprocess_env(db),
        )
        for _ in range(2)
    ]
    time.sleep(1.0)  # both have read the empty schema and wait for the lock
    holder.execute("ROLLBACK")
    holder.close()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        results.append(Result(process.returncode, out, err))
    for result in results:
        assert "Traceback" not in result.err
    assert [r.code for r in results] == [0, 0], [r.err for r in results]
    assert query(db, "SELECT count(*) FROM villages") == [(195,)]


@pytest.mark.slow
def test_readers_work_while_a_long_import_runs(example_db: Path, tmp_path: Path) -> None:
    """WAL: `report` and `status` answer (not "locked") while an import of 19,500 rows holds the write lock."""
    codes = [c for (c,) in query(example_db, "SELECT code FROM villages ORDER BY code")]
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as f:
        f.write("village,year,rate\n")
        for year in range(2000, 2100):
            for i, c in enumerate(codes):
                f.write(f"{c},{year},{(i * year) % 100}\n")
    before = dump(example_db)
    results = race(
        example_db,
        [["import", "poverty", str(big)], *[["report", "--year", "2020", "--format", "csv"]] * 3, ["status"]],
        tmp_path,
    )
    assert [r.code for r in results] == [0] * 5, [r.err for r in results]
    assert dump(example_db) != before
    assert_rules_hold(example_db)
