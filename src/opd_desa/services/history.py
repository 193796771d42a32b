"""`history`: every pairing of one village or one agency, with the activities done under each."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any, Literal

from opd_desa.errors import NotFound, RuleViolation, UserError
from opd_desa.i18n import _
from opd_desa.names import shown
from opd_desa.resolve import AgencyRef, Resolver, VillageRef
from opd_desa.services.activity_rows import activities_of_pairing
from opd_desa.services.pairings import Pairing, pairings_where


@dataclass
class History:
    """Every pairing of one village or one agency, each with the activities done under it."""

    subject: str
    kind: Literal["village", "agency"]
    pairings: list[tuple[Pairing, list[dict[str, Any]]]]


def history(conn: sqlite3.Connection, text: str) -> History:
    """The pairings of the village or agency named by `text`, oldest first, with their activities."""
    found = _village_or_agency(Resolver(conn), text)
    if isinstance(found, VillageRef):
        rows = pairings_where(conn, "p.village_code = :v", {"v": found.code})
        return History(found.listing(), "village", [(p, activities_of_pairing(conn, p)) for p in rows])
    rows = pairings_where(conn, "p.agency_id = :a", {"a": found.id})
    return History(found.label(), "agency", [(p, activities_of_pairing(conn, p)) for p in rows])


def _village_or_agency(resolver: Resolver, text: str) -> VillageRef | AgencyRef:
    """The one village or the one agency `text` names; refused when it names both or neither."""
    village: VillageRef | None = None
    agency: AgencyRef | None = None
    errors: list[UserError] = []
    try:
        village = resolver.village(text)
    except NotFound as e:
        errors.append(e)
    if village:  # an agency of that very name makes it ambiguous; agencies merely like it do not matter
        agency = resolver.agency_named(text)
    else:
        try:
            agency = resolver.agency(text)
        except NotFound as e:
            errors.append(e)
    if village and agency:
        raise RuleViolation(
            _(
                "'{text}' is both a village, {village}, and an agency, {agency}; give the village code or the "
                "agency code"
            ).format(text=shown(text), village=village.label(), agency=agency.label())
        )
    if village:
        return village
    if agency:
        return agency
    raise NotFound(
        _("'{text}' is neither a village nor an agency: {why}").format(
            text=shown(text), why="; ".join(str(e) for e in errors)
        )
    )
