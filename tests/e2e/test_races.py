"""Parallel commands on one file: the rule holds and nobody sees a locked database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from opd_desa.db import open_database

VILLAGES = [
    "Tulakan",
    "Ngabul",
    "Troso",
    "Lebak",
    "Geneng",
    "Kedungmalang",
    "Sowan Kidul",
    "Clering",
    "Sumberrejo",
    "Ujungwatu",
    "Banyumanis",
    "Bandungharjo",
]


@pytest.mark.slow
def test_twelve_assigns_for_one_agency_exactly_one_wins(db_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1", "OPD_DESA_DB": str(db_path)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "opd_desa", "assign", village, "Bappeda", "--since", "2021-10-13"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for village in VILLAGES
    ]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in processes]  # type: ignore[union-attr]
    codes = sorted(code for code, _out, _err in results)
    assert codes == [0] + [1] * 11, results
    for code, _out, err in results:
        assert "locked" not in err and "Traceback" not in err
        if code == 1:
            assert "BAPPEDA (Badan Perencanaan Pembangunan Daerah) already mentors" in err
    conn = open_database(db_path)
    assert conn.execute("SELECT count(*) FROM pairings").fetchone()[0] == 1
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
