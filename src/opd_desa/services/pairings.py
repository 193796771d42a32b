"""Pairings of agencies with villages: assign, reassign, unassign, list, history.

The programme's rule (one mentor per village, one village per agency, on any day) is kept by the
database (partial unique indexes and overlap triggers, see `db.py`); `refuse_overlaps` is the one
place that explains a refusal in words a person can act on.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from opd_desa import changelog
from opd_desa.db import transaction
from opd_desa.errors import InvalidValue, NotFound, RuleViolation, UserError
from opd_desa.i18n import _
from opd_desa.names import shown
from opd_desa.resolve import AgencyRef, Resolver, VillageRef
from opd_desa.services.dates import today

FOREVER = "9999-12-31"


def in_force(alias: str = "p", day: str = ":today") -> str:
    """SQL: the pairing `alias` covers `day` (`since <= day < until`; an open pairing has no until).
    The one home of that rule for every query that asks who mentors whom on a day."""
    return f"{alias}.since <= {day} AND ({alias}.until IS NULL OR {alias}.until > {day})"


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
        data = asdict(self)
        del data["id"]
        return data

    def village_label(self) -> str:
        return f"{self.village} ({self.village_code})"

    def agency_label(self) -> str:
        return f"{self.agency_code} ({self.agency})"

    def period(self) -> str:
        if self.until:
            return _("from {since} to {until}").format(since=self.since, until=self.until)
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


def _pairings(conn: sqlite3.Connection, where: str, params: dict[str, Any]) -> list[Pairing]:
    return [Pairing(*row) for row in conn.execute(f"{_SELECT} WHERE {where} ORDER BY p.since, v.name", params)]


def get_pairing(conn: sqlite3.Connection, pairing_id: int) -> Pairing:
    return _pairings(conn, "p.id = :id", {"id": pairing_id})[0]


def log_change(conn: sqlite3.Connection, before: Pairing | None, after: Pairing) -> None:
    """One change-log entry for a pairing, keyed `VILLAGE_CODE AGENCY_CODE SINCE` (its natural key)."""
    key = f"{after.village_code} {after.agency_code} {after.since}"
    changelog.record(conn, "pairings", key, before.as_dict() if before else None, after.as_dict())


def _covering(conn: sqlite3.Connection, column: str, value: object, day: str) -> Pairing | None:
    found = _pairings(
        conn,
        f"p.{column} = :value AND {in_force('p', ':day')}",
        {"value": value, "day": day},
    )
    return found[0] if found else None


def _overlapping(conn: sqlite3.Connection, column: str, value: object, since: str, until: str | None) -> list[Pairing]:
    return _pairings(
        conn,
        f"p.{column} = :value AND p.since < :until AND :since < coalesce(p.until, '{FOREVER}')",
        {"value": value, "since": since, "until": until or FOREVER},
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


def _day(value: date | None) -> str:
    return (value or today()).isoformat()


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
    since: date | None = None,
    decree: str | None = None,
    note: str | None = None,
) -> Change:
    """Start a pairing; refused when either side already has a partner on that day or later."""
    with transaction(conn):
        resolver = Resolver(conn)
        v, a = resolver.village(village), resolver.agency(agency)
        day = _day(since)
        refuse_overlaps(conn, v, a, day)
        return Change(insert_pairing(conn, v, a, day, decree, note))


def reassign(
    conn: sqlite3.Connection,
    village: str,
    agency: str,
    *,
    since: date | None = None,
    decree: str | None = None,
    reason: str | None = None,
) -> Change:
    """End the village's pairing and start one with `agency`; the agency's old pairing ends too."""
    with transaction(conn):
        resolver = Resolver(conn)
        v, a = resolver.village(village), resolver.agency(agency)
        day = _day(since)
        current = _covering(conn, "village_code", v.code, day)
        later = _pairings(conn, "p.village_code = :code AND p.since > :day", {"code": v.code, "day": day})
        if current is None and later:
            raise RuleViolation(
                _(
                    "{village} has no mentor on {day}: its pairing with {agency} starts on {since}; "
                    "give a --since on or after that day"
                ).format(village=v.label(), day=day, agency=later[0].agency_label(), since=later[0].since)
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


def unassign(conn: sqlite3.Connection, village: str, *, until: date | None = None, reason: str | None = None) -> Change:
    """End the village's open pairing on `until` (default today)."""
    with transaction(conn):
        v = Resolver(conn).village(village)
        day = _day(until)
        open_pairings = _pairings(conn, "p.village_code = :code AND p.until IS NULL", {"code": v.code})
        if not open_pairings:
            raise RuleViolation(_("{village} has no mentor to end").format(village=v.label()))
        return Change(None, [_end(conn, open_pairings[0], day, reason)])


def list_pairings(conn: sqlite3.Connection, *, history: bool = False, as_of: date | None = None) -> list[Pairing]:
    """Pairings in force on `as_of` (default today), or every pairing ever with `history`."""
    if history:
        return _pairings(conn, "1", {})
    return _pairings(conn, in_force("p", ":day"), {"day": _day(as_of)})


@dataclass
class History:
    """Every pairing of one village or one agency, each with the activities done under it."""

    subject: str
    kind: str  # "village" or "agency"
    pairings: list[tuple[Pairing, list[dict[str, Any]]]]


def history(conn: sqlite3.Connection, text: str) -> History:
    """The pairings of the village or agency named by `text`, oldest first, with their activities."""
    from opd_desa.services.activities import activities_of_pairing

    resolver = Resolver(conn)
    village: VillageRef | None = None
    agency: AgencyRef | None = None
    errors: list[UserError] = []
    try:
        village = resolver.village(text)
    except NotFound as e:
        errors.append(e)
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
        rows = _pairings(conn, "p.village_code = :v", {"v": village.code})
        subject, kind = village.listing(), "village"
    elif agency:
        rows = _pairings(conn, "p.agency_id = :a", {"a": agency.id})
        subject, kind = agency.label(), "agency"
    else:
        raise NotFound(
            _("'{text}' is neither a village nor an agency: {why}").format(
                text=shown(text), why="; ".join(str(e) for e in errors)
            )
        )
    return History(subject, kind, [(p, activities_of_pairing(conn, p)) for p in rows])
