"""`forms`, `import activities DIR` and `reporting` as a person runs them on the example data."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from opd_desa import db
from opd_desa.services.example import load_example
from tests.support.cli import Result

Cli = Callable[..., Result]


@pytest.fixture(scope="module")
def example_template(templates: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reporting-e2e") / "example.db"
    shutil.copyfile(templates["jepara"], path)
    conn = db.open_database(path)
    load_example(conn)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def example(example_template: Path, tmp_path: Path) -> list[str]:
    path = tmp_path / "example.db"
    shutil.copyfile(example_template, path)
    return ["--db", str(path)]


def _fill(path: Path, **cells: object) -> None:
    book = load_workbook(path)
    for ref, value in cells.items():
        book.worksheets[0][ref] = value
    book.save(path)


def test_forms_then_returns_then_reporting(cli: Cli, example: list[str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    made = cli(*example, "forms", str(out), "--period", "2023-S2")
    assert made.code == 0 and "7 forms for 2023S2" in made.out
    assert len(list(out.glob("*-2023S2.xlsx"))) == 7
    _fill(out / "DINKES-2023S2.xlsx", C2=datetime(2023, 8, 14), D2="kesehatan", E2="Pemberian makanan tambahan")
    _fill(out / "BPKAD-2023S2.xlsx", C2=datetime(2023, 5, 3), D2="pelatihan", E2="Pelatihan Siskeudes")

    returned = cli(*example, "import", "activities", str(out))

    assert returned.code == 1
    assert "DINKES-2023S2.xlsx: imported 1 row: 1 inserted" in returned.out
    assert "BPKAD-2023S2.xlsx: refused, nothing imported:" in returned.out
    assert "BPKAD-2023S2.xlsx:Activities!2: the date 2023-05-03 lies outside the period 2023S2" in returned.out
    assert "total: 7 files: 1 imported, 1 refused, 5 empty" in returned.out
    assert "1 of 7 files refused" in returned.err

    again = cli(*example, "import", "activities", str(out / "DINKES-2023S2.xlsx"))
    assert again.code == 0 and "0 inserted, 0 updated, 1 unchanged" in again.out

    report = cli(*example, "reporting", "--period", "2023-S2", "--format", "json")
    assert report.code == 0
    data = json.loads(report.out)
    assert (data["period"], data["start"], data["end"]) == ("2023S2", "2023-07-01", "2023-12-31")
    assert {k: data["summary"][k] for k in ("agencies", "reported", "missing")} == {
        "agencies": 7,
        "reported": 1,
        "missing": 6,
    }
    table = cli(*example, "reporting", "--period", "Semester II 2023")
    assert "7 agencies expected, 1 reported, 6 missing; reporting rate 14.3 %" in table.out


def test_reminders_in_indonesian(cli: Cli, example: list[str], tmp_path: Path) -> None:
    result = cli(*example, "--lang", "id", "reporting", "--period", "2023S2", "--reminders", str(tmp_path / "r"))
    assert result.code == 0
    assert len(list((tmp_path / "r").glob("*-reminder.txt"))) == 7
    text = (tmp_path / "r" / "DISKAN-2023S2-reminder.txt").read_text(encoding="utf-8")
    assert text.startswith("Kepada Yth.: Dinas Perikanan (DISKAN)")
    assert "Kedungmalang" in text and "DISKAN-2023S2.xlsx" in text


def test_reporting_as_csv_has_the_json_keys_as_header(cli: Cli, example: list[str]) -> None:
    result = cli(*example, "reporting", "--period", "2023Q1", "--format", "csv")
    assert result.out.splitlines()[0] == (
        "agency,village_code,village,activities,budget,spent,realisation,last_activity,status,on_time"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["forms", "OUT", "--period", "2023-S3"], "--period: '2023-S3' is not a period: a year has semesters 1 and 2"),
        (["reporting", "--period", "kemarin"], "--period: 'kemarin' is not a period"),
        (["reporting", "--period", "2023", "--timely-days", "-1"], "--timely-days must be 0 or more"),
        (["forms", "OUT", "--period", "2023", "--agency", "Dinsos"], "mentors no village during 2023"),
        (["import", "activities", "EMPTY"], "holds no .xlsx or .csv file to import"),
        (["agencies", "add", "DINSOS2", "Dinas Sosial Dua", "--email", "x@"], "'x@' is not an e-mail address"),
    ],
)
def test_bad_arguments_get_one_line_naming_them(
    cli: Cli, example: list[str], tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "empty").mkdir()
    line = [str(tmp_path / "out") if a == "OUT" else str(tmp_path / "empty") if a == "EMPTY" else a for a in args]
    result = cli(*example, *line)
    assert result.code == 1
    assert message in result.err and "Traceback" not in result.err


def test_agencies_add_keeps_the_contact_fields(cli: Cli, example: list[str]) -> None:
    added = cli(
        *example,
        "agencies",
        "add",
        "TKPK",
        "Tim Koordinasi",
        "--contact",
        "Ibu Sari",
        "--phone",
        "0291-1",
        "--email",
        "tkpk@example.go.id",
    )
    assert added.code == 0
    rows = json.loads(cli(*example, "agencies", "--format", "json").out)
    tkpk = next(r for r in rows if r["code"] == "TKPK")
    assert (tkpk["contact"], tkpk["phone"], tkpk["email"]) == ("Ibu Sari", "0291-1", "tkpk@example.go.id")
