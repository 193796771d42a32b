"""A Document as one self-contained HTML page that prints well: A4 landscape, headers on every page.

Charts are inline SVG (text drawn as paths), there are no remote fonts, stylesheets or scripts,
and every word from the data is escaped. Browsers that support CSS page-margin boxes print
"page N of M" at the foot of each page; the others print the pages without it.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

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

WIDE = 9
WIDER = 14
"""Columns beyond which a table is set in smaller type, so that it fits the page rather than losing columns."""

_STYLE = """
@page { size: A4 %(orientation)s; margin: 14mm 14mm 16mm 14mm;
  @bottom-left { content: "%(footer)s"; font: 8pt "DejaVu Sans", Arial, sans-serif; color: #555; }
  @bottom-right { content: "%(page_of)s"; font: 8pt "DejaVu Sans", Arial, sans-serif; color: #555; } }
html { font: 10pt/1.4 "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #111; }
body { max-width: %(width)s; margin: 0 auto; padding: 8mm 0; }
header { border-bottom: 1.5pt solid #111; margin-bottom: 5mm; }
header h1 { font-size: 17pt; margin: 0 0 1mm 0; }
header img.logo { float: left; height: 16mm; margin: 0 4mm 2mm 0; }
header::after { content: ""; display: block; clear: both; }
header p { font-size: 11pt; margin: 0 0 2mm 0; }
h2 { font-size: 14pt; margin: 6mm 0 2mm 0; }
h3 { font-size: 11.5pt; margin: 4mm 0 2mm 0; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
section.chart { break-inside: avoid; page-break-inside: avoid; margin: 2mm 0 4mm 0; }
section.chart svg { width: 100%%; height: auto; max-height: 165mm; display: block; }
section.picture { break-inside: avoid; page-break-inside: avoid; margin: 2mm 0 4mm 0; text-align: center; }
section.picture img, section.picture svg { max-width: 100%%; max-height: 145mm; height: auto; }
section.picture p, section.chart p { font-style: italic; font-size: 9pt; margin: 1mm 0; }
table { border-collapse: collapse; margin: 2mm 0 5mm 0; font-size: 8.5pt; max-width: 100%%; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th { background: #dce4ee; text-align: left; vertical-align: bottom; }
th, td { border: 0.5pt solid #888; padding: 1mm 1.5mm; overflow-wrap: anywhere; }
tbody tr:nth-child(even) td { background: #f6f6f6; }
td.number { text-align: right; white-space: nowrap; }
table.wide { font-size: 7pt; }
table.wider { font-size: 5.5pt; }
table.wider td.number { white-space: normal; }
caption { text-align: left; font-weight: bold; padding-bottom: 1mm; }
.key-figures { display: flex; flex-wrap: wrap; gap: 4mm; margin: 2mm 0 4mm 0; break-inside: avoid; }
.key-figures > div { flex: 1 1 55mm; border: 0.8pt solid #0072b2; background: #eef3f8; padding: 2mm 3mm; }
.key-figures .label { font-size: 8.5pt; }
.key-figures .value { font-size: 16pt; font-weight: bold; }
.key-figures .detail { font-size: 7.5pt; }
.signature { width: 33%%; margin: 8mm 0 0 auto; text-align: center; break-inside: avoid; }
.signature .name { margin-top: 20mm; font-weight: bold; text-decoration: underline; }
.page-break { break-after: page; page-break-after: always; }
footer { margin-top: 8mm; font-size: 8pt; color: #555; }
@media print { body { padding: 0; max-width: none; } footer { display: none; } }
"""


def render_html(document: Document) -> str:
    """The document as the text of one HTML page."""
    lang = document.lang
    style = _STYLE % {
        "footer": _css_string(document.footer),
        "page_of": page_of_css(lang),
        "orientation": document.orientation,
        "width": "269mm" if document.orientation == "landscape" else "182mm",
    }
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(document.title)}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
        "<header>",
    ]
    if document.logo:
        import base64

        kind = "png" if document.logo.startswith(b"\x89PNG") else "jpeg"
        picture = base64.b64encode(document.logo).decode("ascii")
        parts.append(f'<img class="logo" alt="" src="data:image/{kind};base64,{picture}">')
    parts.append(f"<h1>{escape(document.title)}</h1>")
    if document.subtitle:
        parts.append(f"<p>{escape(document.subtitle)}</p>")
    parts.append("</header>")
    parts.extend(_block(block, lang) for block in document.blocks)
    if document.footer:
        parts.append(f"<footer>{escape(document.footer)}</footer>")
    parts.extend(["</body>", "</html>", ""])
    return "\n".join(parts)


def write_html(document: Document, path: Path) -> None:
    """Write the document to `path` as one HTML page, all at once."""
    write_atomically(path, render_html(document).encode("utf-8"))


def page_of_css(lang: str) -> str:
    """The inside of a CSS `content` string that prints "page 2 of 5" in `lang` with the page counters."""
    return (
        _css_string(words.page_of(0, 0, lang))
        .replace("0", '" counter(page) "', 1)
        .replace("0", '" counter(pages) "', 1)
    )


def table_class(columns: int) -> str:
    """The class that sets a table of this many columns in smaller type, so it fits rather than loses columns."""
    return "wider" if columns > WIDER else "wide" if columns > WIDE else ""


def _css_string(text: str) -> str:
    """Text safe inside a CSS string inside a <style> element."""
    return "".join(ch if ch.isalnum() or ch in " .,:;()-_/·" else f"\\{ord(ch):06x}" for ch in text)


def _block(block: Block, lang: str) -> str:
    if isinstance(block, Heading):
        tag = "h2" if block.level <= 1 else "h3"
        return f"<{tag}>{escape(block.text)}</{tag}>"
    if isinstance(block, Paragraph):
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, Table):
        return _table(block, lang)
    if isinstance(block, Chart):
        return _chart(block)
    if isinstance(block, Picture):
        return _picture(block)
    if isinstance(block, KeyFigures):
        boxes = "".join(
            f'<div><div class="label">{escape(f.label)}</div><div class="value">{escape(f.value)}</div>'
            f'<div class="detail">{escape(f.detail)}</div></div>'
            for f in block.figures
        )
        return f'<div class="key-figures">{boxes}</div>'
    if isinstance(block, Signature):
        return _signature(block, lang)
    if isinstance(block, PageBreak):
        return '<div class="page-break"></div>'
    raise TypeError(f"not a block: {block!r}")


def _table(table: Table, lang: str) -> str:
    head = "".join(f"<th>{escape(column.header)}</th>" for column in table.columns)
    numeric = [words.is_numeric(column.kind) for column in table.columns]
    kinds = [column.kind for column in table.columns]
    body = "\n".join(
        "<tr>"
        + "".join(
            f'<td class="number">{escape(words.cell(value, kind, lang))}</td>'
            if is_number
            else f"<td>{escape(words.cell(value, kind, lang))}</td>"
            for value, kind, is_number in zip(row, kinds, numeric, strict=True)
        )
        + "</tr>"
        for row in table.rows
    )
    caption = f"<caption>{escape(table.title)}</caption>" if table.title else ""
    width = len(table.columns)
    size = f' class="{table_class(width)}"' if table_class(width) else ""
    return f"<table{size}>{caption}<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table>"


def _chart(chart: Chart) -> str:
    picture = charts.svg(chart.spec)
    picture = picture[picture.index("<svg") :]  # inline: no XML declaration or doctype
    label = escape(chart.spec.title, quote=True)
    picture = picture.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    caption = f"<p>{escape(chart.caption)}</p>" if chart.caption else ""
    return f'<section class="chart">{picture}{caption}</section>'


def _picture(picture: Picture) -> str:
    """A finished picture: SVG inline, PNG as a data URI (the page stays one self-contained file)."""
    import base64

    label = escape(picture.title, quote=True)
    if picture.format == "svg":
        text = picture.data.decode("utf-8")
        shown = text[text.index("<svg") :].replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    else:
        data = base64.b64encode(picture.data).decode("ascii")
        shown = f'<img alt="{label}" src="data:image/png;base64,{data}">'
    caption = f"<p>{escape(picture.caption)}</p>" if picture.caption else ""
    return f'<section class="picture">{shown}{caption}</section>'


def _signature(signature: Signature, lang: str) -> str:
    signed_at = words.say(words.SIGNED_AT, lang).format(place=signature.place, date=words.date(signature.date, lang))
    lines = [
        f"<div>{escape(signed_at)}</div>",
        f"<div>{escape(signature.title)}</div>",
        f'<div class="name">{escape(signature.name)}</div>',
    ]
    if signature.nip:
        lines.append(f"<div>{escape(words.say(words.NIP, lang).format(nip=signature.nip))}</div>")
    return f'<div class="signature">{"".join(lines)}</div>'
