"""Input that would silently mean something else is refused with a line (issue 12, items 6 and 17)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.robustness.helpers import Result, assert_readable_failure


def test_item6_counts_above_ten_million_are_refused(
    cli: Callable[..., Result], example_db: Path, tmp_path: Path
) -> None:
    db = ("--db", str(example_db))
    typed = cli(*db, "poverty", "set", "Tulakan", "2021", "5", "--poor", "100", "--population", "999999999999999999")
    assert_readable_failure(typed, allowed=(1,))
    assert "--population: '999999999999999999' is more than 10,000,000 people or households" in typed.err
    villages = tmp_path / "villages.csv"
    villages.write_text("code,name,kecamatan,kind,population\n33.20.16.2005,Tulakan,Donorojo,desa,12000000\n")
    imported = cli(*db, "import", "villages", str(villages))
    assert_readable_failure(imported, allowed=(1,))
    assert "villages.csv:2: population: '12000000' is more than 10,000,000" in imported.err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("report", "--agency", ""), "--agency is empty"),
        (("report", "--kecamatan", "  "), "--kecamatan is empty"),
        (("trend", ""), "VILLAGE is empty"),
        (("export", ""), "DIR is empty"),
        (("villages", "--kecamatan", ""), "--kecamatan is empty"),
        (("activity", "list", "--agency", ""), "--agency is empty"),
    ],
)
def test_item17_empty_filters_are_refused(
    cli: Callable[..., Result], example_db: Path, args: tuple[str, ...], said: str
) -> None:
    result = cli("--db", str(example_db), *args)
    assert_readable_failure(result, allowed=(1,))
    assert said in result.err and result.out == ""


def test_item17_alias_with_a_bar_is_refused(cli: Callable[..., Result], example_db: Path) -> None:
    result = cli("--db", str(example_db), "agencies", "add", "BARU", "Badan Baru", "--alias", "Satu|Dua")
    assert_readable_failure(result, allowed=(1,))
    assert "the alias 'Satu|Dua' contains '|'" in result.err
    conn = sqlite3.connect(example_db)
    assert conn.execute("SELECT count(*) FROM agencies WHERE code = 'BARU'").fetchone()[0] == 0
    conn.close()


def test_item17_mixed_script_codes_are_refused(cli: Callable[..., Result], example_db: Path, tmp_path: Path) -> None:
    lookalike = "B\u0410PPEDA"  # a Cyrillic А
    typed = cli("--db", str(example_db), "agencies", "add", lookalike, "Badan Tiruan")
    assert_readable_failure(typed, allowed=(1,))
    assert "mixes letters of several alphabets (cyrillic, latin)" in typed.err
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(f"code,name\n{lookalike},Badan Tiruan\n", encoding="utf-8")
    imported = cli("--db", str(example_db), "import", "agencies", str(agencies))
    assert_readable_failure(imported, allowed=(1,))
    assert "agencies.csv:2: code: the agency code" in imported.err
