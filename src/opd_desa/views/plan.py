"""How `plan` looks: graduating pairings, waiting villages, free agencies and the proposal, each a table.

JSON is the whole plan (SPEC keys); CSV and Markdown are the proposal only, one row per proposed pair.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opd_desa.i18n import _
from opd_desa.output.columns import Column
from opd_desa.output.present import View
from opd_desa.output.terminal import Out

if TYPE_CHECKING:
    from opd_desa.planning import Plan

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


def plan_view(plan: Plan, notices: list[str] | None = None) -> View:
    """The plan for people (four sections), for scripts (its JSON) and as proposal rows (CSV, Markdown)."""
    data = plan.as_dict()
    title = _("Plan for the decree after {year}: target {target}; a pairing graduates after {n} years meeting it")
    return View(
        data["proposal"],
        PROPOSAL_COLUMNS,
        data=data,
        title=title.format(year=plan.year, target=plan.measure.amount(plan.target), n=plan.graduate_after),
        draw=lambda out: _draw(out, plan, data),
        notices=notices or (),
    )


def _draw(out: Out, plan: Plan, data: dict[str, Any]) -> None:
    graduating = [{**g, "met": ", ".join(str(y) for y in g["years"])} for g in data["graduating"]]
    _section(out, _("Graduating pairings"), graduating, GRADUATING_COLUMNS)
    _section(out, _("Villages waiting for a mentor, neediest first"), data["candidates"], CANDIDATE_COLUMNS)
    _section(out, _("Free agencies"), data["free_agencies"], FREE_AGENCY_COLUMNS)
    _section(out, _("Proposal"), data["proposal"], PROPOSAL_COLUMNS)
    unmatched = len(plan.free_agencies) - len(plan.proposal)
    if unmatched > 0:
        out.print(_("{n} free agencies get no village: no candidate is left that they may take").format(n=unmatched))


def _section(out: Out, title: str, rows: list[dict[str, Any]], columns: list[Column]) -> None:
    out.print()
    if rows:
        out.table(rows, columns, title=f"{title} ({len(rows)})")
    else:
        out.print(_("{title}: none").format(title=title), style="dim")
