"""`measure list|add` and `figure set|show`: the measures kept per village (or region) and year."""

from typing import Annotated

import typer

from opd_desa.cli.common import check_year, connect, done, format_option, parsed, show
from opd_desa.i18n import _
from opd_desa.output.columns import Column
from opd_desa.output.present import View

MEASURE_COLUMNS = [
    Column("key", "Key"),
    Column("name", "Name"),
    Column("unit", "Unit"),
    Column("better", "Better"),
    Column("min", "Min"),
    Column("max", "Max"),
]
FIGURE_COLUMNS = [
    Column("measure", "Measure"),
    Column("year", "Year"),
    Column("value", "Value"),
    Column("class", "IDM status", optional=True),
    Column("count", "Count", "int"),
    Column("population", "Population", "int"),
    Column("source", "Source"),
]

COMMANDS = ("measure", "figure")


def register(app: typer.Typer) -> None:
    measure_app = typer.Typer(
        help=_("List or define the measures kept per village and year.\n\nExample: opd-desa measure list"),
        no_args_is_help=True,
    )
    app.add_typer(measure_app, name="measure")

    @measure_app.command("list", help=_("List the measures.\n\nExample: opd-desa measure list --format json"))
    def measure_list(ctx: typer.Context, format: Annotated[str, format_option()] = "table") -> None:
        from opd_desa.services.measures import list_measures

        rows = [
            {"key": m.key, "name": m.title, "unit": m.unit, "better": m.better, "min": m.min, "max": m.max}
            for m in list_measures(connect(ctx))
        ]
        show(ctx, View(rows, MEASURE_COLUMNS), format)

    @measure_app.command(
        "add",
        help=_(
            "Define an office's own measure.\n\n"
            'Example: opd-desa measure add stunting "Stunting prevalence" --unit % --better lower --min 0 --max 100'
        ),
    )
    def measure_add(
        ctx: typer.Context,
        key: Annotated[str, typer.Argument(metavar=_("KEY"), help=_("Short key, e.g. stunting."))],
        name: Annotated[str, typer.Argument(metavar=_("NAME"), help=_("The measure's name."))],
        unit: Annotated[str, typer.Option(help=_("Unit: % for a percentage of people, or any word."))],
        better: Annotated[str, typer.Option(help=_("lower or higher: which direction is better."))],
        minimum: Annotated[str | None, typer.Option("--min", help=_("Lowest possible value."))] = None,
        maximum: Annotated[str | None, typer.Option("--max", help=_("Highest possible value."))] = None,
    ) -> None:
        from opd_desa.services.measures import add_measure

        measure = add_measure(
            connect(ctx),
            key,
            name,
            unit=unit,
            better=better.strip().lower(),
            minimum=parsed("decimal", minimum, "--min"),
            maximum=parsed("decimal", maximum, "--max"),
        )
        done(ctx, _("measure {key} added: {name} ({unit}, {better} is better)").format(**measure.as_dict()))

    figure_app = typer.Typer(
        help=_(
            "Record or show a measure's figures of a village or region by year.\n\n"
            "Example: opd-desa figure set Tulakan 2023 0,5821 --measure idm"
        ),
        no_args_is_help=True,
    )
    app.add_typer(figure_app, name="figure")

    @figure_app.command(
        "set",
        help=_(
            "Record a figure of a village, or an official figure of a region (by code, or name with its prefix).\n\n"
            'Example: opd-desa figure set "Kabupaten Jepara" 2020 7 --measure poverty --source BPS'
        ),
    )
    def figure_set(
        ctx: typer.Context,
        place: Annotated[
            str, typer.Argument(metavar=_("VILLAGE"), help=_("Village, or region: 33.20, Kabupaten Jepara."))
        ],
        year: Annotated[int, typer.Argument(metavar=_("YEAR"), help=_("Year, e.g. 2023."))],
        value: Annotated[str | None, typer.Argument(metavar=_("[VALUE]"), help=_("The figure: 6,6 or 0,5821."))] = None,
        measure: Annotated[str | None, typer.Option(help=_("Measure (default: poverty)."))] = None,
        count: Annotated[str | None, typer.Option(help=_("Number of people counted (percentage measures)."))] = None,
        population: Annotated[str | None, typer.Option(help=_("Population."))] = None,
        source: Annotated[str | None, typer.Option(help=_("Where the figure comes from."))] = None,
    ) -> None:
        from opd_desa.services.figures import set_figure

        check_year(year, _("YEAR"))
        found_place, figure = set_figure(
            connect(ctx),
            place,
            year,
            measure=measure,
            value=parsed("decimal", value, "VALUE"),
            count=parsed("count", count, "--count"),
            population=parsed("count", population, "--population"),
            source=source,
        )
        status = f" ({figure['class']})" if figure.get("class") else ""
        done(
            ctx,
            _("{place}: {measure} {value:g}{status} in {year}").format(
                place=found_place.label, measure=figure["measure"], value=figure["value"], status=status, year=year
            ),
        )

    @figure_app.command(
        "show",
        help=_("Show the figures of a village or region by measure and year.\n\nExample: opd-desa figure show Tulakan"),
    )
    def figure_show(
        ctx: typer.Context,
        place: Annotated[
            str, typer.Argument(metavar=_("VILLAGE"), help=_("Village, or region: 33.20, Kabupaten Jepara."))
        ],
        measure: Annotated[str | None, typer.Option(help=_("Only this measure."))] = None,
        format: Annotated[str, format_option()] = "table",
    ) -> None:
        from opd_desa.services.figures import show_figures

        found_place, rows = show_figures(connect(ctx), place, measure)
        show(ctx, View(rows, FIGURE_COLUMNS, caption=found_place.label), format)
