"""A Document as a PDF ready to print and sign: A4 landscape, page N of M, headers on every page.

fpdf2 is pure Python (offices run Windows; no system libraries), and DejaVu Sans, which ships
inside matplotlib, is embedded so the pages look the same on every machine. Charts go in as SVG
drawn to vector paths. A table too wide for the page gets smaller type, never fewer columns.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opd_desa.documents import charts, words
from opd_desa.documents.page import (
    Block,
    Chart,
    Document,
    Heading,
    KeyFigures,
    PageBreak,
    Paragraph,
    Picture,
    Signature,
    Table,
)
from opd_desa.files import write_atomically

if TYPE_CHECKING:
    from fpdf import FPDF

FONT = "DejaVu Sans"
"""The PDF's one font, embedded; the charts name it too, so their words are set in it."""
TOTAL_PAGES = "{nb}"
"""Stands for the number of pages until the document is finished (fpdf2 replaces it then)."""
MARGIN = 15.0
"""Millimetres around the page; the footer sits inside the bottom one."""
TABLE_SIZES = (9.0, 8.0, 7.0, 6.5, 6.0, 5.5, 5.0)
"""Type sizes a table tries in turn until its columns fit the page width."""
SHRINK = 0.7
"""A chart may be drawn this much smaller to stay on the page of its heading."""
CELL_PADDING = 1.2
KEEP_TOGETHER = 25
"""A table of at most this many rows is not split across pages when it fits on one."""
KEEP_WITH_HEADER = 5
"""Rows a longer table needs under its header on the page where it starts."""
MAX_COLUMN = 70.0
"""Millimetres: a column is not widened beyond this for one long text; the text wraps instead."""


def render_pdf(document: Document) -> bytes:
    """The document as PDF bytes."""
    pdf = _new_pdf(document)
    pdf.add_page()
    _title(pdf, document)
    blocks = document.blocks
    if document.keep_together:
        _together(pdf, blocks, document.lang)
        return bytes(pdf.output())
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        _block(pdf, block, following, document.lang)
    return bytes(pdf.output())


KEPT_WITH_SIGNATURE = 2
"""Rows of a closing table that go to the next page with the signature when it does not fit after them."""
SIGNATURE_HEIGHT = 50.0
"""Millimetres the signature block needs (place and date, title, room to sign and stamp, name, NIP)."""


def _together(pdf: FPDF, blocks: Sequence[Block], lang: str) -> None:
    """The blocks in plain flow (see `Document.keep_together`): a table that runs to the foot of the
    page leaves its last rows to go over with the signature."""
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if (
            isinstance(block, Table)
            and isinstance(following, Signature)
            and len(block.rows) > KEPT_WITH_SIGNATURE
            and _leaves_no_room_to_sign(pdf, block, lang)
        ):
            head = Table(block.columns, block.rows[:-KEPT_WITH_SIGNATURE], block.title)
            _table(pdf, head, lang, keep=False)
            pdf.add_page()
            _table(pdf, Table(block.columns, block.rows[-KEPT_WITH_SIGNATURE:]), lang, keep=False)
        elif isinstance(block, Heading):
            _heading(pdf, block, None)
        elif isinstance(block, Table):
            _table(pdf, block, lang, keep=False)
        else:
            _block(pdf, block, following, lang)


def _leaves_no_room_to_sign(pdf: FPDF, table: Table, lang: str) -> bool:
    """Whether the table, set from here, ends too low on its page for the signature under it
    (measured by setting it on a copy of the document, which is then rewound)."""
    with pdf.offset_rendering():
        _table(pdf, table, lang, keep=False)
        crowded = bool(pdf.will_page_break(SIGNATURE_HEIGHT))
    return crowded


def write_pdf(document: Document, path: Path) -> None:
    """Write the document to `path` as PDF, all at once."""
    write_atomically(path, render_pdf(document))


def _fonts_folder() -> Path:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib is not installed; it carries the DejaVu fonts the PDF embeds")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def _new_pdf(document: Document) -> FPDF:
    from fpdf import FPDF

    lang = document.lang
    footer_text = document.footer

    class Pages(FPDF):
        def footer(self) -> None:
            self.set_y(-MARGIN + 4)
            self.set_font(FONT, "", 8)
            self.set_text_color(80)
            self.cell(self.epw * 0.7, 5, footer_text, align="L")
            self.cell(self.epw * 0.3, 5, words.page_of(self.page_no(), TOTAL_PAGES, lang), align="R")
            self.set_text_color(0)

    pdf = Pages(orientation=document.orientation, unit="mm", format="A4")
    pdf.alias_nb_pages(TOTAL_PAGES)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN + 4)
    folder = _fonts_folder()
    pdf.add_font(FONT, "", folder / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", folder / "DejaVuSans-Bold.ttf")
    pdf.add_font(FONT, "I", folder / "DejaVuSans-Oblique.ttf")
    pdf.set_title(document.title)
    pdf.set_lang(document.lang)
    pdf.set_creator("opd-desa")
    pdf.set_font(FONT, "", 10)
    return pdf


LOGO_HEIGHT = 16.0
"""Millimetres: the office's logo beside the title."""


def _title(pdf: FPDF, document: Document) -> None:
    top = pdf.get_y()
    if document.logo:
        import io

        pdf.image(io.BytesIO(document.logo), x=pdf.l_margin, y=top, h=LOGO_HEIGHT)
        pdf.set_left_margin(pdf.l_margin + LOGO_HEIGHT * 1.6)
        pdf.set_x(pdf.l_margin)
    pdf.set_font(FONT, "B", 17)
    pdf.multi_cell(0, 8, document.title, new_x="LMARGIN", new_y="NEXT")
    if document.subtitle:
        pdf.set_font(FONT, "", 11)
        pdf.multi_cell(0, 6, document.subtitle, new_x="LMARGIN", new_y="NEXT")
    if document.logo:
        pdf.set_left_margin(MARGIN)
        pdf.set_y(max(pdf.get_y(), top + LOGO_HEIGHT))
    pdf.set_draw_color(0)
    pdf.set_line_width(0.4)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.w - pdf.r_margin, pdf.get_y() + 2)
    pdf.ln(5)
    pdf.set_font(FONT, "", 10)


def _block(pdf: FPDF, block: Block, following: Block | None, lang: str) -> None:
    if isinstance(block, Heading):
        _heading(pdf, block, following)
    elif isinstance(block, Paragraph):
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, 5, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    elif isinstance(block, Table):
        _table(pdf, block, lang)
    elif isinstance(block, Chart):
        _chart(pdf, block)
    elif isinstance(block, Picture):
        _picture(pdf, block)
    elif isinstance(block, KeyFigures):
        _key_figures(pdf, block)
    elif isinstance(block, Signature):
        _signature(pdf, block, lang)
    elif isinstance(block, PageBreak):
        pdf.add_page()


def _room_after_heading(pdf: FPDF, following: Block | None) -> float:
    """Millimetres the next block needs on the heading's page, so a heading never ends a page alone."""
    if isinstance(following, Chart):
        return _chart_size(pdf, following)[1] * SHRINK + (8 if following.caption else 2)
    if isinstance(following, Table):
        return _kept_height(pdf, following, TABLE_SIZES[0])
    if isinstance(following, Picture):
        return _picture_size(pdf, following)[1] + (8 if following.caption else 2)
    return 15.0


def _kept_height(pdf: FPDF, table: Table, size: float) -> float:
    """Millimetres a table needs where it starts: all of a short table, the header and a few rows of
    a long one (or of a short one that would not fit on a page under its heading anyway)."""
    row = size * 0.45 + 2 * CELL_PADDING
    title = 6 if table.title else 0
    whole = (len(table.rows) + 2) * row + title
    if len(table.rows) <= KEEP_TOGETHER and whole <= pdf.eph - 20:
        return whole
    return (KEEP_WITH_HEADER + 2) * row + title


def _heading(pdf: FPDF, heading: Heading, following: Block | None) -> None:
    size = 14 if heading.level <= 1 else 11.5
    if isinstance(following, Picture) and following.height > following.width:
        pdf.add_page(orientation="portrait")  # a tall picture (the map) gets a page of its shape
    elif pdf.will_page_break(size / 2 + 4 + _room_after_heading(pdf, following)):
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(FONT, "B", size)
    pdf.multi_cell(0, size / 2, heading.text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, "", 10)


def _chart_size(pdf: FPDF, chart: Chart) -> tuple[float, float]:
    """Width and height in millimetres: the full text width, or less where the page is not tall enough."""
    width_in, height_in = charts.size(chart.spec)
    most = pdf.eph - 12
    width = pdf.epw
    height = width * height_in / width_in
    if height > most:
        width, height = width * most / height, most
    return width, height


def _chart(pdf: FPDF, chart: Chart) -> None:
    width, height = _chart_size(pdf, chart)
    below = 8 if chart.caption else 2
    room = pdf.h - pdf.b_margin - pdf.get_y() - below
    if height > room >= height * SHRINK:  # a little smaller rather than a half-empty page
        width, height = width * room / height, room
    if pdf.will_page_break(height + below):
        pdf.add_page()
    x = pdf.l_margin + (pdf.epw - width) / 2
    pdf.image(_chart_svg(chart), x=x, y=pdf.get_y(), w=width, h=height)
    pdf.set_y(pdf.get_y() + height + 1)
    if chart.caption:
        pdf.set_font(FONT, "I", 9)
        pdf.multi_cell(0, 4.5, chart.caption, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 10)
    pdf.ln(3)


def _chart_svg(chart: Chart) -> bytes:
    """The chart's SVG with its words as text in the embedded font.

    matplotlib writes font sizes in px, meaning SVG user units; fpdf2 reads px as 0.75 pt, so
    the unit is dropped to keep the words at the size they were drawn.
    """
    picture = charts.svg(chart.spec, text_as_paths=False)
    return re.sub(r"font-size: ?([0-9.]+)px", r"font-size: \1", picture).encode("utf-8")


def _picture_size(pdf: FPDF, picture: Picture) -> tuple[float, float]:
    """Width and height in millimetres: as large as a page's text area holds, in the picture's shape."""
    most_width, most_height = pdf.epw, pdf.eph - 24  # room for its heading and caption on the page
    width = min(most_width, picture.width * 25.4)
    height = width * picture.height / picture.width
    if height > most_height:
        width, height = width * most_height / height, most_height
    return width, height


def _picture(pdf: FPDF, picture: Picture) -> None:
    """A finished picture (the map), centred; on the next page when it does not fit this one."""
    import io

    width, height = _picture_size(pdf, picture)
    below = 8 if picture.caption else 2
    if pdf.will_page_break(height + below):
        pdf.add_page()
    x = pdf.l_margin + (pdf.epw - width) / 2
    pdf.image(io.BytesIO(picture.data), x=x, y=pdf.get_y(), w=width, h=height, alt_text=picture.title or None)
    pdf.set_y(pdf.get_y() + height + 1)
    if picture.caption:
        pdf.set_font(FONT, "I", 9)
        pdf.multi_cell(0, 4.5, picture.caption, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 10)
    pdf.ln(3)


def _key_figures(pdf: FPDF, block: KeyFigures) -> None:
    per_row = min(4, max(1, len(block.figures)))
    gap = 4.0
    width = (pdf.epw - gap * (per_row - 1)) / per_row
    height = 24.0
    for start in range(0, len(block.figures), per_row):
        if pdf.will_page_break(height + gap):
            pdf.add_page()
        top = pdf.get_y()
        for column, figure in enumerate(block.figures[start : start + per_row]):
            left = pdf.l_margin + column * (width + gap)
            pdf.set_fill_color(238, 243, 248)
            pdf.set_draw_color(0, 114, 178)
            pdf.rect(left, top, width, height, style="DF")
            pdf.set_xy(left + 3, top + 2.5)
            pdf.set_font(FONT, "", 8.5)
            pdf.multi_cell(width - 6, 4, figure.label, new_x="LEFT", new_y="NEXT", max_line_height=4)
            pdf.set_font(FONT, "B", 16)
            pdf.multi_cell(width - 6, 8, figure.value, new_x="LEFT", new_y="NEXT")
            if figure.detail:
                pdf.set_font(FONT, "", 7.5)
                pdf.multi_cell(width - 6, 3.5, figure.detail, new_x="LEFT", new_y="NEXT")
        pdf.set_xy(pdf.l_margin, top + height + gap)
    pdf.set_draw_color(0)
    pdf.set_font(FONT, "", 10)
    pdf.ln(1)


def _signature(pdf: FPDF, signature: Signature, lang: str) -> None:
    width = pdf.epw / 3
    if pdf.will_page_break(SIGNATURE_HEIGHT):
        pdf.add_page()
    pdf.ln(6)
    left = pdf.w - pdf.r_margin - width
    lines: list[tuple[str, str, float]] = [
        (words.say(words.SIGNED_AT, lang).format(place=signature.place, date=words.date(signature.date, lang)), "", 5),
        (signature.title, "", 22),
        (signature.name, "BU", 5),
    ]
    if signature.nip:
        lines.append((words.say(words.NIP, lang).format(nip=signature.nip), "", 5))
    for text, style, after in lines:
        pdf.set_x(left)
        pdf.set_font(FONT, style, 10)
        pdf.multi_cell(width, 5, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(after - 5)
    pdf.set_font(FONT, "", 10)


def _texts(table: Table, lang: str) -> list[list[str]]:
    kinds = [column.kind for column in table.columns]
    return [[words.cell(value, kind, lang) for value, kind in zip(row, kinds, strict=True)] for row in table.rows]


def _column_widths(pdf: FPDF, headers: Sequence[str], body: Sequence[Sequence[str]], size: float) -> list[float]:
    """Each column's width at type size `size`: wide enough for its longest word, wider where room allows."""
    pdf.set_font(FONT, "B", size)
    least = [max(pdf.get_string_width(w) for w in (h.split() or [""])) for h in headers]
    whole = [pdf.get_string_width(h) / 2 + 1 for h in headers]
    pdf.set_font(FONT, "", size)
    for row in body:
        for index, text in enumerate(row):
            least[index] = max(least[index], *(pdf.get_string_width(w) for w in (text.split() or [""])))
            whole[index] = max(whole[index], pdf.get_string_width(text))
    pad = 2 * CELL_PADDING + 0.6
    least = [w + pad for w in least]
    whole = [max(w + pad, m) for w, m in zip(whole, least, strict=True)]
    if sum(whole) <= pdf.epw:
        return whole
    wanted = [max(min(w, MAX_COLUMN), m) for w, m in zip(whole, least, strict=True)]
    if sum(wanted) <= pdf.epw:  # the room left goes to the columns held back, so that fewer lines wrap
        held = [w - c for w, c in zip(whole, wanted, strict=True)]
        share = min(1.0, (pdf.epw - sum(wanted)) / sum(held)) if sum(held) > 0 else 0.0
        return [c + share * h for c, h in zip(wanted, held, strict=True)]
    spare = pdf.epw - sum(least)
    if spare <= 0:
        return least
    extra = [w - m for w, m in zip(wanted, least, strict=True)]
    return [m + spare * e / sum(extra) for m, e in zip(least, extra, strict=True)]


def _table(pdf: FPDF, table: Table, lang: str, *, keep: bool = True) -> None:
    """The table with its header on every page; with `keep`, a short table starts on the next page
    rather than split, and a long one not with a lonely header at the foot of a page."""
    from fpdf.enums import TableCellFillMode, WrapMode
    from fpdf.fonts import FontFace

    headers = [column.header for column in table.columns]
    body = _texts(table, lang)
    size, widths = TABLE_SIZES[-1], []
    for size in TABLE_SIZES:
        widths = _column_widths(pdf, headers, body, size)
        if sum(widths) <= pdf.epw + 0.01:
            break
    too_wide = sum(widths) > pdf.epw + 0.01
    if too_wide:  # a single word wider than any share of the page: split it rather than lose the column
        widths = [pdf.epw / len(widths)] * len(widths)
    if keep and pdf.will_page_break(_kept_height(pdf, table, size)):
        pdf.add_page()  # a short table whole on the next page; a long one not starting with a lonely header
    if table.title:
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(0, 5, table.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", size)
    align = ["RIGHT" if words.is_numeric(column.kind) else "LEFT" for column in table.columns]
    options: dict[str, Any] = {
        "width": min(sum(widths), pdf.epw),
        "col_widths": widths,
        "align": "LEFT",
        "text_align": align,
        "line_height": size * 0.45,
        "padding": CELL_PADDING,
        "headings_style": FontFace(emphasis="BOLD", fill_color=(220, 228, 238)),
        "cell_fill_color": (246, 246, 246),
        "cell_fill_mode": TableCellFillMode.ROWS,
        "repeat_headings": 1,
        "wrapmode": WrapMode.CHAR if too_wide else WrapMode.WORD,
    }
    with pdf.table(**options) as out:
        heading = out.row()
        for header in headers:
            heading.cell(header, align="LEFT")
        for row in body:
            line = out.row()
            for text in row:
                line.cell(text)
    pdf.set_font(FONT, "", 10)
    pdf.ln(4)
