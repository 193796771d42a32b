"""The pictures of `report`, `scorecard` and `trend --output FILE.svg|.png`, as chart specs in the chosen language.

Only the words and numbers are chosen here; `documents.charts` draws them (matplotlib is loaded only then).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from opd_desa.documents.page import BarChart, Mark, PairingChart, TrendChart
from opd_desa.documents.words import number
from opd_desa.i18n import _, language

if TYPE_CHECKING:
    from opd_desa.services.evaluation import Evaluation
    from opd_desa.services.report import Report


def _source(sources: list[str]) -> str:
    return _("Source: {source}").format(source="; ".join(sources) or "opd-desa")


def _rate_axis() -> str:
    return _("Poverty rate (%)")


def report_chart(report: Report) -> BarChart:
    """The villages (or kecamatan) shown, sorted highest first, against the target line."""
    shown = [r for r in report.rows if r.get("rate") is not None]
    x_label = {"village": _("Village"), "kecamatan": _("Kecamatan")}.get(report.by, _("Kabupaten"))
    return BarChart(
        _("Poverty rate in {year}: {area}").format(year=report.year, area=report.area),
        tuple(str(r["name"]) for r in shown),
        tuple(float(r["rate"]) for r in shown),
        _("Poverty rate"),
        _rate_axis(),
        x_label,
        _source(report.sources),
        report.target,
        _("Target ({target} %)").format(target=_decimal(report.target)),
        _("Above the target"),
        _("At or below the target"),
        sort=True,
        lang=language(),
    )


def scorecard_chart(ev: Evaluation) -> PairingChart:
    """Each current pairing's baseline and its figure in the year, beside the paired and unpaired mean changes."""
    drawn = [r for r in ev.rows if r["baseline_rate"] is not None and r["rate"] is not None]
    return PairingChart(
        _("Each pairing: baseline to {year}").format(year=ev.year),
        tuple(f"{r['village']} ({r['agency']})" for r in drawn),
        tuple(float(r["baseline_rate"]) for r in drawn),
        tuple(float(r["rate"]) for r in drawn),
        _("Baseline"),
        str(ev.year),
        _rate_axis(),
        _source(ev.sources),
        _("Mean change"),
        _("Change (pp)"),
        _("Mentored"),
        _("Not mentored"),
        ev.summary["paired_mean_change"],
        ev.summary["unpaired_mean_change"],
        lang=language(),
    )


def trend_chart(ev: Evaluation) -> TrendChart:
    """The figure by year as a line, the latest target as a line, each pairing's start (or the programme's) marked."""
    marks = tuple(
        Mark(
            date.fromisoformat(s["since"]),
            _("Paired with {agency}").format(agency=s["agency"]) if s["agency"] else _("Programme start"),
        )
        for s in ev.starts
    )
    return TrendChart(
        _("Poverty rate by year: {subject}").format(subject=ev.subject),
        tuple(int(r["year"]) for r in ev.rows),
        tuple(r["rate"] for r in ev.rows),
        _("Poverty rate"),
        _rate_axis(),
        _("Year"),
        _source(ev.sources),
        ev.target,
        _("Target ({target} %)").format(target=_decimal(ev.target)),
        marks,
        lang=language(),
    )


def _decimal(value: float) -> str:
    return number(value, 2, language())
