"""The brief's pairings as pages: the scorecard (each pairing's baseline to the year, mentored against
not mentored) and each agency's activities and budget in the year.
"""

from __future__ import annotations

from collections.abc import Iterator

from opd_desa.documents.brief_figures import signed, source_line
from opd_desa.documents.page import Block, Chart, Column, Heading, PairingChart, Paragraph, Table
from opd_desa.i18n import _
from opd_desa.services.brief import Brief


def scorecard_section(brief: Brief, lang: str) -> Iterator[Block]:
    """Each current pairing's baseline -> now, and paired against unpaired villages."""
    yield Heading(_("Scorecard of the pairings"))
    rows = brief.pairings
    if brief.year < brief.today.year:
        yield Paragraph(
            _("The pairings in force at the end of {year}, with the mentors of that year.").format(year=brief.year)
        )
    if not rows:
        yield Paragraph(_("No pairing is in force."))
        return
    drawn = [r for r in rows if r.baseline is not None and r.value is not None]
    rate = _("Poverty rate (%)")
    yield Paragraph(
        _(
            "Mean change of the mentored villages since their baseline: {paired} percentage points; of the villages "
            "without a mentor that were above the target in {baseline}: {unpaired} percentage points. This is a "
            "descriptive comparison, not proof that mentoring caused the difference."
        ).format(
            paired=_signed_or_dash(brief.paired_change, lang),
            baseline=brief.unpaired_baseline_year or "\u2013",
            unpaired=_signed_or_dash(brief.unpaired_change, lang),
        )
    )
    if drawn:
        yield Chart(
            PairingChart(
                _("Each pairing: baseline to {year}").format(year=brief.year),
                tuple(r.village for r in drawn),
                tuple(r.baseline for r in drawn if r.baseline is not None),
                tuple(r.value for r in drawn if r.value is not None),
                _("Baseline"),
                str(brief.year),
                rate,
                source_line(brief),
                _("Mean change"),
                _("Change (pp)"),
                _("Mentored"),
                _("Not mentored"),
                brief.paired_change,
                brief.unpaired_change,
                lang,
            )
        )
    yield Table(
        (
            Column(_("Agency")),
            Column(_("Village")),
            Column(_("Mentored since"), kind="date"),
            Column(_("Baseline year")),
            Column(_("Baseline (%)"), kind="percent"),
            Column(str(brief.year) + " (%)", kind="percent"),
            Column(_("Change (pp)"), kind="points"),
        ),
        tuple((r.agency, r.village, r.since, str(r.baseline_year or ""), r.baseline, r.value, r.change) for r in rows),
        title=_("Scorecard"),
    )


def _signed_or_dash(value: float | None, lang: str) -> str:
    return "\u2013" if value is None else signed(value, lang)


def agencies_section(brief: Brief) -> Iterator[Block]:
    """Activities, budget, spending and realisation per agency in the year."""
    yield Heading(_("Activities and budget per agency in {year}").format(year=brief.year))
    if not brief.agencies:
        yield Paragraph(_("No agency recorded an activity or mentored a village in {year}.").format(year=brief.year))
        return
    yield Table(
        (
            Column(_("Agency")),
            Column(_("Village mentored")),
            Column(_("Activities"), kind="int"),
            Column(_("Budget"), kind="money"),
            Column(_("Spent"), kind="money"),
            Column(_("Realisation (%)"), kind="percent"),
        ),
        tuple(
            (f"{a.agency} \u2013 {a.name}", a.village, a.activities, a.budget, a.spent, a.realisation)
            for a in brief.agencies
        ),
        title=_("Agencies"),
    )
