"""`report`, `scorecard`, `trend`."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from opd_desa.cli.common import check_year, connect, format_option, given, show, today
from opd_desa.errors import InvalidValue
from opd_desa.i18n import _

COMMANDS = ("report", "scorecard", "trend")


def register(app: typer.Typer) -> None:
    measure_option = Annotated[
        str | None, typer.Option(help=_("Measure: poverty (default), extreme, idm or your own."))
    ]
    output_option = Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=_(
                "Write to a file: .svg or .png (a chart), .html (a page that prints on A4), .xlsx, .csv, .json or .md."
            ),
        ),
    ]

    @app.command(
        help=_(
            "Poverty rate per village (or kecamatan, kabupaten) in a year against the target.\n\n"
            "Example: opd-desa report --year 2020 --above-target --unpaired"
        )
    )
    def report(
        ctx: typer.Context,
        year: Annotated[int | None, typer.Option(help=_("Year (default: the latest year with figures)."))] = None,
        measure: measure_option = None,
        by: Annotated[str, typer.Option(help=_("village, kecamatan or kabupaten."))] = "village",
        kecamatan: Annotated[str | None, typer.Option(help=_("Only this kecamatan (name or code)."))] = None,
        agency: Annotated[str | None, typer.Option(help=_("Only the village this agency mentors."))] = None,
        paired: Annotated[bool, typer.Option("--paired", help=_("Only villages with a mentor."))] = False,
        unpaired: Annotated[bool, typer.Option("--unpaired", help=_("Only villages without a mentor."))] = False,
        above_target: Annotated[
            bool, typer.Option("--above-target", help=_("Only villages above the target."))
        ] = False,
        with_data: Annotated[
            bool, typer.Option("--with-data", help=_("Only villages (or kecamatan) with a figure in the year."))
        ] = False,
        sort: Annotated[
            str | None,
            typer.Option(
                help=_(
                    "Sort by code, name, kecamatan, rate, change, gap, population or budget: numbers high to low, "
                    "text A to Z; prefix + for ascending or - for descending (e.g. +rate)."
                )
            ),
        ] = None,
        format: Annotated[str, format_option()] = "table",
        output: output_option = None,
    ) -> None:
        from opd_desa.services.report import build_report
        from opd_desa.views.report import report_view

        if paired and unpaired:
            raise InvalidValue(_("--paired and --unpaired exclude each other; give one"))
        with _no_cycle_collection():
            built = build_report(
                connect(ctx),
                today=today(ctx),
                year=check_year(year),
                measure=measure,
                by=by.strip().lower(),
                kecamatan=given(kecamatan, "--kecamatan"),
                agency=given(agency, "--agency"),
                paired=True if paired else False if unpaired else None,
                above_target=above_target,
                sort=sort,
                with_data=with_data,
            )
            show(ctx, report_view(built), format, output)
            del built  # freed before collection resumes: the collector never walks its rows

    @app.command(
        help=_(
            "One row per current pairing: baseline rate before it started, rate in the year, change, and the "
            "activities, budget and beneficiaries since; beside it the change of unpaired villages.\n\n"
            "Example: opd-desa scorecard --year 2023"
        )
    )
    def scorecard(
        ctx: typer.Context,
        year: Annotated[int | None, typer.Option(help=_("Year (default: the latest year with figures)."))] = None,
        measure: measure_option = None,
        format: Annotated[str, format_option()] = "table",
        output: output_option = None,
    ) -> None:
        from opd_desa.services.evaluation import scorecard as build_scorecard
        from opd_desa.views.evaluation import scorecard_view

        built = build_scorecard(connect(ctx), today=today(ctx), year=check_year(year), measure=measure)
        show(ctx, scorecard_view(built), format, output)

    @app.command(
        help=_(
            "A village's poverty rate by year (or the whole area's, population-weighted) against the target, as bars; "
            "--output t.svg or t.png draws it as a line chart with each pairing's start marked."
            "\n\nExample: opd-desa trend Tulakan --output t.svg"
        )
    )
    def trend(
        ctx: typer.Context,
        village: Annotated[
            str | None, typer.Argument(metavar=_("[VILLAGE]"), help=_("Village (default: all)."))
        ] = None,
        measure: measure_option = None,
        format: Annotated[str, format_option()] = "table",
        output: output_option = None,
    ) -> None:
        from opd_desa.services.evaluation import trend as build_trend
        from opd_desa.views.evaluation import trend_view

        built = build_trend(connect(ctx), given(village, _("VILLAGE")), today=today(ctx), measure=measure)
        show(ctx, trend_view(built), format, output)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector: a national report makes some 200,000 rows, values and cells, none
    of them cyclic garbage, and the collector would walk them all again and again as they are made.
    Free them inside the block: the first collection after it walks whatever is still alive."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
