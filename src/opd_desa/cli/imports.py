"""`import villages|agencies|poverty|pairings|activities|targets FILE`."""

from collections.abc import Callable
from typing import Annotated, Any

import typer

from opd_desa.cli.common import (
    check_year,
    connect,
    delimiter_option,
    dry_run_option,
    encoding_option,
    env,
    format_option,
    sheet_option,
    show,
    summary_format,
)
from opd_desa.errors import ImportFailed
from opd_desa.i18n import N_, _

COMMANDS = ("import",)

_KIND_HELP = {
    "villages": N_(
        "Add missing villages and update those present (code, name, kecamatan, kind, postal code, population)."
    ),
    "agencies": N_("Add or update agencies (code, name, aliases separated by |, head)."),
    "poverty": N_("Add or update poverty figures per village and year (or a wide sheet with one column per year)."),
    "pairings": N_("Add or update pairings (village, agency, since, until, decree, reason, note)."),
    "activities": N_("Add or update activities (village, agency, date, kind, title, budget, spent, ...)."),
    "targets": N_("Add or update the target rate per year."),
    "figures": N_(
        "Add or update figures of any measure per village or region and year: a long file, a column per "
        "measure (persen_miskin, persen_miskin_ekstrem, idm with status_idm), or with --measure a column per year."
    ),
}
_EXAMPLES = {
    "villages": "desa-jepara.csv",
    "agencies": "opd.csv",
    "poverty": "dtks-2023.csv",
    "pairings": "pasangan.csv",
    "activities": "kegiatan-opd.csv",
    "targets": "target-rpjmd.csv",
    "figures": "idm-2023.xlsx --year 2023",
}


def register(app: typer.Typer) -> None:
    from opd_desa.imports.formats import KINDS

    import_app = typer.Typer(
        help=_(
            "Load a CSV file (or - for standard input) as Excel writes it: all rows or "
            "none.\n\nExample: opd-desa import poverty dtks-2023.csv --dry-run"
        ),
        no_args_is_help=True,
    )
    app.add_typer(import_app, name="import")
    for kind in KINDS:
        if kind == "activities":  # several files or a folder of returned forms
            from opd_desa.cli.activity_files import register_activities

            register_activities(import_app, _command_for(kind))
            continue
        import_app.command(
            kind,
            help=_(_KIND_HELP[kind])
            + "\n\n"
            + _("Example: opd-desa import {kind} {file}").format(kind=kind, file=_EXAMPLES[kind]),
        )(_figures_command() if kind == "figures" else _command_for(kind))
    from opd_desa.cli.maps import register_import

    register_import(import_app)


def _figures_command() -> Callable[..., None]:
    """`import figures`: the options of every import, and --measure and --year for what the file leaves out."""

    def command(
        ctx: typer.Context,
        file: Annotated[
            str,
            typer.Argument(metavar=_("FILE"), help=_("CSV file, workbook (.xlsx .xls .ods), or - for standard input.")),
        ],
        measure: Annotated[
            str | None, typer.Option(help=_("Measure of a file without a measure column (poverty, extreme, idm)."))
        ] = None,
        year: Annotated[int | None, typer.Option(help=_("Year of a file without a year column."))] = None,
        dry_run: Annotated[bool, dry_run_option()] = False,
        delimiter: Annotated[str | None, delimiter_option()] = None,
        encoding: Annotated[str | None, encoding_option()] = None,
        sheet: Annotated[str | None, sheet_option()] = None,
        format: Annotated[str, format_option(_("Summary as table or json."), summary_format)] = "table",
    ) -> None:
        _run(ctx, "figures", file, dry_run, delimiter, encoding, sheet, format, measure=measure, year=check_year(year))

    return command


def _command_for(kind: str) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        file: Annotated[
            str,
            typer.Argument(metavar=_("FILE"), help=_("CSV file, workbook (.xlsx .xls .ods), or - for standard input.")),
        ],
        dry_run: Annotated[bool, dry_run_option()] = False,
        delimiter: Annotated[str | None, delimiter_option()] = None,
        encoding: Annotated[str | None, encoding_option()] = None,
        sheet: Annotated[str | None, sheet_option()] = None,
        year: Annotated[
            int | None,
            typer.Option(help=_("Poverty figures only: the year of every row, for a sheet with no year column.")),
        ] = None,
        format: Annotated[str, format_option(_("Summary as table or json."), summary_format)] = "table",
    ) -> None:
        _run(ctx, kind, file, dry_run, delimiter, encoding, sheet, format, year=check_year(year))

    return command


def _run(
    ctx: typer.Context,
    kind: str,
    file: str,
    dry_run: bool,
    delimiter: str | None,
    encoding: str | None,
    sheet: str | None,
    format: str,
    **options: Any,
) -> None:
    """Import one file and show its summary (or its errors, and that nothing was written); `options`
    are the year and measure that stand in for missing columns."""
    from opd_desa.imports.service import import_file
    from opd_desa.views.imports import summary_view

    conn = connect(ctx)
    progress, finish = _progress_bar(ctx)
    try:
        summary = import_file(
            conn,
            kind,
            file,
            dry_run=dry_run,
            delimiter=delimiter,
            encoding=encoding,
            progress=progress,
            sheet=sheet,
            **options,
        )
    except ImportFailed as e:
        finish()
        if format == "json" and e.summary is not None:  # scripts read what was wrong from the JSON
            show(ctx, summary_view(e.summary, with_notes=False), format)
        if e.summary is None or not e.summary.errors:  # the file could not be read at all: one line says why
            raise
        raise ImportFailed(
            str(e) + "\n" + _("nothing was imported; correct the file and run the command again"),
            e.summary,
        ) from None
    finish()
    show(ctx, summary_view(summary), format)


def _progress_bar(ctx: typer.Context) -> tuple[Callable[[int], None] | None, Callable[[], None]]:
    """(callback, finish) showing rows read on a terminal; both do nothing when stderr is piped."""
    stderr = env(ctx).stderr
    if not env(ctx).stderr_isatty:
        return None, lambda: None
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from opd_desa.output.columns import thousands

    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True, console=Console(file=stderr))
    task = bar.add_task("import", total=None)
    started = False

    def update(rows: int) -> None:
        nonlocal started
        if not started:
            bar.start()
            started = True
        bar.update(task, completed=rows, description=_("reading rows: {rows}").format(rows=thousands(rows)))

    def finish() -> None:
        if started:
            bar.stop()

    return update, finish
