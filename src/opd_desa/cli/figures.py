"""`poverty set|show` (the poverty measure's own words) and `target set|list` of every measure."""

import sqlite3
from typing import Annotated

import typer

from opd_desa.cli.common import check_year, connect, done, format_option, parsed, show
from opd_desa.errors import InvalidValue
from opd_desa.i18n import _
from opd_desa.output.columns import Column
from opd_desa.output.present import View

POVERTY_COLUMNS = [
    Column("year", "Year"),
    Column("rate", "Rate %", "rate"),
    Column("poor", "Poor", "int"),
    Column("population", "Population", "int"),
    Column("source", "Source"),
]
TARGET_COLUMNS = [
    Column("measure", "Measure"),
    Column("year", "Year"),
    Column("value", "Target"),
    Column("class", "IDM status", optional=True),
    Column("source", "Source"),
]

COMMANDS = ("poverty", "target")


def register(app: typer.Typer) -> None:

    poverty_app = typer.Typer(
        help=_(
            "Record or show a village's poverty figures by year.\n\nExample: opd-desa poverty set Tulakan 2020 10,9"
        ),
        no_args_is_help=True,
    )
    app.add_typer(poverty_app, name="poverty")

    @poverty_app.command(
        "set",
        help=_(
            "Record a village's poverty rate for a year, or the number of poor and the population.\n\n"
            'Example: opd-desa poverty set Tulakan 2020 --poor 1.234 --population 11.500 --source "DTKS 2020"'
        ),
    )
    def poverty_set(
        ctx: typer.Context,
        village: Annotated[
            str,
            typer.Argument(
                metavar=_("VILLAGE"), help=_("Village name or code, or a region (Kabupaten Jepara, 33.20).")
            ),
        ],
        year: Annotated[int, typer.Argument(metavar=_("YEAR"), help=_("Year, e.g. 2020."))],
        rate: Annotated[
            str | None, typer.Argument(metavar=_("[RATE]"), help=_("Rate in percent: 6.6 or 6,6%."))
        ] = None,
        poor: Annotated[str | None, typer.Option(help=_("Number of poor people."))] = None,
        population: Annotated[str | None, typer.Option(help=_("Population."))] = None,
        source: Annotated[str | None, typer.Option(help=_("Where the figure comes from."))] = None,
    ) -> None:
        from opd_desa.services.figures import set_poverty

        check_year(year, _("YEAR"))
        if rate is None and poor is None and population is None:
            raise InvalidValue(_("give RATE, or --poor and --population"))
        place, figure = set_poverty(
            connect(ctx),
            village,
            year,
            rate=parsed("rate", rate, "RATE"),
            poor=parsed("count", poor, "--poor"),
            population=parsed("count", population, "--population"),
            source=source,
        )
        done(ctx, _("{village}: {rate:.2f} % in {year}").format(village=place.label, rate=figure["rate"], year=year))

    @poverty_app.command(
        "show", help=_("Show a village's poverty figures by year.\n\nExample: opd-desa poverty show Tulakan")
    )
    def poverty_show(
        ctx: typer.Context,
        village: Annotated[
            str,
            typer.Argument(
                metavar=_("VILLAGE"), help=_("Village name or code, or a region (Kabupaten Jepara, 33.20).")
            ),
        ],
        format: Annotated[str, format_option()] = "table",
    ) -> None:
        from opd_desa.services.figures import show_poverty

        place, rows = show_poverty(connect(ctx), village)
        show(ctx, View(rows, POVERTY_COLUMNS, caption=place.label), format)

    target_app = typer.Typer(
        help=_(
            "Set or list the target per measure and year (poverty: 8 % when none is set).\n\n"
            'Example: opd-desa target set 2022 8 --source "RPJMD 2017-2022"'
        ),
        no_args_is_help=True,
    )
    app.add_typer(target_app, name="target")

    @target_app.command(
        "set",
        help=_(
            "Set a measure's target for a year (an IDM target may be a status: Maju).\n\n"
            'Example: opd-desa target set 2024 0 --measure extreme --source "Inpres 4/2022"'
        ),
    )
    def target_set(
        ctx: typer.Context,
        year: Annotated[int, typer.Argument(metavar=_("YEAR"), help=_("Year, e.g. 2022."))],
        value: Annotated[
            str, typer.Argument(metavar=_("VALUE"), help=_("Target: a rate in percent, a score, a status."))
        ],
        source: Annotated[str | None, typer.Option(help=_("Where the target comes from."))] = None,
        measure: Annotated[str | None, typer.Option(help=_("Measure (default: poverty)."))] = None,
    ) -> None:
        from opd_desa.services.targets import set_target

        check_year(year, _("YEAR"))
        if measure is None or measure.strip().casefold() == "poverty":
            typed: float | str = parsed("rate", value, "VALUE")
        else:
            typed = value
        row = set_target(connect(ctx), year, typed, source, measure)
        done(
            ctx,
            _("target of {measure} for {year}: {value:g}").format(
                measure=row["measure"], year=year, value=row["value"]
            ),
        )

    @target_app.command("list", help=_("List the stored targets.\n\nExample: opd-desa target list --measure extreme"))
    def target_list(
        ctx: typer.Context,
        format: Annotated[str, format_option()] = "table",
        measure: Annotated[str | None, typer.Option(help=_("Only this measure's targets."))] = None,
    ) -> None:
        from opd_desa.services.targets import list_targets

        conn = connect(ctx)
        rows = list_targets(conn, measure)
        footer = [] if rows else [_no_target_stored(conn, measure)]
        show(ctx, View(rows, TARGET_COLUMNS, lines=footer), format)


def _no_target_stored(conn: sqlite3.Connection, measure: str | None) -> str:
    """What applies when no target is stored: the measure's default (8 % for poverty), or none."""
    from opd_desa.services.measures import find_measure
    from opd_desa.services.targets import target_for

    found = find_measure(conn, measure)
    applies = target_for(conn, 0, found).rate  # nothing stored: the same for every year
    if applies is None:
        return _("no target stored for {measure}").format(measure=found.key)
    if not found.is_percent:
        return _("no target stored: {value} applies to every year").format(value=f"{applies:g}")
    return _("no target stored: {rate} % applies to every year").format(rate=applies)
