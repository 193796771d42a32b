"""`log` shows local time with the zone's name on screen, UTC in JSON and CSV."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.support.cli import Cli


def test_log_in_local_time_on_screen_and_utc_in_json(cli: Cli, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Makassar")
    db = ("--db", str(db_path))
    assert cli(*db, "assign", "Tulakan", "Bappeda", "--since", "2021-10-13").code == 0
    table = cli(*db, "log", "--limit", "1").out
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d WITA", table), table
    assert "UTC" not in table
    entry = json.loads(cli(*db, "log", "--limit", "1", "--format", "json").out)[0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry["at"])
    assert entry["at"][:-1] in cli(*db, "log", "--limit", "1", "--format", "csv").out
