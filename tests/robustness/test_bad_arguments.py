"""Bad arguments on every command.

Exit 2 for what the argument parser rejects (unknown option, missing argument, `--year abc`), exit 1
for what the tool checks (empty names, impossible dates, negative money, unknown formats, ids that
do not exist, ...). Either way: a short message (a few lines), no traceback, and the database as it
was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.robustness.helpers import assert_readable_failure, dump, query

MAX_LINES = 6  # typer's usage error is four lines; the tool's own errors are one or two

COMMANDS = [
    ["init"],
    ["demo"],
    ["villages"],
    ["agencies"],
    ["agencies", "add", "X", "Y"],
    ["agencies", "rename", "Bappeda", "Y"],
    ["assign", "Clering", "DLH"],
    ["reassign", "Tulakan", "DLH"],
    ["unassign", "Tulakan"],
    ["pairings"],
    ["history", "Tulakan"],
    ["activity", "add", "Tulakan", "--date", "2023-01-01", "--kind", "k", "--title", "t"],
    ["activity", "list"],
    ["activity", "remove", "1"],
    ["poverty", "set", "Tulakan", "2020", "5"],
    ["poverty", "show", "Tulakan"],
    ["target", "set", "2022", "8"],
    ["target", "list"],
    ["report"],
    ["scorecard"],
    ["trend"],
    ["status"],
    ["export", "out"],
    ["backup", "copy.db"],
    ["log"],
    *[["import", kind, "x.csv"] for kind in ("villages", "agencies", "poverty", "pairings", "activities", "targets")],
]
WITH_FORMAT = [
    ["villages"],
    ["agencies"],
    ["pairings"],
    ["history", "Tulakan"],
    ["activity", "list"],
    ["poverty", "show", "Tulakan"],
    ["target", "list"],
    ["report"],
    ["scorecard"],
    ["trend"],
    ["status"],
    ["log"],
    ["import", "targets", "x.csv"],
]
WITH_YEAR = [["report"], ["scorecard"], ["activity", "list"]]

# exit 2: the argument parser
PARSER_REJECTS = [
    ["frobnicate"],
    ["--lang", "fr", "status"],
    ["--db"],
    ["assign", "Tulakan"],
    ["assign"],
    ["reassign", "Tulakan"],
    ["history"],
    ["activity", "add", "Tulakan", "--kind", "k", "--title", "t"],
    ["activity", "add", "Tulakan", "--date", "2023-01-01", "--title", "t"],
    ["activity", "add", "Tulakan", "--date"],
    ["activity", "remove"],
    ["activity", "frobnicate"],
    ["poverty", "set", "Tulakan", "abc", "5"],
    ["poverty", "set", "Tulakan"],
    ["target", "set", "abc", "8"],
    ["target", "set", "2022"],
    ["log", "--limit", "-1"],
    ["log", "--limit", "abc"],
    ["status", "extra"],
    ["import", "people", "x.csv"],
    ["import", "poverty"],
    ["agencies", "add", "X"],
    ["report", "--year", "abc"],
    ["report", "--year", "20.5"],
    ["report", "--year", ""],
    ["scorecard", "--year", "abc"],
    ["activity", "list", "--year", "abc"],
    ["export"],
    ["backup"],
]

# exit 1: what the tool checks; (arguments, a fragment the message must contain)
TOOL_REJECTS = [
    (["assign", "", "Bappeda"], "empty"),
    (["assign", "   ", "Bappeda"], "empty"),
    (["assign", "Clering", ""], "empty"),
    (["assign", "Atlantis", "DLH"], "Atlantis"),
    (["assign", "Clering", "Nobody"], "Nobody"),
    (["assign", "Clering", "DLH", "--since", "31/02/2022"], "--since"),
    (["assign", "Clering", "DLH", "--since", "2022-13-01"], "--since"),
    (["assign", "Clering", "DLH", "--since", "1890-01-01"], "2000"),
    (["assign", "Clering", "DLH", "--since", "2150-01-01"], "2100"),
    (["assign", "Clering", "DLH", "--since", "tomorrow"], "--since"),
    (["assign", "Clering", "DLH", "--since", "13 Okt 21"], "not a date"),  # 13/10/21 is 2021 (SPEC)
    (["assign", "Clering", "DLH", "--since", "2021-10-13T10:00"], "time"),
    (["assign", "Clering", "DLH", "--since", ""], "--since"),
    (["assign", "Tulakan", "DLH", "--since", "2019-01-01"], "BAPPEDA"),
    (["assign", "Clering", "Bappeda"], "Tulakan"),
    (["reassign", "Tulakan", "Bappeda"], "already"),
    (["reassign", "Clering", "DLH"], "no mentor"),
    (["reassign", "Tulakan", "DLH", "--since", "29/02/2023"], "--since"),
    (["unassign", "Clering"], "no mentor"),
    (["unassign", "Tulakan", "--until", "2020-01-01"], "2021-10-13"),
    (["unassign", "Tulakan", "--until", "32/01/2024"], "--until"),
    (["pairings", "--as-of", "00/00/0000"], "--as-of"),
    (["history", ""], "empty"),
    (["history", "Atlantis"], "Atlantis"),
    (["history", "%"], "%"),
    (["activity", "add", "", "--date", "2023-01-01", "--kind", "k", "--title", "t"], "empty"),
    (["activity", "add", "Tulakan", "--date", "2023-01-01", "--kind", "", "--title", "t"], "--kind"),
    (["activity", "add", "Tulakan", "--date", "2023-01-01", "--kind", "k", "--title", ""], "--title"),
    (["activity", "add", "Tulakan", "--date", "2023-01-01", "--kind", "k", "--title", "  \t "], "--title"),
    (["activity", "add", "Tulakan", "--date", "31/02/2022", "--kind", "k", "--title", "t"], "--date"),
    (
        ["activity", "add", "Tulakan", "--date", "2023-01-01", "--kind", "k", "--title", "t", "--budget", "-5"],
        "--budget",
    ),
    (
        ["activity", "add", "Tulakan", "--date", "2023-01-01", "--kind", "k", "--title", "t", "--budget", "Rp -5"],
        "--budget",
    ),
    (
        ["activity", "add", "Tulakan", "--date", "2023-01-01", "--kind", "k", "--title", "t", "--budget", "Rp 1,5"],
        "--budget",
    ),
    (
        ["activity", "add", "Tulakan", "--date", "2023-01-01", "--kind", "k", "--title", "t", "--budget", "1e9"],
        "--budget",
    ),
    (
        [
            "activity",
            "add",
            "Tulakan",
            "--date",
            "2023-01-01",
            "--kind",
            "k",
            "--title",
            "t",
            "--budget",
            "99999999999999999999",
        ],
        "--budget",
    ),
    (
        ["activity", "add", "Tulakan", "--date", "2023-01-01", "--kind", "k", "--title", "t", "--spent", "abc"],
        "--spent",
    ),
    (
        ["activity", "add", "Tulakan", "--date", "2023-01-01", "--kind", "k", "--title", "t", "--households", "-1"],
        "--households",
    ),
    (
        ["activity", "add", "Tulakan", "--date", "2023-01-01", "--kind", "k", "--title", "t", "--beneficiaries", "1.5"],
        "--beneficiaries",
    ),
    (["activity", "add", "Clering", "--date", "2023-01-01", "--kind", "k", "--title", "t"], "--agency"),
    (
        ["activity", "add", "Tulakan", "--date", "2023-01-01", "--kind", "k", "--title", "t", "--agency", "Nobody"],
        "Nobody",
    ),
    (["activity", "remove", "99999"], "99999"),
    (["activity", "remove", "0"], "ID"),
    (["activity", "remove", "abc"], "ID"),
    (["activity", "remove", ""], "ID"),
    (["activity", "remove", "99999999999999999999999"], "ID"),
    (["activity", "list", "--year", "1890"], "--year"),
    (["activity", "list", "--year", "99999"], "--year"),
    (["activity", "list", "--village", "Atlantis"], "Atlantis"),
    (["activity", "list", "--village", "%"], "%"),
    (["activity", "list", "--agency", "%"], "%"),
    (["poverty", "set", "Tulakan", "1890", "5"], "YEAR"),
    (["poverty", "set", "Tulakan", "2150", "5"], "YEAR"),
    (["poverty", "set", "Tulakan", "2020", "150"], "RATE"),
    (["poverty", "set", "Tulakan", "2020", "100,01"], "RATE"),
    (["poverty", "set", "Tulakan", "2020", "NaN"], "RATE"),
    (["poverty", "set", "Tulakan", "2020", "inf"], "RATE"),
    (["poverty", "set", "Tulakan", "2020"], "RATE"),
    (["poverty", "set", "Tulakan", "2020", "--poor", "10"], "population"),
    (["poverty", "set", "Tulakan", "2020", "--poor", "10", "--population", "5"], "population"),
    (["poverty", "set", "Tulakan", "2020", "--poor", "10", "--population", "0"], "population"),
    (["poverty", "set", "Tulakan", "2020", "--poor", "-10", "--population", "100"], "--poor"),
    (["poverty", "set", "Tulakan", "2020", "5", "--poor", "10", "--population", "1000"], "agree"),
    (["poverty", "set", "", "2020", "5"], "empty"),
    (["poverty", "show", ""], "empty"),
    (["poverty", "show", "Atlantis"], "Atlantis"),
    (["target", "set", "2022", "150"], "VALUE"),
    (["target", "set", "1999", "8"], "YEAR"),
    (["target", "set", "2022", ""], "VALUE"),
    (["report", "--year", "1890"], "--year"),
    (["report", "--by", "desa"], "--by"),
    (["report", "--sort", "foo"], "--sort"),
    (["report", "--paired", "--unpaired"], "--paired"),
    (["report", "--kecamatan", "Atlantis"], "Atlantis"),
    (["report", "--kecamatan", "%"], "%"),
    (["report", "--agency", "Nobody"], "Nobody"),
    (["report", "--output", "/nonexistent/dir/x.html"], "--output"),
    (["report", "--output", "laporan.pdf"], ".pdf"),
    (["scorecard", "--year", "3000"], "--year"),
    (["trend", "Atlantis"], "Atlantis"),
    (["villages", "--kecamatan", "Atlantis"], "Atlantis"),
    (["villages", "--kecamatan", "%"], "%"),
    (["agencies", "add", "", "Nama"], "code"),
    (["agencies", "add", "NEWX", ""], "name"),
    (["agencies", "add", "BAPPEDA", "Duplikat"], "BAPPEDA"),
    (["agencies", "add", "NEWY", "Nama Y", "--alias", "Bappeda"], "Bappeda"),
    (["agencies", "rename", "Nobody", "X"], "Nobody"),
    (["agencies", "rename", "Bappeda", ""], "name"),
    (["agencies", "rename", "Bappeda", "Baru", "--code", "DINKES"], "DINKES"),
    (["export", "{file}"], "file"),
    (["backup", "{file}"], "exists"),
    (["backup", "/nonexistent/dir/x.db"], "/nonexistent/dir"),
    (["import", "poverty", "/nonexistent/x.csv"], "x.csv"),
    (["init", "--region", "Atlantis"], "Atlantis"),
    (["init", "--region", "Semarang"], "33.22"),
    (["init", "--region", ""], "region"),
    (["demo", "--db", "{db}"], "demo"),
]


def _ids(args: list[str]) -> str:
    return " ".join(a if a else "''" for a in args)[:80]


@pytest.fixture
def run_bad(cli, example_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run a bad command line in a scratch folder; check the database is as it was."""
    monkeypatch.chdir(tmp_path)
    a_file = tmp_path / "afile.txt"
    a_file.write_text("ada\n", encoding="utf-8")

    def run(args: list[str]):
        filled = [a.format(file=a_file, db=example_db) for a in args]
        before = dump(example_db)
        # `demo` has its own --db; a lone `--db` is the parser's case
        own_db = filled[0] == "demo" or filled == ["--db"]
        result = cli(*filled) if own_db else cli("--db", str(example_db), *filled)
        assert_readable_failure(result, allowed=(1, 2))
        lines = [line for line in result.err.splitlines() if line.strip()]
        assert 1 <= len(lines) <= MAX_LINES, result.err
        assert dump(example_db) == before, "a refused command changed the database"
        assert not (tmp_path / "out").exists() and not (tmp_path / "copy.db").exists()
        return result

    return run


@pytest.mark.parametrize("args", PARSER_REJECTS, ids=_ids)
def test_what_the_parser_rejects_exits_2(run_bad, args: list[str]) -> None:
    result = run_bad(args)
    assert result.code == 2, result.err
    assert "Usage" in result.err or "Error" in result.err
    assert result.out == ""


@pytest.mark.parametrize(("args", "fragment"), TOOL_REJECTS, ids=[_ids(a) for a, _f in TOOL_REJECTS])
def test_what_the_tool_checks_exits_1_saying_what_is_wrong(run_bad, args: list[str], fragment: str) -> None:
    result = run_bad(args)
    assert result.code == 1, result.err
    assert fragment in result.err, result.err
    assert result.err.startswith("error:"), result.err


@pytest.mark.parametrize("args", COMMANDS, ids=_ids)
def test_an_unknown_option_on_every_command_exits_2(run_bad, args: list[str]) -> None:
    result = run_bad([*args, "--no-such-option"])
    assert result.code == 2, result.err
    assert "--no-such-option" in result.err


@pytest.mark.parametrize("value", ["xml", "", "JSONX", "tabel"])
@pytest.mark.parametrize("args", WITH_FORMAT, ids=_ids)
def test_an_unknown_format_on_every_command_exits_1_listing_the_formats(run_bad, args: list[str], value: str) -> None:
    result = run_bad([*args, "--format", value])
    assert result.code == 1, result.err
    assert "--format" in result.err and "json" in result.err


@pytest.mark.parametrize("value", ["abc", "20x0", "MMXX", "٢٠٢٠", "2020-01"])
@pytest.mark.parametrize("args", WITH_YEAR, ids=_ids)
def test_a_year_that_is_not_a_number_exits_2(run_bad, args: list[str], value: str) -> None:
    result = run_bad([*args, "--year", value])
    assert result.code == 2, result.err
    assert "--year" in result.err


@pytest.mark.parametrize(
    "name",
    ["Tulakan\x00", "Tulakan\nBappeda", "\x1b[31mTulakan", "x" * 100_000, "Tulakan'; DROP TABLE villages;--"],
    ids=["nul", "newline", "escape", "100k", "sql"],
)
@pytest.mark.parametrize("where", ["assign-village", "assign-agency", "history", "poverty-show", "report-kecamatan"])
def test_strange_names_get_a_short_message(run_bad, example_db: Path, name: str, where: str) -> None:
    args = {
        "assign-village": ["assign", name, "DLH"],
        "assign-agency": ["assign", "Clering", name],
        "history": ["history", name],
        "poverty-show": ["poverty", "show", name],
        "report-kecamatan": ["report", "--kecamatan", name],
    }[where]
    result = run_bad(args)
    assert result.code == 1, result.err
    assert len(result.err) < 1000, f"{len(result.err)} characters of stderr"
    assert query(example_db, "SELECT count(*) FROM villages") == [(195,)]


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([b"assign", b"Tul\xe9kan", b"Bappeda"], id="assign"),
        pytest.param([b"history", b"Tul\xe9kan"], id="history"),
        pytest.param([b"poverty", b"show", b"Tul\xe9kan"], id="poverty-show"),
        pytest.param([b"agencies", b"add", b"DX", b"Dinas \xe9"], id="agencies-add"),
        pytest.param(
            [b"activity", b"add", b"Tulakan", b"--date", b"2023-01-01", b"--kind", b"k", b"--title", b"Pelatihan \xe9"],
            id="activity-title",
        ),
        pytest.param([b"report", b"--kecamatan", b"Donor\xe9jo"], id="report-kecamatan"),
        pytest.param([b"villages", b"--kecamatan", b"Donor\xe9jo"], id="villages-kecamatan"),
    ],
)
def test_an_argument_typed_in_a_latin1_terminal(example_db: Path, args: list[bytes]) -> None:
    """Bytes that are not UTF-8 on the command line: refused, naming the argument, before anything is read."""
    import subprocess
    import sys

    from tests.robustness.helpers import subprocess_env
    from tests.support.cli import Result

    before = dump(example_db)
    done = subprocess.run(
        [sys.executable.encode(), b"-m", b"opd_desa", *args],
        capture_output=True,
        env=subprocess_env(example_db),
        timeout=60,
    )
    result = Result(done.returncode, done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace"))
    assert_readable_failure(result)
    assert result.code == 1, result.out
    assert "not valid UTF-8" in result.err, result.err
    assert dump(example_db) == before


def test_indonesian_messages_are_short_too(run_bad) -> None:
    result = run_bad(["--lang", "id", "assign", "", "Bappeda"])
    assert result.code == 1
    assert "kosong" in result.err.lower()  # "empty", in Bahasa Indonesia


@pytest.mark.parametrize("code", ["  ", "\t"])
def test_renaming_an_agency_to_a_blank_code_is_refused(cli, example_db: Path, code: str) -> None:
    before = dump(example_db)
    result = cli("--db", str(example_db), "agencies", "rename", "Bappeda", "Badan Baru", "--code", code)
    assert_readable_failure(result)
    assert query(example_db, "SELECT count(*) FROM agencies WHERE trim(code) = ''") == [(0,)]
    assert result.code == 1, result.out
    assert dump(example_db) == before


def test_removing_an_activity_twice_never_removes_another(cli, example_db: Path) -> None:
    """A script that retries `activity remove 27` must not delete the activity added in between."""
    first = cli("--db", str(example_db), "activity", "add", "Tulakan", "--date", "2023-06-01", "--kind", "pelatihan",
                "--title", "Dicatat keliru")  # fmt: skip
    assert first.code == 0, first.err
    activity_id = first.out.split("#")[1].split(":")[0]
    assert cli("--db", str(example_db), "activity", "remove", activity_id).code == 0
    second = cli("--db", str(example_db), "activity", "add", "Tulakan", "--date", "2023-06-02", "--kind", "pelatihan",
                 "--title", "Pelatihan yang benar")  # fmt: skip
    assert second.code == 0, second.err
    again = cli("--db", str(example_db), "activity", "remove", activity_id)
    assert_readable_failure(again)
    assert query(example_db, "SELECT count(*) FROM activities WHERE title = 'Pelatihan yang benar'") == [(1,)]
    assert again.code == 1
