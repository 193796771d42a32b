"""`init` and `demo`: create a database, load regions, load the Jepara example."""

from typing import Annotated

import typer

from opd_desa.cli.common import actor, db_path, done, say, today
from opd_desa.i18n import _


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
                metavar="CODE_OR_NAME",
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
        done((_("created {path}") if result.created else _("{path} is ready")).format(path=path))
        for load in result.loads:
            kinds = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in load.villages_by_kind.items())
            done(
                _("{region}: {villages} villages ({kinds}) in {kecamatan} kecamatan; {added} newly added").format(
                    region=load.region,
                    villages=load.villages,
                    kinds=kinds or "0",
                    kecamatan=load.kecamatan,
                    added=load.villages_added,
                )
            )
        from opd_desa.cli.imports import print_summary

        for summary in loaded:
            print_summary(summary)
        if not result.loads:
            say(_("no regions loaded yet: `opd-desa init --region CODE_OR_NAME` loads them"))

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
            typer.Option("--db", metavar="PATH", help=_("Demo database file (default: opd-desa-demo.db).")),
        ] = None,
    ) -> None:
        from pathlib import Path

        from opd_desa.cli.common import state
        from opd_desa.render import stdout_out
        from opd_desa.reportview import print_rows, summary_lines
        from opd_desa.services.example import build_demo

        path = Path(db or state(ctx).db or "opd-desa-demo.db")
        demo = build_demo(path, today=today(ctx), actor=actor(ctx))
        out = stdout_out()
        out.print(
            _("Built {path}: Kabupaten Jepara, {villages} villages; example data loaded:").format(
                path=path, villages=demo.villages
            )
        )
        for s in demo.loaded:
            out.print("  " + _("{kind}: {n} rows").format(kind=s.kind, n=s.inserted + s.updated + s.unchanged))
        whole = demo.report
        out.print()
        print_rows(
            out,
            demo.above_target,
            title=_("Villages above the {target:.2f} % target in {year}, highest first").format(
                target=whole.target, year=whole.year
            ),
            compact=True,
        )
        for line in summary_lines(whole):
            out.print(line)
        arg = f" --db {path}" if str(path) != "opd-desa.db" else ""
        out.print()
        out.print(_("Try next:"), style="bold")
        for command in (
            f"opd-desa{arg} report --year 2020 --by kabupaten",
            f"opd-desa{arg} report --measure idm --by kecamatan",
            f"opd-desa{arg} report --unpaired --above-target --output laporan.html",
        ):
            out.print(f"  {command}")
