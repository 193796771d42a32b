"""The decree annex (*Lampiran Keputusan Bupati*): which agency mentors which village, ready to sign.

Built from plain values (`Annex`) so that the service decides what is in it and this module only
lays it out. DOCX through python-docx, so that the office can still edit it in Word. The page
follows the usual rules for Indonesian government documents: A4, Arial 12, margins of 2 cm at the
top and right, 2.5 cm at the bottom and 3 cm on the left (room for the binding). PDF and workbook
go through the documents' page model (`annex_document`), printed by their own writers' rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from opd_desa.documents.words import BLANK
from opd_desa.i18n import _
from opd_desa.longdates import long_date

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table

    from opd_desa.documents import page

FONT = "Arial"
MARGINS_CM = {"top": 2.0, "right": 2.0, "bottom": 2.5, "left": 3.0}
PAGE_CM = (21.0, 29.7)  # A4, portrait: four columns fit
TEXT_WIDTH_CM = PAGE_CM[0] - MARGINS_CM["left"] - MARGINS_CM["right"]
COLUMNS_CM = (1.1, 8.1, 3.7, 3.1)  # No, agency, village, kecamatan: the text width
HEADING_CM = (5.0, 3.6, 0.5, 6.9)  # empty left half, label, colon, value
SIGNATORY_INDENT_CM = 9.0
SIGNATURE_LINES = 4  # blank lines left for the signature and the stamp
KEPT_WITH_SIGNATURE = 2  # table rows that move to the next page with the signature block


@dataclass(frozen=True)
class AnnexLine:
    """One pairing as the annex prints it: the agency's full name, the village and its kecamatan."""

    agency: str
    village: str
    kecamatan: str


@dataclass(frozen=True)
class Signatory:
    title: str  # e.g. Bupati Jepara
    name: str
    nip: str | None = None


@dataclass(frozen=True)
class Annex:
    """What the annex says. `region` is the kabupaten's name (Jepara); a missing number or date
    leaves a dotted blank to be filled in by hand."""

    region: str
    lines: tuple[AnnexLine, ...]
    number: str | None = None
    day: date | None = None
    signatory: Signatory | None = None
    subject: str | None = None


def title(annex: Annex) -> str:
    """LAMPIRAN KEPUTUSAN BUPATI JEPARA (or its English equivalent)."""
    return _("ANNEX TO THE DECREE OF THE REGENT OF {region}").format(region=annex.region.upper())


def subject(annex: Annex) -> str:
    """What the decree is about (its *tentang*)."""
    default = _("The 1 OPD 1 Desa Dampingan Movement for Poverty Reduction in {region} Regency")
    return annex.subject or default.format(region=annex.region)


def heading(annex: Annex) -> list[tuple[str, str]]:
    """The label/value lines under the title: number, date, subject."""
    return [
        (_("NUMBER"), annex.number or BLANK),
        (_("DATE"), long_date(annex.day) if annex.day else BLANK),
        (_("CONCERNING"), subject(annex)),
    ]


def header() -> tuple[str, str, str, str]:
    """The table's column headers."""
    return (_("No"), _("Regional agency"), _("Village / kelurahan"), _("Kecamatan"))


def annex_document(annex: Annex, lang: str) -> page.Document:
    """The annex in the page model, for the PDF and workbook writers: heading lines, the numbered
    table, and the signature (a date not known yet is a dotted blank)."""
    from opd_desa.documents import page

    number, agency, village, kecamatan = header()
    table = page.Table(
        (page.Column(number, "int"), page.Column(agency), page.Column(village), page.Column(kecamatan)),
        tuple((n, line.agency, line.village, line.kecamatan) for n, line in enumerate(annex.lines, start=1)),
    )
    blocks: list[page.Block] = [page.Paragraph(f"{label} : {value}") for label, value in heading(annex)]
    blocks += [page.Heading(_("AGENCIES AND THE VILLAGES THEY MENTOR"), level=2), table]  # one sheet
    if annex.signatory:
        signatory = annex.signatory
        name, nip = signatory.name.upper(), signatory.nip or ""
        blocks.append(page.Signature(annex.region, annex.day, signatory.title.upper(), name, nip))
    # portrait and on one page where it fits, like the Word annex
    return page.Document(
        title=title(annex), lang=lang, blocks=tuple(blocks), orientation="portrait", keep_together=True
    )


def write_annex_docx(annex: Annex, path: Path) -> None:
    """Write the annex as a Word document; the file appears whole or not at all."""
    from docx import Document as new_document

    document = new_document()
    _page(document)
    _heading(document, annex)
    _centred(document, _("AGENCIES AND THE VILLAGES THEY MENTOR"), bold=True, space_before=12, space_after=6)
    _table(document, annex.lines)
    if annex.signatory:
        _signature(document, annex.signatory)
    document.core_properties.title = f"{title(annex)} {annex.number or ''}".strip()
    _save(document, path)


def _page(document: Document) -> None:
    from docx.shared import Cm, Pt

    for section in document.sections:
        section.page_width, section.page_height = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
        section.top_margin, section.right_margin = Cm(MARGINS_CM["top"]), Cm(MARGINS_CM["right"])
        section.bottom_margin, section.left_margin = Cm(MARGINS_CM["bottom"]), Cm(MARGINS_CM["left"])
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0


def _heading(document: Document, annex: Annex) -> None:
    """Top right: the title, then NOMOR / TANGGAL / TENTANG with aligned colons."""
    table = document.add_table(rows=1 + len(heading(annex)), cols=len(HEADING_CM))
    _widths(table, HEADING_CM)
    first = table.rows[0].cells
    first[1].merge(first[3]).text = title(annex)
    for row, (label, value) in zip(table.rows[1:], heading(annex), strict=True):
        row.cells[1].text, row.cells[2].text, row.cells[3].text = label, ":", value


def _centred(document: Document, text: str, *, bold: bool = False, space_before: int = 0, space_after: int = 0) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(space_before)
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run(text).bold = bold


def _table(document: Document, lines: tuple[AnnexLine, ...]) -> None:
    """The numbered table: bordered, header row repeated on every page, no row split across pages,
    its last rows kept on the page of the signature (a signature never stands alone)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = document.add_table(rows=1 + len(lines), cols=len(COLUMNS_CM))
    table.style = "Table Grid"
    _widths(table, COLUMNS_CM)
    for cell, text in zip(table.rows[0].cells, header(), strict=True):
        cell.text = ""
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = True
    for number, (row, line) in enumerate(zip(table.rows[1:], lines, strict=True), start=1):
        cells = row.cells
        cells[0].text = f"{number}."
        cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        cells[1].text, cells[2].text, cells[3].text = line.agency, line.village, line.kecamatan
    for index, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        flags = ["w:cantSplit", "w:tblHeader"] if index == 0 else ["w:cantSplit"]
        for flag in flags:
            element = OxmlElement(flag)
            element.set(qn("w:val"), "true")
            properties.append(element)
        if index >= len(table.rows) - KEPT_WITH_SIGNATURE:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True


def _widths(table: Table, widths_cm: tuple[float, ...]) -> None:
    """Fixed column widths (Word reads the cells' widths, LibreOffice the grid's)."""
    from docx.shared import Cm

    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _signature(document: Document, signatory: Signatory) -> None:
    """Bottom right: the title, room for the signature, the name in capitals, the NIP if any."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    lines = [(f"{signatory.title.upper()},", False), *[("", False)] * SIGNATURE_LINES, (signatory.name.upper(), True)]
    if signatory.nip:
        lines.append((_("NIP. {nip}").format(nip=signatory.nip), False))
    for index, (text, bold) in enumerate(lines):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.left_indent = Cm(SIGNATORY_INDENT_CM)
        paragraph.paragraph_format.keep_with_next = index < len(lines) - 1
        if index == 0:
            paragraph.paragraph_format.space_before = Pt(18)
        run = paragraph.add_run(text)
        run.bold = bold
        run.underline = bold


def _save(document: Document, path: Path) -> None:
    """Save beside the target and rename over it, so that a failure never leaves half a file."""
    import io

    from opd_desa.files import write_atomically

    buffer = io.BytesIO()
    document.save(buffer)
    write_atomically(path, buffer.getvalue())
