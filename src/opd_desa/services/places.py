"""A PLACE people type for a figure: a village as always, or a region for its official figure.

A region is given by its code (`33.20`, `33.20.16`) or by its name with the prefix that says it is
a region (`Kabupaten Jepara`, `Kota Semarang`, `Kecamatan Donorojo`, `Provinsi Jawa Tengah`), so
that a village named like its kecamatan stays a village.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from opd_desa.errors import NotFound
from opd_desa.i18n import _
from opd_desa.names import normalise, shown
from opd_desa.resolve import Resolver, find_kecamatan

_REGION_CODE = re.compile(r"^([0-9]{2})(?:\.?([0-9]{2}))?(?:\.?([0-9]{2}))?$")
_PREFIXES: tuple[tuple[re.Pattern[str], int, str], ...] = (
    (re.compile(r"^(kecamatan|kec\.?)\s+", re.IGNORECASE), 3, ""),
    (re.compile(r"^(kabupaten|kab\.?)\s+", re.IGNORECASE), 2, "Kabupaten "),
    (re.compile(r"^kota\s+", re.IGNORECASE), 2, "Kota "),
    (re.compile(r"^(provinsi|prov\.?)\s+", re.IGNORECASE), 1, ""),
)


@dataclass(frozen=True)
class Place:
    """A village (level 4) or a region (levels 1-3) by its code, with the words that name it."""

    code: str
    label: str
    is_region: bool


def find_place(conn: sqlite3.Connection, text: str) -> Place:
    """The village or region `text` names; a region needs its code or its prefixed name."""
    stripped = text.strip()
    code_match = _REGION_CODE.match(stripped)
    if code_match:
        code = ".".join(part for part in code_match.groups() if part)
        return _region(conn, "code = ?", (code,), stripped)
    for prefix, level, kept in _PREFIXES:
        if prefix.match(stripped):
            rest = prefix.sub("", stripped, count=1)
            if level == 3:
                code, name = find_kecamatan(conn, rest)
                return Place(code, _("Kecamatan {name}").format(name=name), True)
            key = normalise(kept + rest)
            for row_code, row_name in conn.execute("SELECT code, name FROM regions WHERE level = ?", (level,)):
                if normalise(row_name) == key:
                    return Place(row_code, f"{row_name} ({row_code})", True)
            return _region(conn, "0", (), stripped)
    ref = Resolver(conn).village(stripped)
    return Place(ref.code, ref.label(), False)


def _region(conn: sqlite3.Connection, where: str, params: tuple[str, ...], text: str) -> Place:
    row = conn.execute(f"SELECT code, name FROM regions WHERE level < 4 AND {where}", params).fetchone()
    if row is None:
        raise NotFound(
            _(
                "no region '{text}' in the database: give a loaded region by code (33.20) or by name with its "
                "prefix (Kabupaten Jepara, Kecamatan Donorojo)"
            ).format(text=shown(text))
        )
    code, name = row
    label = _("Kecamatan {name}").format(name=name) if code.count(".") == 2 else name
    return Place(code, f"{label} ({code})", True)


def home_region(conn: sqlite3.Connection, kecamatan_code: str | None = None) -> str | None:
    """The one region that holds exactly the villages in scope: the kecamatan asked for, else the
    kabupaten (or province) all loaded villages share; None when they span several."""
    if kecamatan_code:
        return kecamatan_code
    row = conn.execute("SELECT min(kecamatan_code), max(kecamatan_code) FROM villages").fetchone()
    if row is None or row[0] is None:
        return None
    first, last = row
    for length in (8, 5, 2):  # kecamatan 33.20.16, kabupaten 33.20, province 33
        if first[:length] == last[:length]:
            return str(first[:length])
    return None
