"""What every robustness test checks: a failure a person can read, and a database left as it was."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.support.cli import Result

OK_CODES = (0, 1)
MAX_MESSAGE_LINES = 40  # an import may list its first 20 errors plus a few lines around them


def dump(path: Path) -> str:
    """Every row and schema object of the database, read by a fresh connection (WAL included)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def query(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def poverty_fingerprint(path: Path) -> tuple:
    """Count and checksums of the poverty table: tells "old" from "new" content at a glance."""
    conn = sqlite3.connect(path)
    try:
        return tuple(
            conn.execute(
                "SELECT count(*), round(total(rate), 4), total(coalesce(poor, 0)), total(year * rate) FROM poverty"
            ).fetchone()
        )
    finally:
        conn.close()


def assert_readable_failure(result: Result, *, allowed: tuple[int, ...] = OK_CODES) -> None:
    """Exit status the contract allows, nothing a programmer would see, and a message on failure."""
    text = result.out + result.err
    assert result.code in allowed, (result.code, result.out[-2000:], result.err[-2000:])
    assert "Traceback" not in text, text[-3000:]
    assert "unexpected internal error" not in result.err, result.err[-3000:]
    assert "database is locked" not in result.err, result.err
    if result.code != 0:
        assert result.err.strip(), "a failed command must say why on stderr"


def copy_db(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    return target


def checkpoint(path: Path) -> None:
    """Fold the WAL into the main file, so a plain file copy is the whole database."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def subprocess_env(db: Path | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("OPD_DESA_DB", "OPD_DESA_LANG", "OPD_DESA_DEBUG")}
    env["NO_COLOR"] = "1"
    if db is not None:
        env["OPD_DESA_DB"] = str(db)
    env.update(extra)
    return env


def opd(*args: str) -> list[str]:
    """The command line that runs opd-desa with this interpreter."""
    return [sys.executable, "-m", "opd_desa", *args]


def run(*args: str, db: Path | None = None, timeout: float = 120, **env: str) -> Result:
    done = subprocess.run(
        opd(*args), capture_output=True, text=True, env=subprocess_env(db, **env), timeout=timeout, check=False
    )
    return Result(done.returncode, done.stdout, done.stderr)


def write_figures(path: Path, codes: list[str], years: range, seed: str, source: str) -> int:
    """A poverty CSV with a figure (rate, poor, population) for every village and year; returns the rows."""
    import random

    rng = random.Random(seed)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("village,year,rate,poor,population,source\n")
        for code in codes:
            population = rng.randrange(500, 20_000)
            for year in years:
                poor = rng.randrange(0, population // 4)
                f.write(f"{code},{year},{poor * 100 / population:.2f},{poor},{population},{source} {year % 3}\n")
                rows += 1
    return rows


def fingerprint(path: Path) -> tuple:
    """Poverty content (count and checksums), and the tables an import writes beside it."""
    return (
        *query(
            path,
            "SELECT count(*), round(total(rate), 2), round(total(rate * year), 2), count(DISTINCT source_id) "
            "FROM poverty",
        )[0],
        query(path, "SELECT count(*) FROM change_log")[0][0],
        query(path, "SELECT count(*) FROM sources")[0][0],
    )


@dataclass(frozen=True)
class BigImport:
    """A province database holding "old" figures, and a big file of "new" ones."""

    old_db: Path  # checkpointed: copy it before every run
    big: Path
    old: tuple  # fingerprint() before the import
    new: tuple  # fingerprint() after a complete import
    duration: float  # seconds a complete `import poverty BIG` takes, process start to exit
    rows: int


def make_big_import(folder: Path, region: str, years: range) -> BigImport:
    import time

    db = folder / "old.db"
    made = run("--db", str(db), "init", "--region", region, timeout=600)
    assert made.code == 0, made.err
    codes = [c for (c,) in query(db, "SELECT code FROM villages ORDER BY code")]
    old_file = folder / "old.csv"
    write_figures(old_file, codes, range(years.start, years.start + 2), "old", "DTKS lama")
    loaded = run("--db", str(db), "import", "poverty", str(old_file), timeout=600)
    assert loaded.code == 0, loaded.err
    checkpoint(db)
    big = folder / "BIG.csv"
    rows = write_figures(big, codes, years, "new", "DTKS baru")
    complete = copy_db(db, folder / "complete.db")
    started = time.perf_counter()
    done = run("--db", str(complete), "import", "poverty", str(big), timeout=1800)
    duration = time.perf_counter() - started
    assert done.code == 0, done.err
    scenario = BigImport(db, big, fingerprint(db), fingerprint(complete), duration, rows)
    assert scenario.old != scenario.new
    assert scenario.new[0] == len(codes) * len(years)
    complete.unlink()
    return scenario
