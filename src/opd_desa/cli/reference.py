"""`villages` and `agencies`: the reference data."""

from typing import Annotated

import typer

from opd_desa.cli.common import connect, done, format_option, given, show, today
from opd_desa.i18n import _, counted
from opd_desa.output.columns import Column
from opd_desa.output.present import View

VILLAGE_COLUMNS = [
    Column("code", "Code"),
    Column("name", "Village"),
    Column("kecamatan", "Kecamatan"),
    Column("kind", "Kind"),
    Column("postal_code", "Postal code"),
    Column("population", "Population", "int"),
    Column("agency", "Mentor"),
    Column("kecamatan_code", "Kecamatan code"),
]
AGENCY_COLUMNS = [
    Column("code", "Code"),
    Column("name", "Name"),
    Column("aliases", "Aliases", "list"),
    Column("village", "Village"),
    Column("village_name", "Village name"),
]

COMMANDS = ("villages", "agencies")


def register(app: typer.Typer) -> None:

    @app.command(
        help=_(
            "List villages, with their kecamatan and current mentor.\n\n"
            "Example: opd-desa villages --kecamatan Donorojo --unpaired"
        )
    )
    def villages(
        ctx: typer.Context,
        kecamatan: Annotated[str | None, typer.Option(help=_("Only this kecamatan (name or code)."))] = None,
        unpaired: Annotated[bool, typer.Option("--unpaired", help=_("Only villages without a mentor."))] = False,
        format: Annotated[str, format_option()] = "table",
    ) -> None:
        from opd_desa.services.villages import list_villages

        rows = list_villages(
            connect(ctx), today=today(ctx), kecamatan=given(kecamatan, "--kecamatan"), unpaired=unpaired
        )
        show(ctx, View(rows, VILLAGE_COLUMNS, lines=[counted(len(rows), "{n} village", "{n} villages")]), format)

    agencies_app = typer.Typer(
        help=_(
            "List, add and rename agencies (OPD).\n\nExample: opd-desa agencies add DINKES "
            '"Dinas Kesehatan" --alias Dinkes'
        ),
        invoke_without_command=True,
        no_args_is_help=False,
    )
    app.add_typer(agencies_app, name="agencies")

    @agencies_app.callback()
    def agencies(ctx: typer.Context, format: Annotated[str, format_option()] = "table") -> None:
        if ctx.invoked_subcommand is not None:
            return
        from opd_desa.services.agencies import list_agencies

        rows = list_agencies(connect(ctx), today=today(ctx))
        data = [
            {k: r[k] for k in ("code", "name", "aliases", "village", "head", "contact", "phone", "email")} for r in rows
        ]
        show(ctx, View(rows, AGENCY_COLUMNS, data=data), format)

    @agencies_app.command(
        "add",
        help=_(
            "Add an agency with its code, full name and aliases.\n\n"
            'Example: opd-desa agencies add DPUPR "Dinas Pekerjaan Umum dan '
            'Penataan Ruang" --alias DPPUPR'
        ),
    )
    def agencies_add(
        ctx: typer.Context,
        code: Annotated[str, typer.Argument(help=_("Short code, e.g. BAPPEDA."))],
        name: Annotated[str, typer.Argument(help=_("Full name."))],
        alias: Annotated[
            list[str] | None,
            typer.Option("--alias", "-a", help=_("Another name people use; repeat for several.")),
        ] = None,
        head: Annotated[str | None, typer.Option(help=_("Name of the head of the agency."))] = None,
        contact: Annotated[
            str | None, typer.Option(help=_("Whom to write to about reports: a person or desk."))
        ] = None,
        phone: Annotated[str | None, typer.Option(help=_("Telephone or WhatsApp number."))] = None,
        email: Annotated[str | None, typer.Option(help=_("E-mail address."))] = None,
    ) -> None:
        from opd_desa.services.agencies import AgencyData, add_agency

        ref = add_agency(connect(ctx), AgencyData(code, name, tuple(alias or ()), head, contact, phone, email))
        done(ctx, _("added agency {agency}").format(agency=ref.label()))

    @agencies_app.command(
        "rename",
        help=_(
            "Rename an agency; it keeps its pairings and activities, and the "
            "old name and code stay as aliases.\n\n"
            'Example: opd-desa agencies rename DISKAN "Dinas Kelautan dan '
            'Perikanan" --code DKP'
        ),
    )
    def agencies_rename(
        ctx: typer.Context,
        old: Annotated[str, typer.Argument(help=_("The agency's current code, name or alias."))],
        new_name: Annotated[str, typer.Argument(help=_("Its new full name."))],
        code: Annotated[str | None, typer.Option("--code", help=_("Its new code."))] = None,
    ) -> None:
        from opd_desa.services.agencies import rename_agency

        ref = rename_agency(connect(ctx), old, new_name, code)
        done(ctx, _("renamed: {agency}; the old name and code still find it").format(agency=ref.label()))
