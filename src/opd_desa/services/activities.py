"""What agencies did in their villages: record, list and remove activities."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from opd_desa import changelog
from opd_desa.db import transaction
from opd_desa.errors import ArgumentError, NotFound, RuleViolation
from opd_desa.i18n import _
from opd_desa.resolve import Resolver
from opd_desa.rules import FOREVER, in_force

if TYPE_CHECKING:
    from opd_desa.services.pairings import Pairing

COLUMNS = (
    "id",
    "date",
    "village_code",
    "village",
    "agency_code",
    "kind",
    "title",
    "budget",
    "spent",
    "households",
    "beneficiaries",
    "source",
    "note",
)

_SELECT = """
    SELECT t.id, t.date, t.village_code, v.name, a.code, t.kind, t.title, t.budget, t.spent,
           t.households, t.beneficiaries, t.source, t.note
    FROM activities t
    JOIN villages v ON v.code = t.village_code
    JOIN agencies a ON a.id = t.agency_id
"""


def _rows(conn: sqlite3.Connection, where: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    sql = f"{_SELECT} WHERE {where} ORDER BY t.date, t.id"
    return [dict(zip(COLUMNS, row, strict=True)) for row in conn.execute(sql, params)]


def get_activity(conn: sqlite3.Connection, activity_id: int) -> dict[str, Any]:
    """One activity as lists and the change log show it."""
    return _rows(conn, "t.id = :id", {"id": activity_id})[0]


def activities_of_pairing(conn: sqlite3.Connection, pairing: Pairing) -> list[dict[str, Any]]:
    """The activities of the pairing's agency in its village while the pairing ran."""
    return _rows(
        conn,
        f"t.village_code = :v AND a.code = :a AND t.date >= :since AND t.date < coalesce(:until, '{FOREVER}')",
        {"v": pairing.village_code, "a": pairing.agency_code, "since": pairing.since, "until": pairing.until},
    )


@dataclass
class NewActivity:
    """An activity as a command or file gives it; names not yet resolved."""

    village: str
    date: date
    kind: str
    title: str
    agency: str | None = None
    budget: int | None = None
    spent: int | None = None
    households: int | None = None
    beneficiaries: int | None = None
    source: str | None = None
    note: str | None = None
    kecamatan: str | None = None


@dataclass
class Added:
    activity: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def mentor_on(conn: sqlite3.Connection, village_code: str, day: str) -> tuple[int, str] | None:
    """(agency id, code) of the village's mentor on `day`, or None."""
    mentor: tuple[int, str] | None = conn.execute(
        "SELECT a.id, a.code FROM pairings p JOIN agencies a ON a.id = p.agency_id "
        f"WHERE p.village_code = :village AND {in_force('p', ':day')}",
        {"village": village_code, "day": day},
    ).fetchone()
    return mentor


def add_activity(conn: sqlite3.Connection, new: NewActivity) -> Added:
    """Record one activity; the agency defaults to the village's mentor on that date."""
    kind, title = " ".join(new.kind.split()), " ".join(new.title.split())
    if not kind:
        raise ArgumentError(_("{argument} is empty; give a kind such as pelatihan, bantuan or infrastruktur"), "kind")
    if not title:
        raise ArgumentError(_("{argument} is empty; say what was done"), "title")
    with transaction(conn):
        resolver = Resolver(conn)
        village = resolver.village(new.village, new.kecamatan)
        day = new.date.isoformat()
        mentor = mentor_on(conn, village.code, day)
        warnings = []
        if new.agency:
            agency = resolver.agency(new.agency)
            agency_id, agency_code = agency.id, agency.code
            if mentor is None or mentor[0] != agency_id:
                warnings.append(
                    _(
                        "{agency} was not the mentor of {village} on {day} (the mentor was {mentor}); "
                        "recorded all the same"
                    ).format(
                        agency=agency_code,
                        village=village.label(),
                        day=day,
                        mentor=mentor[1] if mentor else _("nobody"),
                    )
                )
        elif mentor is None:
            raise ArgumentError(
                _("{village} had no mentor on {day}; name the agency with {argument}"),
                "agency",
                village=village.label(),
                day=day,
            )
        else:
            agency_id, agency_code = mentor
        existing = conn.execute(
            "SELECT id FROM activities WHERE village_code = ? AND agency_id = ? AND date = ? AND kind = ? "
            "AND title = ?",
            (village.code, agency_id, day, kind, title),
        ).fetchone()
        if existing:
            raise RuleViolation(
                _("this activity is already recorded as #{id}; `opd-desa activity remove {id}` removes it").format(
                    id=existing[0]
                )
            )
        activity_id = conn.execute(
            "INSERT INTO activities (village_code, agency_id, date, kind, title, budget, spent, households, "
            "beneficiaries, source, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                village.code,
                agency_id,
                day,
                kind,
                title,
                new.budget,
                new.spent,
                new.households,
                new.beneficiaries,
                new.source or None,
                new.note or None,
            ),
        ).lastrowid
        assert activity_id is not None
        row = get_activity(conn, activity_id)
        changelog.record(conn, "activities", str(activity_id), None, row)
        return Added(row, warnings)


def list_activities(
    conn: sqlite3.Connection,
    *,
    village: str | None = None,
    agency: str | None = None,
    year: int | None = None,
) -> list[dict[str, Any]]:
    """Activities, oldest first, filtered by village, agency and year."""
    resolver = Resolver(conn)
    where: list[str] = ["1"]
    params: dict[str, object] = {}
    if village:
        where.append("t.village_code = :village")
        params["village"] = resolver.village(village).code
    if agency:
        where.append("t.agency_id = :agency")
        params["agency"] = resolver.agency(agency).id
    if year:
        where.append("t.date BETWEEN :start AND :end")
        params.update(start=f"{year}-01-01", end=f"{year}-12-31")
    return _rows(conn, " AND ".join(where), params)


def remove_activity(conn: sqlite3.Connection, activity_id: int) -> dict[str, Any]:
    """Remove an activity; the removed row is kept in the change log."""
    with transaction(conn):
        rows = _rows(conn, "t.id = :id", {"id": activity_id})
        if not rows:
            raise NotFound(_("no activity #{id}; `opd-desa activity list` shows their ids").format(id=activity_id))
        conn.execute("DELETE FROM activities WHERE id = ?", (activity_id,))
        changelog.record(conn, "activities", str(activity_id), rows[0], None)
        return rows[0]
