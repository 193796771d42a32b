"""The brief's figures as pages: the key figures and their sentences, then each measure's chart by
year, its kecamatan (or kabupaten) and the villages worse than the target with their mentor.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from opd_desa.documents import words
from opd_desa.documents.page import (
    BarChart,
    Block,
    Chart,
    Column,
    Heading,
    KeyFigure,
    KeyFigures,
    Kind,
    Mark,
    Paragraph,
    Table,
    TrendChart,
)
from opd_desa.i18n import _, language
from opd_desa.services.brief import Brief
from opd_desa.services.brief_figures import MeasureFigures, YearFigure


def _n(value: float | None, lang: str) -> str:
    return "\u2013" if value is None else words.number(value, 2, lang)


def key_figures(brief: Brief, lang: str) -> Iterator[Block]:
    """The three figures first, then the same in sentences a reader can quote. The area's figure is
    the official one where it is recorded (BPS's rate, on which the RPJMD target is judged), with
    the figure from the village data beside it."""
    poverty = brief.measures[0]
    area = area_name(brief)
    above = len(poverty.above)
    official = poverty.official
    target = poverty.target if poverty.target is not None else 0.0
    yield Heading(_("Key figures"))
    lead = official.value if official else poverty.year_value
    villages_detail = _("target {target} %").format(target=_n(target, lang))
    if official:
        villages_detail = _("target {target} %; from the village data: {rate} %").format(
            target=_n(target, lang), rate=_n(poverty.year_value, lang)
        )
    yield KeyFigures(
        (
            KeyFigure(
                (_("Official poverty rate of {area}") if official else _("Poverty rate of {area}")).format(area=area),
                _("{rate} %").format(rate=_n(lead, lang)),
                villages_detail,
            ),
            KeyFigure(
                _("Villages above the target"),
                words.number(above, 0, lang),
                _("of {n} villages with figures").format(n=words.number(poverty.with_data, 0, lang)),
            ),
            KeyFigure(
                _("Of them with a mentoring agency"),
                words.number(poverty.paired_above, 0, lang),
                _("of {n} villages above the target").format(n=words.number(above, 0, lang)),
            ),
        )
    )
    if lead is None:
        yield Paragraph(_("There are no poverty figures for {year}.").format(year=brief.year))
        return
    compared = (
        _("above the target of {target} %") if lead > target else _("at or below the target of {target} %")
    ).format(target=_n(target, lang))
    yield Paragraph(
        _(
            "In {year} the poverty rate of {area} was {rate} %, {compared}. {above} of its {villages} villages "
            "with figures were above the target; {paired} of them were mentored by an agency that year."
        ).format(
            year=brief.year,
            area=area,
            rate=_n(lead, lang),
            compared=compared,
            above=words.number(above, 0, lang),
            villages=words.number(poverty.with_data, 0, lang),
            paired=words.number(poverty.paired_above, 0, lang),
        )
    )
    if official:
        yield Paragraph(_official_sentence(poverty, lang))
    decree = _decree(brief, lang)
    if decree:
        yield Paragraph(decree)
    earlier = [f for f in poverty.by_year if f.year < brief.year and f.value is not None]
    if earlier:
        first = earlier[0]
        assert first.value is not None
        yield Paragraph(
            _("Since {first_year} it changed by {change} percentage points (from {first} %).").format(
                first_year=first.year,
                change=signed(lead - first.value, lang),
                first=_n(first.value, lang),
            )
        )


def area_name(brief: Brief) -> str:
    return (brief.kecamatan and _("Kecamatan {name}").format(name=brief.kecamatan)) or brief.region


def _official_sentence(measure: MeasureFigures, lang: str) -> str:
    """The official figure and the village-based one side by side, each with its source."""
    assert measure.official is not None
    return _(
        "Official figure: {official} (source: {official_source}). From the village data: {villages} "
        "(source: {village_sources})."
    ).format(
        official=_amount(measure.official.value, measure, lang),
        official_source=measure.official.source or _("not recorded"),
        villages=_amount(measure.year_value, measure, lang),
        village_sources="; ".join(measure.village_sources) or _("not recorded"),
    )


def _amount(value: float | None, measure: MeasureFigures, lang: str) -> str:
    """A measure's figure as written: `7,00 %`, or a score to four decimals."""
    if value is None:
        return "\u2013"
    text = words.number(value, measure.decimals, lang)
    return f"{text} {measure.unit}" if measure.is_percent else text


def _decree(brief: Brief, lang: str) -> str:
    """The decree that set the pairings, as `settings` names it (nothing when it does not)."""
    number, day = brief.office.decree_number, brief.office.decree_date
    if not number:
        return ""
    if not day:
        return _("The pairings were set by decree {number}.").format(number=number)
    written = words.date(date.fromisoformat(day), lang)
    return _("The pairings were set by decree {number} of {date}.").format(number=number, date=written)


def signed(value: float, lang: str) -> str:
    return ("+" if value > 0 else "") + words.number(value, 2, lang)


def source_line(brief: Brief) -> str:
    return words.say(words.SOURCE, language()).format(source="; ".join(brief.sources) or "opd-desa")


def measure_section(brief: Brief, measure: MeasureFigures, lang: str) -> Iterator[Block]:
    """One measure: the area by year, its kecamatan (or kabupaten), the villages worse than the target
    and their mentor that year; for the IDM the status classes too."""
    first = measure is brief.measures[0]
    area = area_name(brief)
    axis = f"{measure.name} ({measure.unit})"
    value_kind: Kind = "percent" if measure.is_percent else "score"
    gap_kind: Kind = "points" if measure.is_percent else "score_points"
    marks = (Mark(brief.programme_start, _("Programme start")),) if brief.programme_start else ()
    yield Heading(measure.name)
    years = tuple(f for f in measure.by_year if f.year <= brief.year)
    if years:
        start = (
            _("The dotted line marks the programme's start ({day}).").format(
                day=words.date(brief.programme_start, lang)
            )
            if brief.programme_start
            else ""
        )
        yield Chart(
            TrendChart(
                _("{measure} of {area} by year").format(measure=measure.name, area=area),
                tuple(f.year for f in years),
                tuple(f.value for f in years),
                measure.name,
                axis,
                _("Year"),
                source_line(brief),
                measure.target,
                _("Target"),
                marks,
                lang,
            ),
            " ".join(part for part in (start, _official_years(measure, years)) if part),
        )
    if not first:  # after the chart, so that the heading keeps its chart on its page
        yield from _measure_sentences(brief, measure, lang)
    by_kecamatan = measure.group_level == "kecamatan"
    group = _("Kecamatan") if by_kecamatan else _("Kabupaten/kota")
    title = _("{measure} per kecamatan in {year}") if by_kecamatan else _("{measure} per kabupaten/kota in {year}")
    yield Heading(group if first else f"{group}: {measure.name}")
    shown = [k for k in measure.groups if k.value is not None]
    if len(shown) > 1:
        yield Chart(
            BarChart(
                title.format(measure=measure.name, year=brief.year),
                tuple(k.name for k in shown),
                tuple(k.value for k in shown if k.value is not None),
                measure.name,
                axis,
                group,
                source_line(brief),
                measure.target,
                _("Target"),
                _("Worse than the target") if not first else _("Above the target"),
                _("Meets the target") if not first else _("At or below the target"),
                sort=True,
                lang=lang,
            )
        )
    target = measure.target
    yield Table(
        (
            Column(group),
            Column(axis, kind=value_kind),
            Column(_("Gap to target (pp)") if measure.is_percent else _("Gap to target"), kind=gap_kind),
            Column(_("Villages"), kind="int"),
            Column(_("Above the target") if first else _("Worse than the target"), kind="int"),
        ),
        tuple(
            (
                k.name,
                k.value,
                None if k.value is None or target is None else round(k.value - target, measure.decimals),
                k.villages,
                k.above if target is not None else None,
            )
            for k in measure.groups
        ),
        title=group,
    )
    if first:
        yield Heading(_("Villages above the target in {year} and their mentor").format(year=brief.year))
    else:
        yield Heading(
            _("Villages worse than the {measure} target in {year} and their mentor").format(
                measure=measure.name, year=brief.year
            )
        )
    if target is None:
        yield Paragraph(
            _("No target is set for {measure}; set one with “opd-desa target set YEAR VALUE --measure {key}”.").format(
                measure=measure.name, key=measure.key
            )
        )
        return
    if not measure.above:
        yield Paragraph(_("No village was worse than the target."))
        return
    status = (Column(_("IDM status")),) if measure.classes else ()
    yield Table(
        (
            Column(_("Village")),
            Column(_("Kecamatan")),
            Column(axis, kind=value_kind),
            *status,
            Column(_("Gap to target (pp)") if measure.is_percent else _("Gap to target"), kind=gap_kind),
            Column(_("Mentoring agency")),
            Column(_("Mentored since"), kind="date"),
        ),
        tuple(
            (v.name, v.kecamatan, v.value, *((v.status,) if measure.classes else ()), v.gap, v.mentor, v.since)
            for v in measure.above[:LISTED_VILLAGES]
        ),
        title=_("Villages above the target") if first else _("Villages worse than the target"),
    )
    if len(measure.above) > LISTED_VILLAGES:
        yield Paragraph(
            _("The {shown} furthest from the target are listed; {more} more: {command} lists them all.").format(
                shown=LISTED_VILLAGES,
                more=words.number(len(measure.above) - LISTED_VILLAGES, 0, lang),
                command=f"“opd-desa report --year {brief.year} --measure {measure.key} --above-target”",
            )
        )


LISTED_VILLAGES = 40
"""Villages worse than the target a brief lists by name (a 0 % target can make it nearly all of them)."""


def _measure_sentences(brief: Brief, measure: MeasureFigures, lang: str) -> Iterator[Block]:
    """A further measure's figures in sentences: the area against the target, the villages worse
    than it, the official figure beside the villages', and the IDM's status classes."""
    value = measure.official.value if measure.official else measure.year_value
    if value is None:
        yield Paragraph(
            _("There are no figures of {measure} for {year}.").format(measure=measure.name, year=brief.year)
        )
        return
    target = (
        _("no target is set")
        if measure.target is None
        else _("target {target}").format(target=_amount(measure.target, measure, lang))
    )
    yield Paragraph(
        _(
            "In {year} {measure} of {area} was {value} ({target}); {worse} of its {villages} villages with "
            "figures were worse than the target, {paired} of them mentored by an agency that year."
        ).format(
            year=brief.year,
            measure=measure.name,
            area=area_name(brief),
            value=_amount(value, measure, lang),
            target=target,
            worse=words.number(len(measure.above), 0, lang),
            villages=words.number(measure.with_data, 0, lang),
            paired=words.number(measure.paired_above, 0, lang),
        )
    )
    if measure.official:
        yield Paragraph(_official_sentence(measure, lang))
    if measure.classes:
        counts = ", ".join(f"{name}: {words.number(n, 0, lang)}" for name, n in measure.classes)
        yield Paragraph(_("Villages by IDM status in {year}: {counts}.").format(year=brief.year, counts=counts))


def _official_years(measure: MeasureFigures, years: tuple[YearFigure, ...]) -> str:
    """Which years of the chart show the official figure (the others show the villages')."""
    official = [str(f.year) for f in years if measure.official_years and f.year in measure.official_years]
    if not official:
        return ""
    return _("For {years} the official figure is shown; for the other years the village data.").format(
        years=", ".join(official)
    )
