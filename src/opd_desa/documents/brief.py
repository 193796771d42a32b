"""The brief for the Bupati as a Document: title block, key figures in sentences, charts, tables, signature.

`compose(brief)` only arranges words and numbers that `services.brief` gathered; the PDF, HTML and
workbook writers print it. Each section is one small function, in the order the reader meets it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from opd_desa.documents import words
from opd_desa.documents.page import (
    BarChart,
    Block,
    Chart,
    Column,
    Document,
    Heading,
    KeyFigure,
    KeyFigures,
    Kind,
    Mark,
    PairingChart,
    Paragraph,
    Picture,
    Signature,
    Table,
    TrendChart,
)
from opd_desa.errors import InvalidValue
from opd_desa.i18n import _, language
from opd_desa.services.brief import Brief, MeasureFigures, YearFigure

PROGRAMME = "1 OPD 1 Desa Dampingan"
FORMATS = (".pdf", ".html", ".xlsx")
ILLUSTRATIVE_MARKS = ("ilustrasi", "illustrative")
"""Words in a source's text that say its figures are made up for the example."""


def compose(brief: Brief) -> Document:
    """The whole brief, in the language messages are in now."""
    lang = language()
    blocks: list[Block] = [*_key_figures(brief, lang)]
    for measure in brief.measures:
        blocks += _measure(brief, measure, lang)
    blocks += _scorecard(brief, lang)
    blocks += _agencies(brief)
    blocks += _attention(brief)
    blocks += map_section(brief)
    blocks += next_steps(brief)
    blocks += _sources(brief)
    blocks.append(_signature(brief))
    title = _("Programme {programme}: results for {year}").format(programme=PROGRAMME, year=brief.year)
    area = (
        brief.region
        if brief.kecamatan is None
        else _("Kecamatan {name}, {region}").format(name=brief.kecamatan, region=brief.region)
    )
    office = brief.office.name or _("(office name not set: opd-desa settings set org.name NAME)")
    subtitle = " · ".join(part for part in (office, brief.office.address, area) if part)
    return Document(
        title,
        lang,
        tuple(blocks),
        subtitle,
        footer=f"{office} · {PROGRAMME} · {brief.year}",
        sources=brief.sources,
        logo=brief.office.logo,
    )


def check_output(path: Path) -> None:
    """Refuse, before any work, a file the brief cannot be written as, or into a folder that is not there."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidValue(
            _("--output: a brief is written as {choices}, not '{suffix}'; name a file such as brief.pdf").format(
                choices=", ".join(FORMATS), suffix=suffix or path.name
            )
        )
    if not path.parent.is_dir():
        raise InvalidValue(_("--output: folder {folder} does not exist").format(folder=path.parent))


def write_brief(brief: Brief, path: Path) -> None:
    """Write the brief to `path` as PDF, HTML or a workbook, by the file's suffix."""
    check_output(path)
    suffix = path.suffix.lower()
    document = compose(brief)
    if suffix == ".pdf":
        from opd_desa.documents.pdf import write_pdf

        write_pdf(document, path)
    elif suffix == ".html":
        from opd_desa.documents.html import write_html

        write_html(document, path)
    else:
        from opd_desa.documents.workbook import write_xlsx

        write_xlsx(document, path)


def _n(value: float | None, lang: str) -> str:
    return "\u2013" if value is None else words.number(value, 2, lang)


def _key_figures(brief: Brief, lang: str) -> Iterator[Block]:
    """The three figures first, then the same in sentences a reader can quote. The area's figure is
    the official one where it is recorded (BPS's rate, on which the RPJMD target is judged), with
    the figure from the village data beside it."""
    poverty = brief.measures[0]
    area = _area(brief)
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
                change=_signed(lead - first.value, lang),
                first=_n(first.value, lang),
            )
        )


def _area(brief: Brief) -> str:
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


def _signed(value: float, lang: str) -> str:
    return ("+" if value > 0 else "") + words.number(value, 2, lang)


def _source_line(brief: Brief) -> str:
    return words.say(words.SOURCE, language()).format(source="; ".join(brief.sources) or "opd-desa")


def _measure(brief: Brief, measure: MeasureFigures, lang: str) -> Iterator[Block]:
    """One measure: the area by year, its kecamatan (or kabupaten), the villages worse than the target
    and their mentor that year; for the IDM the status classes too."""
    first = measure is brief.measures[0]
    area = _area(brief)
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
                _source_line(brief),
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
                _source_line(brief),
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
            _("No target is set for {measure}; set one with `opd-desa target set YEAR VALUE --measure {key}`.").format(
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
                command=f"`opd-desa report --year {brief.year} --measure {measure.key} --above-target`",
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
            area=_area(brief),
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


def _scorecard(brief: Brief, lang: str) -> Iterator[Block]:
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
                _source_line(brief),
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
    return "\u2013" if value is None else _signed(value, lang)


def _agencies(brief: Brief) -> Iterator[Block]:
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


def _attention(brief: Brief) -> Iterator[Block]:
    """What needs attention, one sentence per list that is not empty."""
    yield Heading(_("What needs attention"))
    lists = (
        (_("Villages above the target without a mentor ({n}): {names}."), brief.attention.above_target_unpaired),
        (_("Agencies without a village ({n}): {names}."), brief.attention.agencies_without_village),
        (
            _("Pairings with no activity recorded in the last 90 days ({n}): {names}."),
            brief.attention.inactive_pairings,
        ),
        (_("Villages whose latest figure is older than the rest ({n}): {names}."), brief.attention.stale_villages),
    )
    said = False
    for sentence, names in lists:
        if names:
            said = True
            yield Paragraph(sentence.format(n=len(names), names=_listed(names)))
    if not said:
        yield Paragraph(_("Nothing needs attention."))


LISTED = 30
"""Names a sentence of the attention section lists before it says how many more there are."""


def _listed(names: tuple[str, ...]) -> str:
    """The names, or the first of them and how many more (a province can have thousands)."""
    if len(names) <= LISTED:
        return ", ".join(names)
    rest = _("and {n} more (`opd-desa status` lists them all)").format(n=len(names) - LISTED)
    return ", ".join(names[:LISTED]) + " " + rest


def map_section(brief: Brief) -> list[Block]:
    """The map page, when boundaries are loaded (`import boundaries`): the poverty map of the year
    with that year's mentors outlined."""
    if brief.map is None:
        return []
    lang = language()
    drawn = brief.map
    caption = _(
        "{villages} villages coloured by {measure} in {year} ({without} without a figure, in grey); "
        "the villages mentored on {day} are outlined and labelled with their agency's code."
    ).format(
        villages=words.number(drawn.villages, 0, lang),
        measure=drawn.title,
        year=brief.year,
        without=words.number(drawn.without_figure, 0, lang),
        day=words.date(drawn.mentors_on, lang),
    )
    return [Heading(_("Map")), Picture.from_png(drawn.png, drawn.title, caption)]


def next_steps(brief: Brief) -> list[Block]:
    """The proposal for the next decree (`plan`), for the latest year: graduating pairings and the
    proposed pairs with their one-line reason. People decide; the section says so."""
    steps = brief.next_steps
    if steps is None:
        return []
    blocks: list[Block] = [
        Heading(_("Next steps")),
        Paragraph(
            _(
                "A proposal for the next decree from `opd-desa plan`: pairings whose village met the target in "
                "each of its last {n} years with figures may end, and free agencies may take the neediest "
                "villages without a mentor ({waiting} are waiting). It is a proposal; the decision is the Bupati's."
            ).format(n=steps.graduate_after, waiting=steps.waiting)
        ),
    ]
    if steps.graduating:
        blocks.append(
            Table(
                (Column(_("Agency")), Column(_("Village")), Column(_("Met the target in"))),
                tuple((g.agency, g.village, ", ".join(str(y) for y in g.years)) for g in steps.graduating),
                title=_("Pairings that may graduate"),
            )
        )
    else:
        blocks.append(Paragraph(_("No pairing has met the target long enough to graduate.")))
    if steps.proposal:
        blocks.append(
            Table(
                (Column(_("Agency")), Column(_("Village")), Column(_("Kecamatan")), Column(_("Why"))),
                tuple((p.agency, p.village, p.kecamatan, p.why) for p in steps.proposal),
                title=_("Proposed pairs"),
            )
        )
    else:
        blocks.append(Paragraph(_("No new pair is proposed: no free agency or no village waiting.")))
    return blocks


def _sources(brief: Brief) -> Iterator[Block]:
    yield Heading(_("Sources"), 2)
    yield Paragraph("; ".join(brief.sources) if brief.sources else _("No source was recorded for the figures."))
    if any(mark in source.lower() for source in brief.sources for mark in ILLUSTRATIVE_MARKS):
        yield Paragraph(_("The figures are illustrative example data, not official statistics."))


def _signature(brief: Brief) -> Signature:
    """Place (the region's seat), today's date, and the signatory from `settings`."""
    place = brief.region
    for prefix in ("Kabupaten ", "Kota ", "Provinsi "):
        place = place.removeprefix(prefix)
    office = brief.office
    return Signature(
        place,
        brief.today,
        office.signatory_title or _("(signatory.title not set)"),
        office.signatory_name or _("(signatory.name not set)"),
        office.signatory_nip,
    )
