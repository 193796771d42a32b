"""Fixtures of the robustness suite: a database full of example data, and a province-sized import."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from opd_desa.db import open_database
from opd_desa.services.example import load_example
from tests.robustness.helpers import BigImport, checkpoint, copy_db, make_big_import
from tests.support.once import built_once


@pytest.fixture(scope="session")
def example_template(templates: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Jepara with the seven launch agencies and the whole example (targets, figures, pairings, activities)."""
    path = tmp_path_factory.mktemp("robust-templates") / "example.db"
    shutil.copyfile(templates["jepara"], path)
    conn = open_database(path)
    load_example(conn)
    conn.close()
    checkpoint(path)
    return path


@pytest.fixture
def example_db(example_template: Path, tmp_path: Path) -> Path:
    return copy_db(example_template, tmp_path / "example.db")


@pytest.fixture
def make_example_db(example_template: Path, tmp_path: Path) -> Callable[[str], Path]:
    def make(name: str) -> Path:
        return copy_db(example_template, tmp_path / name)

    return make


@pytest.fixture(scope="session")
def jateng(tmp_path_factory: pytest.TempPathFactory) -> BigImport:
    """Jawa Tengah (8,563 villages) with two years of figures, and a file of twelve years (~100,000 rows);
    built once per run and shared by the xdist workers (its tests copy the database, never change it)."""
    return built_once(tmp_path_factory, "jateng", lambda folder: make_big_import(folder, "33", range(2010, 2022)))
