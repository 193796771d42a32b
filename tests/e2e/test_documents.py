"""`brief`, `settings`, and the pictures and printable files of `report`, `scorecard` and `trend --output`."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from opd_desa.errors import ExitStatus
from tests.support.cli import Result

Cli = Callable[..., Result]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example database, built once for these tests (they only read it)."""
    from opd_desa.services.example import init_with_example

    path = tmp_path_factory.mktemp("documents") / "demo.db"
    conn, _result, _loaded = init_with_example(path, [])
    conn.close()
    return path


def test_brief_writes_a_pdf_and_says_so(cli: Cli, demo: Path, tmp_path: Path) -> None:
    result = cli("--db", str(demo), "brief", "--year", "2023", "--output", str(tmp_path / "brief.pdf"))
    assert result.code == 0, result.err
    assert (tmp_path / "brief.pdf").read_bytes().startswith(b"%PDF")
    assert "brief.pdf" in result.err


def test_brief_refuses_another_kind_of_file_in_one_line(cli: Cli, demo: Path, tmp_path: Path) -> None:
    result = cli("--db", str(demo), "brief", "--output", str(tmp_path / "brief.docx"))
    assert result.code == ExitStatus.ERROR
    assert ".pdf, .html, .xlsx" in result.err and len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "brief.docx").exists()


def test_settings_set_list_unset(cli: Cli, db_path: Path) -> None:
    db = ("--db", str(db_path))
    assert cli(*db, "settings", "set", "signatory.title", "Kepala Bappeda").code == 0
    listed = cli(*db, "settings", "list", "--format", "csv")
    assert "signatory.title,Kepala Bappeda" in listed.out
    assert "is no longer set" in cli(*db, "settings", "unset", "signatory.title").out
    refused = cli(*db, "settings", "set", "colour", "green")
    assert refused.code == ExitStatus.ERROR and "org.name" in refused.err


def test_assign_does_not_load_the_plotting_or_pdf_library() -> None:
    script = (
        "import sys\n"
        "from opd_desa.cli.main import main\n"
        "try:\n    main(['assign', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'fpdf', 'openpyxl')))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout.strip().splitlines()[-1] == "[]"


def test_report_scorecard_and_trend_draw_charts(cli: Cli, demo: Path, tmp_path: Path) -> None:
    db = ("--db", str(demo))
    assert cli(*db, "report", "--year", "2023", "--above-target", "--output", str(tmp_path / "r.png")).code == 0
    assert (tmp_path / "r.png").read_bytes().startswith(b"\x89PNG")
    assert cli(*db, "scorecard", "--year", "2023", "--output", str(tmp_path / "s.svg")).code == 0
    assert cli(*db, "trend", "Tulakan", "--output", str(tmp_path / "t.svg")).code == 0
    for name in ("s.svg", "t.svg"):
        picture = (tmp_path / name).read_text(encoding="utf-8")
        assert picture.startswith("<?xml") and "<path" in picture and "rich-terminal" not in picture


def test_a_trend_chart_marks_each_pairing_of_the_village_in_the_chosen_language(demo: Path) -> None:
    from datetime import date

    from opd_desa.db import open_database
    from opd_desa.i18n import set_language
    from opd_desa.services.evaluation import trend
    from opd_desa.views.charts import trend_chart

    conn = open_database(demo)
    set_language("id")
    try:
        chart = trend_chart(trend(conn, "Tulakan", today=date(2026, 12, 1)))
    finally:
        set_language("en")
    assert chart.title.startswith("Persentase penduduk miskin per tahun: Tulakan") and chart.x_label == "Tahun"
    assert [m.when for m in chart.marks] == [date(2021, 10, 13)] and "BAPPEDA" in chart.marks[0].label
    assert chart.source.startswith("Sumber:") and chart.target is not None


def test_the_report_page_prints_on_a4_landscape_with_its_header_on_every_page(
    cli: Cli, demo: Path, tmp_path: Path
) -> None:
    assert cli("--db", str(demo), "report", "--output", str(tmp_path / "r.html")).code == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "size: A4 landscape" in page and "<thead>" in page and "counter(pages)" in page


def test_the_report_workbook_is_ready_to_print(cli: Cli, demo: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    assert cli("--db", str(demo), "--lang", "id", "report", "--output", str(tmp_path / "r.xlsx")).code == 0
    sheet = load_workbook(tmp_path / "r.xlsx").worksheets[0]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    header = next(row for row in sheet.iter_rows() if row[0].value == "Kode")
    assert sheet.print_title_rows == f"${header[0].row}:${header[0].row}"
    names = [c.value for c in header]
    body = list(sheet.iter_rows(min_row=header[0].row + 1, max_row=header[0].row + 5))
    above = {row[names.index("Di atas target")].value for row in body}
    assert above <= {"ya", "tidak"} and above
    change, gap = (body[0][names.index(n)] for n in ("Perubahan", "Selisih"))
    assert change.number_format == gap.number_format and "poin" in gap.number_format
    assert sheet["A1"].value and any("Sumber" in str(c.value) for c in sheet["A"] if c.value)
