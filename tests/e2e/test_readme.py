"""The README's command table tells the truth: what it names exists, and what exists is in it.

In the manner of sqlite-utils' tests/test_docs.py: the table is read from README.md and checked
against the command tree the app builds (`build_app()`, walked through `typer.main.get_command`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import typer

from opd_desa.cli.main import build_app

README = Path(__file__).parents[2] / "README.md"
# described once under the table ("Every command that prints data takes --format ...")
SHARED_OPTIONS = {"--format", "--help"}


@dataclass
class Row:
    """One command form of the table (`agencies add CODE NAME [--alias A]...`), as written."""

    form: str
    paths: list[tuple[str, ...]] = field(default_factory=list)  # the commands it names, once read
    options: list[str] = field(default_factory=list)


def _table_forms() -> list[str]:
    """The backquoted forms of the first column of the table under "## Commands"."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    forms: list[str] = []
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        first_cell = re.split(r"(?<!\\)\|", line)[1]
        forms += re.findall(r"`([^`]+)`", first_cell)
    return forms


def _subcommands(command: Any) -> dict[str, Any]:
    """The visible subcommands of a group (Typer's groups have `commands`), {} for a command."""
    return {name: sub for name, sub in getattr(command, "commands", {}).items() if not sub.hidden}


def _long_options(command: Any) -> set[str]:
    return {opt for param in command.params for opt in (*param.opts, *param.secondary_opts) if opt.startswith("--")}


def _read(form: str, root: Any) -> Row:
    """Walk the command words of `form` down the tree (`import villages|agencies FILE` names two)."""
    row = Row(form)
    current: list[tuple[tuple[str, ...], Any]] = [((), root)]
    for token in form.replace("\\|", "|").split():
        if not re.fullmatch(r"[a-z][a-z-]*(\|[a-z][a-z-]*)*", token) or not all(_subcommands(c) for _p, c in current):
            break
        descended = []
        for path, command in current:
            for name in token.split("|"):
                assert name in _subcommands(command), f"README names `{' '.join([*path, name])}`: no such command"
                descended.append(((*path, name), _subcommands(command)[name]))
        current = descended
    row.paths = [path for path, _command in current]
    row.options = re.findall(r"--[a-z][a-z-]*", form)
    for option in row.options:
        for path, command in current:
            assert option in _long_options(command), f"README gives `{' '.join(path)}` the option {option}: it has none"
    return row


def _app_commands(command: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """Every command a person can run: the leaves, and groups that do something on their own."""
    found: dict[tuple[str, ...], Any] = {}
    subcommands = _subcommands(command)
    if path and (not subcommands or getattr(command, "invoke_without_command", False)):
        found[path] = command
    for name, sub in subcommands.items():
        found |= _app_commands(sub, (*path, name))
    return found


@pytest.fixture(scope="module")
def root() -> Any:
    return typer.main.get_command(build_app())


@pytest.fixture(scope="module")
def rows(root: Any) -> list[Row]:
    return [_read(form, root) for form in _table_forms()]


def test_the_table_is_found() -> None:
    assert len(_table_forms()) >= 20


def test_every_command_and_option_in_the_table_exists(rows: list[Row]) -> None:
    """Reading the rows asserts each name; a row must also name a command, not only a placeholder."""
    assert all(row.paths != [()] for row in rows), [row.form for row in rows if row.paths == [()]]


def test_every_command_of_the_app_is_in_the_table(root: Any, rows: list[Row]) -> None:
    documented = {path for row in rows for path in row.paths}
    missing = [" ".join(path) for path in _app_commands(root) if path not in documented]
    assert not missing, f"commands missing from README.md's command table: {missing}"


def test_every_option_of_a_command_is_in_its_row(root: Any, rows: list[Row]) -> None:
    commands = _app_commands(root)
    missing = [
        f"{' '.join(path)} {option}"
        for row in rows
        for path in row.paths
        if path in commands
        for option in sorted(_long_options(commands[path]) - SHARED_OPTIONS - set(row.options))
    ]
    assert not missing, f"options missing from README.md's command table: {missing}"


def test_the_global_options_are_named_under_the_table(root: Any) -> None:
    text = README.read_text(encoding="utf-8")
    missing = [option for option in sorted(_long_options(root)) if f"`{option}" not in text]
    assert not missing, missing


def test_a_misspelt_command_or_option_is_caught(root: Any) -> None:
    """The check itself: a row the app does not have fails, naming what is wrong."""
    with pytest.raises(AssertionError, match="`activity ad`: no such command"):
        _read("activity ad VILLAGE", root)
    with pytest.raises(AssertionError, match="option --colour"):
        _read("report [--colour]", root)
    assert _read("import villages|targets FILE [--sheet NAME]", root).paths == [
        ("import", "villages"),
        ("import", "targets"),
    ]
