"""`brief`: the values gathered from the example database, and the document made of them in PDF, HTML and XLSX."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from opd_desa.documents.brief import compose, write_brief
from opd_desa.documents.page import BarChart, Chart, PairingChart, Signature, TrendChart
from opd_desa.errors import InvalidValue
from opd_desa.i18n import set_language
from opd_desa.services.brief import Brief, build_brief
from opd_desa.services.example import init_with_example
from opd_desa.services.settings import set_setting

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    conn, _result, _loaded = init_with_example(tmp_path_factory.mktemp("brief") / "example.db", [])
    set_setting(conn, "org.name", "Bappeda Kabupaten Jepara")
    set_setting(conn, "signatory.name", "Dr. Contoh Pejabat")
    set_setting(conn, "signatory.title", "Kepala Bappeda")
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def brief(example: sqlite3.Connection) -> Brief:
    return build_brief(example, today=TODAY, year=2023)


@pytest.fixture
def indonesian() -> Iterator[None]:
    set_language("id")
    yield
    set_language("en")


def test_the_brief_names_the_region_and_the_year_and_counts_like_the_report(brief: Brief) -> None:
    poverty = brief.measures[0]
    assert (brief.region, brief.year, poverty.key) == ("Kabupaten Jepara", 2023, "poverty")
    assert poverty.villages == sum(k.villages for k in poverty.groups) and poverty.group_level == "kecamatan"
    assert len(poverty.above) == sum(k.above for k in poverty.groups) > 0
    assert [v.value for v in poverty.above] == sorted((v.value for v in poverty.above), reverse=True)
    assert all(v.value > poverty.target for v in poverty.above)
    assert poverty.paired_above == sum(v.mentor is not None for v in poverty.above)


def test_realisation_is_spent_over_budget(brief: Brief) -> None:
    spending = [a for a in brief.agencies if a.budget and a.spent is not None]
    assert spending
    for agency in spending:
        assert agency.budget is not None and agency.spent is not None
        assert agency.realisation == round(100 * agency.spent / agency.budget, 2)


def test_a_kecamatan_brief_keeps_to_its_villages(example: sqlite3.Connection, brief: Brief) -> None:
    one = build_brief(example, today=TODAY, year=2023, kecamatan="Donorojo")
    assert one.kecamatan == "Donorojo"
    assert [k.name for k in one.measures[0].groups] == ["Donorojo"]
    assert {v.kecamatan for v in one.measures[0].above} <= {"Donorojo"}
    assert len(one.pairings) < len(brief.pairings)
    changes = [p.change for p in one.pairings if p.change is not None]
    assert one.paired_change == round(sum(changes) / len(changes), 2)  # the mean of the pairings shown


def test_an_unknown_measure_is_refused_naming_the_measures(example: sqlite3.Connection) -> None:
    with pytest.raises(InvalidValue, match="poverty"):
        build_brief(example, today=TODAY, measures=["stunting"])


def test_the_document_has_every_section_in_reading_order(brief: Brief) -> None:
    document = compose(brief)
    assert "2023" in document.title and "1 OPD 1 Desa" in document.title
    assert "Bappeda Kabupaten Jepara" in document.subtitle and "Kabupaten Jepara" in document.subtitle
    charts = [b.spec for b in document.blocks if isinstance(b, Chart)]
    assert [type(c) for c in charts] == [TrendChart, BarChart, PairingChart]
    trend = charts[0]
    assert isinstance(trend, TrendChart) and trend.target == 8.0 and trend.marks[0].when == date(2021, 10, 13)
    texts = " ".join(getattr(b, "text", "") for b in document.blocks)
    for words in (
        "Key figures",
        "Scorecard",
        "Activities and budget",
        "What needs attention",
        "Sources",
        "illustrative example data",
    ):
        assert words in texts
    signature = document.blocks[-1]
    assert isinstance(signature, Signature)
    assert (signature.place, signature.name, signature.title, signature.date) == (
        "Jepara",
        "Dr. Contoh Pejabat",
        "Kepala Bappeda",
        TODAY,
    )


def test_the_pdf_is_a4_landscape_with_page_numbers_and_the_title_in_the_language(
    brief: Brief, tmp_path: Path, indonesian: None
) -> None:
    pypdf = pytest.importorskip("pypdf")
    write_brief(brief, tmp_path / "brief.pdf")
    pages = pypdf.PdfReader(tmp_path / "brief.pdf").pages
    assert len(pages) >= 5
    for number, page in enumerate(pages, start=1):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
        assert f"halaman {number} dari {len(pages)}" in page.extract_text()
    first = " ".join(pages[0].extract_text().split())
    assert "hasil tahun 2023" in first and "Angka utama" in first


def test_the_html_is_one_self_contained_page_that_prints_on_a4(brief: Brief, tmp_path: Path) -> None:
    write_brief(brief, tmp_path / "brief.html")
    page = (tmp_path / "brief.html").read_text(encoding="utf-8")
    assert "size: A4 landscape" in page and "<thead>" in page
    assert page.count("<svg") == 3
    assert "<script" not in page and 'src="http' not in page and 'href="http' not in page and "@import" not in page


def test_the_workbook_has_native_charts_and_prints_landscape(brief: Brief, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    write_brief(brief, tmp_path / "brief.xlsx")
    book = load_workbook(tmp_path / "brief.xlsx")
    assert sum(len(sheet._charts) for sheet in book.worksheets) == 3  # type: ignore[attr-defined]
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet["A1"].value == compose(brief).title


def test_a_brief_cannot_be_written_as_another_kind_of_file(brief: Brief, tmp_path: Path) -> None:
    with pytest.raises(InvalidValue, match=r"\.pdf, \.html, \.xlsx"):
        write_brief(brief, tmp_path / "brief.docx")
