"""The pictures of `report`, `scorecard` and `trend --output FILE.svg|.png`, as chart specs in the chosen language.

Only the words and numbers are chosen here; `documents.charts` draws them (matplotlib is loaded only then).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from opd_desa.documents.page import BarChart, Mark, PairingChart, TrendChart
from opd_desa.documents.words import number
from opd_desa.i18n import _, language

if TYPE_CHECKING:
    from opd_desa.measures import Measure
    from opd_desa.services.evaluation import Evaluation
    from opd_desa.services.report import Report


def _source(sources: list[str]) -> str:
    return _("Source: {source}").format(source="; ".join(sources) or "opd-desa")


def _axis(measure: Measure | None) -> str:
    """The value axis: the poverty rate, or the measure's own name and unit."""
    if measure is None or measure.key == "poverty":
        return _("Poverty rate (%)")
    return f"{measure.title} ({measure.unit})" if measure.unit else measure.title


def _name(measure: Measure | None) -> str:
    return _("Poverty rate") if measure is None or measure.key == "poverty" else measure.title


def _target_label(measure: Measure | None, target: float | None) -> str:
    if target is None:
        return _("no target")
    unit = " %" if measure is None or measure.is_percent else ""
    digits = 2 if measure is None or measure.is_percent else 4
    return _("Target ({target})").format(target=number(target, digits, language()) + unit)


def report_chart(report: Report) -> BarChart:
    """The villages (or kecamatan) shown, sorted highest first, against the target line."""
    shown = [r for r in report.rows if _value(r) is not None]
    x_label = {"village": _("Village"), "kecamatan": _("Kecamatan")}.get(report.by, _("Kabupaten"))
    return BarChart(
        _("{measure} in {year}: {area}").format(measure=_name(report.measure), year=report.year, area=report.area),
        tuple(str(r["name"]) for r in shown),
        tuple(float(_value(r) or 0) for r in shown),
        _name(report.measure),
        _axis(report.measure),
        x_label,
        _source(report.sources),
        report.target,
        _target_label(report.measure, report.target),
        _("Above the target"),
        _("At or below the target"),
        sort=True,
        lang=language(),
    )


def scorecard_chart(ev: Evaluation) -> PairingChart:
    """Each current pairing's baseline and its figure in the year, beside the paired and unpaired mean changes."""
    drawn = [r for r in ev.rows if _value(r, "baseline") is not None and _value(r) is not None]
    return PairingChart(
        _("Each pairing: baseline to {year}").format(year=ev.year),
        tuple(f"{r['village']} ({r['agency']})" for r in drawn),
        tuple(float(_value(r, "baseline") or 0) for r in drawn),
        tuple(float(_value(r) or 0) for r in drawn),
        _("Baseline"),
        str(ev.year),
        _axis(ev.measure),
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
        _("{measure} by year: {subject}").format(measure=_name(ev.measure), subject=ev.subject),
        tuple(int(r["year"]) for r in ev.rows),
        tuple(_value(r) for r in ev.rows),
        _name(ev.measure),
        _axis(ev.measure),
        _("Year"),
        _source(ev.sources),
        ev.target,
        _target_label(ev.measure, ev.target),
        marks,
        lang=language(),
    )


def _value(row: dict[str, Any], prefix: str = "") -> float | None:
    """A row's figure (`value`, or `rate` in rows written before measures), or its baseline with `prefix`."""
    key = f"{prefix}_" if prefix else ""
    found = row.get(f"{key}value", row.get(f"{key}rate"))
    return None if found is None else float(found)
