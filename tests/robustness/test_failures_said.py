"""What went wrong is said in one true line: a full disk is not damage, a read-only file still reads,
Ctrl-C says nothing was changed (issue 12, items 7, 10, 15, 16)."""

from __future__ import annotations

import gc
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.robustness.helpers import Result, assert_readable_failure, opd, run, subprocess_env


class _FullDisk:
    """A connection whose backup meets a full disk, as SQLite reports it."""

    def backup(self, target: sqlite3.Connection) -> None:
        raise sqlite3.OperationalError("database or disk is full")


def test_item7_backup_on_a_full_disk_says_the_disk_is_full(tmp_path: Path) -> None:
    from opd_desa.errors import DiskFull
    from opd_desa.services.backup import backup_database

    target = tmp_path / "copy.db"
    with pytest.raises(DiskFull, match="the disk is full") as caught:
        backup_database(_FullDisk(), target)  # type: ignore[arg-type]
    assert "damaged" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []  # neither the copy nor its temporary file is left


@pytest.fixture
def read_only_db(example_db: Path, tmp_path: Path) -> Iterator[Path]:
    """The example database on a read-only filesystem (root: a tmpfs remounted read-only), else a
    read-only file in a read-only folder."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() == 0:
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)], check=False).returncode:
            pytest.skip("cannot mount a tmpfs here")
        shutil.copyfile(example_db, folder / "ro.db")
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        try:
            yield folder / "ro.db"
        finally:
            gc.collect()  # close the connections the in-process commands left open, so the unmount succeeds
            subprocess.run(["umount", "--lazy", str(folder)], check=False)
        return
    shutil.copyfile(example_db, folder / "ro.db")
    (folder / "ro.db").chmod(0o444)
    folder.chmod(0o555)
    try:
        yield folder / "ro.db"
    finally:
        folder.chmod(0o755)


def test_item10_a_read_only_database_opens_for_reading(cli: Callable[..., Result], read_only_db: Path) -> None:
    db = ("--db", str(read_only_db))
    for args in (("status",), ("report",), ("agencies",), ("log",)):
        result = cli(*db, *args)
        assert result.code == 0, (args, result.err)
    change = cli(*db, "agencies", "add", "BARU", "Badan Baru")
    assert_readable_failure(change, allowed=(1,))
    assert "the database is read-only" in change.err and "another opd-desa command" not in change.err


def test_item10_each_database_trouble_is_named() -> None:
    from opd_desa.cli.main import _database_trouble

    said = {
        text: _database_trouble(sqlite3.OperationalError(text))
        for text in (
            "database is locked",
            "attempt to write a readonly database",
            "no such table: targets",
            "database or disk is full",
        )
    }
    assert said["database is locked"].startswith("another opd-desa command is using the database")
    assert said["attempt to write a readonly database"].startswith("the database is read-only")
    assert "run `opd-desa check`" in said["no such table: targets"]
    assert said["database or disk is full"].startswith("the disk is full")
    assert sum("another opd-desa command" in line for line in said.values()) == 1


def test_item10_a_missing_table_points_to_check(cli: Callable[..., Result], example_db: Path) -> None:
    conn = sqlite3.connect(example_db)
    conn.execute("DROP TABLE targets")
    conn.commit()
    conn.close()
    result = cli("--db", str(example_db), "report")
    assert_readable_failure(result, allowed=(1,))
    assert "run `opd-desa check`" in result.err


def test_item15_one_line_errors(cli: Callable[..., Result], example_db: Path) -> None:
    huge = cli("--db", str(example_db), "log", "--limit", "9223372036854775808")
    assert_readable_failure(huge, allowed=(2,))
    assert "--limit" in huge.err

    conn = sqlite3.connect(example_db)
    conn.execute(
        "UPDATE pairings SET since = '13/10/2021' WHERE id = (SELECT min(id) FROM pairings WHERE until IS NULL)"
    )
    conn.commit()
    conn.close()
    scorecard = cli("--db", str(example_db), "scorecard")
    assert_readable_failure(scorecard, allowed=(1,))
    assert "'13/10/2021', which is not a date" in scorecard.err and "opd-desa check" in scorecard.err
    assert cli("--db", str(example_db), "export", str(example_db.parent / "e"), "--xlsx").code == 0


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_item15_output_to_a_full_device(example_db: Path) -> None:
    for args in (("report",), ("report", "--format", "json")):
        with open("/dev/full", "w") as full:
            done = subprocess.run(
                opd(*args), stdout=full, stderr=subprocess.PIPE, text=True, env=subprocess_env(example_db), check=False
            )
        assert done.returncode == 1, done.stderr
        assert done.stderr.strip().splitlines() == [
            "error: the disk is full (No space left on device); free some space and run the command again"
        ]


def test_item16_ctrl_c_says_nothing_was_changed(example_db: Path) -> None:
    process = subprocess.Popen(
        opd("import", "poverty", "-"),  # waits for standard input that never ends
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env(example_db),
    )
    time.sleep(3)  # into the command, reading its input
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.strip() == "error: interrupted; nothing was changed by the unfinished command"
    assert "Traceback" not in err and out == ""
    assert run("status", db=example_db).code == 0


def test_item16_interrupt_is_not_swallowed_by_typer(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In process: a Ctrl-C inside a command reaches `main` (not Typer's silent Exit(130))."""
    import opd_desa.cli.main as main_module

    def interrupted(args: list[str], env: object) -> int:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)  # the handler raises before this ends
        return 0

    monkeypatch.setattr(main_module, "program", interrupted)
    result = cli("status")
    assert result.code == 130
    assert "interrupted; nothing was changed" in result.err
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back


def test_item10_read_only_folder_reads_a_pending_wal_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a folder that cannot be written, `immutable` would skip changes still in the -wal file."""
    from opd_desa.db import read_only_mode

    db = tmp_path / "x.db"
    db.write_bytes(b"")
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != tmp_path)
    assert read_only_mode(db) == "immutable=1"
    Path(f"{db}-wal").write_bytes(b"pending")
    assert read_only_mode(db) == "mode=ro"
