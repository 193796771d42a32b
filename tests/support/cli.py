"""Run `opd-desa` in this process and capture what a person would see: the one home of `Result`."""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass

import pytest

from opd_desa.cli.main import main

# variables a developer's shell may hold that would change what a test sees (the locale picks the language)
USER_VARIABLES = ("OPD_DESA_DB", "OPD_DESA_LANG", "OPD_DESA_DEBUG", "LC_ALL", "LC_MESSAGES", "LANG")


@dataclass(frozen=True)
class Result:
    """Exit status, standard output and standard error of one run of the command line."""

    code: int
    out: str
    err: str


Cli = Callable[..., Result]


def run_in_process(*args: str) -> Result:
    """`opd-desa ARGS...` in this process, its output captured (also usable where pytest's capsys is not)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return Result(int(code), out.getvalue(), err.getvalue())


def quiet_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No database, language or debug setting from the developer's shell, and no colour."""
    for name in USER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
