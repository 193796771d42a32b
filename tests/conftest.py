"""Shared fixtures: the in-process command line, and databases with official regions loaded once per
session (per xdist worker) and copied per test."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from opd_desa.db import open_database
from opd_desa.i18n import set_language
from opd_desa.services.agencies import AgencyData, upsert_agency
from opd_desa.services.setup import init_database
from tests.support.cli import Cli, quiet_environment, run_in_process

JEPARA = "33.20"
BLORA = "33.16"
LAUNCH_AGENCIES = [
    AgencyData("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", ("Bappeda", "Bapeda")),
    AgencyData("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah"),
    AgencyData("DISDIKPORA", "Dinas Pendidikan, Pemuda dan Olahraga", ("Disdikpora", "Dikpora")),
    AgencyData("DISKOMINFO", "Dinas Komunikasi dan Informatika", ("Kominfo",)),
    AgencyData("DISKAN", "Dinas Perikanan", ("Diskan",)),
    AgencyData("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", ("DPPUPR", "Dinas PUPR")),
    AgencyData("DINKES", "Dinas Kesehatan", ("Dinkes",)),
]


def _template(folder: Path, name: str, regions: list[str]) -> Path:
    path = folder / name
    conn, _result = init_database(path, regions)
    conn.execute("BEGIN IMMEDIATE")
    for agency in LAUNCH_AGENCIES:
        upsert_agency(conn, agency)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("templates")
    return {
        "jepara": _template(folder, "jepara.db", [JEPARA]),
        "jepara_blora": _template(folder, "jepara-blora.db", [JEPARA, BLORA]),
    }


@pytest.fixture
def make_db(templates: dict[str, Path], tmp_path: Path) -> Callable[[str], Path]:
    """A fresh copy of a template database (jepara, jepara_blora) with the seven launch agencies."""

    def make(name: str = "jepara") -> Path:
        target = tmp_path / f"{name}.db"
        shutil.copyfile(templates[name], target)
        return target

    return make


@pytest.fixture
def db_path(make_db: Callable[[str], Path]) -> Path:
    return make_db("jepara")


@pytest.fixture
def conn(db_path: Path) -> sqlite3.Connection:
    connection = open_database(db_path)
    yield connection
    connection.close()


@pytest.fixture
def samples() -> Path:
    return Path(__file__).parent / "fixtures" / "samples"


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    """Run `opd-desa ARGS...` in this process; returns exit status, stdout and stderr as a `Result`."""
    quiet_environment(monkeypatch)
    yield run_in_process
    set_language("en")  # `--lang id` in a test must not change the language of the tests after it
