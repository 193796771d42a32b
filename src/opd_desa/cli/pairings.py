"""`assign`, `reassign`, `unassign`, `pairings`, `history`."""

from pathlib import Path
from typing import Annotated

import typer

from opd_desa.cli.common import connect, done, format_option, parsed, say, show, today
from opd_desa.i18n import _, counted
from opd_desa.output.present import View
from opd_desa.views.history import PAIRING_COLUMNS, PAIRING_CSV_COLUMNS

COMMANDS = ("assign", "reassign", "unassign", "pairings", "history")


def register(app: typer.Typer) -> None:

    village_arg = Annotated[
        str, typer.Argument(metavar=_("VILLAGE"), help=_("Village name, NAME/KECAMATAN, or Kemendagri code."))
    ]
    agency_arg = Annotated[
        str, typer.Argument(metavar=_("AGENCY"), help=_("Agency code, abbreviation, name or alias."))
    ]
    decree_opt = Annotated[str | None, typer.Option(help=_("Number of the Bupati's decree (SK)."))]

    @app.command(
        help=_(
            "Start a pairing: AGENCY mentors VILLAGE from --since (default today).\n\n"
            "Example: opd-desa assign Tulakan Bappeda --since 13/10/2021"
        )
    )
    def assign(
        ctx: typer.Context,
        village: village_arg,
        agency: agency_arg,
        since: Annotated[str | None, typer.Option(help=_("First day (2021-10-13 or 13/10/2021)."))] = None,
        decree: decree_opt = None,
        note: Annotated[str | None, typer.Option(help=_("A note."))] = None,
    ) -> None:
        from opd_desa.services.pairings import assign as assign_pairing

        change = assign_pairing(
            connect(ctx),
            village,
            agency,
            since=parsed("date", since, "--since") or today(ctx),
            decree=decree,
            note=note,
        )
        p = change.started
        assert p is not None
        done(
            ctx,
            _("{agency} now mentors {village} since {since}").format(
                agency=p.agency_label(), village=p.village_label(), since=p.since
            ),
        )

    @app.command(
        help=_(
            "Give VILLAGE a new mentor: its current pairing ends and AGENCY's starts, in one step.\n\n"
            'Example: opd-desa reassign Tulakan Dinkes --since 2023-01-02 --reason "evaluasi"'
        )
    )
    def reassign(
        ctx: typer.Context,
        village: village_arg,
        agency: agency_arg,
        since: Annotated[str | None, typer.Option(help=_("Day the new pairing starts (default today)."))] = None,
        decree: decree_opt = None,
        reason: Annotated[str | None, typer.Option(help=_("Why the old pairing ended."))] = None,
    ) -> None:
        from opd_desa.services.pairings import reassign as reassign_pairing

        change = reassign_pairing(
            connect(ctx),
            village,
            agency,
            since=parsed("date", since, "--since") or today(ctx),
            decree=decree,
            reason=reason,
        )
        p = change.started
        assert p is not None
        for ended in change.ended:
            if ended is not change.orphaned:
                done(
                    ctx,
                    _("ended: {agency} mentored {village} {period}").format(
                        agency=ended.agency_label(), village=ended.village_label(), period=ended.period()
                    ),
                )
        done(
            ctx,
            _("{agency} now mentors {village} since {since}").format(
                agency=p.agency_label(), village=p.village_label(), since=p.since
            ),
        )
        if change.orphaned:
            o = change.orphaned
            say(
                ctx,
                _(
                    "note: {agency} no longer mentors {village} (pairing {period}); {village} is now without a mentor"
                ).format(agency=o.agency_code, village=o.village_label(), period=o.period()),
            )

    @app.command(
        help=_(
            "End VILLAGE's current pairing.\n\nExample: opd-desa unassign Tulakan --until 2024-01-01 "
            '--reason "desa sudah mandiri"'
        )
    )
    def unassign(
        ctx: typer.Context,
        village: village_arg,
        until: Annotated[
            str | None, typer.Option(help=_("Day it ends: the first day without the mentor (default today)."))
        ] = None,
        reason: Annotated[str | None, typer.Option(help=_("Why it ended."))] = None,
    ) -> None:
        from opd_desa.services.pairings import unassign as unassign_pairing

        change = unassign_pairing(
            connect(ctx), village, until=parsed("date", until, "--until") or today(ctx), reason=reason
        )
        p = change.ended[0]
        done(
            ctx,
            _("ended: {agency} mentored {village} {period}").format(
                agency=p.agency_label(), village=p.village_label(), period=p.period()
            ),
        )

    @app.command(
        help=_("List current pairings (or all, with history).\n\nExample: opd-desa pairings --as-of 2022-01-01")
    )
    def pairings(
        ctx: typer.Context,
        all: Annotated[bool, typer.Option("--all", help=_("Every pairing ever, ended ones included."))] = False,
        as_of: Annotated[str | None, typer.Option("--as-of", help=_("Pairings in force on this day."))] = None,
        format: Annotated[str, format_option()] = "table",
        annex: Annotated[
            Path | None,
            typer.Option(
                "--output", "-o", help=_("Write the annex of the Bupati's decree for that day: .docx, .pdf or .xlsx.")
            ),
        ] = None,
    ) -> None:
        from opd_desa.services.pairings import all_pairings, list_pairings

        conn = connect(ctx)
        day = parsed("date", as_of, "--as-of") or today(ctx)
        if annex is not None:
            from opd_desa.cli.annex import write_annex

            write_annex(ctx, conn, day, annex, every=all)
            return
        rows = all_pairings(conn) if all else list_pairings(conn, as_of=day)
        lines = [counted(len(rows), "{n} pairing", "{n} pairings")]
        show(
            ctx, View([p.as_row() for p in rows], PAIRING_COLUMNS, lines=lines, csv_columns=PAIRING_CSV_COLUMNS), format
        )

    @app.command(
        help=_(
            "Every pairing of a village or an agency, with dates, reasons and activities.\n\n"
            "Example: opd-desa history Tulakan"
        )
    )
    def history(
        ctx: typer.Context,
        subject: Annotated[
            str,
            typer.Argument(metavar=_("VILLAGE_OR_AGENCY"), help=_("A village or an agency, as typed elsewhere.")),
        ],
        format: Annotated[str, format_option()] = "table",
    ) -> None:
        from opd_desa.services.history import history as pairing_history
        from opd_desa.views.history import history_view

        found = pairing_history(connect(ctx), subject)
        rows = [{**p.as_row(), "activities": acts} for p, acts in found.pairings]
        show(ctx, history_view(found.subject, found.kind, rows), format)
