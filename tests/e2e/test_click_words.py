"""Under Indonesian, Click's own words (usage, headings, errors) and the placeholders read Indonesian too."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.support.cli import Cli

CLICK_ENGLISH = re.compile(
    r"Usage:|Options|Commands|Arguments|Show this message|\[required\]|\[default:|Try '|Error:|Missing |"
    r"No such|<str>|<int>|<path>|\bVILLAGE\b|\bAGENCY\b|\bYEAR\b|\[OPTIONS\]|COMMAND \[ARGS\]"
)


@pytest.mark.parametrize("args", [["--help"], ["assign", "--help"], ["report", "--help"], ["agencies", "--help"]])
def test_help_has_no_english_word_of_clicks(cli: Cli, args: list[str]) -> None:
    result = cli("--lang", "id", *args)
    assert result.code == 0
    assert not CLICK_ENGLISH.search(result.out), CLICK_ENGLISH.findall(result.out)
    assert "Penggunaan: opd-desa" in result.out


def test_assign_help_names_its_placeholders_in_indonesian(cli: Cli) -> None:
    out = cli("--lang", "id", "assign", "--help").out
    assert "Penggunaan: opd-desa assign [OPSI] {DESA} {OPD}" in out
    assert "OPD mendampingi DESA" in out
    assert "[wajib]" in out and "Menampilkan bantuan ini lalu keluar." in out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["assign"], "Kesalahan: Argumen 'DESA' belum diisi."),
        (["report", "--bogus"], "Kesalahan: Opsi --bogus tidak dikenal"),
        (["report", "--year", "dua"], "Kesalahan: Nilai '--year' tidak sesuai format"),
        (["nothing"], "Kesalahan: Perintah 'nothing' tidak dikenal."),
        (["assign", "a", "b", "c"], "Kesalahan: Terdapat argumen berlebih: c"),
    ],
)
def test_usage_errors_are_said_in_indonesian(cli: Cli, args: list[str], said: str) -> None:
    result = cli("--lang", "id", *args)
    assert result.code == 2
    assert said in result.err
    assert "untuk bantuan." in result.err
    assert not CLICK_ENGLISH.search(result.err), result.err


def test_english_errors_keep_clicks_words(cli: Cli) -> None:
    result = cli("assign")
    assert "Error: Missing argument 'VILLAGE'." in result.err
    assert "Try 'opd-desa assign -h' for help." in result.err


def test_command_descriptions_are_not_cut(cli: Cli) -> None:
    out = cli("--help").out
    assert "..." not in out.split("Commands:")[1]
    assert "Create or upgrade the database and load official regions" in out


@pytest.mark.parametrize(
    ("variables", "language"),
    [
        ({"LANG": "id_ID.UTF-8"}, "id"),
        ({"LC_ALL": "id_ID.UTF-8", "LANG": "en_US.UTF-8"}, "id"),
        ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "id_ID.UTF-8"}, "en"),
        ({"LANG": "id_ID.UTF-8", "OPD_DESA_LANG": "en"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
    ],
)
def test_the_system_locale_chooses_the_language(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], language: str
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    out = cli("--help").out
    assert ("Penggunaan:" in out) == (language == "id")


def test_lang_wins_over_the_system_locale(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "id_ID.UTF-8")
    assert "Usage:" in cli("--lang", "en", "--help").out


def test_sort_help_and_its_error_use_the_same_words(cli: Cli, db_path: Path) -> None:
    help_text = " ".join(cli("report", "--help").out.split())
    error = " ".join(cli("--db", str(db_path), "report", "--sort", "height").err.split())
    for words in ("+ for ascending", "- for descending"):
        assert words in help_text and words in error


def test_an_agency_without_aliases_shows_a_dash(cli: Cli, db_path: Path) -> None:
    db = ("--db", str(db_path))
    assert cli(*db, "agencies", "add", "DISPERKIM", "Dinas Perumahan dan Kawasan Permukiman").code == 0
    rows = json.loads(cli(*db, "agencies", "--format", "json").out)
    assert next(r for r in rows if r["code"] == "DISPERKIM")["aliases"] == []
    markdown = cli(*db, "agencies", "--format", "markdown").out
    line = next(li for li in markdown.splitlines() if "DISPERKIM" in li)
    cells = [c.strip() for c in line.strip("|").split("|")]
    assert "" not in cells and cells[2] == "–"  # code, name, aliases: the empty list reads as every empty cell
