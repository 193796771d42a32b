"""What the one output path promises: formats that agree with files, colour only on a terminal, exit statuses."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from opd_desa.cli.main import main
from opd_desa.environment import Environment
from opd_desa.errors import ExitStatus
from tests.support.cli import Result

Cli = Callable[..., Result]
ANSI = "\x1b["
RED = "\x1b[31m"  # above the target


def test_a_format_that_conflicts_with_the_output_file_is_refused(cli: Cli, db_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    result = cli("--db", str(db_path), "report", "--format", "json", "--output", str(target))
    assert result.code == ExitStatus.ERROR
    assert "--format json" in result.err and "r.html" in result.err and ".json" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not target.exists()


@pytest.mark.parametrize("args", [["--format", "json"], []])
def test_the_same_format_or_none_writes_the_file(cli: Cli, db_path: Path, tmp_path: Path, args: list[str]) -> None:
    target = tmp_path / "r.json"
    result = cli("--db", str(db_path), "report", *args, "--output", str(target))
    assert result.code == 0, result.err
    assert target.read_text(encoding="utf-8").lstrip().startswith("{")


def _run(db_path: Path, *args: str, isatty: bool, colors: bool) -> str:
    out = io.StringIO()
    env = Environment(stdout=out, stderr=io.StringIO(), stdout_isatty=isatty, colors=colors)
    assert main(["--db", str(db_path), *args], env) == 0
    return out.getvalue()


def test_tables_are_coloured_only_on_a_terminal_that_allows_colour(cli: Cli, db_path: Path) -> None:
    assert cli("--db", str(db_path), "poverty", "set", "Tulakan", "2020", "10,9").code == 0
    assert RED in _run(db_path, "report", "--year", "2020", isatty=True, colors=True)
    assert RED not in _run(db_path, "report", "--year", "2020", isatty=True, colors=False)  # NO_COLOR: bold at most
    piped = _run(db_path, "report", "--year", "2020", isatty=False, colors=True)
    assert ANSI not in piped and "Tulakan" in piped


def test_a_defect_exits_with_its_own_status(cli: Cli, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("broken view")

    monkeypatch.setattr("opd_desa.views.changes.changes_view", broken)
    result = cli("--db", str(db_path), "log")
    assert result.code == ExitStatus.INTERNAL == 70
    assert "unexpected internal error" in result.err and "broken view" in result.err
