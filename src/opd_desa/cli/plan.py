"""`plan`: a proposal for the next Bupati's decree (graduating pairings, candidates, who goes where).

No `from __future__ import annotations`: Typer reads the parameters' annotations at run time.
"""

from pathlib import Path
from typing import Annotated

import typer

from opd_desa.cli.common import check_year, connect, format_option, parsed, show
from opd_desa.i18n import _, counted
from opd_desa.planning import DEFAULT_GRADUATE_AFTER

COMMANDS = ("plan",)


def register(app: typer.Typer) -> None:

    @app.command(
        help=_(
            "Propose the next decree: pairings that graduate, villages waiting for a mentor, and which free "
            "agency goes where (neediest first by the measure, poverty unless --measure; never back to a village "
            "it mentored).\n\n"
            "Example: opd-desa plan --year 2023 --output rencana.csv"
        )
    )
    def plan(
        ctx: typer.Context,
        year: Annotated[int | None, typer.Option(help=_("Year of the figures (default: the latest with any)."))] = None,
        measure: Annotated[
            str, typer.Option(help=_("Measure to plan by: poverty (default), extreme, idm or your own."))
        ] = "poverty",
        graduate_after: Annotated[
            int,
            typer.Option(
                "--graduate-after",
                metavar="N",
                help=_("A pairing graduates when its village met the target in each of its last N years with data."),
            ),
        ] = DEFAULT_GRADUATE_AFTER,
        since: Annotated[
            str | None,
            typer.Option(help=_("First day of the new pairings (default: 1 January after --year).")),
        ] = None,
        output: Annotated[
            Path | None,
            typer.Option(
                "--output", "-o", help=_("Write the proposal as a pairings file (.csv or .xlsx) for `import pairings`.")
            ),
        ] = None,
        format: Annotated[str, format_option()] = "table",
    ) -> None:
        from opd_desa.services.plan import build_plan, write_plan_file
        from opd_desa.views.plan import plan_view

        check_year(year)
        conn = connect(ctx)
        result = build_plan(
            conn, year=year, measure=measure, graduate_after=graduate_after, since=parsed("date", since, "--since")
        )
        notices = []
        if output is not None:
            written = write_plan_file(conn, result, output)
            notices.append(
                _("wrote {path}: {pairings} starting or ending on {since}; check it with {command}").format(
                    path=output,
                    pairings=counted(written, "{n} pairing", "{n} pairings"),
                    since=result.since.isoformat(),
                    command=f"opd-desa import pairings {output} --dry-run",
                )
            )
        show(ctx, plan_view(result.plan, notices), format)
