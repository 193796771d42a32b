"""Rows -> a rich table, CSV, JSON, Markdown, or an HTML page / SVG picture.

Renderers take plain rows (dicts) and a list of `Column`s; they never touch the database.
JSON keys and CSV headers are the column keys and never change with the language; table and
Markdown headers are translated.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _, decimal, language

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

FORMATS = ("table", "csv", "json", "markdown")
NUMERIC = {"int", "rate", "change", "money"}
WIDE = 10_000  # width of a console that is not a terminal: never wrap piped tables


@dataclass(frozen=True)
class Column:
    """One column: `key` in JSON/CSV, `header` (English, translated) in tables, `kind` for formatting."""

    key: str
    header: str
    kind: str = "text"  # text | int | rate | change | money | bool | list
    optional: bool = False  # left out of a terminal table that would not fit otherwise


def check_format(fmt: str) -> str:
    """The format name, or a clear error listing the choices."""
    fmt = fmt.strip().lower()
    if fmt == "md":
        fmt = "markdown"
    if fmt not in FORMATS:
        raise InvalidValue(
            _("--format must be one of {choices}, not '{value}'").format(choices=", ".join(FORMATS), value=fmt)
        )
    return fmt


# --- cell formatting ---------------------------------------------------------------------------


def thousands(value: int) -> str:
    text = f"{value:,}"
    return text.replace(",", ".") if language() == "id" else text


def cell_text(value: Any, kind: str) -> str:
    """A value as people read it in a table or Markdown."""
    if value is None:
        return "–"
    if kind == "rate":
        return decimal(f"{value:.2f}")
    if kind == "score":
        return decimal(f"{value:.4f}")
    if kind == "change":
        arrow = "▲" if value > 0 else "▼" if value < 0 else "="
        return decimal(f"{arrow} {abs(value):.2f}")
    if kind in ("int", "money"):
        return thousands(int(value))
    if kind == "bool":
        return _("yes") if value else _("no")
    if kind == "list":
        return ", ".join(value)
    return str(value)


def _style(value: Any, kind: str, key: str, row: dict[str, Any]) -> str:
    if value is None:
        return "dim"
    if key in ("rate", "value") and isinstance(row.get("above_target"), bool):
        return "red" if row["above_target"] else "green"
    if kind == "change":
        return "red" if value > 0 else "green" if value < 0 else ""
    if key in ("above_target", "gap"):
        above = value if kind == "bool" else value > 0
        return "red" if above else "green"
    return ""


# --- outputs -----------------------------------------------------------------------------------
# A terminal gets rich tables and colours; a pipe or file gets plain, unwrapped text without
# importing rich at all (it costs more start-up time than the rest of a typed command).


class Out(Protocol):
    """Where people-facing output goes: a line, a line of coloured pieces, or a table."""

    def print(self, text: str = "", style: str | None = None) -> None: ...

    def segments(self, parts: Sequence[tuple[str, str | None]]) -> None: ...

    def table(
        self,
        rows: Sequence[dict[str, Any]],
        columns: Sequence[Column],
        *,
        title: str | None = None,
        row_style: Callable[[dict[str, Any]], str | None] | None = None,
    ) -> None: ...


class PlainOut:
    """Plain text, for pipes and files: no colour, no wrapping."""

    def __init__(self, file: IO[str] | None = None) -> None:
        self.file = file

    def _write(self, text: str) -> None:
        (self.file or sys.stdout).write(text + "\n")

    def print(self, text: str = "", style: str | None = None) -> None:
        self._write(text)

    def segments(self, parts: Sequence[tuple[str, str | None]]) -> None:
        self._write("".join(text for text, _style in parts).rstrip())

    def table(
        self,
        rows: Sequence[dict[str, Any]],
        columns: Sequence[Column],
        *,
        title: str | None = None,
        row_style: Callable[[dict[str, Any]], str | None] | None = None,
    ) -> None:
        self._write(plain_table(rows, columns, title=title))


class RichOut:
    """A rich console: colours and tables fitted to the terminal (or recorded for HTML/SVG)."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def print(self, text: str = "", style: str | None = None) -> None:
        self.console.print(text, style=style, markup=False, highlight=False)

    def segments(self, parts: Sequence[tuple[str, str | None]]) -> None:
        from rich.text import Text

        line = Text()
        for text, style in parts:
            line.append(text, style=style or "")
        self.console.print(line)

    def table(
        self,
        rows: Sequence[dict[str, Any]],
        columns: Sequence[Column],
        *,
        title: str | None = None,
        row_style: Callable[[dict[str, Any]], str | None] | None = None,
    ) -> None:
        self.console.print(
            rich_table(rows, fitting(rows, columns, self.console.width), title=title, row_style=row_style)
        )


def stdout_out() -> Out:
    """Rich output on a terminal, plain text when stdout is piped or redirected."""
    if sys.stdout.isatty():
        from rich.console import Console

        return RichOut(Console(highlight=False, soft_wrap=False))
    return PlainOut()


def fitting(rows: Sequence[dict[str, Any]], columns: Sequence[Column], width: int) -> list[Column]:
    """The columns, less the optional ones (last first) while the table is wider than `width`."""

    def natural(col: Column) -> int:
        return max([len(_(col.header))] + [len(cell_text(r.get(col.key), col.kind)) for r in rows])

    shown = list(columns)
    widths = {col.key: natural(col) for col in shown}
    optional = [col for col in reversed(shown) if col.optional]
    while optional and sum(widths[c.key] for c in shown) + 3 * (len(shown) - 1) > width:
        shown.remove(optional.pop(0))
    return shown


def plain_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], *, title: str | None = None) -> str:
    """Columns padded to their widest cell, numbers right-aligned; one line per row, never wrapped."""
    headers = [_(c.header) for c in columns]
    cells = [[cell_text(r.get(c.key), c.kind).replace("\n", " ") for c in columns] for r in rows]
    widths = [max([len(headers[i])] + [len(row[i]) for row in cells]) for i in range(len(columns))]

    def line(values: list[str]) -> str:
        return "   ".join(
            v.rjust(w) if c.kind in NUMERIC else v.ljust(w) for v, w, c in zip(values, widths, columns, strict=True)
        ).rstrip()

    lines = [title] if title else []
    lines += [line(headers), "─" * (sum(widths) + 3 * (len(widths) - 1))]
    lines += [line(row) for row in cells]
    return "\n".join(lines)


def rich_table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    row_style: Any = None,
) -> Table:
    """A rich Table of the rows; `row_style(row)` may dim or colour whole rows."""
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False, show_edge=False)
    for col in columns:
        table.add_column(
            _(col.header),
            justify="right" if col.kind in NUMERIC else "left",
            no_wrap=col.kind in NUMERIC or col.key in ("code", "village_code"),
            overflow="fold",
        )
    for row in rows:
        cells = []
        for col in columns:
            value = row.get(col.key)
            style = _style(value, col.kind, col.key, row)
            text = cell_text(value, col.kind)
            cells.append(f"[{style}]{_escape(text)}[/]" if style else _escape(text))
        table.add_row(*cells, style=row_style(row) if row_style else None)
    return table


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


# --- plain formats -----------------------------------------------------------------------------


def to_json(data: Any) -> str:
    """Exactly one JSON document (UTF-8, not ASCII-escaped)."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_markdown(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [
        "| " + " | ".join(esc(_(c.header)) for c in columns) + " |",
        "| " + " | ".join("---:" if c.kind in NUMERIC else "---" for c in columns) + " |",
    ]
    lines += ["| " + " | ".join(esc(cell_text(r.get(c.key), c.kind)) for c in columns) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def write_csv_rows(out: IO[str], rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> None:
    from opd_desa.csvio import write_csv

    def plain(value: Any, kind: str) -> Any:
        if kind == "list" and value is not None:
            return "|".join(value)
        if kind == "bool" and value is not None:
            return "true" if value else "false"
        return value

    write_csv(
        out,
        [c.key for c in columns],
        ([plain(r.get(c.key), c.kind) for c in columns] for r in rows),
        numeric=[c.key for c in columns if c.kind in NUMERIC],
    )


def emit_rows(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    fmt: str,
    *,
    title: str | None = None,
    json_data: Any = None,
    footer: Sequence[str] = (),
) -> None:
    """Print rows to stdout in `fmt`; `json_data` replaces the rows in JSON; `footer` follows a table."""
    if fmt == "json":
        sys.stdout.write(to_json(rows if json_data is None else json_data) + "\n")
    elif fmt == "csv":
        write_csv_rows(sys.stdout, rows, columns)
    elif fmt == "markdown":
        sys.stdout.write(to_markdown(rows, columns))
        for line in footer:
            sys.stdout.write(f"\n{line}\n")
    else:
        out = stdout_out()
        if rows:
            out.table(rows, columns, title=title)
        else:
            out.print(_("(nothing to show)"), style="dim")
        for line in footer:
            out.print(line)


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
        escaped = _html_escape(text)
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
        row_style: Callable[[dict[str, Any]], str | None] | None = None,
    ) -> None:
        def cls(col: Column) -> str:
            return ' class="n"' if col.kind in NUMERIC else ""

        html = ["<table>"]
        if title:
            html.append(f"<caption>{_html_escape(title)}</caption>")
        html.append("<tr>" + "".join(f"<th{cls(c)}>{_html_escape(_(c.header))}</th>" for c in columns) + "</tr>")
        for row in rows:
            whole = row_style(row) if row_style else None
            cells = []
            for col in columns:
                value = row.get(col.key)
                style = " ".join(filter(None, (whole, _style(value, col.kind, col.key, row))))
                cells.append(f"<td{cls(col)}>{self._styled(cell_text(value, col.kind), style)}</td>")
            html.append("<tr>" + "".join(cells) + "</tr>")
        html.append("</table>")
        self.parts.append("\n".join(html))


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


def save_rendered(path: Path, build: Callable[[Out], None], *, title: str, made: str) -> None:
    """Write a page (.html) or a picture (.svg) of what `build(out)` prints, under `title`."""
    if path.suffix.lower() == ".html":
        page = HtmlOut()
        build(page)
        path.write_text(
            _HTML_PAGE.format(
                lang=language(), title=_html_escape(title), made=_html_escape(made), body="\n".join(page.parts)
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


def _html_escape(text: str) -> str:
    import html

    return html.escape(text)
