"""The HTML page: prints on A4 landscape with headers repeated, self-contained, charts inline, text escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from opd_desa.documents.html import render_html, write_html
from opd_desa.documents.page import Document, Paragraph, Table
from tests.unit.documents_samples import HEADERS, document, villages_table


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(document(30, charts=True))


def test_prints_on_a4_landscape_with_the_table_header_on_every_page(page: str) -> None:
    assert "@page { size: A4 landscape" in page
    assert "thead { display: table-header-group; }" in page
    for header in HEADERS:
        assert f"<th>{header}</th>" in page


def test_page_numbers_in_the_document_language(page: str) -> None:
    assert '"page " counter(page) " of " counter(pages)' in page
    indonesian = render_html(document(3, lang="id"))
    assert '"halaman " counter(page) " dari " counter(pages)' in indonesian
    assert '<html lang="id">' in indonesian
    assert "<h1>Hasil program tahun 2023</h1>" in indonesian


def test_a_chart_stays_with_its_heading(page: str) -> None:
    assert "break-after: avoid" in page
    assert re.search(r"<h2>Trend</h2>\s*<section class=\"chart\"><svg", page)


def test_charts_are_inline_svg_and_nothing_is_fetched(page: str) -> None:
    assert page.count("<svg") == 3
    assert "<path" in page
    assert "<script" not in page
    assert not re.search(r"""(src|href)=["']?https?:""", page)
    assert "@import" not in page
    assert not re.search(r"url\((?!#)", page)  # only the charts' own clip paths


def test_text_from_the_data_is_escaped() -> None:
    hostile = "<script>alert('x')</script> & co"
    table = Table(villages_table(1).columns, ((hostile, *villages_table(1).rows[0][1:]),))
    text = render_html(Document("A & B", "en", (Paragraph(hostile), table)))
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    assert "<title>A &amp; B</title>" in text


def test_written_atomically_to_the_named_file(tmp_path: Path) -> None:
    target = tmp_path / "brief.html"
    write_html(document(3), target)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["brief.html"]


def test_a_table_too_wide_gets_smaller_type_and_keeps_every_column() -> None:
    text = render_html(document(3, wide=True))
    assert '<table class="wider"><thead>' in text
    assert text.count("<th>Measure number") == 24
