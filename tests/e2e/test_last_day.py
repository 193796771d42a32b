"""A pairing's end is shown as its last day (the day before `until`); JSON keeps `until` and adds `last_day`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import Cli


def _reassigned(cli: Cli, db_path: Path) -> tuple[str, str]:
    db = ("--db", str(db_path))
    assert cli(*db, "assign", "Tulakan", "Bappeda", "--since", "2021-10-13").code == 0
    assert cli(*db, "reassign", "Tulakan", "Dinkes", "--since", "2023-01-02").code == 0
    return db


def test_history_shows_the_last_day_and_json_adds_it(cli: Cli, db_path: Path) -> None:
    db = _reassigned(cli, db_path)
    table = cli(*db, "history", "Tulakan").out
    assert "Last day" in table and "2023-01-01" in table
    assert "Until" not in table
    rows = json.loads(cli(*db, "history", "Tulakan", "--format", "json").out)
    assert [(r["since"], r["until"], r["last_day"]) for r in rows] == [
        ("2021-10-13", "2023-01-02", "2023-01-01"),
        ("2023-01-02", None, None),
    ]


def test_pairings_json_adds_last_day(cli: Cli, db_path: Path) -> None:
    db = _reassigned(cli, db_path)
    rows = json.loads(cli(*db, "pairings", "--all", "--format", "json").out)
    ended = [r for r in rows if r["agency_code"] == "BAPPEDA"]
    assert (ended[0]["until"], ended[0]["last_day"]) == ("2023-01-02", "2023-01-01")


def test_the_ended_pairing_is_said_with_its_last_day(cli: Cli, db_path: Path) -> None:
    db = ("--db", str(db_path))
    cli(*db, "assign", "Tulakan", "Bappeda", "--since", "2021-10-13")
    said = cli(*db, "unassign", "Tulakan", "--until", "2024-01-01")
    assert "from 2021-10-13 to 2023-12-31" in said.out + said.err
