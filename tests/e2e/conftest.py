"""Run the command line in-process (fast) and capture what a person would see."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from opd_desa.cli.main import main
from opd_desa.i18n import set_language


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Result]]:
    monkeypatch.delenv("OPD_DESA_DB", raising=False)
    monkeypatch.delenv("OPD_DESA_LANG", raising=False)

    def run(*args: str) -> Result:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    yield run
    set_language("en")  # `--lang id` in a test must not change the language of the tests after it
