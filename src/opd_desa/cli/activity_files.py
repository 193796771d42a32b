"""`import activities FILE... | DIR`: several files or a folder of returned reporting forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from opd_desa.cli.common import (
    connect,
    delimiter_option,
    dry_run_option,
    encoding_option,
    format_option,
    sheet_option,
    show,
    summary_format,
)
from opd_desa.errors import ImportFailed
from opd_desa.i18n import _, counted

if TYPE_CHECKING:
    from opd_desa.output.terminal import Out
    from opd_desa.services.activity_files import FileOutcome, Totals


def register_activities(import_app: typer.Typer, single: Callable[..., None]) -> None:
    """Register `import activities`; one plain file (or `-`) goes to `single`, the one-file import."""

    @import_app.command(
        "activities",
        help=_(
            "Add or update activities (village, agency, date, kind, title, budget, spent, ...) from one or more "
            "files, or a folder of returned reporting forms; each file is imported whole or not at all."
        )
        + "\n\n"
        + _("Example: opd-desa import activities formulir-kembali/"),
    )
    def activities(
        ctx: typer.Context,
        files: Annotated[
            list[str],
            typer.Argument(
                metavar=_("FILE...|DIR"),
                help=_("CSV files, .xlsx workbooks or returned forms, folders of them, or - for standard input."),
            ),
        ],
        dry_run: Annotated[bool, dry_run_option(files=True)] = False,
        delimiter: Annotated[str | None, delimiter_option()] = None,
        encoding: Annotated[str | None, encoding_option()] = None,
        sheet: Annotated[str | None, sheet_option()] = None,
        format: Annotated[str, format_option(_("Summary as table or json."), summary_format)] = "table",
    ) -> None:
        from pathlib import Path

        from opd_desa.output.present import View
        from opd_desa.services.activity_files import import_activity_files, is_form, totals

        if len(files) == 1 and not Path(files[0]).is_dir() and not is_form(files[0]):
            single(
                ctx,
                files[0],
                dry_run=dry_run,
                delimiter=delimiter,
                encoding=encoding,
                sheet=sheet,
                year=None,
                format=format,
            )
            return
        outcomes = import_activity_files(
            connect(ctx), files, dry_run=dry_run, delimiter=delimiter, encoding=encoding, sheet=sheet
        )
        total = totals(outcomes)
        lines = [line for outcome in outcomes for line in _outcome_lines(outcome, dry_run)]
        lines.append(_total_line(total, dry_run))
        data = {"dry_run": dry_run, "files": [o.as_dict() for o in outcomes], "total": vars(total)}
        show(ctx, View([], [], data=data, lines=lines, draw=lambda out: _print_lines(out, lines)), format)
        if total.refused:
            raise ImportFailed(
                _("{refused} of {files} files refused and not imported: correct them and import them again").format(
                    refused=total.refused, files=total.files
                )
            )


def _print_lines(out: Out, lines: list[str]) -> None:
    for line in lines:
        out.print(line)


def _outcome_lines(outcome: FileOutcome, dry_run: bool) -> list[str]:
    """`FILE: imported: ...` or `FILE: refused:` followed by its problems, one per line."""
    summary = outcome.summary
    if outcome.status == "imported" and summary is not None:
        line = _("{file}: imported {rows}: {inserted} inserted, {updated} updated, {unchanged} unchanged").format(
            file=outcome.file,
            rows=counted(summary.rows, "{n} row", "{n} rows"),
            inserted=summary.inserted,
            updated=summary.updated,
            unchanged=summary.unchanged,
        )
        return [line + (" " + _("(dry run: nothing was written)") if dry_run else "")]
    if outcome.status == "empty":
        return [_("{file}: no activity filled in; nothing to import").format(file=outcome.file)]
    return [_("{file}: refused, nothing imported:").format(file=outcome.file), *(f"  {p}" for p in outcome.problems)]


def _total_line(total: Totals, dry_run: bool) -> str:
    line = _(
        "total: {files}: {imported} imported, {refused} refused, {empty} empty; "
        "{inserted} inserted, {updated} updated, {unchanged} unchanged"
    ).format(**{**vars(total), "files": counted(total.files, "{n} file", "{n} files")})
    return line + (" " + _("(dry run: nothing was written)") if dry_run else "")
