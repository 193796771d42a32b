"""What a person reads agrees with its number: "1 row", "the 1 village", and nothing about "0 villages"."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import Cli


def test_one_row_imported_is_one_row(cli: Cli, db_path: Path, tmp_path: Path) -> None:
    csv = tmp_path / "p.csv"
    csv.write_text("desa,tahun,persen\nTulakan,2020,9.6\n", encoding="utf-8")
    result = cli("--db", str(db_path), "import", "poverty", str(csv))
    assert result.code == 0
    assert "1 row: 1 inserted" in result.out + result.err
    said_id = cli("--db", str(db_path), "--lang", "id", "import", "poverty", str(csv))
    assert "1 baris: 0 ditambahkan" in said_id.out + said_id.err


def test_a_report_of_one_village_speaks_of_one_village(cli: Cli, db_path: Path) -> None:
    db = ("--db", str(db_path))
    assert cli(*db, "poverty", "set", "Tulakan", "2020", "9,6").code == 0
    out = cli(*db, "report", "--year", "2020", "--with-data").out
    assert "of the 1 village with figures is 9.60 %" in out
    assert "1 villages" not in out
    assert "Villages with figures that miss the target: 1 of 1;" in out


def test_a_scorecard_without_pairings_says_so(cli: Cli, db_path: Path) -> None:
    db = ("--db", str(db_path))
    assert cli(*db, "poverty", "set", "Tulakan", "2020", "9,6").code == 0
    out = cli(*db, "scorecard", "--year", "2020").out
    assert "No village is mentored yet" in out
    assert "the 0 mentored villages" not in out
