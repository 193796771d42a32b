"""The one path of every command's output: a `View` of plain values, shown by `present`.

A view says what a command shows; `present` decides how, from the `--format` asked for, the
`--output` file named and the Environment (its streams and whether they are a terminal).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _
from opd_desa.output.columns import Column
from opd_desa.output.terminal import Out, terminal_out
from opd_desa.text import visible

if TYPE_CHECKING:
    from opd_desa.documents.page import ChartSpec
    from opd_desa.environment import Environment

# what each --output suffix writes, and the --format that agrees with it ("table" is drawn as a page)
FILE_FORMATS = {
    ".html": "table",
    ".svg": "table",
    ".png": "table",
    ".xlsx": "table",
    ".csv": "csv",
    ".json": "json",
    ".md": "markdown",
}
OUTPUT_SUFFIXES = tuple(FILE_FORMATS)


@dataclass(frozen=True, eq=False)  # one per command, never compared: no field-by-field `==` to make at start
class View:
    """What one command shows, for people and for scripts alike.

    `rows` in `columns` are the table (terminal, CSV, Markdown, workbook); `data` is the JSON document
    (the rows when None); `title` heads the terminal, Markdown and file outputs; `lines` are the
    sentences under the table; `draw` is how people see it on a terminal or page (the table and the
    lines when None); `notices` go to stderr first (warnings, notes); `chart` is its picture (a
    chart drawn by the plotting library), when it has one.
    """

    rows: Sequence[dict[str, Any]]
    columns: Sequence[Column]
    data: Any = None
    title: str | None = None
    lines: Sequence[str] = ()
    caption: str | None = None  # a title on the terminal table itself
    draw: Callable[[Out], None] | None = None
    notices: Sequence[str] = ()
    csv_rows: Sequence[dict[str, Any]] | None = None  # when CSV cells differ from the table's
    csv_columns: Sequence[Column] | None = None  # when CSV columns differ from the table's (scripts keep theirs)
    chart: Callable[[], ChartSpec] | None = None  # the picture of `--output .svg|.png`, made only when asked for

    def draw_on(self, out: Out) -> None:
        """What people see: the custom drawing, or the table (or a note that it is empty) and the lines."""
        if self.draw is not None:
            self.draw(out)
            return
        if self.rows:
            out.table(self.rows, self.columns, title=self.caption)
        else:
            out.print(_("(nothing to show)"), style="dim")
        for line in self.lines:
            out.print(line)

    def json_data(self) -> Any:
        return self.rows if self.data is None else self.data

    def markdown(self) -> str:
        from opd_desa.output.formats import markdown_text, to_markdown

        head = f"**{markdown_text(self.title)}**\n\n" if self.title else ""
        lines = "".join(f"\n{markdown_text(line)}\n" for line in self.lines)
        return head + to_markdown(self.rows, self.columns) + lines


def present(view: View, format: str, output: Path | None, env: Environment) -> None:
    """Show `view` on stdout in `format`, or write it to `output` (whose suffix must agree with `format`)."""
    if output is not None:
        _check_agrees(format, output)  # before any warning: a refused command says one thing
    for notice in view.notices:
        env.stderr.write(visible(notice) + "\n")
    if output is None:
        _to_stream(view, format, env)
        return
    try:
        _to_file(view, output, env)
    except OSError as e:
        raise InvalidValue(
            _("--output: cannot write {path} ({error})").format(path=output, error=e.strerror or e)
        ) from e
    env.stderr.write(_("wrote {path}").format(path=output) + "\n")


def _to_stream(view: View, format: str, env: Environment) -> None:
    # the formats for scripts (and the json and html modules they use) are imported when asked for:
    # a table on the terminal, or a command that fails before it shows anything, does without them
    if format == "json":
        from opd_desa.output.formats import to_json

        env.stdout.write(to_json(view.json_data()) + "\n")
    elif format == "csv":
        from opd_desa.output.formats import write_csv_rows

        write_csv_rows(
            env.stdout, view.rows if view.csv_rows is None else view.csv_rows, view.csv_columns or view.columns
        )
    elif format == "markdown":
        env.stdout.write(view.markdown())
    else:
        out = terminal_out(env)
        if view.title:
            out.print(view.title, style="bold")
        view.draw_on(out)


def _check_agrees(format: str, output: Path) -> None:
    """Refuse `--format json --output r.html`: the file's suffix decides what is written, so say so."""
    suffix = output.suffix.lower()
    if suffix not in FILE_FORMATS:
        raise InvalidValue(
            _("--output: cannot write '{suffix}' files; use one of {choices}").format(
                suffix=suffix or output.name, choices=", ".join(OUTPUT_SUFFIXES)
            )
        )
    written = FILE_FORMATS[suffix]
    if format != "table" and format != written:
        wanted = next(s for s, f in FILE_FORMATS.items() if f == format)
        raise InvalidValue(
            _(
                "--format {format} conflicts with --output {path}, which writes a {suffix} file; "
                "leave out --format, or name a {wanted} file"
            ).format(format=format, path=output, suffix=suffix, wanted=wanted)
        )


def _to_file(view: View, path: Path, env: Environment) -> None:
    if not path.parent.exists():
        raise InvalidValue(_("--output: folder {folder} does not exist").format(folder=path.parent))
    suffix = path.suffix.lower()
    title = view.title or ""
    made = _("Made {day} with opd-desa").format(day=env.today.isoformat())
    if suffix in (".svg", ".png") and view.chart is not None:
        from opd_desa.documents.charts import write_picture

        write_picture(view.chart(), path)
        return
    if suffix == ".png":
        raise InvalidValue(_("--output: this command draws no chart; write .svg, .html or .xlsx instead"))
    if suffix in (".html", ".svg"):
        from opd_desa.output.page import save_page

        save_page(path, view.draw_on, title=title, made=made)
        return
    if suffix == ".xlsx":
        from opd_desa.xlsx import SheetData, write_workbook

        columns = [(c.key, _(c.header), _workbook_kind(c)) for c in view.columns]
        write_workbook(path, [SheetData(_("Report"), columns, view.rows, title=[title, made], footer=view.lines)])
        return
    from opd_desa.files import atomic_write
    from opd_desa.output.formats import to_json, write_csv_rows

    with atomic_write(path) as f:
        if suffix == ".json":
            f.write(to_json(view.json_data()) + "\n")
        elif suffix == ".csv":
            write_csv_rows(f, view.rows if view.csv_rows is None else view.csv_rows, view.csv_columns or view.columns)
        else:
            f.write(view.markdown())


POINTS_KEYS = ("change", "gap")
"""Columns holding differences of rates (percentage points): in a workbook they read alike, "+1.20 pp"."""


def _workbook_kind(column: Column) -> str:
    """How a column's cells are written in a workbook: years plain, points alike, yes/no as words."""
    if column.key == "year":
        return "year"
    if column.key in POINTS_KEYS and column.kind in ("change", "rate"):
        return "points"
    if column.kind == "bool":
        return "yesno"
    return column.kind
