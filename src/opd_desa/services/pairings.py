"""Pairings of agencies with villages: assign, reassign, unassign, list.

The programme's rule (one mentor per village, one village per agency, on any day) is kept by the
database (partial unique indexes and overlap triggers, see `db.py`); `refuse_overlaps` is the one
place that explains a refusal in words a person can act on.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from opd_desa import changelog
from opd_desa.db import transaction
from opd_desa.errors import ArgumentError, InvalidValue, RuleViolation
from opd_desa.i18n import _
from opd_desa.resolve import AgencyRef, Resolver, VillageRef
from opd_desa.rules import in_force, overlaps


@dataclass(frozen=True)
class Pairing:
    """One pairing, with names; `until` None means it is still open."""

    id: int
    village_code: str
    village: str
    agency_code: str
    agency: str
    since: str
    until: str | None
    decree: str | None
    reason: str | None
    note: str | None

    def as_dict(self) -> dict[str, Any]:
        """The stored fields (as the change log keeps them)."""
        data = asdict(self)
        del data["id"]
        return data

    @property
    def last_day(self) -> str | None:
        """The last day with this mentor: the day before `until` (which is the first day without)."""
        return (date.fromisoformat(self.until) - timedelta(days=1)).isoformat() if self.until else None

    def as_row(self) -> dict[str, Any]:
        """The fields as people see them: the stored ones and `last_day`."""
        return {**self.as_dict(), "last_day": self.last_day}

    def village_label(self) -> str:
        return f"{self.village} ({self.village_code})"

    def agency_label(self) -> str:
        return f"{self.agency_code} ({self.agency})"

    def period(self) -> str:
        if self.until:
            return _("from {since} to {last_day}").format(since=self.since, last_day=self.last_day)
        return _("since {since}").format(since=self.since)


@dataclass
class Change:
    """What a pairing command did: the pairing started, and the pairings it ended."""

    started: Pairing | None
    ended: list[Pairing] = field(default_factory=list)
    orphaned: Pairing | None = None  # the agency's previous pairing, whose village is now without a mentor


_SELECT = """
    SELECT p.id, p.village_code, v.name, a.code, a.name, p.since, p.until, p.decree, p.reason, p.note
    FROM pairings p
    JOIN villages v ON v.code = p.village_code
    JOIN agencies a ON a.id = p.agency_id
"""


def pairings_where(conn: sqlite3.Connection, where: str, params: dict[str, Any]) -> list[Pairing]:
    """The pairings matching an SQL condition on `p` (pairings), `v` (villages), `a` (agencies)."""
    return [Pairing(*row) for row in conn.execute(f"{_SELECT} WHERE {where} ORDER BY p.since, v.name", params)]


def get_pairing(conn: sqlite3.Connection, pairing_id: int) -> Pairing:
    """The pairing with this id (which must exist)."""
    return pairings_where(conn, "p.id = :id", {"id": pairing_id})[0]


def log_change(conn: sqlite3.Connection, before: Pairing | None, after: Pairing) -> None:
    """One change-log entry for a pairing, keyed `VILLAGE_CODE AGENCY_CODE SINCE` (its natural key)."""
    key = f"{after.village_code} {after.agency_code} {after.since}"
    changelog.record(conn, "pairings", key, before.as_dict() if before else None, after.as_dict())


def _covering(conn: sqlite3.Connection, column: str, value: object, day: str) -> Pairing | None:
    found = pairings_where(
        conn,
        f"p.{column} = :value AND {in_force('p', ':day')}",
        {"value": value, "day": day},
    )
    return found[0] if found else None


def _overlapping(conn: sqlite3.Connection, column: str, value: object, since: str, until: str | None) -> list[Pairing]:
    return pairings_where(
        conn,
        f"p.{column} = :value AND {overlaps('p', ':since', ':until')}",
        {"value": value, "since": since, "until": until},
    )


def refuse_overlaps(
    conn: sqlite3.Connection, village: VillageRef, agency: AgencyRef, since: str, until: str | None = None
) -> None:
    """Explain, in the programme's terms, why a pairing of `village` and `agency` cannot start on `since`."""
    for other in _overlapping(conn, "village_code", village.code, since, until):
        if other.until is not None or other.since > since:  # history in the way, not today's mentor
            raise RuleViolation(_overlap_message(other.village_label(), other.agency_label(), other, since))
        if other.agency_code == agency.code:
            raise RuleViolation(
                _("{village} is already mentored by {agency} {period}; nothing to do").format(
                    village=village.label(), agency=other.agency_label(), period=other.period()
                )
            )
        raise RuleViolation(
            _(
                "{village} already has a mentor: {agency} {period}. Use `opd-desa reassign {name} {new}` "
                "to change its mentor, or `opd-desa unassign {name}` first"
            ).format(
                village=village.label(),
                agency=other.agency_label(),
                period=other.period(),
                name=_arg(village.name),
                new=_arg(agency.code),
            )
        )
    for other in _overlapping(conn, "agency_id", agency.id, since, until):
        if other.until is not None or other.since > since:
            raise RuleViolation(_overlap_message(other.agency_label(), other.village_label(), other, since))
        raise RuleViolation(
            _(
                "{agency} already mentors {village} {period}; an agency mentors one village at a time. "
                "Use `opd-desa reassign {name} {code}` to move it to {new}"
            ).format(
                agency=agency.label(),
                village=other.village_label(),
                period=other.period(),
                name=_arg(village.name),
                code=_arg(agency.code),
                new=village.name,
            )
        )


def _overlap_message(subject: str, partner: str, other: Pairing, since: str) -> str:
    if other.until is not None:
        return _(
            "{subject} has a pairing with {partner} {period}, which a new pairing from {since} would overlap; "
            "pairings never overlap: start the new one on {until} or later"
        ).format(subject=subject, partner=partner, period=other.period(), since=since, until=other.until)
    return _(
        "{subject} has a pairing with {partner} {period}, which a new open pairing from {since} would overlap; "
        "a pairing that ended before it can be recorded with its end date through `opd-desa import pairings`"
    ).format(subject=subject, partner=partner, period=other.period(), since=since)


def _arg(text: str) -> str:
    """A name as it would be typed on a command line (quoted when it has spaces)."""
    return f'"{text}"' if " " in text else text


def insert_pairing(
    conn: sqlite3.Connection,
    village: VillageRef,
    agency: AgencyRef,
    since: str,
    decree: str | None,
    note: str | None,
    until: str | None = None,
    reason: str | None = None,
) -> Pairing:
    """Insert one pairing and log it; a refusal by the database is explained as `refuse_overlaps` does."""
    try:
        pairing_id = conn.execute(
            "INSERT INTO pairings (village_code, agency_id, since, until, decree, reason, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (village.code, agency.id, since, until, decree or None, reason or None, note or None),
        ).lastrowid
    except sqlite3.IntegrityError:  # the database's own guard; explain it the same way as the check above
        refuse_overlaps(conn, village, agency, since, until)
        raise
    assert pairing_id is not None
    pairing = get_pairing(conn, pairing_id)
    log_change(conn, None, pairing)
    return pairing


def _end(conn: sqlite3.Connection, pairing: Pairing, until: str, reason: str | None) -> Pairing:
    if until <= pairing.since:
        raise InvalidValue(
            _(
                "the pairing of {village} with {agency} started on {since}; it can only end after that day "
                "(give a later date)"
            ).format(village=pairing.village_label(), agency=pairing.agency_label(), since=pairing.since)
        )
    conn.execute("UPDATE pairings SET until = ?, reason = ? WHERE id = ?", (until, reason or None, pairing.id))
    ended = get_pairing(conn, pairing.id)
    log_change(conn, pairing, ended)
    return ended


def assign(
    conn: sqlite3.Connection,
    village: str,
    agency: str,
    *,
    since: date,
    decree: str | None = None,
    note: str | None = None,
) -> Change:
    """Start a pairing on `since`; refused when either side already has a partner on that day or later."""
    with transaction(conn):
        resolver = Resolver(conn)
        v, a = resolver.village(village), resolver.agency(agency)
        day = since.isoformat()
        refuse_overlaps(conn, v, a, day)
        return Change(insert_pairing(conn, v, a, day, decree, note))


def reassign(
    conn: sqlite3.Connection,
    village: str,
    agency: str,
    *,
    since: date,
    decree: str | None = None,
    reason: str | None = None,
) -> Change:
    """End the village's pairing on `since` and start one with `agency`; the agency's old pairing ends too."""
    with transaction(conn):
        resolver = Resolver(conn)
        v, a = resolver.village(village), resolver.agency(agency)
        day = since.isoformat()
        current = _covering(conn, "village_code", v.code, day)
        later = pairings_where(conn, "p.village_code = :code AND p.since > :day", {"code": v.code, "day": day})
        if current is None and later:
            raise ArgumentError(
                _(
                    "{village} has no mentor on {day}: its pairing with {agency} starts on {since}; "
                    "give a {argument} on or after that day"
                ),
                "since",
                village=v.label(),
                day=day,
                agency=later[0].agency_label(),
                since=later[0].since,
            )
        if current is None:
            raise RuleViolation(
                _("{village} has no mentor on {day}; use `opd-desa assign {name} {agency}`").format(
                    village=v.label(), day=day, name=_arg(v.name), agency=_arg(a.code)
                )
            )
        if current.agency_code == a.code:
            raise RuleViolation(
                _("{village} is already mentored by {agency} {period}; nothing to do").format(
                    village=v.label(), agency=current.agency_label(), period=current.period()
                )
            )
        change = Change(None)
        why = reason or _("reassigned to {agency}").format(agency=a.code)
        change.ended.append(_end(conn, current, day, why))
        previous = _covering(conn, "agency_id", a.id, day)
        if previous is not None:
            moved = _("{agency} moved to {village}").format(agency=a.code, village=v.name)
            change.orphaned = _end(conn, previous, day, f"{moved} ({reason})" if reason else moved)
            change.ended.append(change.orphaned)
        refuse_overlaps(conn, v, a, day)
        change.started = insert_pairing(conn, v, a, day, decree, None)
        return change


def unassign(conn: sqlite3.Connection, village: str, *, until: date, reason: str | None = None) -> Change:
    """End the village's open pairing on `until` (its first day without the mentor)."""
    with transaction(conn):
        v = Resolver(conn).village(village)
        day = until.isoformat()
        open_pairings = pairings_where(conn, "p.village_code = :code AND p.until IS NULL", {"code": v.code})
        if not open_pairings:
            raise RuleViolation(_("{village} has no mentor to end").format(village=v.label()))
        return Change(None, [_end(conn, open_pairings[0], day, reason)])


def list_pairings(conn: sqlite3.Connection, *, as_of: date) -> list[Pairing]:
    """The pairings in force on `as_of`."""
    return pairings_where(conn, in_force("p", ":day"), {"day": as_of.isoformat()})


def all_pairings(conn: sqlite3.Connection) -> list[Pairing]:
    """Every pairing ever, ended ones included, oldest first."""
    return pairings_where(conn, "1", {})
