"""`brief` (the programme's report for the Bupati) and `settings` (what documents print about the office)."""

from pathlib import Path
from typing import Annotated

import typer

from opd_desa.cli.common import check_year, connect, done, format_option, say, show, today
from opd_desa.i18n import _
from opd_desa.output.columns import Column

COMMANDS = ("brief", "settings")
SETTING_COLUMNS = [Column("key", "Key"), Column("value", "Value")]


def register(app: typer.Typer) -> None:
    @app.command(
        help=_(
            "Write the programme's report for the Bupati as one document ready to print and sign: key figures, "
            "charts, the villages above the target with their mentor, the scorecard, the agencies' budgets, what "
            "needs attention, sources and the signatory.\n\n"
            "Example: opd-desa brief --year 2023 --output brief.pdf"
        )
    )
    def brief(
        ctx: typer.Context,
        output: Annotated[Path, typer.Option("--output", "-o", help=_("The file to write: .pdf, .html or .xlsx."))],
        year: Annotated[int | None, typer.Option(help=_("Year (default: the latest year with figures)."))] = None,
        measure: Annotated[
            list[str] | None, typer.Option("--measure", help=_("Also show this measure (may be repeated)."))
        ] = None,
        kecamatan: Annotated[str | None, typer.Option(help=_("Only this kecamatan (name or code)."))] = None,
    ) -> None:
        from opd_desa.documents.brief import check_output, write_brief
        from opd_desa.services.brief import build_brief

        check_output(output)
        built = build_brief(
            connect(ctx), today=today(ctx), year=check_year(year), measures=measure or (), kecamatan=kecamatan
        )
        for warning in built.warnings:
            say(ctx, _("warning: {message}").format(message=warning))
        if not built.office.name:
            say(ctx, _("note: the brief names no office; set it with opd-desa settings set org.name NAME"))
        if not (built.office.signatory_title and built.office.signatory_name):
            say(
                ctx,
                _(
                    "note: the signature block is left as dotted lines; set it with opd-desa settings set "
                    "signatory.title TITLE and signatory.name NAME"
                ),
            )
        write_brief(built, output)
        say(ctx, _("wrote {path}").format(path=output))

    settings_app = typer.Typer(
        help=_(
            "What documents print about the office: name, address, logo, signatory, decree.\n\n"
            'Example: opd-desa settings set org.name "Bappeda Kabupaten Jepara"'
        ),
        no_args_is_help=True,
    )
    app.add_typer(settings_app, name="settings")

    @settings_app.command("list", help=_("Show every setting and its value.\n\nExample: opd-desa settings list"))
    def settings_list(ctx: typer.Context, format: Annotated[str, format_option()] = "table") -> None:
        from opd_desa.output.present import View
        from opd_desa.services.settings import list_settings

        rows = [
            {"key": s.key, "value": s.value if s.value is not None else ""}
            if not s.stored
            else {"key": s.key, "value": _("{name} ({size} bytes, stored)").format(name=s.value, size=s.stored)}
            for s in list_settings(connect(ctx))
        ]
        show(ctx, View(rows, SETTING_COLUMNS, title=_("Settings")), format)

    @settings_app.command(
        "set",
        help=_(
            "Set what documents print: org.name, org.address, org.logo (a PNG or JPEG file, stored in the "
            "database), signatory.name, signatory.title, signatory.nip, decree.number, decree.date.\n\n"
            "Example: opd-desa settings set org.logo logo.png"
        ),
    )
    def settings_set(
        ctx: typer.Context,
        key: Annotated[str, typer.Argument(metavar=_("KEY"), help=_("The setting, e.g. org.name."))],
        value: Annotated[str, typer.Argument(metavar=_("VALUE"), help=_("Its value (for org.logo: the file)."))],
    ) -> None:
        from opd_desa.services.settings import set_setting

        setting = set_setting(connect(ctx), key, value)
        done(ctx, _("{key} set to {value}").format(key=setting.key, value=setting.value))

    @settings_app.command("unset", help=_("Forget a setting.\n\nExample: opd-desa settings unset org.logo"))
    def settings_unset(
        ctx: typer.Context,
        key: Annotated[str, typer.Argument(metavar=_("KEY"), help=_("The setting, e.g. org.logo."))],
    ) -> None:
        from opd_desa.services.settings import unset_setting

        if unset_setting(connect(ctx), key):
            done(ctx, _("{key} is no longer set").format(key=key.strip().lower()))
        else:
            done(ctx, _("{key} was not set").format(key=key.strip().lower()))
