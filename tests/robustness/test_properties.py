"""Properties, checked with hypothesis.

1. Any bytes, written as a CSV file and imported as any kind, never raise past the command line
   (exit 0 or 1, no traceback, no "unexpected internal error") and leave the database exactly as
   it was when the import fails.
2. What the parsers accept round-trips: generated poverty figures and activities, written the way
   people type them, are imported, exported, imported into a fresh `init --region 33.20` database
   and exported again: the two exports are the same files.
"""

from __future__ import annotations

import csv
import datetime
import itertools
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opd_desa.imports.formats import FIELDS, KINDS
from tests.robustness.helpers import assert_readable_failure, checkpoint, copy_db, dump, integrity, query
from tests.support.cli import quiet_environment, run_in_process

EXPORT_FILES = ("villages.csv", "agencies.csv", "targets.csv", "poverty.csv", "pairings.csv", "activities.csv")
IMPORT_ORDER = ("villages", "agencies", "targets", "poverty", "pairings", "activities")
_counter = itertools.count()
# OPD_DESA_SLOW=1: many more, and random, examples (the default run is small and repeatable)
SLOW = os.environ.get("OPD_DESA_SLOW") == "1"
SCALE = 20 if SLOW else 1


invoke = run_in_process  # hypothesis cannot use function-scoped fixtures such as `cli`


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


@pytest.fixture(scope="module")
def example_dump(example_template: Path) -> str:
    return dump(example_template)


@pytest.fixture(scope="module")
def fresh_template(workdir: Path) -> Path:
    """A database made by `init --region 33.20` and nothing else."""
    path = workdir / "fresh.db"
    result = invoke("--db", str(path), "init", "--region", "33.20")
    assert result.code == 0, result.err
    checkpoint(path)
    return path


@pytest.fixture(autouse=True)
def _quiet_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    quiet_environment(monkeypatch)


def fresh_copy(template: Path, folder: Path, stem: str) -> Path:
    return copy_db(template, folder / f"{stem}-{next(_counter)}.db")


# --- 1. any bytes ---------------------------------------------------------------------------------

_HEADER_WORDS = sorted({alias for fields in FIELDS.values() for f in fields for alias in (f.name, *f.aliases)})
_CELL_ALPHABET = st.sampled_from(
    [
        *"aZ09 ,;|\t\"'\r\n%.-+=@/",
        "Tulakan",
        "33.20.16.2005",
        "3320162005",
        "Rp",
        "2020",
        "6,6",
        "100",
        "1.234",
        "Oktober",
        "é",
        "—",
        "\x00",
        "\ufeff",
    ]
)
_cells = st.lists(_CELL_ALPHABET, max_size=6).map("".join)


@st.composite
def csvish(draw: st.DrawFn) -> bytes:
    """Text that looks like a CSV of some kind (a real header, then junk cells), in some encoding."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(st.lists(st.one_of(st.sampled_from(_HEADER_WORDS), _cells), min_size=1, max_size=8))
    rows = draw(st.lists(st.lists(_cells, max_size=9), max_size=8))
    prefix = draw(st.sampled_from(["", "sep=;\r\n", "\ufeff", "\r\n\r\n"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = prefix + newline.join(delimiter.join(r) for r in [header, *rows]) + draw(st.sampled_from(["", newline]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "cp1252", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="replace")


@settings(
    max_examples=60 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=not SLOW,
)
@given(kind=st.sampled_from(KINDS), content=st.one_of(st.binary(max_size=3000), csvish()))
def test_any_bytes_imported_as_any_kind_fail_cleanly_and_change_nothing(
    example_template: Path, example_dump: str, workdir: Path, kind: str, content: bytes
) -> None:
    db = fresh_copy(example_template, workdir, "bytes")
    source = workdir / f"input-{next(_counter)}.csv"
    source.write_bytes(content)
    try:
        result = invoke("--db", str(db), "import", kind, str(source))
        assert_readable_failure(result)
        assert integrity(db) == "ok"
        if result.code != 0:
            assert dump(db) == example_dump, "a failed import changed the database"
    finally:
        for path in (db, source, Path(f"{db}-wal"), Path(f"{db}-shm")):
            path.unlink(missing_ok=True)


# --- 2. round trip ---------------------------------------------------------------------------------

# Villages of Jepara whose name is unique there; codes are written either way.
VILLAGES = [
    ("33.20.16.2005", "Tulakan"),
    ("33.20.16.2002", "Clering"),
    ("33.20.01.2006", "Sowan Kidul"),
    ("33.20.11.2001", "Ngabul"),
    ("33.20.15.2001", "Lebak"),
    ("33.20.05.2001", "Geneng"),
]
AGENCIES = [("BAPPEDA", "Bappeda"), ("DINKES", "Dinas Kesehatan"), ("DPUPR", "DPPUPR"), ("BPKAD", "bpkad")]
MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember"]  # fmt: skip

_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00")
    | st.sampled_from(list("=+-@'\" ,;|\t\n\r")),
    max_size=25,
)


def _village(code: str, name: str, style: int) -> str:
    return [code, code.replace(".", ""), name, f"Desa {name.upper()}"][style]


def _grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


def _rate_text(hundredths: int, style: int) -> str:
    whole, frac = divmod(hundredths, 100)
    plain = f"{whole}.{frac:02d}"
    return [plain, plain.replace(".", ","), plain.replace(".", ",") + "%", plain + " %"][style]


def _count_text(n: int, style: int) -> str:
    return [str(n), _grouped(n, "."), _grouped(n, ",")][style]


def _money_text(n: int, style: int) -> str:
    return [str(n), _grouped(n, "."), "Rp " + _grouped(n, "."), "Rp" + _grouped(n, ".") + ",00"][style]


def _date_text(day: object, style: int) -> str:
    d = day  # a datetime.date
    return [d.isoformat(), f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.day:02d}-{d.month:02d}-{d.year}",
            f"{d.day} {MONTHS_ID[d.month - 1]} {d.year}"][style]  # fmt: skip


@st.composite
def poverty_rows(draw: st.DrawFn) -> list[list[str]]:
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(VILLAGES), st.integers(2000, 2100)),
            min_size=1,
            max_size=12,
            unique_by=lambda k: (k[0][0], k[1]),
        )
    )
    rows = []
    for (code, name), year in keys:
        village = _village(code, name, draw(st.integers(0, 3)))
        shape = draw(st.sampled_from(["rate", "counts", "both"]))
        source = draw(st.one_of(st.none(), _text))
        if shape == "rate":
            rate, poor, population = _rate_text(draw(st.integers(0, 10000)), draw(st.integers(0, 3))), "", ""
        else:
            pop = draw(st.integers(1, 5_000_000))
            p = draw(st.integers(0, pop))
            poor, population = _count_text(p, draw(st.integers(0, 2))), _count_text(pop, draw(st.integers(0, 2)))
            rate = "" if shape == "counts" else _rate_text(round(p * 10000 / pop), draw(st.integers(0, 3)))
        rows.append([village, str(year), rate, poor, population, source or ""])
    return rows


@st.composite
def activity_rows(draw: st.DrawFn) -> list[list[str]]:
    n = draw(st.integers(1, 8))
    rows = []
    for i in range(n):
        code, name = draw(st.sampled_from(VILLAGES))
        agency = draw(st.sampled_from(AGENCIES))[draw(st.integers(0, 1))]
        day = draw(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31)))
        amount = st.one_of(st.none(), st.integers(0, 10**12))
        count = st.one_of(st.none(), st.integers(0, 10**7))
        budget, spent, households, beneficiaries = draw(amount), draw(amount), draw(count), draw(count)
        rows.append(
            [
                _village(code, name, draw(st.integers(0, 3))),
                agency,
                _date_text(day, draw(st.integers(0, 3))),
                "k" + draw(_text),
                f"{i} " + draw(_text),  # unique titles: no two rows share a key
                "" if budget is None else _money_text(budget, draw(st.integers(0, 3))),
                "" if spent is None else _money_text(spent, draw(st.integers(0, 3))),
                "" if households is None else _count_text(households, draw(st.integers(0, 2))),
                "" if beneficiaries is None else _count_text(beneficiaries, draw(st.integers(0, 2))),
                draw(_text),
                draw(_text),
            ]
        )
    return rows


def _write(path: Path, header: list[str], rows: list[list[str]], delimiter: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])


def _export(db: Path, folder: Path) -> dict[str, bytes]:
    result = invoke("--db", str(db), "export", str(folder))
    assert result.code == 0, result.err
    return {name: (folder / name).read_bytes() for name in EXPORT_FILES}


@pytest.mark.slow
@settings(
    max_examples=30 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=not SLOW,
)
@given(poverty=poverty_rows(), activities=activity_rows(), delimiter=st.sampled_from([",", ";", "\t", "|"]))
def test_accepted_rows_round_trip_through_export_and_import(
    templates: dict[str, Path],
    fresh_template: Path,
    workdir: Path,
    poverty: list[list[str]],
    activities: list[list[str]],
    delimiter: str,
) -> None:
    n = next(_counter)
    folder = workdir / f"trip-{n}"
    folder.mkdir()
    try:
        first = copy_db(templates["jepara"], folder / "first.db")
        pov_file, act_file = folder / "poverty-in.csv", folder / "activities-in.csv"
        _write(pov_file, ["desa", "tahun", "persentase (%)", "jumlah penduduk miskin", "jumlah penduduk", "sumber"],
               poverty, delimiter)  # fmt: skip
        _write(
            act_file,
            ["village", "opd", "tanggal", "jenis", "nama kegiatan", "pagu", "realisasi", "jumlah kk",
             "penerima manfaat (jiwa)", "sumber dana", "keterangan"],
            activities,
            delimiter,
        )  # fmt: skip
        for kind, path in (("poverty", pov_file), ("activities", act_file)):
            result = invoke("--db", str(first), "import", kind, str(path))
            assert_readable_failure(result)
            assert result.code == 0, f"a row written as people type it was refused:\n{result.err}"
        assert query(first, "SELECT count(*) FROM poverty") == [(len(poverty),)]
        assert query(first, "SELECT count(*) FROM activities") == [(len(activities),)]
        exported = _export(first, folder / "export-1")

        second = copy_db(fresh_template, folder / "second.db")
        for kind in IMPORT_ORDER:
            result = invoke("--db", str(second), "import", kind, str(folder / "export-1" / f"{kind}.csv"))
            assert_readable_failure(result)
            assert result.code == 0, f"the export of {kind} does not import:\n{result.err}"
        again = _export(second, folder / "export-2")
        for name in EXPORT_FILES:
            assert again[name] == exported[name], f"{name} changed on the way through export and import"

        # and importing the export into the database it came from changes nothing
        for kind in ("poverty", "activities"):
            before = dump(first)
            result = invoke("--db", str(first), "import", kind, str(folder / "export-1" / f"{kind}.csv"))
            assert result.code == 0, result.err
            assert " 0 inserted, 0 updated" in result.out, result.out
            assert dump(first) == before
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@settings(max_examples=60 * SCALE, deadline=None, derandomize=not SLOW)
@given(hundredths=st.integers(0, 10000), style=st.integers(0, 3))
def test_a_rate_as_typed_is_stored_as_its_value(
    templates: dict[str, Path], workdir: Path, hundredths: int, style: int
) -> None:
    """`6,6%`, `6.6 %`, `6,60`: one value, stored to the hundredth and shown back the same."""
    db = fresh_copy(templates["jepara"], workdir, "rate")
    try:
        text = _rate_text(hundredths, style)
        result = invoke("--db", str(db), "poverty", "set", "Tulakan", "2020", text)
        assert result.code == 0, result.err
        stored = sqlite3.connect(db).execute("SELECT rate FROM poverty").fetchone()[0]
        assert stored == pytest.approx(hundredths / 100, abs=1e-9)
        shown = invoke("--db", str(db), "poverty", "show", "Tulakan", "--format", "csv")
        assert shown.out.splitlines()[1].split(",")[1] == repr(round(hundredths / 100, 2))
    finally:
        for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            path.unlink(missing_ok=True)


def test_the_generators_make_what_they_claim() -> None:
    """The round-trip property is only as good as its generators: they write the documented forms."""
    assert _rate_text(660, 2) == "6,60%"
    assert _count_text(1234, 1) == "1.234"
    assert _money_text(50_000_000, 3) == "Rp50.000.000,00"
    assert _date_text(datetime.date(2021, 10, 13), 3) == "13 Oktober 2021"
