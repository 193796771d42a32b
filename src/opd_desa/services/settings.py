"""`settings`: what documents print about the office (name, address, logo, signatory, decree).

Kept in the database, so that the brief printed from a copied or restored file names the same
office and signatory. The logo is stored as the file's bytes; its value is the file's name.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from opd_desa import changelog
from opd_desa.db import transaction
from opd_desa.errors import InvalidValue
from opd_desa.i18n import _

KEYS = (
    "org.name",
    "org.address",
    "org.logo",
    "signatory.name",
    "signatory.title",
    "signatory.nip",
    "decree.number",
    "decree.date",
)
LOGO = "org.logo"
_PICTURE_STARTS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG
MAX_LOGO_BYTES = 2_000_000


@dataclass(frozen=True)
class Setting:
    """One key and what it holds (None when not set); `stored` is the logo's size in bytes."""

    key: str
    value: str | None
    stored: int = 0


@dataclass(frozen=True)
class Office:
    """Everything a document prints about the office, the empty string where nothing is set."""

    name: str = ""
    address: str = ""
    logo: bytes | None = None
    signatory_name: str = ""
    signatory_title: str = ""
    signatory_nip: str = ""
    decree_number: str = ""
    decree_date: str = ""


def list_settings(conn: sqlite3.Connection) -> list[Setting]:
    """Every key, in the order the SPEC lists them, set or not."""
    found = {
        r[0]: (r[1], len(r[2]) if r[2] is not None else 0)
        for r in conn.execute("SELECT key, value, blob FROM settings")
    }
    return [Setting(key, *found.get(key, (None, 0))) for key in KEYS]


def set_setting(conn: sqlite3.Connection, key: str, value: str) -> Setting:
    """Store `value` under `key`; `org.logo` reads the PNG or JPEG file `value` names, `decree.date` a date."""
    key = _checked_key(key)
    blob: bytes | None = None
    if key == LOGO:
        blob = _logo(Path(value))
        value = Path(value).name
    elif key == "decree.date":
        from opd_desa import parse

        try:
            value = parse.parse_date(value).isoformat()
        except parse.ParseError as e:
            raise InvalidValue(_("decree.date: {error}").format(error=e)) from e
    else:
        value = value.strip()
    with transaction(conn):
        old = _row(conn, key)
        conn.execute("INSERT OR REPLACE INTO settings (key, value, blob) VALUES (?, ?, ?)", (key, value, blob))
        changelog.record(conn, "settings", key, old, {"key": key, "value": value})
    return Setting(key, value, len(blob) if blob else 0)


def unset_setting(conn: sqlite3.Connection, key: str) -> bool:
    """Forget `key`; False when it was not set."""
    key = _checked_key(key)
    with transaction(conn):
        old = _row(conn, key)
        if old is None:
            return False
        conn.execute("DELETE FROM settings WHERE key = ?", (key,))
        changelog.record(conn, "settings", key, old, None)
    return True


def office(conn: sqlite3.Connection) -> Office:
    """What the documents print about the office, as one value."""
    rows = {r[0]: (r[1] or "", r[2]) for r in conn.execute("SELECT key, value, blob FROM settings")}

    def text(key: str) -> str:
        return rows.get(key, ("", None))[0]

    return Office(
        name=text("org.name"),
        address=text("org.address"),
        logo=rows.get(LOGO, ("", None))[1],
        signatory_name=text("signatory.name"),
        signatory_title=text("signatory.title"),
        signatory_nip=text("signatory.nip"),
        decree_number=text("decree.number"),
        decree_date=text("decree.date"),
    )


def _checked_key(key: str) -> str:
    cleaned = key.strip().lower()
    if cleaned not in KEYS:
        raise InvalidValue(_("unknown setting '{key}'; the settings are {keys}").format(key=key, keys=", ".join(KEYS)))
    return cleaned


def _logo(path: Path) -> bytes:
    """The logo file's bytes, when it is a PNG or JPEG picture of a sensible size."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InvalidValue(
            _("org.logo: cannot read {path} ({error}); give the path of a PNG or JPEG file").format(
                path=path, error=e.strerror or e
            )
        ) from e
    if not data.startswith(_PICTURE_STARTS):
        raise InvalidValue(
            _("org.logo: {path} is not a PNG or JPEG picture; save the logo as .png or .jpg").format(path=path)
        )
    if len(data) > MAX_LOGO_BYTES:
        raise InvalidValue(
            _("org.logo: {path} is larger than 2 MB; save a smaller picture of the logo").format(path=path)
        )
    return data


def _row(conn: sqlite3.Connection, key: str) -> dict[str, str | None] | None:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return None if row is None else {"key": key, "value": row[0]}
