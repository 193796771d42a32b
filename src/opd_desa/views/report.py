"""How a report looks to people: columns, colours, the summary sentence, title and sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opd_desa.i18n import _, ngettext
from opd_desa.output.columns import Column
from opd_desa.output.present import View
from opd_desa.output.terminal import Out

if TYPE_CHECKING:
    from opd_desa.documents.page import ChartSpec
    from opd_desa.measures import Measure
    from opd_desa.services.report import Report

POVERTY = "poverty"

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
    Column("official", "Official %", "rate", optional=True),
    Column("above_target", "Above target", "int"),
]


def columns(report: Report) -> list[Column]:
    """The report's columns; for a measure other than poverty, its value (and IDM class) instead of the rate."""
    shown = VILLAGE_COLUMNS if report.by == "village" else GROUP_COLUMNS
    return measure_columns(shown, report.measure)


def measure_columns(shown: list[Column], measure: Measure | None) -> list[Column]:
    """`shown` with the rate columns turned into the measure's value columns (unchanged for poverty)."""
    if measure is None or measure.key == POVERTY:
        return shown
    kind = "rate" if measure.is_percent else "score"
    header = f"{measure.key} ({measure.unit})"
    renamed = {
        "rate": Column("value", header, kind),
        "previous_rate": Column("previous_value", _("Previous year"), kind, optional=True),
        "baseline_rate": Column("baseline_value", _("Baseline"), kind),
        "gap": Column("gap", "Gap", kind),
        "change": Column("change", "Change", "change" if measure.is_percent else "score"),
        "target": Column("target", "Target", kind),
        "official": Column("official", _("Official"), kind, optional=True),
    }
    result: list[Column] = []
    for column in shown:
        result.append(renamed.get(column.key, column))
        if column.key == "rate" and measure.has_classes:
            result.append(Column("class", _("IDM status")))
    return result


def title(report: Report) -> str:
    if report.measure is not None and report.measure.key != POVERTY:
        return _("{measure} in {year}: {area}, against {target}").format(
            measure=report.measure.title, year=report.year, area=report.area, target=target_text(report)
        )
    return _("Poverty in {year}: {area}, against {target}").format(
        year=report.year, area=report.area, target=target_text(report)
    )


def target_text(report: Report) -> str:
    """'a target of 8.00 %', or that the measure has no target."""
    if report.target is None:
        return _("no target")
    return _("a target of {target}").format(target=_number(report, report.target))


def summary_lines(report: Report) -> list[str]:
    """The sentences under the table: where the area stands, and what needs a mentor."""
    s = report.summary
    lines = []
    if s.get("official_rate") is not None:
        lines.append(
            _("The official figure for the area in {year} is {value} ({source}).").format(
                year=report.year, value=_number(report, s["official_rate"]), source=s.get("official_source") or "–"
            )
        )
    rate = s["weighted_rate"] if s["weighted_rate"] is not None else s["mean_rate"]
    if rate is None:
        lines.append(_("No figures for {year} in this selection.").format(year=report.year))
        return lines + source_lines(report.sources)
    kind = _("population-weighted") if s["weighted_rate"] is not None else _("mean")
    if report.measure is not None and report.measure.key != POVERTY:
        lines.append(
            ngettext(
                "In {year} the {kind} {measure} of the {villages} village with figures is {value}.",
                "In {year} the {kind} {measure} of the {villages} villages with figures is {value}.",
                s["with_data"],
            ).format(
                year=report.year,
                kind=kind,
                measure=report.measure.title,
                villages=s["with_data"],
                value=_number(report, rate),
            )
        )
    else:
        lines.append(
            ngettext(
                "In {year} the {kind} poverty rate of the {villages} village with figures is {rate:.2f} %.",
                "In {year} the {kind} poverty rate of the {villages} villages with figures is {rate:.2f} %.",
                s["with_data"],
            ).format(year=report.year, kind=kind, villages=s["with_data"], rate=rate)
        )
    if report.target is None:
        lines.append(_("No target is set for this measure: `opd-desa target set YEAR VALUE --measure KEY`."))
    else:
        sentence = (
            _("That is worse than the target of {target} ({source}).")
            if report.measure_misses(rate)
            else _("That meets the target of {target} ({source}).")
        )
        lines.append(sentence.format(target=_number(report, report.target), source=report.target_source))
        lines.append(
            _(
                "Villages with figures that miss the target: {above} of {with_data}; "
                "of them without a mentor in {year}: {unpaired}."
            ).format(
                above=s["above_target"], with_data=s["with_data"], unpaired=s["above_target_unpaired"], year=report.year
            )
        )
    lines.append(
        _("Villages with a mentor in {year}: {paired} of {villages}.").format(
            paired=s["paired"], villages=s["villages"], year=report.year
        )
    )
    if s.get("classes"):
        lines.append(
            _("IDM status: {classes}.").format(classes=", ".join(f"{name} {n}" for name, n in s["classes"].items()))
        )
    return lines + source_lines(report.sources)


def _number(report: Report, value: float) -> str:
    """A figure as people read it: 7.00 % for a percentage, 0.6523 for a score."""
    from opd_desa.i18n import decimal, percent

    if report.measure is None or report.measure.is_percent:
        return percent(value)
    return decimal(f"{value:.4f}")


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
        chart=lambda: _chart(report),
    )


def _chart(report: Report) -> ChartSpec:
    """The report's chart, drawn only for `--output .svg|.png` (its module is not loaded otherwise)."""
    from opd_desa.views.charts import report_chart

    return report_chart(report)


def warnings(messages: list[str]) -> list[str]:
    """Warnings of a service, as the stderr lines people read."""
    return [_("warning: {message}").format(message=message) for message in messages]
