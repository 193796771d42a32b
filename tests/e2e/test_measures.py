"""Measures on the command line: the demo's extreme poverty and IDM, official area figures, bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.cli import Result

Cli = Callable[..., Result]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from opd_desa.cli.main import main

    path = tmp_path_factory.mktemp("measures") / "demo.db"
    assert main(["demo", "--db", str(path)]) == 0
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the copies below take the whole file
    conn.close()
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> tuple[str, str]:
    import shutil

    copy = tmp_path / "demo.db"
    shutil.copyfile(demo_file, copy)
    return ("--db", str(copy))


def _json(cli: Cli, *args: str) -> dict:  # type: ignore[type-arg]
    result = cli(*args, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)  # type: ignore[no-any-return]


def test_extreme_poverty_report_of_the_demo(cli: Cli, demo: tuple[str, str]) -> None:
    data = _json(cli, *demo, "report", "--measure", "extreme", "--year", "2023")
    assert data["measure"] == {
        "key": "extreme",
        "name": "Percentage of people in extreme poverty",
        "unit": "%",
        "better": "lower",
    }
    assert (data["target"], data["target_source"]) == (0.0, "Inpres 4/2022 (penghapusan kemiskinan ekstrem)")
    tulakan = next(r for r in data["rows"] if r["code"] == "33.20.16.2005")
    assert tulakan["value"] == tulakan["rate"] and tulakan["meets_target"] is False and tulakan["agency"] == "BAPPEDA"
    table = cli(*demo, "report", "--measure", "extreme", "--year", "2023")
    assert table.code == 0 and "Percentage of people in extreme poverty in 2023" in table.out


def test_idm_by_kecamatan_counts_the_classes(cli: Cli, demo: tuple[str, str]) -> None:
    data = _json(cli, *demo, "report", "--measure", "idm", "--by", "kecamatan")
    assert data["year"] == 2023 and data["target"] is None
    assert set(data["summary"]["classes"]) == {"Sangat Tertinggal", "Tertinggal", "Berkembang", "Maju", "Mandiri"}
    assert sum(data["summary"]["classes"].values()) == 184  # the desa; kelurahan have no IDM
    assert all(r["class"] and "official" in r for r in data["rows"])
    table = cli(*demo, "report", "--measure", "idm", "--by", "kecamatan")
    assert "No target is set for this measure" in table.out and "IDM status:" in table.out


def test_trend_of_a_village_in_idm_and_the_area_with_its_basis(cli: Cli, demo: tuple[str, str]) -> None:
    idm = _json(cli, *demo, "trend", "Tulakan", "--measure", "idm")
    assert [r["year"] for r in idm["rows"]] == [2019, 2020, 2021, 2022, 2023]
    assert [r["class"] for r in idm["rows"]] == ["Berkembang"] * 4 + ["Maju"]  # the example's illustrative climb
    area = _json(cli, *demo, "trend")
    assert [(r["year"], r["basis"]) for r in area["rows"]][:3] == [
        (2019, "official"),
        (2020, "official"),
        (2021, "villages"),
    ]
    assert (area["rows"][0]["rate"], area["rows"][1]["rate"]) == (6.6, 7.0)


def test_the_2020_kabupaten_report_shows_the_official_rate(cli: Cli, demo: tuple[str, str]) -> None:
    data = _json(cli, *demo, "report", "--year", "2020", "--by", "kabupaten")
    (row,) = data["rows"]
    assert (row["official"], row["rate"]) == (7.0, 7.0)
    assert row["official_source"].startswith("BPS")
    assert data["summary"]["official_rate"] == 7.0 and data["summary"]["paired"] == 0
    assert all(r["agency"] is None for r in _json(cli, *demo, "report", "--year", "2020")["rows"])


def test_scorecard_of_extreme_poverty(cli: Cli, demo: tuple[str, str]) -> None:
    data = _json(cli, *demo, "scorecard", "--measure", "extreme")
    assert len(data["rows"]) == 7 and data["measure"]["key"] == "extreme"
    assert all(r["baseline_year"] == 2021 and r["baseline_value"] is not None for r in data["rows"])


def test_measure_figure_and_target_commands(cli: Cli, demo: tuple[str, str]) -> None:
    added = cli(*demo, "measure", "add", "stunting", "Prevalensi stunting", "--unit", "%", "--better", "lower",
                "--min", "0", "--max", "100")  # fmt: skip
    assert added.code == 0, added.err
    assert [m["key"] for m in _json(cli, *demo, "measure", "list")][-1] == "stunting"
    assert cli(*demo, "figure", "set", "Tulakan", "2023", "21,5", "--measure", "stunting").code == 0
    assert cli(*demo, "target", "set", "2026", "Maju", "--measure", "idm").code == 0
    targets = _json(cli, *demo, "target", "list", "--measure", "idm")
    assert targets == [{"measure": "idm", "year": 2026, "value": 0.7073, "source": None, "class": "Maju"}]
    shown = _json(cli, *demo, "figure", "show", "Tulakan", "--measure", "stunting")
    assert shown == [
        {"measure": "stunting", "year": 2023, "value": 21.5, "count": None, "population": None, "source": None,
         "rate": 21.5}
    ]  # fmt: skip
    official = cli(*demo, "poverty", "set", "Kabupaten Jepara", "2021", "6,8", "--source", "BPS")
    assert official.code == 0 and "Kabupaten Jepara (33.20)" in official.out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["report", "--measure", "extrem"], "did you mean: extreme"),
        (["figure", "set", "Tulakan", "2023", "1,2", "--measure", "idm"], "outside the range of idm"),
        (["target", "set", "2026", "Hebat", "--measure", "idm"], "neither an IDM score nor a status"),
        (["target", "set", "2024", "0", "--measure", "stunting"], "no measure 'stunting'"),
        (["poverty", "set", "Tulakan", "2021", "5", "--poor", "100000"], "more than the population of 4968"),
        (["figure", "set", "Kabupaten Kudus", "2020", "7"], "no region 'Kabupaten Kudus'"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(cli: Cli, demo: tuple[str, str], args: list[str], words: str) -> None:
    before = cli(*demo, "log", "--limit", "0", "--format", "json").out
    result = cli(*demo, *args)
    assert result.code == 1 and words in result.err, result.err
    assert len(result.err.strip().splitlines()) == 1
    assert cli(*demo, "log", "--limit", "0", "--format", "json").out == before


def test_an_empty_target_list_says_what_applies_to_that_measure(cli: Cli, demo: tuple[str, str]) -> None:
    """No IDM target is stored in the demo: the list says so, rather than the poverty default of 8 %."""
    idm = cli(*demo, "target", "list", "--measure", "idm")
    assert idm.code == 0, idm.err
    assert "no target stored for idm" in idm.out
    assert "8.0 %" not in idm.out
