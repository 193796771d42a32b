"""The brief's outlook as pages: what needs attention, the map of the year, and the next steps."""

from __future__ import annotations

from collections.abc import Iterator

from opd_desa.documents import words
from opd_desa.documents.page import Block, Column, Heading, Paragraph, Picture, Table
from opd_desa.i18n import _, language
from opd_desa.services.brief import Brief


def attention_section(brief: Brief) -> Iterator[Block]:
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
    rest = _("and {n} more (“opd-desa status” lists them all)").format(n=len(names) - LISTED)
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


def next_steps_section(brief: Brief) -> list[Block]:
    """The proposal for the next decree (`plan`), for the latest year: graduating pairings and the
    proposed pairs with their one-line reason. People decide; the section says so."""
    steps = brief.next_steps
    if steps is None:
        return []
    blocks: list[Block] = [
        Heading(_("Next steps")),
        Paragraph(
            _(
                "A proposal for the next decree from “opd-desa plan”: pairings whose village met the target in "
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
