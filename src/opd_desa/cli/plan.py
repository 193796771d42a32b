"""`plan`: a proposal for the next Bupati's decree (graduating pairings, candidates, who goes where).

No `from __future__ import annotations`: Typer reads the parameters' annotations at run time.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from opd_desa.cli.common import check_year, connect, fmt, parsed, say
from opd_desa.i18n import _
from opd_desa.planning import DEFAULT_GRADUATE_AFTER
from opd_desa.render import Column

if TYPE_CHECKING:
    from opd_desa.planning import Plan
    from opd_desa.render import Out

GRADUATING_COLUMNS = [
    Column("village_code", "Village code"),
    Column("village", "Village"),
    Column("kecamatan", "Kecamatan"),
    Column("agency_code", "Agency"),
    Column("since", "Since"),
    Column("met", "Met the target in"),
]
CANDIDATE_COLUMNS = [
    Column("village_code", "Village code"),
    Column("village", "Village"),
    Column("kecamatan", "Kecamatan"),
    Column("value", "Figure", "rate"),
    Column("population", "Population", "int"),
    Column("mentor_ended", "Mentor ended"),
]
FREE_AGENCY_COLUMNS = [
    Column("agency_code", "Agency"),
    Column("agency", "Agency name"),
    Column("leaves", "Leaves"),
]
PROPOSAL_COLUMNS = [
    Column("village_code", "Village code"),
    Column("village", "Village"),
    Column("kecamatan", "Kecamatan"),
    Column("value", "Figure", "rate"),
    Column("agency_code", "Agency"),
    Column("agency", "Agency name", optional=True),
    Column("replaces", "Replaces"),
    Column("why", "Why"),
]


def register(app: typer.Typer) -> None:
    @app.command(
        help=_(
            "Propose the next decree: pairings that graduate, villages waiting for a mentor, and which free "
            "agency goes where (neediest first, never back to a village it mentored).\n\n"
            "Example: opd-desa plan --year 2023 --output rencana.csv"
        )
    )
    def plan(
        ctx: typer.Context,
        year: Annotated[int | None, typer.Option(help=_("Year of the figures (default: the latest with any)."))] = None,
        measure: Annotated[str, typer.Option(help=_("Measure to plan by (for now: poverty)."))] = "poverty",
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
        # spelt out rather than format_type() so that mypy sees a type
        format: Annotated[str, typer.Option("--format", "-f", help=_("table, csv, json or markdown."))] = "table",
    ) -> None:
        from opd_desa.services.plan import build_plan, check_measure, write_plan_file

        output_format = fmt(format)
        check_year(year)
        check_measure(measure)
        conn = connect(ctx)
        result = build_plan(
            conn,
            year=year,
            measure=measure,
            graduate_after=graduate_after,
            since=parsed("date", since, "--since"),
        )
        if output is not None:
            written = write_plan_file(conn, result, output)
            say(
                _("wrote {path}: {n} pairings starting or ending on {since}; check it with {command}").format(
                    path=output,
                    n=written,
                    since=result.since.isoformat(),
                    command=f"opd-desa import pairings {output} --dry-run",
                )
            )
        _emit(result.plan, output_format)


def _emit(plan: "Plan", output_format: str) -> None:
    from opd_desa.render import emit_rows, stdout_out

    data = plan.as_dict()
    if output_format != "table":
        emit_rows(data["proposal"], PROPOSAL_COLUMNS, output_format, json_data=data)
        return
    out = stdout_out()
    out.print(
        _("Plan for the decree after {year}: target {target}; a pairing graduates after {n} years meeting it").format(
            year=plan.year, target=plan.measure.amount(plan.target), n=plan.graduate_after
        ),
        style="bold",
    )
    graduating = [{**g, "met": ", ".join(str(y) for y in g["years"])} for g in data["graduating"]]
    _section(out, _("Graduating pairings"), graduating, GRADUATING_COLUMNS)
    _section(out, _("Villages waiting for a mentor, neediest first"), data["candidates"], CANDIDATE_COLUMNS)
    _section(out, _("Free agencies"), data["free_agencies"], FREE_AGENCY_COLUMNS)
    _section(out, _("Proposal"), data["proposal"], PROPOSAL_COLUMNS)
    unmatched = len(plan.free_agencies) - len(plan.proposal)
    if unmatched > 0:
        out.print(_("{n} free agencies get no village: no candidate is left that they may take").format(n=unmatched))


def _section(out: "Out", title: str, rows: list[dict[str, Any]], columns: list[Column]) -> None:
    out.print()
    if rows:
        out.table(rows, columns, title=f"{title} ({len(rows)})")
    else:
        out.print(_("{title}: none").format(title=title), style="dim")
