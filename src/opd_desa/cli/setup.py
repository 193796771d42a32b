"""`init` and `demo`: create a database, load regions, load the Jepara example."""

from typing import Annotated

import typer

from opd_desa.cli.common import actor, db_path, done, say, show, today
from opd_desa.i18n import _

COMMANDS = ("init", "demo")


def register(app: typer.Typer) -> None:
    @app.command(
        help=_(
            "Create or upgrade the database and load official regions from the Kemendagri list.\n\n"
            "Example: opd-desa init --region 33.20   (or --region Jepara; --region all for Indonesia)"
        )
    )
    def init(
        ctx: typer.Context,
        region: Annotated[
            list[str] | None,
            typer.Option(
                "--region",
                "-r",
                metavar=_("CODE_OR_NAME"),
                help=_(
                    "Province, kabupaten/kota or kecamatan to load, by code or name; 'all' for the whole "
                    "country. Repeat for several."
                ),
            ),
        ] = None,
        example: Annotated[
            bool,
            typer.Option("--example", help=_("Also load the Jepara example data (agencies, pairings, figures).")),
        ] = False,
    ) -> None:
        from opd_desa.services.setup import init_database

        path = db_path(ctx)
        if example:
            from opd_desa.services.example import init_with_example

            _conn, result, loaded = init_with_example(path, list(region or []), actor=actor(ctx))
        else:
            (_conn, result), loaded = init_database(path, list(region or []), actor=actor(ctx)), []
        done(ctx, (_("created {path}") if result.created else _("{path} is ready")).format(path=path))
        for load in result.loads:
            kinds = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in load.villages_by_kind.items())
            done(
                ctx,
                _("{region}: {villages} villages ({kinds}) in {kecamatan} kecamatan; {added} newly added").format(
                    region=load.region,
                    villages=load.villages,
                    kinds=kinds or "0",
                    kecamatan=load.kecamatan,
                    added=load.villages_added,
                ),
            )
        from opd_desa.views.imports import summary_view

        for summary in loaded:
            show(ctx, summary_view(summary), "table")
        if not result.loads:
            say(ctx, _("no regions loaded yet: `opd-desa init --region CODE_OR_NAME` loads them"))

    @app.command(
        help=_(
            "Build a fresh example database for Kabupaten Jepara and show its latest report: the one-command tour.\n\n"
            "Example: opd-desa demo   (writes opd-desa-demo.db; --db PATH for another file)"
        )
    )
    def demo(
        ctx: typer.Context,
        db: Annotated[
            str | None,
            typer.Option("--db", metavar=_("PATH"), help=_("Demo database file (default: opd-desa-demo.db).")),
        ] = None,
        files: Annotated[
            str | None,
            typer.Option(
                "--files",
                metavar=_("DIR"),
                help=_("Also write the example's input files (CSV and a workbook) into DIR."),
            ),
        ] = None,
    ) -> None:
        from pathlib import Path

        from opd_desa.cli.common import state
        from opd_desa.services.example import build_demo
        from opd_desa.views.demo import demo_view

        path = Path(db or state(ctx).db or "opd-desa-demo.db")
        demo = build_demo(path, today=today(ctx), actor=actor(ctx))
        written = []
        if files is not None:
            from opd_desa.services.examplefiles import write_example_files

            written = write_example_files(Path(files))
        show(ctx, demo_view(demo, path, written), "table")
