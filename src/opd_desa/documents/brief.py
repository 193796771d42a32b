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
    Mark,
    PairingChart,
    Paragraph,
    Signature,
    Table,
    TrendChart,
)
from opd_desa.errors import InvalidValue
from opd_desa.i18n import _, language
from opd_desa.services.brief import Brief, MeasureFigures

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
    """The three figures first, then the same in sentences a reader can quote."""
    poverty = brief.measures[0]
    area = (brief.kecamatan and _("Kecamatan {name}").format(name=brief.kecamatan)) or brief.region
    above = len(poverty.above)
    yield Heading(_("Key figures"))
    yield KeyFigures(
        (
            KeyFigure(
                _("Poverty rate of {area}").format(area=area),
                _("{rate} %").format(rate=_n(poverty.year_value, lang)),
                _("target {target} %").format(target=_n(poverty.target, lang)),
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
    if poverty.year_value is None:
        yield Paragraph(_("There are no poverty figures for {year}.").format(year=brief.year))
        return
    compared = (
        _("above the target of {target} %")
        if poverty.year_value > poverty.target
        else _("at or below the target of {target} %")
    ).format(target=_n(poverty.target, lang))
    yield Paragraph(
        _(
            "In {year} the poverty rate of {area} was {rate} %, {compared}. {above} of its {villages} villages "
            "with figures were above the target; {paired} of them were mentored by an agency that year."
        ).format(
            year=brief.year,
            area=area,
            rate=_n(poverty.year_value, lang),
            compared=compared,
            above=words.number(above, 0, lang),
            villages=words.number(poverty.with_data, 0, lang),
            paired=words.number(poverty.paired_above, 0, lang),
        )
    )
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
                change=_signed(poverty.year_value - first.value, lang),
                first=_n(first.value, lang),
            )
        )


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
    """One measure: the area by year, its kecamatan (or kabupaten), the villages above the target and their mentor."""
    area = (brief.kecamatan and _("Kecamatan {name}").format(name=brief.kecamatan)) or brief.region
    axis = f"{measure.name} ({measure.unit})"
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
            start,
        )
    by_kecamatan = measure.group_level == "kecamatan"
    group = _("Kecamatan") if by_kecamatan else _("Kabupaten/kota")
    title = _("{measure} per kecamatan in {year}") if by_kecamatan else _("{measure} per kabupaten/kota in {year}")
    yield Heading(group)
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
                _("Above the target"),
                _("At or below the target"),
                sort=True,
                lang=lang,
            )
        )
    yield Table(
        (
            Column(group),
            Column(axis, kind="percent"),
            Column(_("Gap to target (pp)"), kind="points"),
            Column(_("Villages"), kind="int"),
            Column(_("Above the target"), kind="int"),
        ),
        tuple(
            (k.name, k.value, None if k.value is None else k.value - measure.target, k.villages, k.above)
            for k in measure.groups
        ),
        title=group,
    )
    yield Heading(_("Villages above the target in {year} and their mentor").format(year=brief.year))
    if not measure.above:
        yield Paragraph(_("No village was above the target."))
        return
    yield Table(
        (
            Column(_("Village")),
            Column(_("Kecamatan")),
            Column(axis, kind="percent"),
            Column(_("Gap to target (pp)"), kind="points"),
            Column(_("Mentoring agency")),
            Column(_("Mentored since"), kind="date"),
        ),
        tuple((v.name, v.kecamatan, v.value, v.gap, v.mentor, v.since) for v in measure.above),
        title=_("Villages above the target"),
    )


def _scorecard(brief: Brief, lang: str) -> Iterator[Block]:
    """Each current pairing's baseline -> now, and paired against unpaired villages."""
    yield Heading(_("Scorecard of the pairings"))
    rows = brief.pairings
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
    """The map page, when boundaries are loaded (`import boundaries`); empty until the page model carries a map."""
    return []


def next_steps(brief: Brief) -> list[Block]:
    """The proposal for the next decree (`plan`), when the planning service offers one; empty for now."""
    return []


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
