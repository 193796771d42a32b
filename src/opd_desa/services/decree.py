"""What the Bupati's decree documents read from the database: the office's settings and the annex.

The decree number and date and the signatory come from `settings` (services/settings.py); a setting
not given leaves the annex a dotted blank to fill in by hand.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from opd_desa.documents.annex import Annex, AnnexLine, Signatory
from opd_desa.documents.words import BLANK
from opd_desa.errors import InvalidValue
from opd_desa.i18n import _
from opd_desa.rules import in_force

_REGION_PREFIXES = ("kabupaten ", "kab. ", "kota ")


def region_name(conn: sqlite3.Connection) -> str:
    """The kabupaten's own name (`Jepara` for "Kabupaten Jepara"), as a decree's title writes it."""
    row = conn.execute("SELECT name FROM regions WHERE level = 2 ORDER BY code LIMIT 1").fetchone()
    name = str(row[0]) if row else ""
    for prefix in _REGION_PREFIXES:
        if name.lower().startswith(prefix):
            return name[len(prefix) :].strip()
    return name or BLANK


def build_annex(conn: sqlite3.Connection, as_of: date) -> Annex:
    """The annex for the pairings in force on `as_of`, by agency name; title and signatory from settings."""
    rows = conn.execute(
        f"""SELECT a.name, v.name, k.name FROM pairings p
            JOIN agencies a ON a.id = p.agency_id
            JOIN villages v ON v.code = p.village_code
            JOIN regions k ON k.code = v.kecamatan_code
            WHERE {in_force("p", ":day")} ORDER BY a.name, v.name""",
        {"day": as_of.isoformat()},
    )
    lines = tuple(AnnexLine(agency, village, kecamatan) for agency, village, kecamatan in rows)
    if not lines:
        raise InvalidValue(
            _("--as-of {day}: no pairings in force that day, so there is no annex to write").format(
                day=as_of.isoformat()
            )
        )
    from opd_desa.services.settings import office

    region = region_name(conn)
    known = office(conn)
    return Annex(
        region=region,
        lines=lines,
        number=known.decree_number or None,
        day=_decree_date(known.decree_date or None),
        signatory=Signatory(
            title=known.signatory_title or _("Regent of {region}").format(region=region),
            name=known.signatory_name or BLANK,
            nip=known.signatory_nip or None,
        ),
    )


def _decree_date(text: str | None) -> date | None:
    if text is None:
        return None
    from opd_desa.parse import ParseError, parse_date

    try:
        day: date = parse_date(text)
    except ParseError as e:
        raise InvalidValue(_("settings decree.date: {error}; correct the stored setting").format(error=e)) from e
    return day


ANNEX_SUFFIXES = (".docx", ".pdf", ".xlsx")
"""The annex files `pairings --output` writes: Word to edit, PDF to print, a workbook to check."""


def write_annex_file(conn: sqlite3.Connection, as_of: date, path: Path) -> Annex:
    """Write the annex for `as_of` to `path` (.docx, .pdf or .xlsx) and return what it says."""
    suffix = path.suffix.lower()
    if suffix not in ANNEX_SUFFIXES:
        raise InvalidValue(
            _("--output: {path} must end in .docx, .pdf or .xlsx (the annex of the decree)").format(path=path)
        )
    if not path.parent.exists():
        raise InvalidValue(_("--output: folder {folder} does not exist").format(folder=path.parent))
    annex = build_annex(conn, as_of)
    if suffix == ".docx":
        from opd_desa.documents.annex import write_annex_docx

        write_annex_docx(annex, path)
        return annex
    from opd_desa.documents.annex import annex_document
    from opd_desa.i18n import language

    document = annex_document(annex, language())
    try:
        if suffix == ".pdf":
            from opd_desa.documents.pdf import write_pdf

            write_pdf(document, path)
        else:
            from opd_desa.documents.workbook import write_xlsx

            write_xlsx(document, path)
    except OSError as e:
        raise InvalidValue(_("--output: cannot write {path} ({error})").format(path=path, error=e.strerror or e)) from e
    return annex
