"""No two modules of opd_desa import each other, directly or through others (late imports included).

A circle means neither module can be read, tested or moved without the other; it is how rules end
up in two places. The guard reads the source with `ast`, so it needs nothing installed or run.
"""

from __future__ import annotations

from pathlib import Path

import opd_desa
from tests.support.import_graph import cycles, describe, import_graph

PACKAGE = Path(opd_desa.__file__).parent


def test_opd_desa_has_no_import_cycles() -> None:
    found = cycles(import_graph(PACKAGE))
    assert not found, "modules that import each other:\n" + describe(found)


# --- the guard itself, on small packages written here ---------------------------------------------


def _package(root: Path, files: dict[str, str]) -> Path:
    """Write a package `pkg` under `root` from {relative path: source}; return its folder."""
    for name, source in {"__init__.py": "", **files}.items():
        path = root / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root / "pkg"


LAYERED = {
    "db.py": "import sqlite3\n",
    "services/__init__.py": "",
    "services/pairings.py": "from pkg import db\nfrom pkg.rules import FOREVER\n",
    "services/activities.py": "from pkg.services.pairings import in_force\nfrom ..rules import FOREVER\n",
    "rules.py": "FOREVER = '9999-12-31'\n",
    "cli.py": "import pkg.services.activities\n\ndef run():\n    from .services import pairings\n",
}


def test_a_layered_package_has_no_cycles(tmp_path: Path) -> None:
    graph = import_graph(_package(tmp_path, LAYERED))
    assert cycles(graph) == []
    assert graph["pkg.cli"] == {"pkg.services.activities", "pkg.services.pairings"}
    assert graph["pkg.services.activities"] == {"pkg.services.pairings", "pkg.rules"}
    assert graph["pkg.services.pairings"] == {"pkg.db", "pkg.rules"}
    assert graph["pkg.db"] == set()  # the standard library is not part of the graph


def test_a_circle_through_a_late_relative_import_is_found(tmp_path: Path) -> None:
    files = {**LAYERED, "services/pairings.py": "from pkg import db\n\ndef end():\n    from . import activities\n"}
    found = cycles(import_graph(_package(tmp_path, files)))
    assert found == [["pkg.services.activities", "pkg.services.pairings", "pkg.services.activities"]]


def test_a_longer_circle_is_named_module_by_module(tmp_path: Path) -> None:
    files = {**LAYERED, "rules.py": "from pkg.cli import run\n"}
    found = cycles(import_graph(_package(tmp_path, files)))
    assert found == [["pkg.cli", "pkg.services.activities", "pkg.rules", "pkg.cli"]]
    assert describe(found) == "pkg.cli -> pkg.services.activities -> pkg.rules -> pkg.cli"


def test_a_name_imported_from_a_package_points_at_the_package(tmp_path: Path) -> None:
    """`from pkg.services import helper` (a function in services/__init__.py) is an edge to the package."""
    files = {**LAYERED, "services/__init__.py": "from pkg.cli import run\n\ndef helper(): ...\n",
             "cli.py": "from pkg.services import helper\n"}  # fmt: skip
    found = cycles(import_graph(_package(tmp_path, files)))
    assert found == [["pkg.cli", "pkg.services", "pkg.cli"]]
