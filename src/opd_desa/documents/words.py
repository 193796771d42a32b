"""Cells and page furniture written in the document's language (numbers, dates, yes/no, page N of M).

The PDF and HTML renderers write cells as text; this is their one home for how a rate, a change
in percentage points, a Rupiah amount or a date reads, so the two never disagree.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from opd_desa.documents.page import Cell, Kind
from opd_desa.i18n import N_, load_catalogue

PAGE_OF = N_("page {page} of {pages}")
YES = N_("yes")
NO = N_("no")
POINTS = N_("pp")
SOURCE = N_("Source: {source}")
SIGNED_AT = N_("{place}, {date}")
NIP = N_("NIP {nip}")

_MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
}


@cache
def _catalogue(lang: str) -> dict[str, str]:
    return load_catalogue(lang) if lang != "en" else {}


def say(message: str, lang: str) -> str:
    """`message` (marked with `N_` above) in the language `lang`, whatever language the messages are in now."""
    return _catalogue(lang).get(message, message)


def number(value: float, decimals: int, lang: str) -> str:
    """A number with thousands grouped, the Indonesian way (1.234,56) or the English way (1,234.56)."""
    text = f"{value:,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text.replace("-", "\u2212")


BLANK = "…………………"  # a dotted line where the office writes by hand what is not recorded yet
"""A date not known yet (a decree not yet signed), written as dots to fill in by hand."""


def date(value: dt.date | None, lang: str) -> str:
    """A date as officers write it: 13 Oktober 2021 (13 October 2021); None is a dotted blank."""
    if value is None:
        return BLANK
    months = _MONTHS.get(lang, _MONTHS["en"])
    return f"{value.day} {months[value.month - 1]} {value.year}"


def cell(value: Cell, kind: Kind, lang: str) -> str:
    """One table cell as text; an empty cell reads as a dash."""
    if value is None or value == "":
        return "\u2013"
    if kind == "bool" or isinstance(value, bool):
        return say(YES if value else NO, lang)
    if isinstance(value, dt.date):
        return date(value, lang)
    if isinstance(value, str):
        return value
    if kind == "int":
        return number(value, 0, lang)
    if kind == "money":
        return "Rp " + number(value, 0, lang)
    if kind == "percent":
        return number(value, 2, lang)
    if kind == "points":
        sign = "+" if value > 0 else ""
        return f"{sign}{number(value, 2, lang)} {say(POINTS, lang)}"
    if kind == "score":
        return number(value, 4, lang)
    if kind == "score_points":
        return ("+" if value > 0 else "") + number(value, 4, lang)
    return number(value, 2, lang) if isinstance(value, float) else str(value)


def is_numeric(kind: Kind) -> bool:
    """Whether a column's values line up on the right (numbers) rather than the left (text)."""
    return kind in ("int", "percent", "points", "score", "score_points", "money")


def page_of(page: int, pages: int | str, lang: str) -> str:
    """The page footer: "page 2 of 5" / "halaman 2 dari 5"."""
    return say(PAGE_OF, lang).format(page=page, pages=pages)
