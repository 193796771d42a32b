"""Pages and pictures of what a view shows: an HTML page (real tables) or an SVG picture (the terminal's look)."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from opd_desa.i18n import _, language
from opd_desa.output.columns import NUMERIC, Column, cell_style, display_text
from opd_desa.output.terminal import Out, RichOut, RowStyle

_HTML_STYLES = {
    "red": "color:#b3261e",
    "green": "color:#1e7b34",
    "dim": "color:#777",
    "bold": "font-weight:bold",
    "cyan": "color:#00658f",
}
_HTML_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
  body {{ font-family: "Segoe UI", Arial, sans-serif; margin: 2em; color: #1a1a1a; }}
  h1 {{ font-size: 1.3em; margin: 0 0 .2em; }}
  .made {{ color: #777; font-size: .85em; margin-bottom: 1em; }}
  table {{ border-collapse: collapse; margin: .8em 0; font-size: .9em; }}
  caption {{ text-align: left; font-weight: bold; padding: .3em 0; }}
  th, td {{ padding: .25em .7em; border-bottom: 1px solid #ddd; text-align: left; white-space: nowrap; }}
  th {{ border-bottom: 2px solid #444; }}
  td.n, th.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
  p {{ margin: .3em 0; }}
  .line {{ font-family: monospace; white-space: pre; margin: 0; }}
  @media print {{ body {{ margin: 1cm; }} }}
</style>
</head>
<body>
<h1>{title}</h1>
<div class="made">{made}</div>
{body}
</body>
</html>
"""


class HtmlOut:
    """An HTML page: real tables with coloured cells, for a browser or to attach to a letter."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    @staticmethod
    def _styled(text: str, style: str | None) -> str:
        escaped = html.escape(text)
        css = ";".join(_HTML_STYLES[s] for s in (style or "").split() if s in _HTML_STYLES)
        return f'<span style="{css}">{escaped}</span>' if css else escaped

    def print(self, text: str = "", style: str | None = None) -> None:
        self.parts.append(f"<p>{self._styled(text, style)}</p>" if text else "")

    def segments(self, parts: Sequence[tuple[str, str | None]]) -> None:
        self.parts.append('<p class="line">' + "".join(self._styled(t, s) for t, s in parts) + "</p>")

    def table(
        self,
        rows: Sequence[dict[str, Any]],
        columns: Sequence[Column],
        *,
        title: str | None = None,
        row_style: RowStyle | None = None,
    ) -> None:
        def cls(col: Column) -> str:
            return ' class="n"' if col.kind in NUMERIC else ""

        markup = ["<table>"]
        if title:
            markup.append(f"<caption>{html.escape(title)}</caption>")
        markup.append("<tr>" + "".join(f"<th{cls(c)}>{html.escape(_(c.header))}</th>" for c in columns) + "</tr>")
        for row in rows:
            whole = row_style(row) if row_style else None
            cells = []
            for col in columns:
                value = row.get(col.key)
                style = " ".join(filter(None, (whole, cell_style(value, col.kind, col.key, row))))
                cells.append(f"<td{cls(col)}>{self._styled(display_text(value, col.kind), style)}</td>")
            markup.append("<tr>" + "".join(cells) + "</tr>")
        markup.append("</table>")
        self.parts.append("\n".join(markup))


# an SVG picture without the terminal-window frame and without fonts fetched from the internet
_SVG_FORMAT = """<svg class="rich-terminal" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">
    <style>
    .{unique_id}-matrix {{
        font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace;
        font-size: {char_height}px;
        line-height: {line_height}px;
        font-variant-east-asian: full-width;
    }}
    {styles}
    </style>
    <defs>
    <clipPath id="{unique_id}-clip-terminal">
      <rect x="0" y="0" width="{terminal_width}" height="{terminal_height}" />
    </clipPath>
    {lines}
    </defs>
    <rect fill="#ffffff" x="0" y="0" width="{width}" height="{height}"/>
    <g transform="translate({terminal_x}, {terminal_y})" clip-path="url(#{unique_id}-clip-terminal)">
    {backgrounds}
    <g class="{unique_id}-matrix">
    {matrix}
    </g>
    </g>
</svg>
"""


def save_page(path: Path, build: Callable[[Out], None], *, title: str, made: str) -> None:
    """Write a page (.html) or a picture (.svg) of what `build(out)` prints, under `title`."""
    if path.suffix.lower() == ".html":
        page = HtmlOut()
        build(page)
        path.write_text(
            _HTML_PAGE.format(
                lang=language(), title=html.escape(title), made=html.escape(made), body="\n".join(page.parts)
            ),
            encoding="utf-8",
        )
        return
    import io

    from rich.console import Console
    from rich.terminal_theme import TerminalTheme

    light = TerminalTheme(
        (255, 255, 255),
        (26, 26, 26),
        [
            (26, 26, 26),
            (179, 38, 30),
            (30, 123, 52),
            (150, 110, 0),
            (0, 80, 160),
            (120, 40, 140),
            (0, 101, 143),
            (200, 200, 200),
        ],
    )

    def record(width: int) -> Console:
        recorder = Console(record=True, width=width, file=io.StringIO(), color_system="truecolor", highlight=False)
        out = RichOut(recorder)
        out.print(title, style="bold")
        out.print(made, style="dim")
        build(out)
        return recorder

    # draw once wide to measure, then at the width the content needs, so the picture has no empty margin
    needed = max(len(line.rstrip()) for line in record(400).export_text().splitlines())
    recorder = record(min(max(needed, 40), 400))
    path.write_text(recorder.export_svg(title=title, theme=light, code_format=_SVG_FORMAT), encoding="utf-8")
