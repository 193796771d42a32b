"""Lines and tables for people: rich tables and colour on a terminal, plain unwrapped text elsewhere.

A pipe or file gets plain text without importing rich at all (it costs more start-up time than the
rest of a typed command). Whether there is a terminal, and whether it may show colour, is the
Environment's to say.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from opd_desa.i18n import _
from opd_desa.output.columns import NUMERIC, Column, cell_style, display_text
from opd_desa.text import visible

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from opd_desa.environment import Environment

RowStyle = Callable[[dict[str, Any]], str | None]


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
        row_style: RowStyle | None = None,
    ) -> None: ...


class PlainOut:
    """Plain text, for pipes and files: no colour, no wrapping."""

    def __init__(self, file: TextIO) -> None:
        self.file = file

    def _write(self, text: str) -> None:
        self.file.write(visible(text) + "\n")

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
        row_style: RowStyle | None = None,
    ) -> None:
        self._write(plain_table(rows, columns, title=title))


class RichOut:
    """A rich console: colours and tables fitted to the terminal (or recorded for an SVG picture); the
    columns a narrow terminal leaves out are named on `notes` (stderr), with how to see them."""

    def __init__(self, console: Console, notes: TextIO | None = None) -> None:
        self.console = console
        self.notes = notes

    def print(self, text: str = "", style: str | None = None) -> None:
        self.console.print(visible(text), style=style, markup=False, highlight=False)

    def segments(self, parts: Sequence[tuple[str, str | None]]) -> None:
        from rich.text import Text

        line = Text()
        for text, style in parts:
            line.append(visible(text), style=style or "")
        self.console.print(line)

    def table(
        self,
        rows: Sequence[dict[str, Any]],
        columns: Sequence[Column],
        *,
        title: str | None = None,
        row_style: RowStyle | None = None,
    ) -> None:
        shown = fitting(rows, columns, self.console.width)
        self.console.print(rich_table(rows, shown, title=title, row_style=row_style))
        left_out = [_(c.header) for c in columns if c not in shown]
        if left_out and self.notes is not None:
            self.notes.write(left_out_note(left_out, self.console.width) + "\n")


def terminal_out(env: Environment) -> Out:
    """Rich output (coloured unless NO_COLOR) when stdout is a terminal, plain text when piped or redirected."""
    if env.stdout_isatty:
        from rich.console import Console

        console = Console(
            file=env.stdout, force_terminal=True, highlight=False, soft_wrap=False, no_color=not env.colors
        )
        return RichOut(console, env.stderr)
    return PlainOut(env.stdout)


def left_out_note(headers: Sequence[str], width: int) -> str:
    """Which columns gave way to a terminal `width` characters wide, and how to see them."""
    return _(
        "note: {columns} left out to fit {width} characters; see every column with --format csv or in a wider window"
    ).format(columns=", ".join(headers), width=width)


def fitting(rows: Sequence[dict[str, Any]], columns: Sequence[Column], width: int) -> list[Column]:
    """The columns, less the optional ones (last first) while the table is wider than `width`."""

    def natural(col: Column) -> int:
        return max([len(_(col.header))] + [len(display_text(r.get(col.key), col.kind)) for r in rows])

    shown = list(columns)
    widths = {col.key: natural(col) for col in shown}
    optional = [col for col in reversed(shown) if col.optional]
    while optional and sum(widths[c.key] for c in shown) + 3 * (len(shown) - 1) > width:
        shown.remove(optional.pop(0))
    return shown


def plain_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], *, title: str | None = None) -> str:
    """Columns padded to their widest cell, numbers right-aligned; one line per row, never wrapped."""
    headers = [_(c.header) for c in columns]
    cells = [[display_text(r.get(c.key), c.kind).replace("\n", " ") for c in columns] for r in rows]
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
    row_style: RowStyle | None = None,
) -> Table:
    """A rich Table of the rows; `row_style(row)` may dim or colour whole rows."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    table = Table(
        title=visible(title) if title else None,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        pad_edge=False,
        show_edge=False,
    )
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
            style = cell_style(value, col.kind, col.key, row)
            text = escape(display_text(value, col.kind))
            cells.append(f"[{style}]{text}[/]" if style else text)
        table.add_row(*cells, style=row_style(row) if row_style else None)
    return table
