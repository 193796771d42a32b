"""The decree annex as a Word document, read back the way Word would open it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document

from opd_desa import i18n
from opd_desa.documents.annex import Annex, AnnexLine, Signatory, write_annex_docx
from opd_desa.errors import InvalidValue

LINES = tuple(
    AnnexLine(agency, village, kecamatan)
    for agency, village, kecamatan in [
        ("Badan Perencanaan Pembangunan Daerah", "Sowan Kidul", "Kedung"),
        ("Dinas Kesehatan", "Tubanan", "Kembang"),
        ("Dinas Pekerjaan Umum dan Penataan Ruang", "Bondo", "Bangsri"),
    ]
)
ANNEX = Annex(
    region="Jepara",
    lines=LINES,
    number="100.3.3.2/123 TAHUN 2021",
    day=date(2021, 10, 13),
    signatory=Signatory("Bupati Jepara", "Dian Kristiandi", None),
)


def _texts(path: Path) -> tuple[list[str], list[list[str]]]:
    document = Document(str(path))
    heading = [cell.text for row in document.tables[0].rows for cell in row.cells]
    rows = [[cell.text for cell in row.cells] for row in document.tables[1].rows]
    return heading + [p.text for p in document.paragraphs], rows


def test_the_annex_in_indonesian(tmp_path: Path) -> None:
    path = tmp_path / "lampiran.docx"
    try:
        i18n.set_language("id")
        write_annex_docx(ANNEX, path)
    finally:
        i18n.set_language("en")
    texts, rows = _texts(path)
    assert "LAMPIRAN KEPUTUSAN BUPATI JEPARA" in texts
    assert texts[4:8] == ["", "NOMOR", ":", "100.3.3.2/123 TAHUN 2021"]
    assert "13 Oktober 2021" in texts
    assert any(t.startswith("Gerakan 1 OPD 1 Desa Dampingan") for t in texts)
    assert rows[0] == ["No", "Perangkat Daerah", "Desa/Kelurahan", "Kecamatan"]
    assert rows[1:] == [
        ["1.", "Badan Perencanaan Pembangunan Daerah", "Sowan Kidul", "Kedung"],
        ["2.", "Dinas Kesehatan", "Tubanan", "Kembang"],
        ["3.", "Dinas Pekerjaan Umum dan Penataan Ruang", "Bondo", "Bangsri"],
    ]
    assert "BUPATI JEPARA," in texts and "DIAN KRISTIANDI" in texts
    assert not any(t.startswith("NIP") for t in texts)  # an elected regent has none


def test_the_header_row_repeats_on_each_page(tmp_path: Path) -> None:
    path = tmp_path / "lampiran.docx"
    write_annex_docx(Annex("Jepara", LINES * 30), path)
    table = Document(str(path)).tables[1]
    assert len(table.rows) == 91
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert not table.rows[1]._tr.xpath("./w:trPr/w:tblHeader")


def test_english_title_blanks_and_nip(tmp_path: Path) -> None:
    path = tmp_path / "annex.docx"
    write_annex_docx(
        Annex("Jepara", LINES, signatory=Signatory("Kepala Bappeda", "Budi", "19700101 199003 1 001")), path
    )
    texts, rows = _texts(path)
    assert "ANNEX TO THE DECREE OF THE REGENT OF JEPARA" in texts
    assert texts[7] == "…………………"  # no decree number yet: a blank to fill in by hand
    assert rows[0] == ["No", "Regional agency", "Village / kelurahan", "Kecamatan"]
    assert "NIP. 19700101 199003 1 001" in texts


def test_a_folder_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidValue, match="cannot write"):
        write_annex_docx(ANNEX, tmp_path / "missing" / "lampiran.docx")
    assert not list(tmp_path.iterdir())


def _pdf_pages(lines: int) -> list[str]:
    """The annex of `lines` pairings (long agency names, as Jepara's are) as PDF, each page's text."""
    import io

    pypdf = pytest.importorskip("pypdf")
    from opd_desa.documents.annex import annex_document
    from opd_desa.documents.pdf import render_pdf

    many = tuple(
        AnnexLine(f"Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak {n}", f"Desa {n}", "Kedung")
        for n in range(1, lines + 1)
    )
    annex = Annex("Jepara", many, signatory=Signatory("Bupati Jepara", "Dian Kristiandi"))
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(annex_document(annex, "en"))))
    for page in reader.pages:  # A4 standing up, like the Word annex
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    return [page.extract_text() for page in reader.pages]


@pytest.mark.parametrize("lines", [7, 20])
def test_the_pdf_annex_keeps_title_table_and_signature_on_one_portrait_page(lines: int) -> None:
    (page,) = _pdf_pages(lines)
    assert "ANNEX TO THE DECREE" in page and f"Desa {lines}" in page and "DIAN KRISTIANDI" in page


@pytest.mark.parametrize("lines", [28, 48, 66])
def test_a_long_pdf_annex_never_leaves_the_signature_alone(lines: int) -> None:
    pages = _pdf_pages(lines)
    assert len(pages) > 1 and "ANNEX TO THE DECREE" in pages[0] and "DIAN KRISTIANDI" not in pages[0]
    last = pages[-1]
    assert "DIAN KRISTIANDI" in last and f"Desa {lines}" in last and "Regional agency" in last  # rows and header


def test_a_table_ending_at_the_foot_of_the_page_takes_two_rows_over_with_the_signature() -> None:
    first, last = _pdf_pages(28)  # 28 rows end too low on page 1 to sign under them
    assert "Desa 26" in first and "Desa 27" not in first
    assert "Desa 27" in last and "Desa 28" in last and "Desa 26" not in last
