"""`report --with-data` leaves out villages without a figure; a narrow terminal names the columns it drops."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from opd_desa.cli.main import main
from opd_desa.environment import Environment
from tests.support.cli import Cli


@pytest.fixture
def demo(cli: Cli, tmp_path: Path) -> tuple[str, str]:
    db = ("--db", str(tmp_path / "demo.db"))
    assert cli("demo", *db).code == 0
    return db


def test_with_data_leaves_out_villages_without_a_figure(cli: Cli, db_path: Path) -> None:
    db = ("--db", str(db_path))
    assert cli(*db, "poverty", "set", "Tulakan", "2020", "6,6").code == 0
    every = json.loads(cli(*db, "report", "--year", "2020", "--format", "json").out)
    with_data = json.loads(cli(*db, "report", "--year", "2020", "--with-data", "--format", "json").out)
    assert len(every["rows"]) > 190
    assert [r["name"] for r in with_data["rows"]] == ["Tulakan"]
    assert with_data["summary"] == every["summary"]  # the summary still speaks of every village in scope
    table = cli(*db, "report", "--year", "2020", "--with-data").out
    assert "Tulakan" in table and "Ngabul" not in table


def _on_terminal(args: list[str], width: int, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    monkeypatch.setenv("COLUMNS", str(width))
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, stdout_isatty=True, stderr_isatty=True, language="en")
    assert main(args, env) == 0
    return out.getvalue(), err.getvalue()


def test_a_narrow_terminal_names_the_columns_left_out(demo: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    _out, err = _on_terminal([*demo, "report", "--year", "2022"], 70, monkeypatch)
    assert "left out to fit 70 characters" in err
    assert "--format csv" in err and "wider window" in err
    _out, wide = _on_terminal([*demo, "report", "--year", "2022"], 250, monkeypatch)
    assert "left out" not in wide
