"""`forms` and `reporting`: the activity reporting loop with the agencies (SPEC "The reporting loop")."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from opd_desa.cli.common import connect, done, format_option, say, show, today
from opd_desa.errors import InvalidValue
from opd_desa.i18n import N_, _, counted
from opd_desa.output.columns import Column

if TYPE_CHECKING:
    from datetime import date

    from opd_desa.periods import Period
    from opd_desa.reporting import Reporting

COMMANDS = ("forms", "reporting")

PERIOD_HELP = N_(
    "Period: 2023, 2023S2, Semester II 2023, 2023Q3 or TW III 2023 (default: the last quarter that has ended)."
)
REPORTING_COLUMNS = [
    Column("agency", "Agency"),
    Column("village_code", "Village code", optional=True),
    Column("village", "Village"),
    Column("activities", "Activities", "int"),
    Column("budget", "Budget (Rp)", "money"),
    Column("spent", "Spent (Rp)", "money"),
    Column("realisation", "Realisation %", "rate"),
    Column("last_activity", "Last activity"),
    Column("status", "Status"),
    Column("on_time", "On time", "bool"),
]


def period_option(text: str | None, day: date) -> Period:
    """--period as typed, or the last quarter that has ended before `day` (the environment's today)."""
    from opd_desa.parse import ParseError
    from opd_desa.periods import parse_period
    from opd_desa.services.reporting import default_period

    if text is None:
        return default_period(day)
    try:
        return parse_period(text)
    except ParseError as e:
        raise InvalidValue(f"--period: {e}") from e


def _table_rows(reporting: Reporting, output: str) -> list[dict[str, Any]]:
    """The rows as tables show them (status in words, dates as the reader writes them); CSV keeps ISO."""
    from opd_desa.reporting import day_text

    rows = []
    for item in reporting.as_json()["rows"]:
        row = dict(item)
        if output in ("table", "markdown"):
            row["status"] = _("reported") if item["status"] == "reported" else _("missing")
            original = next(r for r in reporting.rows if r.agency == item["agency"]).last_activity
            row["last_activity"] = day_text(original) if original else None
        rows.append(row)
    return rows


def _summary_line(reporting: Reporting) -> str:
    from opd_desa.i18n import decimal

    s = reporting.summary
    return _(
        "{period} ({start} to {end}): {expected} agencies expected, {reported} reported, {missing} missing; "
        "reporting rate {rate} %, on time {on_time} %"
    ).format(
        period=reporting.period.name,
        start=reporting.period.start.isoformat(),
        end=reporting.period.end.isoformat(),
        expected=s.agencies,
        reported=s.reported,
        missing=s.missing,
        rate=decimal(f"{s.rate:.1f}") if s.rate is not None else "–",
        on_time=decimal(f"{s.on_time_rate:.1f}") if s.on_time_rate is not None else "–",
    )


def register(app: typer.Typer) -> None:

    @app.command(
        help=_(
            "Write one reporting form (.xlsx) per agency that mentors a village in the period, to be filled in "
            "and imported back with `import activities DIR`.\n\nExample: opd-desa forms formulir/ --period 2023-S2"
        )
    )
    def forms(
        ctx: typer.Context,
        folder: Annotated[Path, typer.Argument(metavar=_("DIR"), help=_("Folder to write the forms to."))],
        period: Annotated[str | None, typer.Option("--period", help=_(PERIOD_HELP))] = None,
        agency: Annotated[
            list[str] | None,
            typer.Option("--agency", "-a", help=_("Only this agency's form; repeat for several.")),
        ] = None,
    ) -> None:
        from opd_desa.i18n import language
        from opd_desa.services.reporting import write_forms

        chosen = period_option(period, today(ctx))
        written = write_forms(
            connect(ctx), folder, chosen, today=today(ctx), agencies=tuple(agency or ()), language=language()
        )
        for path in written:
            say(ctx, _("wrote {path}").format(path=path))
        done(
            ctx,
            _("{forms} for {period} in {folder}").format(
                forms=counted(len(written), "{n} form", "{n} forms"), period=chosen.name, folder=folder
            ),
        )

    @app.command(
        help=_(
            "Per agency that mentors a village in the period: activities, budget, spending, realisation, the last "
            "activity, and whether it reported (on time); --reminders writes a reminder to each missing agency."
            "\n\nExample: opd-desa reporting --period 2023-S2 --reminders pengingat/"
        )
    )
    def reporting(
        ctx: typer.Context,
        period: Annotated[str | None, typer.Option("--period", help=_(PERIOD_HELP))] = None,
        timely_days: Annotated[
            int,
            typer.Option(
                "--timely-days",
                metavar="N",
                help=_("Days after the end of the period within which a report is on time."),
            ),
        ] = 15,
        reminders: Annotated[
            Path | None,
            typer.Option("--reminders", metavar=_("DIR"), help=_("Write a reminder text per missing agency here.")),
        ] = None,
        format: Annotated[str, format_option()] = "table",
    ) -> None:
        from opd_desa.output.present import View
        from opd_desa.services.reporting import reporting_status, write_reminders

        chosen = period_option(period, today(ctx))
        conn = connect(ctx)
        status = reporting_status(conn, chosen, timely_days=timely_days)
        view = View(
            _table_rows(status, "table"),
            REPORTING_COLUMNS,
            data=status.as_json(),
            title=_("Activity reports {period}").format(period=chosen.name),
            lines=[_summary_line(status)],
            csv_rows=_table_rows(status, "csv"),
        )
        show(ctx, view, format)
        if reminders is not None:
            written = write_reminders(conn, reminders, status, today=today(ctx), timely_days=timely_days)
            say(
                ctx,
                _("{reminders} written to {folder}").format(
                    reminders=counted(len(written), "{n} reminder", "{n} reminders"), folder=reminders
                ),
            )
