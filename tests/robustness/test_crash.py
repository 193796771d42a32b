"""Crash safety: `python -m opd_desa import poverty BIG.csv` killed with SIGKILL at any moment.

The database already holds figures (the "old" content); the file brings other figures for more
years (the "new" content). After the kill the file must pass `PRAGMA integrity_check` and hold
exactly the old content or exactly the new content, never a mix, and the next command must work.

Default: Jawa Tengah (8,563 villages) x 12 years, about 100,000 rows. With OPD_DESA_SLOW=1 also a
century of years for Jawa Tengah, about 856,000 rows (the size of a national ten-year file).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.robustness.helpers import (
    BigImport,
    copy_db,
    fingerprint,
    integrity,
    make_big_import,
    opd,
    run,
    subprocess_env,
)

pytestmark = pytest.mark.slow  # every test here kills a process importing a province

SLOW = os.environ.get("OPD_DESA_SLOW") == "1"
slow_only = pytest.mark.skipif(not SLOW, reason="national-size crash test: set OPD_DESA_SLOW=1")

# A wrapper around `python -m opd_desa` that kills its own process `delay` seconds after the import
# starts its COMMIT (SQLite releases the GIL while it writes, so the timer fires mid-commit).
KILL_IN_COMMIT = r"""
import os, signal, sqlite3, sys, threading
delay = float(os.environ["KILL_DELAY_AFTER_COMMIT"])
_connect = sqlite3.connect
def connect(*args, **kwargs):
    conn = _connect(*args, **kwargs)
    def trace(sql):
        if sql.strip().upper().startswith(("COMMIT", "END")):
            threading.Timer(delay, os.kill, (os.getpid(), signal.SIGKILL)).start()
    conn.set_trace_callback(trace)
    return conn
sqlite3.connect = connect
import runpy
sys.argv = ["opd_desa", *sys.argv[1:]]
runpy.run_module("opd_desa", run_name="__main__", alter_sys=True)
"""


@pytest.fixture(
    scope="module",
    params=["jawa-tengah-12-years", pytest.param("jawa-tengah-century", marks=slow_only)],
)
def scenario(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> BigImport:
    if request.param == "jawa-tengah-12-years":
        return request.getfixturevalue("jateng")  # shared with the backup test
    return make_big_import(tmp_path_factory.mktemp(request.param), "33", range(2000, 2100))


def _start_import(scenario: BigImport, db: Path, *, wrapper: str | None = None, **env: str) -> subprocess.Popen:
    args = opd("import", "poverty", str(scenario.big))
    if wrapper is not None:
        args = [sys.executable, "-c", wrapper, *args[3:]]
    return subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=subprocess_env(db, **env), text=True
    )


def _assert_old_or_new(scenario: BigImport, db: Path) -> str:
    assert integrity(db) == "ok"
    found = fingerprint(db)
    assert found in (scenario.old, scenario.new), f"a mix: {found}, old {scenario.old}, new {scenario.new}"
    return "new" if found == scenario.new else "old"


# moments: seconds after the start, or fractions of a complete run
MOMENTS = [("s", 0.2), ("s", 0.5), ("s", 1.0), ("of", 0.9)]


@pytest.mark.parametrize(("unit", "value"), MOMENTS, ids=[f"{v}{u}" for u, v in MOMENTS])
def test_sigkill_during_import_leaves_old_or_new_content(
    scenario: BigImport, tmp_path: Path, unit: str, value: float
) -> None:
    db = copy_db(scenario.old_db, tmp_path / "crash.db")
    delay = value if unit == "s" else value * scenario.duration
    process = _start_import(scenario, db)
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
    code = process.wait(timeout=60)
    err = process.stderr.read() if process.stderr else ""
    assert "Traceback" not in err
    assert code in (0, -signal.SIGKILL), (code, err)
    outcome = _assert_old_or_new(scenario, db)
    if code == 0:
        assert outcome == "new"


# the COMMIT of ~100,000 rows takes about 8 ms here: these land before, inside and after it
@pytest.mark.parametrize("delay", [0.0, 0.003, 0.006, 0.015])
def test_sigkill_during_the_final_commit_leaves_old_or_new_content(
    scenario: BigImport, tmp_path: Path, delay: float
) -> None:
    db = copy_db(scenario.old_db, tmp_path / "commit.db")
    process = _start_import(scenario, db, wrapper=KILL_IN_COMMIT, KILL_DELAY_AFTER_COMMIT=str(delay))
    code = process.wait(timeout=600)
    err = process.stderr.read() if process.stderr else ""
    out = process.stdout.read() if process.stdout else ""
    assert code == -signal.SIGKILL, f"the kill did not happen during the commit ({code}): {out} {err}"
    _assert_old_or_new(scenario, db)


def test_after_a_crash_the_next_commands_work_and_the_import_can_be_rerun(scenario: BigImport, tmp_path: Path) -> None:
    db = copy_db(scenario.old_db, tmp_path / "rerun.db")
    process = _start_import(scenario, db)
    try:
        process.wait(timeout=0.6 * scenario.duration)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    status = run("status", "--format", "json", db=db, timeout=30)
    assert status.code == 0, status.err
    assert "locked" not in status.err
    again = run("import", "poverty", str(scenario.big), db=db, timeout=1800)
    assert again.code == 0, again.err
    assert integrity(db) == "ok"
    assert fingerprint(db)[:4] == scenario.new[:4]  # the poverty table as a complete import leaves it


def test_sigkill_during_a_dry_run_changes_nothing(scenario: BigImport, tmp_path: Path) -> None:
    db = copy_db(scenario.old_db, tmp_path / "dry.db")
    process = subprocess.Popen(
        opd("import", "poverty", str(scenario.big), "--dry-run"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=subprocess_env(db),
    )
    try:
        process.wait(timeout=0.5 * scenario.duration)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert integrity(db) == "ok"
    assert fingerprint(db) == scenario.old
