"""Regenerate tests/fixtures/libreoffice/: files saved by LibreOffice Calc in an Indonesian locale.

Each sheet is first written as .xlsx with openpyxl (dates formatted `DD/MM/YY`, Calc's Indonesian
short date), then converted by LibreOffice itself, so the fixtures are what an office really gets:

    pasangan-13-10-21.csv       pairings as CSV; dates as Calc writes them (13/10/21)
    kemiskinan-2023.ods         poverty figures in LibreOffice's own format, rates as percentages
    kegiatan-excel97.xls        activities as Excel 97-2003
    kemiskinan-judul-jumlah.xls a government sheet: title row, blank row, merged heading, Jumlah row

Needs `soffice` (Debian: libreoffice-calc) and a LibreOffice profile whose system locale is id-ID:

    python scripts/make_libreoffice_fixtures.py [--profile /tmp/lo-id]

where PROFILE/user/registrymodifications.xcu sets ooSetupSystemLocale to id-ID.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "libreoffice"
SHORT_DATE = "DD/MM/YY"
# comma, double quote, UTF-8, ..., "save cell contents as shown" on (else Calc writes 4-digit years)
CSV_AS_SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"

PAIRINGS: list[list[Any]] = [
    ["Desa", "Kecamatan", "OPD", "Tanggal Mulai", "Tanggal Selesai", "No SK", "Keterangan"],
    ["Tulakan", "Donorojo", "BAPPEDA", dt.date(2021, 10, 13), None, "188.4/412/2021", "awal program"],
    ["Geneng", "Batealit", "DINKES", dt.date(2022, 3, 1), dt.date(2023, 1, 2), "188.4/60/2022", "uji coba"],
    ["Kedungmalang", "Kedung", "DPUPR", dt.date(2021, 10, 13), None, "188.4/412/2021", None],
    ["Troso", "Pecangaan", "DISDIKPORA", dt.date(2022, 2, 1), None, "188.4/51/2022", None],
]
POVERTY: list[list[Any]] = [
    ["No", "Nama Desa", "Kecamatan", "Tahun", "Persentase Penduduk Miskin (%)", "Jumlah Penduduk Miskin",
     "Jumlah Penduduk", "Sumber Data"],
    [1, "Tulakan", "Donorojo", 2023, 0.1125, 1220, 10844, "DTKS 2023"],
    [2, "Kedungmalang", "Kedung", 2023, 0.124, 1217, 9814, "DTKS 2023"],
    [3, "Troso", "Pecangaan", 2023, 0.0875, 1245, 14228, "DTKS 2023"],
]  # fmt: skip
ACTIVITIES: list[list[Any]] = [
    ["Desa", "OPD", "Tanggal", "Jenis Kegiatan", "Nama Kegiatan", "Pagu Anggaran", "Realisasi", "Jumlah KK",
     "Penerima Manfaat (jiwa)", "Sumber Dana"],
    ["Tulakan", "BAPPEDA", dt.date(2021, 11, 2), "pelatihan", "Pelatihan pengolahan hasil kebun", 15000000,
     12500000, 25, 40, "APBD"],
    ["Troso", "DISDIKPORA", dt.date(2022, 1, 20), "pendidikan", "Beasiswa anak keluarga miskin", 30000000,
     30000000, 12, 12, "APBD"],
    ["Kedungmalang", "DPUPR", dt.date(2022, 3, 7), "infrastruktur", "Bedah rumah tidak layak huni", 50000000,
     48750000, 5, 19, "APBD"],
]  # fmt: skip
TITLED: list[list[Any]] = [
    ["DATA PERSENTASE PENDUDUK MISKIN DESA DAMPINGAN KABUPATEN JEPARA TAHUN 2022"],
    [],
    [None, None, None, "Kondisi Kemiskinan", None, None],
    ["No", "Desa", "Kecamatan", "Jumlah Penduduk Miskin (jiwa)", "Jumlah Penduduk (jiwa)", "Persentase (%)"],
    [1, "Tulakan", "Donorojo", 1302, 10850, 12],
    [2, "Kedungmalang", "Kedung", 1290, 9820, 13.14],
    [3, "Troso", "Pecangaan", 1337, 14225, 9.4],
    ["Jumlah", None, None, 3929, 34895, 11.26],
]


def _xlsx(rows: list[list[Any]], path: Path, *, merges: tuple[str, ...] = (), percent: str = "") -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, dt.date):
                cell.number_format = SHORT_DATE
            elif percent and cell.coordinate.startswith(percent) and isinstance(cell.value, float):
                cell.number_format = "0.00%"  # a rate typed as a percentage: 0.1125 shows 11,25%
    for span in merges:
        sheet.merge_cells(span)
    book.save(path)


def _convert(source: Path, to: str, out: Path, name: str, profile: Path) -> None:
    """LibreOffice converts `source` into OUT/name (its filter chosen by `to`)."""
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(
            ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", to,
             "--outdir", work, str(source)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        (converted,) = Path(work).iterdir()
        shutil.move(converted, out / name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", type=Path, default=Path("/tmp/lo-id"), help="LibreOffice profile (id-ID)")
    profile = parser.parse_args().profile.resolve()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        jobs = [
            (PAIRINGS, "pasangan-13-10-21", CSV_AS_SHOWN, "csv", (), ""),
            (POVERTY, "kemiskinan-2023", "ods", "ods", (), "E"),
            (ACTIVITIES, "kegiatan-excel97", "xls:MS Excel 97", "xls", (), ""),
            (TITLED, "kemiskinan-judul-jumlah", "xls:MS Excel 97", "xls", ("A1:F1", "D3:F3"), ""),
        ]
        for rows, stem, to, suffix, merges, percent in jobs:
            source = folder / f"{stem}.xlsx"
            _xlsx(rows, source, merges=merges, percent=percent)
            _convert(source, to, OUT, f"{stem}.{suffix}", profile)
            print(OUT / f"{stem}.{suffix}")


if __name__ == "__main__":
    main()
