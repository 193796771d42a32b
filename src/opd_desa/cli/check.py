"""`check`: whether the database file is still what opd-desa wrote, and `--repair` for what can be mended."""

from typing import Annotated

import typer

from opd_desa.cli.common import db_path, format_option, show
from opd_desa.i18n import _

COMMANDS = ("check",)


def register(app: typer.Typer) -> None:
    @app.command(
        help=_(
            "Check the database file: SQLite's integrity and foreign keys, the tables, indexes and triggers "
            "the rules need, the one-agency-one-village rule and every stored value. Exits 1 when anything "
            "is wrong; --repair recreates missing indexes and triggers.\n\nExample: opd-desa check --repair"
        )
    )
    def check(
        ctx: typer.Context,
        repair: Annotated[
            bool, typer.Option("--repair", help=_("Recreate what can be mended without touching data."))
        ] = False,
        format: Annotated[str, format_option()] = "table",
    ) -> None:
        from opd_desa.db import open_as_it_is
        from opd_desa.errors import CheckFailed
        from opd_desa.services.check import check_database
        from opd_desa.views.check import check_view

        problems = check_database(open_as_it_is(db_path(ctx)), repair=repair)
        show(ctx, check_view(problems), format)
        left = [p for p in problems if not p.repaired]
        mendable = sum(p.repairable for p in left)
        if mendable:
            raise CheckFailed(
                _(
                    "{count} problem(s) found in the database; `opd-desa check --repair` mends {mendable} of them"
                ).format(count=len(left), mendable=mendable)
            )
        if left:
            raise CheckFailed(
                _(
                    "{count} problem(s) found in the database that need a person: mend the rows named, "
                    "or restore a backup"
                ).format(count=len(left))
            )
