"""How an import's summary looks: one line saying what it did (or its JSON), its notes on stderr."""

from __future__ import annotations

from typing import Any, Protocol

from opd_desa.i18n import _, counted
from opd_desa.output.present import View
from opd_desa.output.terminal import Out

SUMMARY_FORMATS = ("table", "json")  # a line for people or a document for scripts


class Summary(Protocol):
    """What an import read and did (the importer's summary, whichever module holds it)."""

    file: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    notes: list[str]
    dry_run: bool

    def as_dict(self) -> dict[str, Any]: ...


def summary_line(summary: Summary) -> str:
    """'FILE: N rows: I inserted, U updated, C unchanged', marked when nothing was written."""
    line = _("{file}: {rows}: {inserted} inserted, {updated} updated, {unchanged} unchanged").format(
        file=summary.file,
        rows=counted(summary.rows, "{n} row", "{n} rows"),
        inserted=summary.inserted,
        updated=summary.updated,
        unchanged=summary.unchanged,
    )
    if summary.dry_run:
        line += " " + _("(dry run: nothing was written)")
    return line


def summary_view(summary: Summary, *, with_notes: bool = True) -> View:
    """The summary of one import (`with_notes` False: the notes are left out, as when the import failed)."""
    line = summary_line(summary)

    def draw(out: Out) -> None:
        out.print(line)

    notes = [_("note: {note}").format(note=note) for note in summary.notes] if with_notes else []
    return View([], [], data=summary.as_dict(), draw=draw, notices=notes)
