"""The activity reporting form: one workbook per agency and period, sent out, filled in, imported back.
This module says what a form holds; `forms_writing` builds the workbook, `forms_reading` checks it back.

Built against what breaks such templates elsewhere: the list of kinds lives on a hidden sheet behind
a defined name (inline lists over 255 characters break); drop-down arrows stay visible (openpyxl's
`showDropDown=True` *hides* them); the entry range is unlocked cell by cell (a protected sheet locks
blank cells too); sheet names carry no agency names (31 characters); agency, village, period and the
template version ride on a very hidden `_meta` sheet that `forms_reading` checks on import, because
validations in a workbook are advice, never a guarantee (pasting bypasses them).

The activities sheet is the first sheet and its first row is the import's header, so a returned form
is also an ordinary activities file. The sheet is protected without a password: the protection
guards against slips, the import guards the data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from opd_desa.periods import Period

if TYPE_CHECKING:
    pass

TEMPLATE_VERSION = 1
"""Raise when the layout of `_meta` or of the activities sheet changes; `forms_reading` checks it."""

FORM_MARKER = "opd-desa activity report"
META_SHEET = "_meta"
LISTS_SHEET = "_lists"
KINDS_NAME = "KINDS"
ENTRY_ROWS = 200
"""Rows ready for entry below the header (more when more activities are already recorded)."""

DEFAULT_KINDS = ("pelatihan", "bantuan", "infrastruktur", "pendampingan", "sosialisasi", "lainnya")

COLUMNS = (
    "village",
    "agency",
    "date",
    "kind",
    "title",
    "budget",
    "spent",
    "households",
    "beneficiaries",
    "source",
    "note",
)
"""The activities import's columns (imports.formats.FIELDS["activities"]), in the form's order."""
LOCKED = ("village", "agency")
MONEY = ("budget", "spent")
COUNTS = ("households", "beneficiaries")

HEADERS: dict[str, dict[str, str]] = {
    "en": {name: name for name in COLUMNS},
    "id": {
        "village": "desa",
        "agency": "opd",
        "date": "tanggal",
        "kind": "jenis",
        "title": "kegiatan",
        "budget": "anggaran",
        "spent": "realisasi",
        "households": "jumlah_kk",
        "beneficiaries": "penerima_manfaat",
        "source": "sumber_dana",
        "note": "keterangan",
    },
}
"""Header texts per language: the canonical names, or Indonesian aliases the import accepts."""


@dataclass(frozen=True)
class FormActivity:
    """An activity already recorded for the period, filled into the form so it re-imports cleanly."""

    date: date
    kind: str
    title: str
    budget: int | None = None
    spent: int | None = None
    households: int | None = None
    beneficiaries: int | None = None
    source: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class ReportingForm:
    """Everything one agency's form says, as plain values."""

    agency_code: str
    agency_name: str
    village_code: str
    village_name: str
    kecamatan: str
    period: Period
    secretariat: str
    """Who to send the form back to, as people should read it (name, phone, e-mail)."""
    kinds: Sequence[str] = DEFAULT_KINDS
    activities: Sequence[FormActivity] = ()
    language: str | None = None
    """`en` or `id`; None: the language chosen for messages."""
    due: date | None = None
    template_version: int = TEMPLATE_VERSION


def form_file_name(agency_code: str, period: Period) -> str:
    """`<AGENCY>-<period>.xlsx`, e.g. `DINKES-2023S2.xlsx` (characters unsafe in file names replaced)."""
    return f"{re.sub(r'[^A-Za-z0-9_.-]', '_', agency_code)}-{period.name}.xlsx"


def headers(language: str) -> dict[str, str]:
    """Field name -> header text of the activities sheet in `language`."""
    return HEADERS.get(language, HEADERS["en"])
