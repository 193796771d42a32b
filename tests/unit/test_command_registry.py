"""The written-out command registry of cli/main.py matches what each command module registers."""

from __future__ import annotations

import importlib

from opd_desa.cli.main import COMMAND_MODULES, MODULES


def test_each_module_registers_exactly_the_commands_the_registry_gives_it() -> None:
    for module in MODULES:
        declared = set(importlib.import_module(f"opd_desa.cli.{module}").COMMANDS)
        listed = {name for name, owner in COMMAND_MODULES.items() if owner == module}
        assert declared == listed, f"cli/{module}.py declares {sorted(declared)}, the registry {sorted(listed)}"


def test_every_command_module_is_in_the_registry() -> None:
    from pathlib import Path

    import opd_desa.cli

    folder = Path(opd_desa.cli.__file__).parent
    with_commands = {p.stem for p in folder.glob("*.py") if "\nCOMMANDS = " in p.read_text(encoding="utf-8")}
    assert with_commands == set(MODULES)
