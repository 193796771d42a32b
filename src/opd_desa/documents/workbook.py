"""A Document as an .xlsx workbook that prints well and stays live: a sheet per section, native charts.

Each level-1 heading starts a sheet; what comes before the first one is the summary sheet. Every
sheet carries the title and the sources, prints landscape on A4 one page wide with its header
row repeated, and numbers stay numbers (formatted per kind) so people can keep calculating. A
chart's values are written as a table on its sheet and the native Excel chart reads them, so the
chart follows when someone edits the numbers. The native charts themselves are drawn in `workbook_charts`.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opd_desa.documents import words
from opd_desa.documents.page import (
    BarChart,
    Block,
    Cell,
    Chart,
    Column,
    Document,
    Heading,
    KeyFigures,
    PageBreak,
    PairingChart,
    Paragraph,
    Picture,
    Signature,
    Table,
    TrendChart,
)
from opd_desa.documents.workbook_charts import bar_chart, chart_table, line_chart, pairing_chart, size_chart
from opd_desa.files import write_atomically
from opd_desa.i18n import N_

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SUMMARY = N_("Summary")
FORMATS = {
    "int": "#,##0",
    "percent": "0.00",
    "points": '+0.00" {pp}";\\-0.00" {pp}";0.00" {pp}"',
    "score": "0.0000",
    "score_points": "+0.0000;\\-0.0000;0.0000",
    "money": '"Rp "#,##0',
    "date": "dd/mm/yyyy",
}
"""Number formats by column kind: rates and changes both with two decimals, changes signed and in points."""
WIDEST = 60
ROW_CM = 0.53
"""Height of a default row in centimetres (15 points): how many rows a chart covers."""
TEXT_WIDTH = 12
"""Columns a paragraph spans (merged, wrapped) at least."""
LINE_CHARACTERS = 90
"""Characters of a wrapped paragraph per line, for its row's height (what TEXT_WIDTH default columns hold)."""


@dataclass
class _Sheet:
    """One sheet being filled: its title, blocks, and the first table header row (repeated in print)."""

    name: str
    blocks: list[Block] = field(default_factory=list)


def render_xlsx(document: Document) -> bytes:
    """The document as .xlsx bytes."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    used: set[str] = set()
    for section in _sections(document):
        sheet = workbook.create_sheet(_sheet_name(section.name, used))
        _fill(sheet, document, section)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xlsx(document: Document, path: Path) -> None:
    """Write the document to `path` as a workbook, all at once."""
    write_atomically(path, render_xlsx(document))


def _sections(document: Document) -> list[_Sheet]:
    sections = [_Sheet(words.say(SUMMARY, document.lang))]
    for block in document.blocks:
        if isinstance(block, Heading) and block.level <= 1:
            sections.append(_Sheet(block.text))
        elif not isinstance(block, PageBreak):
            sections[-1].blocks.append(block)
    return [s for s in sections if s.blocks or s is not sections[0]]


def _sheet_name(name: str, used: set[str]) -> str:
    """A name Excel accepts (31 characters, none of []:*?/\\), unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Sheet"
    candidate, number = base, 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    used.add(candidate.lower())
    return candidate


class _Writer:
    """Writes blocks down a sheet, row after row, remembering widths and the longest table's header."""

    def __init__(self, sheet: Worksheet, lang: str) -> None:
        self.sheet = sheet
        self.lang = lang
        self.row = 1
        self.widths: dict[int, float] = {}
        self.header_row: int | None = None
        self.longest = 0
        """Rows of the table whose header row is repeated on every printed page (a sheet repeats one)."""
        self.headers: list[tuple[int, tuple[Column, ...]]] = []
        self.span = TEXT_WIDTH

    def text(
        self, value: str, *, bold: bool = False, size: float = 10, italic: bool = False, wrap: bool = True
    ) -> None:
        from openpyxl.styles import Alignment, Font

        cell = self.sheet.cell(self.row, 1)
        _put(cell, value)
        cell.font = Font(bold=bold, size=size, italic=italic)
        if wrap and len(value) > 90:
            self.sheet.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.span)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            # lines of about 90 characters: the narrowest merged span (12 default columns); a wider one leaves room
            self.sheet.row_dimensions[self.row].height = 14 * (1 + len(value) // LINE_CHARACTERS)
        self.row += 1

    def measure(self, column: int, text: str) -> None:
        longest = max((len(line) for line in text.splitlines()), default=0)
        self.widths[column] = min(WIDEST, max(self.widths.get(column, 8), longest * 1.1 + 2))

    def table(self, columns: tuple[Column, ...], rows: tuple[tuple[Cell, ...], ...], title: str = "") -> int:
        """Write a table; return its header row."""
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        if title:
            self.text(title, bold=True, wrap=False)
        thin = Side(style="thin", color="888888")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        header = self.row
        self.headers.append((header, columns))
        for index, column in enumerate(columns, start=1):
            cell = self.sheet.cell(header, index)
            _put(cell, column.header)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DCE4EE")
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
            cell.border = border
            longest_word = max((len(w) for w in column.header.split()), default=0)
            self.widths[index] = max(self.widths.get(index, 8), min(WIDEST, longest_word + 3))
        for offset, row in enumerate(rows, start=1):
            for index, (value, column) in enumerate(zip(row, columns, strict=True), start=1):
                cell = self.sheet.cell(header + offset, index)
                self._value(cell, value, column)
                cell.border = border
                if isinstance(value, str) and len(value) > WIDEST:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        if self.header_row is None or len(rows) >= self.longest:  # the longest table's header is repeated in print
            self.header_row, self.longest = header, len(rows)
        self.row = header + len(rows) + 2
        return header

    def _value(self, cell: Any, value: Cell, column: Column) -> None:
        if value is None:
            return
        if column.kind == "bool" or isinstance(value, bool):
            text = words.say(words.YES if value else words.NO, self.lang)
            _put(cell, text)
            self.measure(cell.column, text)
        elif isinstance(value, str):
            _put(cell, value)
            self.measure(cell.column, value)
        elif isinstance(value, dt.date):
            cell.value = value
            cell.number_format = FORMATS["date"]
            self.measure(cell.column, "00/00/0000")
        else:
            cell.value = value
            if column.kind in FORMATS:
                cell.number_format = FORMATS[column.kind].format(pp=words.say(words.POINTS, self.lang))
            self.measure(cell.column, words.cell(value, column.kind, self.lang))


def _put(cell: Any, text: str) -> None:
    """Text stays text: a name beginning with '=' is never run as a formula."""
    from opd_desa.xlsx import put_text

    put_text(cell, text)


def _fill(sheet: Worksheet, document: Document, section: _Sheet) -> None:
    writer = _Writer(sheet, document.lang)
    writer.span = max([TEXT_WIDTH] + [len(b.columns) for b in section.blocks if isinstance(b, Table)])
    writer.text(document.title, bold=True, size=14, wrap=False)
    if document.subtitle:
        writer.text(document.subtitle, wrap=False)
    for source in document.sources:
        writer.text(words.say(words.SOURCE, document.lang).format(source=source), italic=True, size=9, wrap=False)
    writer.row += 1
    writer.text(section.name, bold=True, size=12, wrap=False)
    writer.row += 1
    for block in section.blocks:
        _block(writer, block)
    from openpyxl.utils import get_column_letter

    for column, width in writer.widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row, columns in writer.headers:  # tall enough for the wrapped headers: they must not spill upwards
        lines = max(
            math.ceil(len(c.header) * 1.1 / max(writer.widths.get(i, 8) - 1, 1)) for i, c in enumerate(columns, start=1)
        )
        sheet.row_dimensions[row].height = 13 * max(lines, 1) + 3
    _print_setup(sheet, document, writer.header_row)


def _block(writer: _Writer, block: Block) -> None:
    if isinstance(block, Heading):
        writer.row += 1
        writer.text(block.text, bold=True, size=11, wrap=False)
    elif isinstance(block, Paragraph):
        writer.text(block.text)
    elif isinstance(block, KeyFigures):
        from openpyxl.styles import Font

        for figure in block.figures:
            for column, text in enumerate((figure.label, figure.value, figure.detail), start=1):
                cell = writer.sheet.cell(writer.row, column)
                _put(cell, text)
                cell.font = Font(bold=column == 2)
                writer.measure(column, text)
            writer.row += 1
        writer.row += 1
    elif isinstance(block, Table):
        writer.table(block.columns, block.rows, block.title)
    elif isinstance(block, Chart):
        _chart(writer, block)
    elif isinstance(block, Picture):
        _picture(writer, block)
    elif isinstance(block, Signature):
        writer.row += 1
        for text in (
            words.say(words.SIGNED_AT, writer.lang).format(place=block.place, date=words.date(block.date, writer.lang)),
            block.title,
            "",
            "",
            block.name,
            words.say(words.NIP, writer.lang).format(nip=block.nip) if block.nip else "",
        ):
            if text:
                _put(writer.sheet.cell(writer.row, 4), text)
            writer.row += 1


def _chart(writer: _Writer, chart: Chart) -> None:
    """A native chart, and under it the chart's values as the table it reads.

    The chart sits above its table so that the table's header row, repeated on every printed
    page, never carries a slice of the chart with it.
    """
    spec = chart.spec
    top = writer.row
    columns, rows = chart_table(spec)
    height = max(10.0, 0.45 * len(rows)) if isinstance(spec, PairingChart) else 10.0
    writer.row = top + int(height / ROW_CM) + 2
    if chart.caption:
        writer.text(chart.caption, italic=True)
    for mark in spec.marks if isinstance(spec, TrendChart) else ():
        writer.text(f"{mark.label}: {words.date(mark.when, writer.lang)}", italic=True, wrap=False)
    from openpyxl.worksheet.pagebreak import Break

    writer.sheet.row_breaks.append(Break(id=writer.row))  # the chart on its page, its numbers from the next
    writer.row += 1
    header = writer.table(columns, rows, spec.title)
    if isinstance(spec, TrendChart):
        native = line_chart(writer.sheet, spec, header, len(rows), len(columns))
    elif isinstance(spec, BarChart):
        native = bar_chart(writer.sheet, spec, header, len(rows), len(columns))
    else:
        writer.table(
            (Column(spec.change_title), Column(spec.change_label, kind="points")),
            ((spec.paired_label, spec.paired_change), (spec.unpaired_label, spec.unpaired_change)),
        )
        native = pairing_chart(writer.sheet, spec, header, len(rows))
    size_chart(native, height)
    native.anchor = f"A{top}"
    writer.sheet.add_chart(native)


PICTURE_CM = 11.0
"""The height a picture (the map) takes on its sheet: most of a landscape A4 page."""


def _picture(writer: _Writer, picture: Picture) -> None:
    """A PNG picture as an image on the sheet, its caption under it (an SVG cannot go in a workbook:
    its title stands in its place)."""
    if picture.format != "png":
        writer.text(picture.title, italic=True)
        return
    from openpyxl.drawing.image import Image

    image = Image(io.BytesIO(picture.data))
    height_cm = min(PICTURE_CM, picture.height * 2.54)
    pixels_per_cm = 96 / 2.54  # how a sheet measures an image
    image.height = round(height_cm * pixels_per_cm)
    image.width = round(height_cm * picture.width / picture.height * pixels_per_cm)
    image.anchor = f"A{writer.row}"
    writer.sheet.add_image(image)
    writer.row += int(height_cm / ROW_CM) + 2
    if picture.caption:
        writer.text(picture.caption, italic=True)


def _print_setup(sheet: Worksheet, document: Document, header_row: int | None) -> None:
    """A4 in the document's orientation (landscape unless it asks otherwise), one page wide, header
    row on every page, title and page N of M in the margins."""
    from openpyxl.worksheet.header_footer import HeaderFooterItem
    from openpyxl.worksheet.header_footer import _HeaderFooterPart as _Part
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.page_setup.orientation = document.orientation
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.gridLines = False
    if header_row is not None:
        sheet.print_title_rows = f"{header_row}:{header_row}"
    page_of = words.page_of(0, 0, document.lang).replace("0", "&P", 1).replace("0", "&N", 1)
    sheet.oddHeader = HeaderFooterItem(left=_Part(text=document.title.replace("&", "&&")))
    sheet.oddFooter = HeaderFooterItem(left=_Part(text=document.footer.replace("&", "&&")), right=_Part(text=page_of))
