"""`demo --files DIR`: the Jepara example's input files, shaped the way an office really has them.

The README's tour imports these from any folder (nothing under tests/ exists after `pip install`):

- `opd.csv`                 the agencies, as Excel on Indonesian Windows saves CSV: `;`, a BOM, CRLF.
- `kemiskinan-2020-2022.csv` poverty figures of 2020-2022 the same way, with Indonesian headers,
                            decimal commas and thousands dots.
- `kemiskinan-2023.xlsx`    the 2023 figures as a government sheet: a title carrying the year (so it is
                            imported with `--year 2023`), a blank row, the header, and a `Jumlah` row.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _
from opd_desa.services.example import example_dir

AGENCIES = "opd.csv"
POVERTY_CSV = "kemiskinan-2020-2022.csv"
POVERTY_XLSX = "kemiskinan-2023.xlsx"
CSV_YEARS = ("2020", "2021", "2022")
XLSX_YEAR = "2023"


def write_example_files(folder: Path) -> list[Path]:
    """Write the example's input files into `folder` (created if missing); return their paths.

    Raises InvalidValue when the folder cannot be written."""
    try:
        return _write(folder)
    except OSError as exc:
        message = _("--files {folder}: cannot write the example files there: {reason}")
        raise InvalidValue(message.format(folder=folder, reason=exc.strerror or exc)) from None


def _write(folder: Path) -> list[Path]:
    source = example_dir()
    folder.mkdir(parents=True, exist_ok=True)
    villages = {row["code"]: row for row in _read(source / "villages.csv")}
    figures = list(_read(source / "poverty.csv"))

    agencies = [["Kode", "Nama OPD", "Alias"]]
    agencies += [[row["code"], row["name"], row["aliases"]] for row in _read(source / "agencies.csv")]
    header = ["No", "Nama Desa", "Kecamatan", "Tahun", "Persentase Penduduk Miskin (%)", "Jumlah Penduduk Miskin",
              "Jumlah Penduduk", "Sumber Data"]  # fmt: skip
    poverty = [header]
    for number, row in enumerate((r for r in figures if r["year"] in CSV_YEARS), start=1):
        village = villages[row["village"]]
        poverty.append(
            [str(number), village["name"], village["kecamatan"], row["year"], _decimal(row["rate"]),
             _thousands(row["poor"]), _thousands(row["population"]), row["source"]]
        )  # fmt: skip
    written = [_excel_csv(folder / AGENCIES, agencies), _excel_csv(folder / POVERTY_CSV, poverty)]
    latest = [(villages[r["village"]], r) for r in figures if r["year"] == XLSX_YEAR]
    written.append(_government_sheet(folder / POVERTY_XLSX, latest))
    return written


def _read(path: Path) -> Iterable[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as file:
        yield from csv.DictReader(file)


def _decimal(text: str) -> str:
    """`8.54` as Indonesian Excel shows it: `8,54`."""
    return text.replace(".", ",")


def _thousands(text: str) -> str:
    """`12345` as Indonesian Excel shows it: `12.345` (empty stays empty)."""
    return f"{int(text):,}".replace(",", ".") if text else ""


def _excel_csv(path: Path, rows: Sequence[Sequence[str]]) -> Path:
    """What Excel's "CSV (semicolon delimited)" writes on Indonesian Windows, with a UTF-8 BOM."""
    with open(path, "w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file, delimiter=";", lineterminator="\r\n").writerows(rows)
    return path


def _government_sheet(path: Path, figures: Sequence[tuple[dict[str, str], dict[str, str]]]) -> Path:
    """The year's figures under a title row and above a `Jumlah` row, typed cells, as offices lay them out."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.properties import PageSetupProperties

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = XLSX_YEAR
    sheet.append([f"DATA PERSENTASE PENDUDUK MISKIN PER DESA KABUPATEN JEPARA TAHUN {XLSX_YEAR}"])
    sheet["A1"].font = Font(bold=True)
    sheet.merge_cells("A1:G1")
    sheet.append([])
    sheet.append(["No", "Desa", "Kecamatan", "Penduduk Miskin (jiwa)", "Jumlah Penduduk (jiwa)",
                  "Persentase (%)", "Sumber"])  # fmt: skip
    poor_total = population_total = 0
    for number, (village, row) in enumerate(figures, start=1):
        poor = int(row["poor"]) if row["poor"] else None
        population = int(row["population"]) if row["population"] else None
        sheet.append([number, village["name"], village["kecamatan"], poor, population, float(row["rate"]),
                      row["source"]])  # fmt: skip
        poor_total += poor or 0
        population_total += population or 0
    rate = round(100 * poor_total / population_total, 2) if population_total else None
    sheet.append(["Jumlah", None, None, poor_total, population_total, rate, None])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    for (rate_cell,) in sheet.iter_rows(min_row=4, min_col=6, max_col=6):
        rate_cell.number_format = "0.00"  # a plain number (not a percent format): 6.62 is 6.62 %
    for column, width in zip("ABCDEFG", (6, 20, 14, 22, 22, 15, 48), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.page_setup.orientation = "landscape"  # printed: one page wide, as offices print it
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    book.save(path)
    return path
