"""The README's tour, run verbatim from an empty folder with the installed `opd-desa`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def tour_commands() -> list[str]:
    """The shell lines of the first ```sh block after the heading "A tour", without their comments."""
    section = README.read_text(encoding="utf-8").split("\n## A tour\n", 1)[1]
    block = section.split("```sh\n", 1)[1].split("\n```", 1)[0]
    return [re.split(r"\s+#\s", line, maxsplit=1)[0].strip() for line in block.splitlines() if line.strip()]


def installed_command() -> str:
    found = shutil.which("opd-desa", path=str(Path(sys.executable).parent)) or shutil.which("opd-desa")
    if found is None:
        pytest.skip("opd-desa is not installed")
    return found


def test_readme_tour_runs_from_an_empty_folder_and_ends_on_a_scorecard_with_numbers(tmp_path: Path) -> None:
    commands = tour_commands()
    assert commands[0].startswith("opd-desa demo --files") and "tests/" not in "\n".join(commands)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPD_DESA_")}
    env.update(PATH=f"{Path(installed_command()).parent}{os.pathsep}{env.get('PATH', '')}", COLUMNS="200")
    outputs: dict[str, str] = {}
    for command in commands:
        done = subprocess.run(command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        outputs[command] = done.stdout
    scorecard = next(out for command, out in outputs.items() if command.startswith("opd-desa scorecard"))
    assert re.search(r"Sowan Kidul\s+2021-10-13\s+2020\s+\d+\.\d\d\s+\d+\.\d\d", scorecard), scorecard
    assert re.search(r"Mean change of the 3 mentored villages since their baseline: -?\d+\.\d\d", scorecard)
    assert (tmp_path / "laporan.html").stat().st_size > 0
