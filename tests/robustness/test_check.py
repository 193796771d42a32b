"""`opd-desa check` on the example (sound) and on copies tampered with by hand (issue 12, item 18)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from opd_desa.db import SCHEMA_VERSION
from tests.robustness.helpers import Result, assert_readable_failure


def _tamper(db: Path, script: str) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.executescript(script)
    conn.close()


def _lines(result: Result) -> list[str]:
    return result.out.strip().splitlines()


def test_item18_check_on_the_example_finds_nothing(cli: Callable[..., Result], example_db: Path) -> None:
    result = cli("--db", str(example_db), "check")
    assert result.code == 0, result.err
    assert "no problems found" in result.out
    as_json = cli("--db", str(example_db), "check", "--format", "json")
    assert '"sound": true' in as_json.out and '"problems": []' in as_json.out


def test_item18_dropped_trigger_and_index_are_found_and_recreated(cli: Callable[..., Result], example_db: Path) -> None:
    _tamper(example_db, "DROP TRIGGER pairings_no_overlap_insert; DROP INDEX pairings_open_agency;")
    db = ("--db", str(example_db))
    found = cli(*db, "check")
    assert_readable_failure(found, allowed=(1,))
    assert _lines(found) == [
        "problem: pairings_open_agency: index pairings_open_agency on pairings is missing",
        "problem: pairings_no_overlap_insert: trigger pairings_no_overlap_insert on pairings is missing",
    ]
    assert "2 problem(s)" in found.err and "--repair` mends 2 of them" in found.err
    status = cli(*db, "status")
    assert "run `opd-desa check`" in status.out
    assert cli(*db, "init").code == 1  # never "ready" over a missing part

    repaired = cli(*db, "check", "--repair")
    assert repaired.code == 0, repaired.err
    assert all(line.startswith("repaired: ") and line.endswith("; recreated") for line in _lines(repaired))
    assert cli(*db, "check").code == 0
    assert "run `opd-desa check`" not in cli(*db, "status").out
    conn = sqlite3.connect(example_db)
    with pytest.raises(sqlite3.IntegrityError, match="overlaps"):  # the rule is kept again
        conn.execute(
            "INSERT INTO pairings (village_code, agency_id, since) "
            "SELECT village_code, agency_id, since FROM pairings LIMIT 1"
        )
    conn.close()


def test_item18_dangling_references_are_named_and_exported(
    cli: Callable[..., Result], example_db: Path, tmp_path: Path
) -> None:
    conn = sqlite3.connect(example_db)
    pairing, village = conn.execute("SELECT id, village_code FROM pairings ORDER BY id LIMIT 1").fetchone()
    conn.close()
    _tamper(
        example_db,
        f"""PRAGMA foreign_keys = OFF;
        UPDATE pairings SET agency_id = 999 WHERE id = {pairing};
        UPDATE villages SET kecamatan_code = '33.20.99' WHERE code = '{village}';""",
    )
    db = ("--db", str(example_db))
    found = cli(*db, "check")
    assert found.code == 1
    assert f"problem: pairings {pairing}: agency_id '999' refers to no row of agencies" in _lines(found)
    assert f"problem: villages {village}: kecamatan_code '33.20.99' refers to no row of regions" in _lines(found)
    assert "need a person" in found.err
    assert cli(*db, "check", "--repair").code == 1  # nothing here is safe to mend by itself

    # export keeps every row: the village, its figures, its pairing and its activities
    exported = cli(*db, "export", str(tmp_path / "e"))
    assert exported.code == 0, exported.err
    conn = sqlite3.connect(example_db)
    counts = {
        name: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for name, table in (
            ("villages.csv", "villages"),
            ("poverty.csv", "poverty"),
            ("pairings.csv", "pairings"),
            ("activities.csv", "activities"),
        )
    }
    conn.close()
    for name, count in counts.items():
        assert f"{name}: {count} rows" in exported.out, (name, exported.out)
    villages = (tmp_path / "e" / "villages.csv").read_text(encoding="utf-8")
    assert village in villages


def test_item18_impossible_user_version_is_refused_then_repaired(cli: Callable[..., Result], example_db: Path) -> None:
    _tamper(example_db, "PRAGMA user_version = -1;")
    db = ("--db", str(example_db))
    report = cli(*db, "report")
    assert_readable_failure(report, allowed=(1,))
    assert "impossible schema version (-1)" in report.err and "opd-desa check" in report.err
    found = cli(*db, "check")
    assert found.code == 1
    assert _lines(found) == [
        f"problem: user_version: schema version -1 is impossible (this opd-desa writes 1 to {SCHEMA_VERSION})"
    ]
    assert cli(*db, "check", "--repair").code == 0
    assert cli(*db, "report").code == 0
    conn = sqlite3.connect(example_db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_item18_broken_rule_and_refused_values_are_listed(cli: Callable[..., Result], example_db: Path) -> None:
    conn = sqlite3.connect(example_db)
    first, second = conn.execute("SELECT id FROM pairings WHERE until IS NULL ORDER BY id LIMIT 2").fetchall()
    conn.close()
    _tamper(
        example_db,
        f"""PRAGMA ignore_check_constraints = ON;
        DROP TRIGGER pairings_no_overlap_update; DROP INDEX pairings_open_agency;
        UPDATE pairings SET agency_id = (SELECT agency_id FROM pairings WHERE id = {first[0]}) WHERE id = {second[0]};
        UPDATE pairings SET since = '13/10/2021' WHERE id = (SELECT max(id) FROM pairings);
        UPDATE poverty SET rate = 140 WHERE village_code = (SELECT min(village_code) FROM poverty);
        UPDATE villages SET population = 999999999999 WHERE code = (SELECT min(code) FROM villages);
        UPDATE agencies SET name = 'ESC' || char(27) || '[2J' WHERE code = 'BAPPEDA';""",
    )
    found = cli("--db", str(example_db), "check")
    assert found.code == 1
    text = found.out
    assert f"problem: pairing {first[0]}: overlaps pairing {second[0]}: an agency with two villages at once" in text
    assert "since '13/10/2021' is not a date (YYYY-MM-DD)" in text
    assert "rate '140' is not a percentage from 0 to 100" in text or "rate '140.0' is not a percentage" in text
    assert "population '999999999999' is not a count from 0 to 10,000,000" in text
    assert "name 'ESC␛[2J' holds a control character" in text and "\x1b" not in text
    # the unique index cannot come back while the data breaks it, and check says so
    repaired = cli("--db", str(example_db), "check", "--repair")
    assert repaired.code == 1
    assert "could not be recreated" in repaired.out


def test_item18_version_and_trigger_mended_together(cli: Callable[..., Result], example_db: Path) -> None:
    _tamper(example_db, "PRAGMA user_version = -1; DROP TRIGGER pairings_never_deleted;")
    db = ("--db", str(example_db))
    found = cli(*db, "check")
    assert found.code == 1 and "--repair` mends 2 of them" in found.err
    repaired = cli(*db, "check", "--repair")
    assert repaired.code == 0, repaired.out + repaired.err
    assert len(_lines(repaired)) == 2 and all(line.startswith("repaired: ") for line in _lines(repaired))
    assert cli(*db, "check").code == 0
