"""Agencies (OPD): adding, renaming, listing; every name an agency answers to is indexed once."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from opd_desa import changelog
from opd_desa.db import transaction
from opd_desa.errors import ArgumentError, InvalidValue, RuleViolation
from opd_desa.i18n import _
from opd_desa.names import normalise, shown
from opd_desa.resolve import AgencyRef, Resolver
from opd_desa.rules import in_force

MAX_CODE = 30  # an abbreviation such as DINSOSP3AKB; anything longer is a mistake
CONTACT_FIELDS = ("contact", "phone", "email")
"""Whom the reporting loop writes to at an agency: a person or desk, a telephone number, an e-mail address."""
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class AgencyData:
    """An agency as a file or command gives it."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()
    head: str | None = None
    contact: str | None = None
    phone: str | None = None
    email: str | None = None


def _row(conn: sqlite3.Connection, agency_id: int) -> dict[str, Any]:
    code, name, head, contact, phone, email = conn.execute(
        "SELECT code, name, head, contact, phone, email FROM agencies WHERE id = ?", (agency_id,)
    ).fetchone()
    aliases = [
        r[0] for r in conn.execute("SELECT alias FROM agency_aliases WHERE agency_id = ? ORDER BY alias", (agency_id,))
    ]
    return {
        "code": code,
        "name": name,
        "aliases": aliases,
        "head": head,
        "contact": contact,
        "phone": phone,
        "email": email,
    }


def _index_names(conn: sqlite3.Connection, agency_id: int, code: str, texts: list[str]) -> None:
    """Register every name of the agency as a lookup key; a key owned by another agency is refused."""
    for text in texts:
        key = normalise(text)
        if not key:
            continue
        owner = conn.execute(
            "SELECT a.id, a.code, a.name FROM agency_keys k JOIN agencies a ON a.id = k.agency_id WHERE k.key = ?",
            (key,),
        ).fetchone()
        if owner and owner[0] != agency_id:
            raise RuleViolation(
                _("'{text}' already names agency {other}; choose another name or alias for {code}").format(
                    text=shown(text), other=AgencyRef(*owner).label(), code=shown(code)
                )
            )
        conn.execute("INSERT OR IGNORE INTO agency_keys (key, agency_id) VALUES (?, ?)", (key, agency_id))


def _validate(data: AgencyData) -> AgencyData:
    code, name = data.code.strip(), " ".join(data.name.split())
    if not normalise(code):
        raise InvalidValue(_("the agency code is empty; give a short code such as BAPPEDA"))
    if len(code) > MAX_CODE:
        raise InvalidValue(
            _("an agency code has at most {n} characters; '{code}' is longer").format(n=MAX_CODE, code=shown(code))
        )
    if not normalise(name):
        raise InvalidValue(_("the agency name is empty; give its full name"))
    aliases = tuple(dict.fromkeys(a.strip() for a in data.aliases if a.strip()))
    email = checked_email(data.email)
    return AgencyData(
        code,
        name,
        aliases,
        _clean(data.head),
        _clean(data.contact),
        _clean(data.phone),
        email,
    )


def checked_email(text: str | None) -> str | None:
    """An e-mail address as typed (None when empty); refused when it cannot be one."""
    email = _clean(text)
    if email is not None and not _EMAIL.fullmatch(email):
        raise InvalidValue(
            _("'{email}' is not an e-mail address; write it like sekretariat@example.go.id").format(email=shown(email))
        )
    return email


def _clean(text: str | None) -> str | None:
    """Surrounding and repeated spaces removed; empty is None."""
    return " ".join((text or "").split()) or None


def upsert_agency(conn: sqlite3.Connection, data: AgencyData) -> str:
    """Insert or update the agency with this code: 'inserted', 'updated' or 'unchanged'.

    Aliases are only ever added, never dropped, so that old names keep resolving."""
    data = _validate(data)
    row = conn.execute("SELECT id FROM agencies WHERE code = ? COLLATE NOCASE", (data.code,)).fetchone()
    if row is None:
        agency_id = conn.execute(
            "INSERT INTO agencies (code, name, head, contact, phone, email) VALUES (?, ?, ?, ?, ?, ?)",
            (data.code, data.name, data.head, data.contact, data.phone, data.email),
        ).lastrowid
        assert agency_id is not None
        old = None
    else:
        agency_id = row[0]
        old = _row(conn, agency_id)
        if old["name"] != data.name:  # a renamed agency still answers to its old name (as `rename` does)
            data = replace(data, aliases=(*data.aliases, old["name"]))
        # an empty cell keeps what is stored: a file without these columns changes none of them
        conn.execute(
            "UPDATE agencies SET name = ?, head = coalesce(?, head), contact = coalesce(?, contact), "
            "phone = coalesce(?, phone), email = coalesce(?, email) WHERE id = ?",
            (data.name, data.head, data.contact, data.phone, data.email, agency_id),
        )
    conn.executemany(
        "INSERT OR IGNORE INTO agency_aliases (agency_id, alias) VALUES (?, ?)",
        [(agency_id, a) for a in data.aliases],
    )
    _index_names(conn, agency_id, data.code, [data.code, data.name, *data.aliases])
    new = _row(conn, agency_id)
    if new == old:
        return "unchanged"
    changelog.record(conn, "agencies", data.code, old, new)
    return "inserted" if old is None else "updated"


def add_agency(conn: sqlite3.Connection, data: AgencyData) -> AgencyRef:
    """Add a new agency; an existing code is refused (use rename to change one)."""
    with transaction(conn):
        existing = conn.execute(
            "SELECT id, code, name FROM agencies WHERE code = ? COLLATE NOCASE", (data.code.strip(),)
        ).fetchone()
        if existing:
            raise RuleViolation(
                _("agency code {code} is taken by {agency}; use `opd-desa agencies rename` to change it").format(
                    code=shown(data.code), agency=AgencyRef(*existing).label()
                )
            )
        upsert_agency(conn, data)
        return Resolver(conn).agency(data.code)


def rename_agency(conn: sqlite3.Connection, old: str, new_name: str, new_code: str | None = None) -> AgencyRef:
    """Give an agency a new name (and code); its old name and code stay as aliases."""
    with transaction(conn):
        agency = Resolver(conn).agency(old)
        if new_code is not None and not normalise(new_code):
            raise ArgumentError(
                _("{argument} is empty; give the new short code, or leave {argument} out to keep {code}"),
                "code",
                code=agency.code,
            )
        code = (new_code or agency.code).strip()
        if len(code) > MAX_CODE:
            raise InvalidValue(
                _("an agency code has at most {n} characters; '{code}' is longer").format(n=MAX_CODE, code=shown(code))
            )
        name = " ".join(new_name.split())
        if not normalise(name):
            raise InvalidValue(_("the new name is empty; give the agency's full new name"))
        clash = conn.execute(
            "SELECT id, code, name FROM agencies WHERE code = ? COLLATE NOCASE AND id != ?", (code, agency.id)
        ).fetchone()
        if clash:
            raise RuleViolation(
                _("agency code {code} is taken by {agency}").format(code=code, agency=AgencyRef(*clash).label())
            )
        before = _row(conn, agency.id)
        conn.execute("UPDATE agencies SET code = ?, name = ? WHERE id = ?", (code, name, agency.id))
        kept = [t for t in (agency.code, agency.name) if t not in (code, name)]
        conn.executemany(
            "INSERT OR IGNORE INTO agency_aliases (agency_id, alias) VALUES (?, ?)",
            [(agency.id, t) for t in kept],
        )
        _index_names(conn, agency.id, code, [code, name])
        changelog.record(conn, "agencies", code, before, _row(conn, agency.id))
        return AgencyRef(agency.id, code, name)


def list_agencies(conn: sqlite3.Connection, *, today: date) -> list[dict[str, Any]]:
    """Every agency with its aliases and the village it mentors `today`."""
    aliases: dict[int, list[str]] = {}
    for agency_id, alias in conn.execute("SELECT agency_id, alias FROM agency_aliases ORDER BY alias"):
        aliases.setdefault(agency_id, []).append(alias)
    rows = conn.execute(
        f"""
        SELECT a.id, a.code, a.name, a.head, a.contact, a.phone, a.email, p.village_code, v.name
        FROM agencies a
        LEFT JOIN pairings p ON p.agency_id = a.id AND {in_force()}
        LEFT JOIN villages v ON v.code = p.village_code
        ORDER BY a.code
        """,
        {"today": today.isoformat()},
    )
    return [
        {
            "code": code,
            "name": name,
            "aliases": aliases.get(agency_id, []),
            "village": village,
            "village_name": village_name,
            "head": head,
            "contact": contact,
            "phone": phone,
            "email": email,
        }
        for agency_id, code, name, head, contact, phone, email, village, village_name in rows
    ]
