"""`import boundaries FILE` and `map --output FILE`: village boundaries and the map drawn on them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from opd_desa.cli.common import (
    check_year,
    connect,
    done,
    dry_run_option,
    env,
    format_option,
    say,
    show,
    summary_format,
    today,
)
from opd_desa.i18n import _

if TYPE_CHECKING:
    from opd_desa.maps.importing import BoundarySummary
    from opd_desa.services.maps import MapResult

COMMANDS = ("map",)
SHOWN_MISSING = 10  # villages without a boundary named after the summary; the rest counted


def register(app: typer.Typer) -> None:
    """The top-level `map` command."""

    @app.command(
        "map",
        help=_(
            "Draw the villages coloured by their figure of a measure (poverty unless --measure) in a year, "
            "the mentored ones outlined and labelled with their agency code, as .svg, .png, .pdf or .geojson "
            "(for QGIS). Needs `import boundaries` first.\n\n"
            "Example: opd-desa map --year 2023 --measure idm --output peta.png"
        ),
    )
    def map_command(
        ctx: typer.Context,
        output: Annotated[
            Path,
            typer.Option("--output", "-o", metavar=_("FILE"), help=_("File to write: .svg, .png, .pdf or .geojson.")),
        ],
        year: Annotated[
            int | None, typer.Option(help=_("Year of the figures (default: the latest year with figures)."))
        ] = None,
        measure: Annotated[
            str, typer.Option(help=_("What colours the villages: poverty (default), extreme, idm or your own."))
        ] = "poverty",
        kecamatan: Annotated[
            list[str] | None, typer.Option(help=_("Zoom to this kecamatan (repeat for several)."))
        ] = None,
    ) -> None:
        from opd_desa.services.maps import draw_village_map

        check_year(year)
        result = draw_village_map(
            connect(ctx), output, today=today(ctx), year=year, measure=measure, kecamatan=kecamatan or ()
        )
        done(ctx, map_line(result))


def register_import(import_app: typer.Typer) -> None:
    """`import boundaries`, added to the `import` group (cli/imports.py) beside the tabular kinds."""

    @import_app.command(
        "boundaries",
        help=_(
            "Load village boundaries from a GeoJSON file, a zipped shapefile or a .shp with its .dbf, in "
            "longitude/latitude (WGS 84); matched by a village-code field, else by village and kecamatan "
            "names; a re-import replaces them.\n\nExample: opd-desa import boundaries batas_desa_jepara.zip"
        ),
    )
    def boundaries(
        ctx: typer.Context,
        file: Annotated[
            Path, typer.Argument(metavar=_("FILE"), help=_("GeoJSON file, zipped shapefile or .shp with its .dbf."))
        ],
        code_field: Annotated[
            str | None,
            typer.Option("--code-field", metavar=_("FIELD"), help=_("Field holding village codes (default: found).")),
        ] = None,
        simplify: Annotated[
            float, typer.Option("--simplify", metavar=_("METRES"), help=_("Simplify borders by this many metres."))
        ] = 10.0,
        dry_run: Annotated[bool, dry_run_option()] = False,
        format: Annotated[str, format_option(_("Summary as table or json."), summary_format)] = "table",
    ) -> None:
        from opd_desa.output.present import View
        from opd_desa.services.maps import import_boundaries

        progress, finish = _progress(env(ctx).stderr_isatty)
        try:
            summary = import_boundaries(
                connect(ctx), file, simplify_m=simplify, code_field=code_field, dry_run=dry_run, progress=progress
            )
        finally:
            finish()
        if format == "json":
            show(ctx, View([], [], data=summary.as_dict()), format)
            return
        for item in summary.unmatched:
            say(
                ctx,
                _("unmatched: feature {n} ({names}): {reason}").format(
                    n=item.number, names=item.names, reason=item.reason
                ),
            )
        if summary.missing and summary.matched:
            listing = ", ".join(summary.missing[:SHOWN_MISSING])
            more = len(summary.missing) - SHOWN_MISSING
            say(
                ctx,
                _("without a boundary: {listing}").format(listing=listing)
                + (_(" and {n} more (--format json lists all)").format(n=more) if more > 0 else ""),
            )
        done(ctx, summary_line(summary))


def summary_line(summary: BoundarySummary) -> str:
    """`batas.zip: 197 features: 195 matched, 1 skipped (not in the database), 1 unmatched; 0 villages
    still without a boundary`."""
    line = _(
        "{file}: {features} features: {matched} villages matched, {skipped} skipped (villages not in the "
        "database), {unmatched} unmatched; {missing} villages still without a boundary"
    ).format(
        file=summary.source,
        features=summary.features,
        matched=summary.matched,
        skipped=summary.skipped,
        unmatched=len(summary.unmatched),
        missing=len(summary.missing),
    )
    if summary.repaired:
        line += " " + _("({n} self-intersecting shapes repaired)").format(n=summary.repaired)
    if summary.dry_run:
        line += " " + _("(dry run: nothing was written)")
    return line


def map_line(result: MapResult) -> str:
    """`peta.png: 195 villages, Poverty rate (%) in 2023 (12 without a figure), 40 mentored as on 2023-12-31`."""
    return _(
        "{file}: {villages} villages, {measure} in {year} ({without} without a figure), {mentored} mentored as on {day}"
    ).format(
        file=result.output,
        villages=result.villages,
        measure=result.label,
        year=result.year,
        without=result.without_figure,
        mentored=result.mentored,
        day=result.mentors_on.isoformat(),
    )


def _progress(terminal: bool) -> tuple[Callable[[int], None] | None, Callable[[], None]]:
    """(callback, finish) showing features read on a terminal; both do nothing when stderr is piped."""
    if not terminal:
        return None, lambda: None
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from opd_desa.output.columns import thousands

    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True, console=Console(stderr=True))
    task = bar.add_task("boundaries", total=None)
    started = False

    def update(features: int) -> None:
        nonlocal started
        if not started:
            bar.start()
            started = True
        bar.update(task, description=_("reading features: {n}").format(n=thousands(features)))

    def finish() -> None:
        if started:
            bar.stop()

    return update, finish
