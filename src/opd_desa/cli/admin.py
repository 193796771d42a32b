"""`log`, `backup`, `export`, `status`."""

from pathlib import Path
from typing import Annotated

import typer

from opd_desa.cli.common import connect, done, env, format_option, say, show, today
from opd_desa.errors import InvalidValue
from opd_desa.i18n import _, counted

COMMANDS = ("log", "backup", "export", "status")
MAX_LOG_LIMIT = 1_000_000_000  # far above any change log; SQLite's LIMIT takes 64-bit integers only


def register(app: typer.Typer) -> None:

    @app.command(help=_("Show the change log, newest first.\n\nExample: opd-desa log --limit 20"))
    def log(
        ctx: typer.Context,
        limit: Annotated[int, typer.Option(help=_("How many entries (0 for all)."), min=0, max=MAX_LOG_LIMIT)] = 50,
        format: Annotated[str, format_option()] = "table",
    ) -> None:
        from opd_desa.changelog import entries
        from opd_desa.views.changes import changes_view

        show(ctx, changes_view(entries(connect(ctx), limit or None), env(ctx).environ.get("TZ")), format)

    @app.command(
        help=_(
            "Write a consistent copy of the database, even while other commands run.\n\n"
            "Example: opd-desa backup opd-desa-2024-01-31.db"
        )
    )
    def backup(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(metavar=_("FILE"), help=_("The copy to write."))],
    ) -> None:
        from opd_desa.services.backup import backup_database

        path = backup_database(connect(ctx), file)
        done(ctx, _("backup written to {path}").format(path=path))

    register_export(app)
    register_status(app)


def register_export(app: typer.Typer) -> None:
    @app.command(
        help=_(
            "Write every table as CSV in the columns `import` reads (and the change log).\n\n"
            "Example: opd-desa export arsip-2024/ --xlsx"
        )
    )
    def export(
        ctx: typer.Context,
        dir: Annotated[str, typer.Argument(metavar=_("DIR"), help=_("Folder to write into."))],
        xlsx: Annotated[bool, typer.Option("--xlsx", help=_("Also one Excel workbook, a sheet per table."))] = False,
    ) -> None:
        from opd_desa.services.export import export_all

        if not dir.strip():  # Path("") would be the current folder
            raise InvalidValue(_("DIR is empty; give the folder to export into"))
        folder = Path(dir)
        result = export_all(connect(ctx), folder, workbook=xlsx)
        if result.replaced:
            say(ctx, _("replaced in {folder}: {files}").format(folder=folder, files=", ".join(result.replaced)))
        for name, rows in result.written:
            done(ctx, _("{file}: {rows}").format(file=folder / name, rows=counted(rows, "{n} row", "{n} rows")))


def register_status(app: typer.Typer) -> None:
    @app.command(
        help=_(
            "Database, counts, years with figures, and what needs attention, with the command that "
            "fixes each.\n\nExample: opd-desa status"
        )
    )
    def status(
        ctx: typer.Context,
        format: Annotated[str, format_option()] = "table",
        measure: Annotated[
            str | None, typer.Option(help=_("Measure: poverty (default), extreme, idm or your own."))
        ] = None,
    ) -> None:
        from opd_desa.cli.common import db_path
        from opd_desa.services.status import database_status
        from opd_desa.views.status import status_view

        found = database_status(connect(ctx), db_path(ctx), today=today(ctx), measure=measure)
        show(ctx, status_view(found), format)
