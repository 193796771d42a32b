"""Counted words agree with their number in both languages, and the catalogue keeps plural entries."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from opd_desa import i18n
from opd_desa.i18n import counted, ngettext, parse_po

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def indonesian() -> Iterator[None]:
    i18n.set_language("id")
    yield
    i18n.set_language("en")


def test_english_has_a_singular_and_a_plural() -> None:
    assert counted(1, "{n} row", "{n} rows") == "1 row"
    assert counted(2, "{n} row", "{n} rows") == "2 rows"
    assert counted(0, "{n} row", "{n} rows") == "0 rows"


def test_indonesian_has_one_form_for_every_number(indonesian: None) -> None:
    assert counted(1, "{n} row", "{n} rows") == "1 baris"
    assert counted(195, "{n} row", "{n} rows") == "195 baris"
    assert ngettext("an unknown one", "unknown many", 3) == "unknown many"


def test_plural_entries_are_read_and_written_back_unchanged() -> None:
    spec = importlib.util.spec_from_file_location("messages", ROOT / "scripts" / "messages.py")
    assert spec and spec.loader
    messages = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(messages)
    key = "{n} row" + i18n.PLURAL + "{n} rows"
    written = messages.write_catalogue({key: "x", "yes": "y"}, {key: "{n} baris", "yes": "ya"})
    assert 'msgid "{n} row"\nmsgid_plural "{n} rows"\nmsgstr[0] "{n} baris"\n' in written
    assert parse_po(written) == {
        "": "Content-Type: text/plain; charset=UTF-8\nLanguage: id\nPlural-Forms: nplurals=1; plural=0;\n",
        key: "{n} baris",
        "yes": "ya",
    }


def test_a_count_of_one_reads_in_the_singular() -> None:
    assert counted(1, "{n} pairing", "{n} pairings") == "1 pairing"
    assert counted(1, "{n} activity", "{n} activities") == "1 activity"
