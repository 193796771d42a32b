"""The PDF a Bupati prints: A4 landscape, page N of M, every header on every page, nothing off the page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from opd_desa.documents.pdf import render_pdf, write_pdf
from tests.unit.documents_samples import HEADERS, document

pypdf = pytest.importorskip("pypdf")


@pytest.fixture(scope="module")
def long_english() -> bytes:
    return render_pdf(document(120))


@pytest.fixture(scope="module")
def everything() -> bytes:
    """Charts, a long table and a table far too wide for the page."""
    return render_pdf(document(40, charts=True, wide=True))


def _pages(data: bytes) -> list[object]:
    return list(pypdf.PdfReader(io.BytesIO(data)).pages)


def _text(page: object) -> str:
    return " ".join(page.extract_text().split())  # type: ignore[attr-defined]


def test_pages_are_a4_landscape() -> None:
    for page in _pages(render_pdf(document(5))):
        box = page.mediabox  # type: ignore[attr-defined]
        assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_page_count_grows_with_rows(long_english: bytes) -> None:
    short, long = len(_pages(render_pdf(document(5)))), len(_pages(long_english))
    assert short <= 2
    assert long >= short + 3


def test_every_column_header_on_every_page_of_a_long_table(long_english: bytes) -> None:
    pages = _pages(long_english)
    for number, page in enumerate(pages, start=1):
        text = _text(page)
        if "Sumberrejo Tengah" not in text:
            continue
        for header in HEADERS:
            assert " ".join(header.split()) in text or all(w in text for w in header.split()), (number, header)


def test_footer_says_page_n_of_m_in_the_document_language(long_english: bytes) -> None:
    english = _pages(long_english)
    assert f"page 2 of {len(english)}" in _text(english[1])
    indonesian = _pages(render_pdf(document(60, lang="id")))
    assert f"halaman 2 dari {len(indonesian)}" in _text(indonesian[1])
    assert "Hasil program tahun 2023" in _text(indonesian[0])


def test_no_text_outside_the_page_box_even_for_a_table_too_wide(everything: bytes) -> None:
    for page in _pages(everything):
        box = page.mediabox  # type: ignore[attr-defined]
        outside: list[tuple[str, float, float]] = []

        def visit(
            text: str,
            cm: list[float],
            tm: list[float],
            font: object,
            size: float,
            outside: list[tuple[str, float, float]] = outside,
            box: object = box,
        ) -> None:
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]  # the text's origin in page space (rotated words too)
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if not (0 <= x <= float(box.width) and 0 <= y <= float(box.height)):  # type: ignore[attr-defined]
                outside.append((text, x, y))

        page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
        assert outside == []


def test_a_table_too_wide_keeps_every_column(everything: bytes) -> None:
    text = " ".join(_text(page) for page in _pages(everything))
    for i in (0, 12, 23):
        assert f"Measure number {i}" in text or f"number {i} of" in text


def test_charts_are_vector_drawings_with_their_words_in_the_embedded_font(everything: bytes) -> None:
    pages = _pages(everything)
    assert all(len(page.images) == 0 for page in pages)  # type: ignore[attr-defined]
    text = " ".join(_text(page) for page in pages)
    for words in ("Poverty rate by year", "Programme start", "Above the target", "Mean change", "Sowan Kidul"):
        assert words in text
    fonts = {
        str(font["/BaseFont"])
        for page in pages  # type: ignore[attr-defined]
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("DejaVu" in font for font in fonts)


def test_written_atomically_to_the_named_file(tmp_path: Path) -> None:
    target = tmp_path / "brief.pdf"
    write_pdf(document(3), target)
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["brief.pdf"]
