"""How a report looks to people: columns, colours, the summary sentence, title and sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opd_desa.i18n import _
from opd_desa.output.columns import Column
from opd_desa.output.present import View
from opd_desa.output.terminal import Out
from opd_desa.views.charts import report_chart

if TYPE_CHECKING:
    from opd_desa.services.report import Report

VILLAGE_COLUMNS = [
    Column("code", "Code"),
    Column("name", "Village"),
    Column("kecamatan", "Kecamatan", optional=True),
    Column("agency", "Mentor"),
    Column("rate", "Rate %", "rate"),
    Column("previous_rate", "Prev. %", "rate", optional=True),
    Column("change", "Change", "change"),
    Column("gap", "Gap", "rate"),
    Column("above_target", "Above target", "bool", optional=True),
    Column("population", "Population", "int", optional=True),
    Column("activities", "Activities", "int", optional=True),
    Column("budget", "Budget (Rp)", "money", optional=True),
]
COMPACT_COLUMNS = [
    c
    for c in VILLAGE_COLUMNS
    if c.key in ("code", "name", "kecamatan", "agency", "rate", "change", "gap", "population")
]
GROUP_COLUMNS = [
    Column("code", "Code"),
    Column("name", "Name"),
    Column("villages", "Villages", "int"),
    Column("with_data", "With data", "int"),
    Column("population", "Population", "int"),
    Column("rate", "Rate %", "rate"),
    Column("above_target", "Above target", "int"),
]


def columns(report: Report) -> list[Column]:
    return VILLAGE_COLUMNS if report.by == "village" else GROUP_COLUMNS


def title(report: Report) -> str:
    return _("Poverty in {year}: {area}, against a target of {target:.2f} %").format(
        year=report.year, area=report.area, target=report.target
    )


def summary_lines(report: Report) -> list[str]:
    """The sentences under the table: where the area stands, and what needs a mentor."""
    s = report.summary
    lines = []
    rate = s["weighted_rate"] if s["weighted_rate"] is not None else s["mean_rate"]
    if rate is None:
        lines.append(_("No poverty figures for {year} in this selection.").format(year=report.year))
    else:
        position = _("above") if rate > report.target else _("at or below")
        kind = _("population-weighted") if s["weighted_rate"] is not None else _("mean")
        lines.append(
            _(
                "In {year} the {kind} poverty rate of the {villages} villages with figures is {rate:.2f} %, "
                "{position} the target of {target:.2f} % ({source})."
            ).format(
                year=report.year,
                kind=kind,
                villages=s["with_data"],
                rate=rate,
                position=position,
                target=report.target,
                source=report.target_source,
            )
        )
        lines.append(
            _(
                "{above} of {with_data} villages with figures are above the target; {unpaired} of them "
                "have no mentor. {paired} of {villages} villages are paired."
            ).format(
                above=s["above_target"],
                with_data=s["with_data"],
                unpaired=s["above_target_unpaired"],
                paired=s["paired"],
                villages=s["villages"],
            )
        )
    return lines + source_lines(report.sources)


def source_lines(sources: list[str]) -> list[str]:
    """Where the figures come from; illustrative example figures are called so."""
    if not sources:
        return []
    lines = [_("Sources: {sources}").format(sources="; ".join(sources))]
    if any("ilustrasi" in src.lower() or "illustrative" in src.lower() for src in sources):
        lines.append(_("The figures are illustrative example data, not official statistics."))
    return lines


def print_rows(out: Out, report: Report, *, title: str | None, compact: bool = False) -> None:
    """The report's table (villages without figures dimmed); `compact` keeps the columns that fit 100 characters."""

    def dim_without_data(row: dict[str, Any]) -> str | None:
        return "dim" if row.get("rate") is None else None

    shown = COMPACT_COLUMNS if compact and report.by == "village" else columns(report)
    out.table(report.rows, shown, title=title, row_style=dim_without_data)


def print_report(out: Out, report: Report) -> None:
    print_rows(out, report, title=None)
    for line in summary_lines(report):
        out.print(line)


def report_view(report: Report) -> View:
    """The report: its title, the table with villages without figures dimmed, and the summary sentences."""
    return View(
        report.rows,
        columns(report),
        data=report.as_dict(),
        title=title(report),
        lines=summary_lines(report),
        draw=lambda out: print_report(out, report),
        notices=warnings(report.warnings),
        chart=lambda: report_chart(report),
    )


def warnings(messages: list[str]) -> list[str]:
    """Warnings of a service, as the stderr lines people read."""
    return [_("warning: {message}").format(message=message) for message in messages]
