"""The reporting loop: forms out to the agencies, who reported for a period, reminders to the others.

Reads pairings and activities (with the day each activity was first recorded, from the change log)
and hands plain rows to `opd_desa.reporting` (the rates) and `opd_desa.documents.forms` (the
workbooks). Nothing here prints.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from opd_desa.documents.forms import DEFAULT_KINDS, FormActivity, ReportingForm, form_file_name
from opd_desa.documents.forms_writing import write_form
from opd_desa.errors import InvalidValue, NotFound
from opd_desa.i18n import _
from opd_desa.periods import Period, PeriodKind, last_ended
from opd_desa.reporting import TIMELY_DAYS, ActivityRow, PairingRow, Reporting, build_reporting, reminder_text
from opd_desa.resolve import Resolver
from opd_desa.rules import overlaps

SECRETARIAT_AGENCY = "BAPPEDA"
"""The agency whose contact fields the forms and reminders give as the secretariat's address."""
DEFAULT_KIND: PeriodKind = "quarter"
"""Without --period, the last quarter (triwulan) that has ended: agencies report quarterly."""


def default_period(today: date) -> Period:
    """The period reported on when none is named: the last quarter that ended before `today`."""
    return last_ended(today, DEFAULT_KIND)


def due_date(period: Period, today: date, timely_days: int = TIMELY_DAYS) -> date | None:
    """The day a report is due (on time until then); None once it has passed (send it now)."""
    due = period.end + timedelta(days=timely_days)
    return due if due >= today else None


@dataclass(frozen=True)
class Mentoring:
    """An agency's latest pairing in force during a period, with the names a form needs."""

    agency_id: int
    agency_code: str
    agency_name: str
    village_code: str
    village_name: str
    kecamatan: str
    since: date
    until: date | None


def _pairings(conn: sqlite3.Connection, period: Period) -> list[Mentoring]:
    """Every pairing in force on at least one day of the period, oldest first."""
    rows = conn.execute(
        f"""SELECT a.id, a.code, a.name, v.code, v.name, k.name, p.since, p.until
            FROM pairings p
            JOIN agencies a ON a.id = p.agency_id
            JOIN villages v ON v.code = p.village_code
            JOIN regions k ON k.code = v.kecamatan_code
            WHERE {overlaps("p", ":start", ":after")}
            ORDER BY p.since, a.code""",
        {"start": period.start.isoformat(), "after": (period.end + timedelta(days=1)).isoformat()},
    )
    return [
        Mentoring(
            agency_id,
            code,
            name,
            village_code,
            village,
            kecamatan,
            date.fromisoformat(since),
            date.fromisoformat(until) if until else None,
        )
        for agency_id, code, name, village_code, village, kecamatan, since, until in rows
    ]


def mentoring(conn: sqlite3.Connection, period: Period) -> dict[str, Mentoring]:
    """Agency code -> its latest pairing in force during the period (the agencies expected to report)."""
    latest: dict[str, Mentoring] = {}
    for pairing in _pairings(conn, period):
        latest[pairing.agency_code] = pairing  # oldest first: the latest one wins
    return dict(sorted(latest.items()))


def _recorded_day(at: str | None) -> date | None:
    """The local day of a change-log time (stored in UTC, `2024-01-03T02:15:00Z`)."""
    if not at:
        return None
    return datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).astimezone().date()


def _activities(conn: sqlite3.Connection, period: Period) -> list[ActivityRow]:
    """The activities dated within the period, each with the day it was first recorded."""
    rows = conn.execute(
        """SELECT a.code, t.village_code, t.date, t.budget, t.spent,
                  (SELECT min(c.at) FROM change_log c
                   WHERE c."table" = 'activities' AND c.key = CAST(t.id AS TEXT) AND c.old IS NULL)
           FROM activities t JOIN agencies a ON a.id = t.agency_id
           WHERE t.date BETWEEN :start AND :end""",
        {"start": period.start.isoformat(), "end": period.end.isoformat()},
    )
    return [
        ActivityRow(code, village, date.fromisoformat(day), budget, spent, _recorded_day(at))
        for code, village, day, budget, spent, at in rows
    ]


def reporting_status(conn: sqlite3.Connection, period: Period, *, timely_days: int = TIMELY_DAYS) -> Reporting:
    """Who reported for the period and who is missing, with DHIS2's reporting and on-time rates."""
    if timely_days < 0:
        raise InvalidValue(_("--timely-days must be 0 or more, not {n}").format(n=timely_days))
    pairings = [
        PairingRow(m.agency_code, m.agency_name, m.village_code, m.village_name, m.since, m.until)
        for m in _pairings(conn, period)
    ]
    return build_reporting(period, pairings, _activities(conn, period), timely_days=timely_days)


def secretariat_contact(conn: sqlite3.Connection) -> str:
    """The secretariat as forms and reminders name it: the office in `settings` (org.name, then
    org.address) when its name is set, else the BAPPEDA agency by name and code; either way followed
    by the BAPPEDA agency's contact person, phone and e-mail where recorded (settings keep no phone)."""
    from opd_desa.services.settings import office

    row = conn.execute(
        "SELECT code, name, contact, phone, email FROM agencies WHERE code = ? COLLATE NOCASE",
        (SECRETARIAT_AGENCY,),
    ).fetchone()
    found = office(conn)
    if found.name:
        parts = [found.name, *([found.address] if found.address else [])]
    elif row is not None:
        parts = [f"{row[1]} ({row[0]})"]
    else:
        return _("the secretariat of the programme")
    if row is not None:
        _code, _name, contact, phone, email = row
        if contact:
            parts.append(contact)
        if phone:
            parts.append(_("tel. {phone}").format(phone=phone))
        if email:
            parts.append(email)
    return ", ".join(parts)


def _kinds(conn: sqlite3.Connection) -> list[str]:
    """The form's list of kinds: the usual ones, then every other kind already in use."""
    used = [r[0] for r in conn.execute("SELECT DISTINCT kind FROM activities ORDER BY kind")]
    return list(dict.fromkeys([*DEFAULT_KINDS, *used]))


def _form_activities(conn: sqlite3.Connection, pairing: Mentoring, period: Period) -> list[FormActivity]:
    """The agency's activities in its village within the period, as the form lists them."""
    rows = conn.execute(
        """SELECT date, kind, title, budget, spent, households, beneficiaries, source, note FROM activities
           WHERE agency_id = ? AND village_code = ? AND date BETWEEN ? AND ? ORDER BY date, id""",
        (pairing.agency_id, pairing.village_code, period.start.isoformat(), period.end.isoformat()),
    )
    return [FormActivity(date.fromisoformat(r[0]), *r[1:]) for r in rows]


def _chosen(
    conn: sqlite3.Connection, expected: dict[str, Mentoring], period: Period, agencies: Sequence[str]
) -> list[Mentoring]:
    """The pairings of the agencies named (all expected agencies when none is named)."""
    if not agencies:
        return list(expected.values())
    resolver = Resolver(conn)
    chosen: dict[str, Mentoring] = {}
    for text in agencies:
        agency = resolver.agency(text)
        if agency.code not in expected:
            raise NotFound(
                _("--agency: {agency} mentors no village during {period}; it has no form for that period").format(
                    agency=agency.label(), period=period.name
                )
            )
        chosen[agency.code] = expected[agency.code]
    return list(chosen.values())


def write_forms(
    conn: sqlite3.Connection,
    folder: Path,
    period: Period,
    *,
    today: date,
    agencies: Sequence[str] = (),
    language: str | None = None,
) -> list[Path]:
    """One reporting form per agency mentoring a village in the period (or per agency named) in
    `folder` (made if missing), with the activities already recorded for the period filled in."""
    if folder.exists() and not folder.is_dir():
        raise InvalidValue(_("{path} is a file, not a folder; give a folder for the forms").format(path=folder))
    chosen = _chosen(conn, mentoring(conn, period), period, agencies)
    if not chosen:
        raise NotFound(
            _("no agency mentors a village during {period}; there is no form to write").format(period=period.name)
        )
    folder.mkdir(parents=True, exist_ok=True)
    secretariat, kinds, due = secretariat_contact(conn), _kinds(conn), due_date(period, today)
    written = []
    for pairing in chosen:
        activities = _form_activities(conn, pairing, period)
        form = ReportingForm(
            agency_code=pairing.agency_code,
            agency_name=pairing.agency_name,
            village_code=pairing.village_code,
            village_name=pairing.village_name,
            kecamatan=pairing.kecamatan,
            period=period,
            secretariat=secretariat,
            kinds=kinds,
            activities=activities,
            language=language,
            due=due,
        )
        written.append(write_form(form, folder))
    return written


def reminder_file_name(agency_code: str, period: Period) -> str:
    """`<AGENCY>-<period>-reminder.txt`, beside the form `<AGENCY>-<period>.xlsx` it asks for."""
    return form_file_name(agency_code, period).removesuffix(".xlsx") + "-reminder.txt"


def write_reminders(
    conn: sqlite3.Connection, folder: Path, reporting: Reporting, *, today: date, timely_days: int = TIMELY_DAYS
) -> list[Path]:
    """One reminder text per missing agency in `folder` (made if missing), in the language of messages."""
    if folder.exists() and not folder.is_dir():
        raise InvalidValue(_("{path} is a file, not a folder; give a folder for the reminders").format(path=folder))
    folder.mkdir(parents=True, exist_ok=True)
    secretariat = secretariat_contact(conn)
    due = due_date(reporting.period, today, timely_days)
    written = []
    for row in reporting.rows:
        if row.status != "missing":
            continue
        text = reminder_text(row, reporting.period, form_file_name(row.agency, reporting.period), secretariat, due=due)
        path = folder / reminder_file_name(row.agency, reporting.period)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
