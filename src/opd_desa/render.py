"""Rows -> a rich table, CSV, JSON, Markdown, or an HTML page / SVG picture.

Renderers take plain rows (dicts) and a list of `Column`s; they never touch the database.
JSON keys and CSV headers are the column keys and never change with the language; table and
Markdown headers are translated.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _, language

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


def _thousands(value: int) -> str:
    text = f"{value:,}"
    return text.replace(",", ".") if language() == "id" else text


def cell_text(value: Any, kind: str) -> str:
    """A value as people read it in a table or Markdown."""
    if value is None:
        return "–"
    if kind == "rate":
        return f"{value:.2f}"
    if kind == "change":
        arrow = "▲" if value > 0 else "▼" if value < 0 else "="
        return f"{arrow} {abs(value):.2f}"
    if kind in ("int", "money"):
        return _thousands(int(value))
    if kind == "bool":
        return _("yes") if value else _("no")
    if kind == "list":
        return ", ".join(value)
    return str(value)


def _style(value: Any, kind: str, key: str) -> str:
    if value is None:
        return "dim"
    if kind == "change":
        return "red" if value > 0 else "green" if value < 0 else ""
    if key in ("above_target", "gap"):
        above = value if kind == "bool" else value > 0
        return "red" if above else "green"
    return ""


# --- consoles ----------------------------------------------------------------------------------


def console(file: IO[str] | None = None, *, stderr: bool = False) -> Console:
    """A rich console: coloured on a terminal, plain and unwrapped when piped (NO_COLOR honoured)."""
    from rich.console import Console

    out = Console(file=file, stderr=stderr, highlight=False, soft_wrap=False)
    if not out.is_terminal:
        out = Console(
            file=file,
            stderr=stderr,
            highlight=False,
            soft_wrap=False,
            width=WIDE,
            no_color=True,
            color_system=None,
        )
    return out


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
        )
    for row in rows:
        cells = []
        for col in columns:
            value = row.get(col.key)
            style = _style(value, col.kind, col.key)
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
        out = console()
        if rows:
            out.print(rich_table(rows, columns, title=title))
        else:
            out.print(_("(nothing to show)"), style="dim")
        for line in footer:
            out.print(line)


def save_rendered(path: Path, build: Any, *, title: str) -> None:
    """Write a rendered page (.html) or picture (.svg): `build(console)` prints into a recording console."""
    import io

    from rich.console import Console
    from rich.terminal_theme import DEFAULT_TERMINAL_THEME

    recorder = Console(record=True, width=160, file=io.StringIO(), color_system="truecolor", highlight=False)
    build(recorder)
    if path.suffix.lower() == ".svg":
        text = recorder.export_svg(title=title, theme=DEFAULT_TERMINAL_THEME)
    else:
        text = recorder.export_html(theme=DEFAULT_TERMINAL_THEME, inline_styles=True)
        text = text.replace("<head>", f"<head>\n<title>{_html_escape(title)}</title>", 1)
    path.write_text(text, encoding="utf-8")


def _html_escape(text: str) -> str:
    import html

    return html.escape(text)
