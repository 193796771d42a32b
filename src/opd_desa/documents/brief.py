"""The brief for the Bupati as a Document: title block, key figures in sentences, charts, tables, signature.

`compose(brief)` only arranges words and numbers that `services.brief` gathered; the PDF, HTML and
workbook writers print it. Each section is one small function, in the order the reader meets it:
the figures in `brief_figures`, the pairings in `brief_pairings`, attention, map and next steps in
`brief_outlook`; the sources and the signature close the brief here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from opd_desa.documents.brief_figures import key_figures, measure_section
from opd_desa.documents.brief_outlook import attention_section, map_section, next_steps_section
from opd_desa.documents.brief_pairings import agencies_section, scorecard_section
from opd_desa.documents.page import Block, Document, Heading, Paragraph, Signature
from opd_desa.documents.words import BLANK
from opd_desa.errors import InvalidValue
from opd_desa.i18n import _, language
from opd_desa.services.brief import Brief

PROGRAMME = "1 OPD 1 Desa Dampingan"
FORMATS = (".pdf", ".html", ".xlsx")
ILLUSTRATIVE_MARKS = ("ilustrasi", "illustrative")
"""Words in a source's text that say its figures are made up for the example."""


def compose(brief: Brief) -> Document:
    """The whole brief, in the language messages are in now."""
    lang = language()
    blocks: list[Block] = [*key_figures(brief, lang)]
    for measure in brief.measures:
        blocks += measure_section(brief, measure, lang)
    blocks += scorecard_section(brief, lang)
    blocks += agencies_section(brief)
    blocks += attention_section(brief)
    blocks += map_section(brief)
    blocks += next_steps_section(brief)
    blocks += _sources(brief)
    blocks.append(_signature(brief))
    title = _("Programme {programme}: results for {year}").format(programme=PROGRAMME, year=brief.year)
    area = (
        brief.region
        if brief.kecamatan is None
        else _("Kecamatan {name}, {region}").format(name=brief.kecamatan, region=brief.region)
    )
    office = brief.office.name  # unset: the document names the region only (the command says how to set it)
    subtitle = " · ".join(part for part in (office, brief.office.address, area) if part)
    return Document(
        title,
        lang,
        tuple(blocks),
        subtitle,
        footer=" · ".join(part for part in (office, PROGRAMME, str(brief.year)) if part),
        sources=brief.sources,
        logo=brief.office.logo,
    )


def check_output(path: Path) -> None:
    """Refuse, before any work, a file the brief cannot be written as, or into a folder that is not there."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidValue(
            _("--output: a brief is written as {choices}, not '{suffix}'; name a file such as brief.pdf").format(
                choices=", ".join(FORMATS), suffix=suffix or path.name
            )
        )
    if not path.parent.is_dir():
        raise InvalidValue(_("--output: folder {folder} does not exist").format(folder=path.parent))


def write_brief(brief: Brief, path: Path) -> None:
    """Write the brief to `path` as PDF, HTML or a workbook, by the file's suffix."""
    check_output(path)
    suffix = path.suffix.lower()
    document = compose(brief)
    if suffix == ".pdf":
        from opd_desa.documents.pdf import write_pdf

        write_pdf(document, path)
    elif suffix == ".html":
        from opd_desa.documents.html import write_html

        write_html(document, path)
    else:
        from opd_desa.documents.workbook import write_xlsx

        write_xlsx(document, path)


def _sources(brief: Brief) -> Iterator[Block]:
    yield Heading(_("Sources"), 2)
    yield Paragraph("; ".join(brief.sources) if brief.sources else _("No source was recorded for the figures."))
    if any(mark in source.lower() for source in brief.sources for mark in ILLUSTRATIVE_MARKS):
        yield Paragraph(_("The figures are illustrative example data, not official statistics."))


def _signature(brief: Brief) -> Signature:
    """Place (the region's seat), today's date, and the signatory from `settings`."""
    place = brief.region
    for prefix in ("Kabupaten ", "Kota ", "Provinsi "):
        place = place.removeprefix(prefix)
    office = brief.office
    return Signature(
        place,
        brief.today,
        office.signatory_title or BLANK,  # unset: a dotted line to write on, as in the decree annex
        office.signatory_name or BLANK,
        office.signatory_nip,
    )
