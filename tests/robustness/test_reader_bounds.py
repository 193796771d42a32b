"""Issue 12, reader-level items: hostile or huge input files are refused in one line, or read within
bounds of memory and time, never by a traceback or a hang. Items are named by their number there."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from opd_desa.errors import ImportFailed
from opd_desa.imports import csvfile, workbook
from opd_desa.imports.service import import_file

MIB = 1 << 20
RUN_MEASURED = (  # runs argv[1:] and prints the peak resident memory (KiB) of it and its children
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
    "sys.stdout.write(f'{done.returncode}\\n{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\\n'); "
    "sys.stdout.write(done.stderr)"
)


def opd_desa(db: Path, *args: str, timeout: float = 120) -> tuple[int, int, str]:
    """(exit status, peak memory in MiB, stderr) of `opd-desa --db DB ARGS...` in a child process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPD_DESA_")}
    done = subprocess.run(
        [sys.executable, "-c", RUN_MEASURED, sys.executable, "-m", "opd_desa", "--db", str(db), *args],
        capture_output=True, text=True, timeout=timeout, env=env,
    )  # fmt: skip
    code, peak, err = done.stdout.split("\n", 2)
    return int(code), int(peak) // 1024, err


def targets_book(path: Path, rate: float, number_format: str) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["tahun", "target"])
    sheet.append([2022, rate])
    sheet["B2"].number_format = number_format
    book.save(path)
    return path


def stored_target(conn: sqlite3.Connection) -> float:
    return float(conn.execute("SELECT rate FROM targets WHERE year = 2022").fetchone()[0])


# -- 5. Only a real percent number format scales ------------------------------------------------------


@pytest.mark.parametrize(("rate", "number_format", "stored"), [
    (0.075, "0.00%", 7.5), (0.075, "0%", 7.5), (7.5, '0.00"%"', 7.5), (7.5, "0.0\\%", 7.5), (7.5, "0.00", 7.5),
])  # fmt: skip
def test_item5_only_a_real_percent_format_scales(
    conn: sqlite3.Connection, tmp_path: Path, rate: float, number_format: str, stored: float
) -> None:
    import_file(conn, "targets", targets_book(tmp_path / "t.xlsx", rate, number_format))
    assert stored_target(conn) == stored


# -- 11. Zip-bomb workbooks ---------------------------------------------------------------------------


def rebuilt(source: Path, target: Path, replace: dict[str, bytes | int]) -> Path:
    """A copy of the workbook `source` with some parts replaced: bytes, or a count of repeated `A`s
    streamed into the part (a 200 MiB part compresses to a few hundred KiB)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            part = replace.get(item.filename)
            if part is None:
                new.writestr(item, old.read(item.filename))
            elif isinstance(part, bytes):
                new.writestr(item.filename, part)
            else:
                with new.open(item.filename, "w") as out:
                    for _ in range(part // MIB):
                        out.write(b"A" * MIB)
    return target


def test_item11_zip_bomb_workbook_is_refused_before_reading(db_path: Path, tmp_path: Path) -> None:
    plain = targets_book(tmp_path / "plain.xlsx", 8, "0.00")
    bomb = rebuilt(plain, tmp_path / "bomb.xlsx", {"docProps/core.xml": 210 * MIB})
    assert bomb.stat().st_size < 2 * MIB
    code, peak, err = opd_desa(db_path, "import", "targets", str(bomb))
    assert code == 1 and "unpacks to 210 MiB" in err and err.count("\n") == 1
    assert peak < 150, f"{peak} MiB"


def test_item11_million_empty_rows_stop_early_with_a_note(db_path: Path, tmp_path: Path) -> None:
    plain = targets_book(tmp_path / "plain.xlsx", 8, "0.00")
    rows = [b'<row r="1"><c r="A1" t="inlineStr"><is><t>tahun</t></is></c><c r="B1" t="inlineStr"><is><t>target'
            b'</t></is></c></row><row r="2"><c r="A2"><v>2022</v></c><c r="B2"><v>8</v></c></row>']  # fmt: skip
    rows += [b'<row r="%d"/>' % n for n in range(3, 1_000_003)]
    rows.append(b'<row r="1000003"><c r="A1000003"><v>2023</v></c><c r="B1000003"><v>9</v></c></row>')
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>' + b"".join(rows) + b"</sheetData></worksheet>"
    )
    bomb = rebuilt(plain, tmp_path / "empty-rows.xlsx", {"xl/worksheets/sheet1.xml": sheet})
    code, peak, err = opd_desa(db_path, "import", "targets", str(bomb), timeout=60)
    assert code == 0, err
    assert "empty rows in a row; the rows below them were not read" in err
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT year, rate FROM targets").fetchall() == [(2022, 8.0)]
    assert peak < 300, f"{peak} MiB"


def test_item11_cells_read_are_bounded(
    conn: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workbook, "MAX_CELLS", 100)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["tahun", "target"])
    for year in range(2000, 2060):
        sheet.append([year, 8])
    book.save(tmp_path / "many.xlsx")
    with pytest.raises(ImportFailed, match="more than 100 cells; save only the rows to import as CSV"):
        import_file(conn, "targets", tmp_path / "many.xlsx")


def test_item11_two_cells_far_apart_are_refused_before_reading(db_path: Path, tmp_path: Path) -> None:
    plain = targets_book(tmp_path / "plain.xlsx", 8, "0.00")
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576">'
        b'<c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    )
    far = rebuilt(plain, tmp_path / "far.xlsx", {"xl/worksheets/sheet1.xml": sheet})
    code, peak, err = opd_desa(db_path, "import", "targets", str(far), timeout=60)
    assert code == 1 and "span 1048576 rows and 16384 columns" in err
    assert peak < 150, f"{peak} MiB"


# -- 12. A file of bad lines keeps the first 20 errors and a count -------------------------------------


def test_item12_fifty_megabytes_of_bad_lines_use_bounded_memory(db_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    line = b"Tulakan,2020," + b"x" * 64 + b"\n"
    thousands = 50 * MIB // len(line) // 1000
    with open(bad, "wb") as out:
        out.write(b"desa,tahun,persen\n")
        for _ in range(thousands):
            out.write(line * 1000)
    assert bad.stat().st_size > 49 * MIB
    code, peak, err = opd_desa(db_path, "import", "poverty", str(bad), timeout=300)
    assert code == 1
    assert err.count("is not a rate") == 20 and f"... and {thousands * 1000 - 20} more errors" in err
    assert peak < 300, f"{peak} MiB"
    print(f"peak {peak} MiB")


# -- 13. Standard input is copied to a bounded temporary file ------------------------------------------


def test_item13_standard_input_is_bounded(conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvfile, "MAX_SPOOLED", 1 * MIB)
    stdin = io.BytesIO(b"tahun,target\n" + b"2022,8\n" * (MIB // 7 + 10))
    with pytest.raises(ImportFailed, match="more than 1 MiB from a pipe; save it to a file"):
        import_file(conn, "targets", "-", stdin=stdin)


# -- 14. FIFOs, devices, pipes and very wide files -----------------------------------------------------


def test_item14_fifo_without_a_writer_does_not_hang(db_path: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    code, _peak, err = opd_desa(db_path, "import", "targets", str(fifo), timeout=30)
    assert code == 1 and "the file is empty" in err


def test_item14_dev_zero_as_utf16_stops(db_path: Path) -> None:
    code, peak, err = opd_desa(db_path, "import", "targets", "/dev/zero", "--encoding", "utf-16-le", timeout=30)
    assert code == 1 and "contains only NUL bytes" in err
    assert peak < 200


def test_item14_process_substitution_and_dev_stdin_pipes_work(db_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPD_DESA_")}
    command = f"{sys.executable} -m opd_desa --db {db_path}"
    done = subprocess.run(
        ["bash", "-c", f"{command} import targets <(printf 'tahun,target\\n2022,8\\n') && "
         f"printf 'tahun,target\\n2023,7\\n' | {command} import targets /dev/stdin"],
        capture_output=True, text=True, timeout=60, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT year, rate FROM targets ORDER BY year").fetchall() == [(2022, 8.0), (2023, 7.0)]


def test_item14_a_100000_column_csv_gets_a_short_note(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    junk = ",".join(f"kolom{i}" for i in range(100_000))
    path.write_text(f"tahun,target,{junk}\n2022,8{',' * 100_000}\n", encoding="utf-8")
    summary = import_file(conn, "targets", path)
    (note,) = [n for n in summary.notes if "ignored columns" in n]
    assert len(note) < 400 and note.endswith("and 99990 more")


# -- 15. One-line errors instead of "unexpected internal error" -----------------------------------------


def test_item15_utf16_without_bom_is_one_line(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "u16.csv"
    path.write_bytes("tahun,target\n2022,8\n".encode("utf-16-le"))
    with pytest.raises(ImportFailed, match=r"no byte order mark .* use utf-16-le or utf-16-be"):
        import_file(conn, "targets", path, encoding="utf-16")
    assert import_file(conn, "targets", path, encoding="utf-16-le").inserted == 1


def test_item15_punycode_is_not_a_file_encoding(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("tahun,target\n2022,8\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="'punycode' is not an encoding CSV files are written in"):
        import_file(conn, "targets", path, encoding="punycode")


def test_item15_workbook_with_a_chart_sheet(conn: sqlite3.Connection, tmp_path: Path) -> None:
    from openpyxl.chart import BarChart, Reference

    book = Workbook()
    data = book.active
    assert data is not None
    data.title = "Data"
    data.append(["tahun", "target"])
    data.append([2022, 8])
    chart = BarChart()
    chart.add_data(Reference(data, min_col=2, min_row=1, max_row=2), titles_from_data=True)
    charts = book.create_chartsheet("Grafik", 0)  # the first sheet is the chart
    charts.add_chart(chart)
    book.save(tmp_path / "chart.xlsx")
    with pytest.raises(ImportFailed, match="'Grafik' is a chart, not a sheet of rows; name one of: Data"):
        import_file(conn, "targets", tmp_path / "chart.xlsx", sheet="Grafik")
    assert import_file(conn, "targets", tmp_path / "chart.xlsx").inserted == 1  # the first sheet of rows
