"""What agencies did in their villages: record and remove activities (lists of them are read in
`services/activity_rows.py`, and named here too for the commands that list them)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from opd_desa import changelog
from opd_desa.db import transaction
from opd_desa.errors import ArgumentError, NotFound, RuleViolation
from opd_desa.i18n import _
from opd_desa.resolve import Resolver
from opd_desa.rules import in_force
from opd_desa.services.activity_rows import activities_where, get_activity, list_activities

__all__ = ["Added", "NewActivity", "add_activity", "get_activity", "list_activities", "mentor_on", "remove_activity"]


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


def remove_activity(conn: sqlite3.Connection, activity_id: int) -> dict[str, Any]:
    """Remove an activity; the removed row is kept in the change log."""
    with transaction(conn):
        rows = activities_where(conn, "t.id = :id", {"id": activity_id})
        if not rows:
            raise NotFound(_("no activity #{id}; `opd-desa activity list` shows their ids").format(id=activity_id))
        conn.execute("DELETE FROM activities WHERE id = ?", (activity_id,))
        changelog.record(conn, "activities", str(activity_id), rows[0], None)
        return rows[0]
