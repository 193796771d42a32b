"""`activity add|list|remove`: what agencies did in their villages."""

from typing import Annotated

import typer

from opd_desa.cli.common import check_year, connect, done, format_option, given, parsed, show, warn
from opd_desa.i18n import _, counted
from opd_desa.output.columns import Column
from opd_desa.output.present import View

ACTIVITY_COLUMNS = [
    Column("id", "#", "int"),
    Column("date", "Date"),
    Column("village_code", "Village code", optional=True),
    Column("village", "Village"),
    Column("agency_code", "Agency"),
    Column("kind", "Kind"),
    Column("title", "Activity"),
    Column("budget", "Budget (Rp)", "money"),
    Column("spent", "Spent (Rp)", "money", optional=True),
    Column("households", "Households", "int", optional=True),
    Column("beneficiaries", "Beneficiaries", "int"),
    Column("source", "Funding", optional=True),
    Column("note", "Note", optional=True),
]

COMMANDS = ("activity",)


def register(app: typer.Typer) -> None:

    activity_app = typer.Typer(
        help=_(
            "Record, list and remove what agencies did in their villages.\n\n"
            "Example: opd-desa activity list --year 2022"
        ),
        no_args_is_help=True,
    )
    app.add_typer(activity_app, name="activity")

    @activity_app.command(
        "add",
        help=_(
            "Record an activity; the agency defaults to the village's mentor on that date.\n\n"
            "Example: opd-desa activity add Tulakan --date 02/11/2021 --kind pelatihan "
            '--title "Pelatihan BUMDes" --budget "Rp 15.000.000" --beneficiaries 40'
        ),
    )
    def add(
        ctx: typer.Context,
        village: Annotated[str, typer.Argument(metavar=_("VILLAGE"), help=_("Village name or code."))],
        date: Annotated[str, typer.Option(help=_("Date (2021-11-02 or 02/11/2021)."))],
        kind: Annotated[str, typer.Option(help=_("Kind: pelatihan, bantuan, infrastruktur, kesehatan, ..."))],
        title: Annotated[str, typer.Option(help=_("What was done."))],
        agency: Annotated[str | None, typer.Option(help=_("Agency (default: the village's mentor)."))] = None,
        budget: Annotated[str | None, typer.Option(help=_("Budget in rupiah (Rp 15.000.000)."))] = None,
        spent: Annotated[str | None, typer.Option(help=_("Amount spent in rupiah."))] = None,
        households: Annotated[str | None, typer.Option(help=_("Households reached."))] = None,
        beneficiaries: Annotated[str | None, typer.Option(help=_("People reached."))] = None,
        source: Annotated[str | None, typer.Option(help=_("Funding source (APBD, APBDes, CSR, ...)."))] = None,
        note: Annotated[str | None, typer.Option(help=_("A note."))] = None,
    ) -> None:
        from opd_desa.services.activities import NewActivity, add_activity

        day = parsed("date", date, "--date")
        assert day is not None
        added = add_activity(
            connect(ctx),
            NewActivity(
                village=village,
                date=day,
                kind=kind,
                title=title,
                agency=agency,
                budget=parsed("money", budget, "--budget"),
                spent=parsed("money", spent, "--spent"),
                households=parsed("count", households, "--households"),
                beneficiaries=parsed("count", beneficiaries, "--beneficiaries"),
                source=source,
                note=note,
            ),
        )
        for message in added.warnings:
            warn(ctx, message)
        a = added.activity
        done(
            ctx,
            _("recorded activity #{id}: {agency} in {village} on {date}: {title}").format(
                id=a["id"], agency=a["agency_code"], village=a["village"], date=a["date"], title=a["title"]
            ),
        )

    @activity_app.command(
        "list",
        help=_("List activities.\n\nExample: opd-desa activity list --agency Dinkes --year 2022 --format csv"),
    )
    def list_(
        ctx: typer.Context,
        village: Annotated[str | None, typer.Option(help=_("Only this village."))] = None,
        agency: Annotated[str | None, typer.Option(help=_("Only this agency."))] = None,
        year: Annotated[int | None, typer.Option(help=_("Only this year."))] = None,
        format: Annotated[str, format_option()] = "table",
    ) -> None:
        from opd_desa.services.activities import list_activities

        rows = list_activities(
            connect(ctx), village=given(village, "--village"), agency=given(agency, "--agency"), year=check_year(year)
        )
        show(ctx, View(rows, ACTIVITY_COLUMNS, lines=[counted(len(rows), "{n} activity", "{n} activities")]), format)

    @activity_app.command(
        "remove",
        help=_(
            "Remove an activity by its id; the change log keeps the removed row.\n\n"
            "Example: opd-desa activity remove 12"
        ),
    )
    def remove(
        ctx: typer.Context, id: Annotated[str, typer.Argument(metavar="ID", help=_("The activity's id (#)."))]
    ) -> None:
        from opd_desa.services.activities import remove_activity

        activity_id = parsed("int_id", id, "ID")
        assert activity_id is not None
        row = remove_activity(connect(ctx), activity_id)
        done(
            ctx, _("removed activity #{id} ({title}); `opd-desa log` keeps it").format(id=row["id"], title=row["title"])
        )
