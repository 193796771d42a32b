"""Every command has help with an example (as sqlite-utils' test_docs does)."""

from __future__ import annotations

import pytest
import typer
from typer.main import get_command

from opd_desa.cli.main import build_app


def _commands() -> list[tuple[str, typer.core.TyperCommand]]:
    root = get_command(build_app())
    found: list[tuple[str, typer.core.TyperCommand]] = []

    def walk(prefix: str, command: typer.core.TyperCommand) -> None:
        found.append((prefix, command))
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(f"{prefix} {name}".strip(), sub)

    walk("", root)
    return found


@pytest.mark.parametrize(("name", "command"), _commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_has_help_with_an_example(name: str, command: typer.core.TyperCommand) -> None:
    assert command.help, f"'{name}' has no help"
    assert "Example: opd-desa" in command.help, f"'{name}' has no example"


def test_the_contract_commands_exist() -> None:
    names = {name for name, _ in _commands()}
    assert {
        "init",
        "demo",
        "assign",
        "reassign",
        "unassign",
        "pairings",
        "history",
        "villages",
        "agencies",
        "agencies add",
        "agencies rename",
        "poverty set",
        "poverty show",
        "target set",
        "target list",
        "report",
        "activity add",
        "activity list",
        "activity remove",
        "status",
        "export",
        "backup",
        "log",
        "import poverty",
        "import villages",
        "import agencies",
        "import pairings",
        "import activities",
        "import targets",
        "scorecard",
        "trend",
        "forms",
        "reporting",
    } <= names


def test_every_command_is_mapped_to_the_module_that_registers_it() -> None:
    from opd_desa.cli.main import command_modules

    top_level = {name for name, _ in _commands() if name and " " not in name}
    assert top_level == set(command_modules())
    for name, module in command_modules().items():
        commands = {n for n, _ in _commands_of(build_app(name))}
        assert name in commands, f"{name} is not registered by cli/{module}.py"


def _commands_of(app: typer.Typer) -> list[tuple[str, object]]:
    root = get_command(app)
    return [(n, c) for n, c in root.commands.items()]
