"""The workbook: prints landscape one page wide, header rows repeated, native charts, text stays text."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from opd_desa.documents.page import Column, Document, Heading, Table
from opd_desa.documents.workbook import render_xlsx, write_xlsx
from tests.unit.documents_samples import HEADERS, document


def _open(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def workbook() -> Workbook:
    return _open(render_xlsx(document(30, charts=True)))


def _row_of(sheet: object, text: str) -> int:
    for row in sheet.iter_rows():  # type: ignore[attr-defined]
        for cell in row:
            if cell.value == text:
                return int(cell.row)
    raise AssertionError(f"{text!r} not on the sheet")


def test_a_sheet_per_section(workbook: Workbook) -> None:
    assert workbook.sheetnames == ["Summary", "Trend", "Kecamatan", "Scorecard", "Villages above the target"]


def test_every_sheet_prints_landscape_a4_one_page_wide_with_title_and_source(workbook: Workbook) -> None:
    for sheet in workbook.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        fit = sheet.sheet_properties.pageSetUpPr
        assert fit is not None and fit.fitToPage
        assert sheet["A1"].value == "Programme results for 2023"
        assert "Source: BPS Kabupaten Jepara" in [c.value for c in sheet["A"]]


def test_the_header_row_repeats_on_every_printed_page(workbook: Workbook) -> None:
    sheet = workbook["Villages above the target"]
    header = _row_of(sheet, HEADERS[0])
    assert sheet.print_title_rows == f"${header}:${header}"
    assert [sheet.cell(header, i + 1).value for i in range(len(HEADERS))] == list(HEADERS)


def test_native_charts_read_the_values_on_their_sheet(workbook: Workbook) -> None:
    for name in ("Trend", "Kecamatan", "Scorecard"):
        sheet = workbook[name]
        assert isinstance(sheet, Worksheet)
        assert len(sheet._charts) == 1, name
    assert workbook["Trend"].cell(_row_of(workbook["Trend"], "2023"), 2).value == 6.61


def test_yes_no_in_the_language_and_points_formatted_like_rates() -> None:
    for lang, yes, no, points in (("en", "yes", "no", "pp"), ("id", "ya", "tidak", "poin")):
        sheet = _open(render_xlsx(document(4, lang=lang))).worksheets[-1]
        header = _row_of(sheet, HEADERS[0])
        assert [sheet.cell(header + r, 7).value for r in (1, 2)] == [yes, no]
        rate, gap = sheet.cell(header + 1, 3), sheet.cell(header + 1, 4)
        assert isinstance(rate.value, int | float) and isinstance(gap.value, int | float)  # numbers, not text
        assert rate.number_format == "0.00"
        assert gap.number_format.startswith("+0.00") and f'" {points}"' in gap.number_format


def test_text_beginning_with_equals_is_never_a_formula() -> None:
    table = Table((Column("Note"),), (('=HYPERLINK("http://x")',), ("+62 812",)))
    sheet = _open(render_xlsx(Document("T", "en", (Heading("Notes"), table)))).worksheets[-1]
    row = _row_of(sheet, "Note")
    assert sheet.cell(row + 1, 1).value == '=HYPERLINK("http://x")'
    assert sheet.cell(row + 1, 1).data_type == "s"


def test_written_atomically_to_the_named_file(tmp_path: Path) -> None:
    target = tmp_path / "brief.xlsx"
    write_xlsx(document(3), target)
    assert load_workbook(target).sheetnames
    assert [p.name for p in tmp_path.iterdir()] == ["brief.xlsx"]
