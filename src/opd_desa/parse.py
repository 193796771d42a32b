"""Read the numbers and dates people type, the way Excel on Indonesian Windows writes them.

One small pure function per kind of value; CSV importers and command-line arguments both use them.
Every function strips surrounding whitespace and raises `ParseError` with a message for the user.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from opd_desa.i18n import _
from opd_desa.names import shown
from opd_desa.rules import MAX_COUNT
from opd_desa.rules import MAX_YEAR as MAX_YEAR  # re-exported: argument checks read the range here
from opd_desa.rules import MIN_YEAR as MIN_YEAR


class ParseError(ValueError):
    """A value a person typed that cannot be read; str(e) is a short message for the user,
    saying what was expected, e.g. "'6,6,6' is not a rate: write it like 6.6 or 6,6%"."""


_MAX_DIGITS = 18  # no real count, amount or id is longer, and 10**18 fits SQLite's 64-bit INTEGER

# Digits are always [0-9]: `\d` and str.isdigit() also accept other scripts' digits.
_RATE = re.compile(r"(-?)([0-9]+)(?:[.,]([0-9]+))?\s*%?")
_GROUPED = r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+|[1-9][0-9]{0,2}(?:,[0-9]{3})+"
_COUNT = re.compile(rf"[0-9]+|{_GROUPED}")
_DECIMAL = re.compile(r"-?[0-9]+[.,][0-9]+")
_MONEY = re.compile(
    r"(?P<minus>-?)\s*(?:rp\.?\s*)?(?P<minus2>-?)\s*"
    r"(?:(?P<whole>[0-9]+|[1-9][0-9]{0,2}(?:\.[0-9]{3})+)(?:,(?P<cents>[0-9]{1,2})|,-)?"
    r"|(?P<english>[1-9][0-9]{0,2}(?:,[0-9]{3})+))",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:\s+|T)([0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?))?"
)
# day first, with a four-digit year or a two-digit one (LibreOffice's Indonesian short date, 13/10/21)
_DAY_FIRST_DATE = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})")
_NAMED_DATE = re.compile(r"([0-9]{1,2})(?:\s+|-)([a-z]+)\.?(?:\s+|-)([0-9]{4})", re.IGNORECASE)

MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2,
    "maret": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12,
    # English, full and short (what an English-language Excel or LibreOffice writes)
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7,
    "august": 8, "aug": 8, "october": 10, "oct": 10, "december": 12, "dec": 12,
}  # fmt: skip
TWO_DIGIT_CENTURY = 2000  # `13/10/21` is 2021: years are 2000-2100, so a two-digit year is always 20YY


def _error(message: str, text: str, **values: object) -> ParseError:
    """A ParseError whose (already translated) message names the offending value."""
    return ParseError(message.format(value=shown(text), **values))


def _whole_number(digits: str, text: str) -> int:
    """int(digits), refusing more than 18 digits (a typing mistake, and too large to store)."""
    if len(digits.lstrip("0")) > _MAX_DIGITS:
        raise _error(_("'{value}' is too large to be right: check it for extra digits"), text)
    return int(digits)


def parse_rate(text: str) -> float:
    """A percentage between 0 and 100: `6.6`, `6,6`, `6,6%`, `6.6 %`, `12` -> 6.6, 6.6, 6.6, 6.6, 12.0."""
    s = text.strip()
    match = _RATE.fullmatch(s)
    if match is None:
        if not s:
            raise ParseError(_("empty rate: write it like 6.6 or 6,6%"))
        raise _error(_("'{value}' is not a rate: write it like 6.6 or 6,6%"), s)
    minus, whole, fraction = match.groups()
    value = float(f"{whole}.{fraction}") if fraction else float(whole)
    if minus or value > 100:
        raise _error(_("'{value}' is not a rate: it must be between 0 and 100"), s)
    return value


def parse_count(text: str) -> int:
    """A whole count of people or households: `1234`, `1.234`, `1,234` -> 1234; at most MAX_COUNT
    (10,000,000: a village of Indonesia has far fewer people), so an extra digit or two is caught."""
    s = text.strip()
    if s.isascii() and s.isdigit() and len(s) <= _MAX_DIGITS:  # the common case, and int(s) is exact
        return _plausible(int(s), s)
    if _COUNT.fullmatch(s):
        digits = s.replace(".", "").replace(",", "")
        return _plausible(int(digits) if len(s) <= _MAX_DIGITS else _whole_number(digits, s), s)
    if not s:
        raise ParseError(_("empty count: write a whole number like 1234 or 1.234"))
    if s.startswith("-") and _COUNT.fullmatch(s[1:].lstrip()):
        raise _error(_("'{value}' is not a count: it cannot be negative"), s)
    if _DECIMAL.fullmatch(s):
        raise _error(_("'{value}' looks like a decimal, but a count is a whole number like 1234 or 1.234"), s)
    raise _error(_("'{value}' is not a count: write a whole number like 1234 or 1.234"), s)


def _plausible(count: int, text: str) -> int:
    if count > MAX_COUNT:
        raise _error(
            _("'{value}' is more than {most} people or households, more than a village has: check it for extra digits"),
            text,
            most=f"{MAX_COUNT:,}",
        )
    return count


def parse_money(text: str) -> int:
    """Whole rupiah: `50.000.000`, `Rp 50.000.000`, `Rp50.000.000,00`, `50,000,000` -> 50000000;
    cents are rounded half up."""
    s = text.strip()
    if s.isascii() and s.isdigit() and len(s) <= _MAX_DIGITS:  # the common case, and int(s) is exact
        return int(s)
    match = _MONEY.fullmatch(s)
    if match is None:
        if not s:
            raise ParseError(_("empty amount: write it like Rp 50.000.000 or 50000000"))
        raise _error(_("'{value}' is not an amount of money: write it like Rp 50.000.000 or 50000000"), s)
    if match["minus"] or match["minus2"]:
        raise _error(_("'{value}' is not an amount of money: it cannot be negative"), s)
    if match["english"]:
        return _whole_number(match["english"].replace(",", ""), s)
    rupiah = _whole_number(match["whole"].replace(".", ""), s)
    cents = int(match["cents"].ljust(2, "0")) if match["cents"] else 0
    if cents and rupiah < 1000:  # `Rp 1,5` is more likely 1,5 juta than one and a half rupiah
        raise _error(_("'{value}' is ambiguous: write the full amount in rupiah, like Rp 1.500.000"), s)
    return rupiah + 1 if cents >= 50 else rupiah


def _make_date(text: str, year: int, month: int, day: int) -> date:
    """The date, or a ParseError saying which part is impossible."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _error(
            _("'{value}' is not a date: the year must be between {first} and {last}"),
            text,
            first=MIN_YEAR,
            last=MAX_YEAR,
        )
    try:
        return date(year, month, day)
    except ValueError:
        pass
    if not 1 <= month <= 12:
        raise _error(
            _("'{value}' is not a date: there is no month {month} (write the day first, like 13/10/2021)"),
            text,
            month=month,
        )
    raise _error(
        _("'{value}' is not a date: that day does not exist (month {month} of {year} has {days} days)"),
        text,
        month=month,
        year=year,
        days=calendar.monthrange(year, month)[1],
    )


def parse_date(text: str) -> date:
    """A date written `2021-10-13`, `13/10/2021`, `13-10-2021`, `13.10.2021`, `13/10/21` (2021), or
    `13 Oktober 2021` / `13 Okt 2021` / `13 Oct 2021` / `13 October 2021` (day always first); an ISO
    date with a midnight time, as Excel writes it, is accepted too. A two-digit year is 20YY."""
    s = text.strip()
    if match := _ISO_DATE.fullmatch(s):
        year, month, day, clock = match.groups()
        if clock and clock.strip("0:."):
            raise _error(_("'{value}' is not a date: it has a time of day; write only the date, like 2021-10-13"), s)
        return _make_date(s, int(year), int(month), int(day))
    if match := _DAY_FIRST_DATE.fullmatch(s):
        day, _separator, month, year = match.groups()
        full_year = int(year) + (TWO_DIGIT_CENTURY if len(year) == 2 else 0)
        return _make_date(s, full_year, int(month), int(day))
    if match := _NAMED_DATE.fullmatch(s):
        day, name, year = match.groups()
        month = MONTHS.get(name.lower())
        if month is None:
            raise _error(
                _("'{value}' is not a date: '{name}' is not a month; write it like 13 Oktober 2021"),
                s,
                name=name,
            )
        return _make_date(s, int(year), month, int(day))
    if not s:
        raise ParseError(_("empty date: write it like 13/10/2021, 2021-10-13 or 13 Oktober 2021"))
    raise _error(_("'{value}' is not a date: write it like 13/10/2021, 2021-10-13 or 13 Oktober 2021"), s)


def parse_year(text: str) -> int:
    """A year of four digits between MIN_YEAR and MAX_YEAR (2000 and 2100): `2021` -> 2021."""
    s = text.strip()
    if len(s) == 4 and s.isascii() and s.isdigit():
        year = int(s)
        if MIN_YEAR <= year <= MAX_YEAR:
            return year
        raise _error(
            _("'{value}' is not a year: it must be between {first} and {last}"), s, first=MIN_YEAR, last=MAX_YEAR
        )
    if not s:
        raise ParseError(_("empty year: write it like 2021"))
    raise _error(_("'{value}' is not a year: write four digits, like 2021"), s)


def parse_int_id(text: str) -> int:
    """A database id, a positive whole number: `12` -> 12."""
    s = text.strip()
    if s.isascii() and s.isdigit():
        number = int(s) if len(s) <= _MAX_DIGITS else _whole_number(s, s)
        if number > 0:
            return number
    if not s:
        raise ParseError(_("empty id: write a whole number like 12"))
    raise _error(_("'{value}' is not an id: write a positive whole number like 12"), s)


_NUMBER = re.compile(r"(-?)([0-9]+)(?:[.,]([0-9]+))?\s*%?")


def parse_decimal(text: str) -> float:
    """A measure's figure, a plain decimal with a dot or a decimal comma: `0,6523`, `12.5`, `-3`, `6,6%`."""
    s = text.strip()
    match = _NUMBER.fullmatch(s)
    if match is None:
        if not s:
            raise ParseError(_("empty number: write it like 0.65 or 0,65"))
        raise _error(_("'{value}' is not a number: write it like 0.65 or 0,65"), s)
    minus, whole, fraction = match.groups()
    value = float(f"{whole}.{fraction}") if fraction else float(whole)
    return -value if minus else value
