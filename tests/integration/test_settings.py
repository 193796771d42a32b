"""`settings`: what documents print about the office, kept in the database and exported."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from opd_desa.changelog import entries
from opd_desa.db import open_database
from opd_desa.errors import InvalidValue
from opd_desa.services.export import export_all
from opd_desa.services.settings import KEYS, list_settings, office, set_setting, unset_setting

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_a_new_database_has_a_settings_table_with_room_for_the_logo(tmp_path: Path) -> None:
    open_database(tmp_path / "new.db", create=True).close()
    assert sqlite_utils.Database(tmp_path / "new.db")["settings"].columns_dict == {
        "key": str,
        "value": str,
        "blob": bytes,
    }


def test_set_list_unset_and_every_change_is_logged(conn: sqlite3.Connection) -> None:
    set_setting(conn, "org.name", "  Bappeda Kabupaten Jepara ")
    set_setting(conn, "Decree.Date", "13 Oktober 2021")
    shown = {s.key: s.value for s in list_settings(conn)}
    assert list(shown) == list(KEYS)
    assert shown["org.name"] == "Bappeda Kabupaten Jepara"
    assert shown["decree.date"] == "2021-10-13"
    assert shown["signatory.name"] is None
    assert unset_setting(conn, "org.name") is True
    assert unset_setting(conn, "org.name") is False
    assert office(conn).name == ""
    assert [e["table"] for e in entries(conn)][:3] == ["settings", "settings", "settings"]


def test_an_unknown_key_is_refused_in_one_line_naming_the_keys(conn: sqlite3.Connection) -> None:
    with pytest.raises(InvalidValue) as refused:
        set_setting(conn, "org.colour", "green")
    message = str(refused.value)
    assert "org.colour" in message and "org.name" in message and "decree.date" in message
    assert "\n" not in message


def test_the_logo_is_stored_as_bytes_and_only_a_png_or_jpeg_is_taken(conn: sqlite3.Connection, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    stored = set_setting(conn, "org.logo", str(logo))
    assert (stored.value, stored.stored) == ("logo.png", len(PNG))
    logo.unlink()  # the database keeps the picture, not the path
    assert office(conn).logo == PNG
    text = tmp_path / "logo.txt"
    text.write_text("not a picture")
    with pytest.raises(InvalidValue, match="not a PNG or JPEG"):
        set_setting(conn, "org.logo", str(text))
    with pytest.raises(InvalidValue, match="cannot read"):
        set_setting(conn, "org.logo", str(tmp_path / "missing.png"))


def test_a_date_that_is_not_a_date_is_refused(conn: sqlite3.Connection) -> None:
    with pytest.raises(InvalidValue, match=r"decree\.date"):
        set_setting(conn, "decree.date", "kemarin")


def test_export_writes_settings_csv(conn: sqlite3.Connection, tmp_path: Path) -> None:
    set_setting(conn, "signatory.nip", "19700101 199503 1 001")
    export_all(conn, tmp_path / "out")
    with (tmp_path / "out" / "settings.csv").open(encoding="utf-8") as f:
        assert list(csv.reader(f)) == [["key", "value"], ["signatory.nip", "19700101 199503 1 001"]]
