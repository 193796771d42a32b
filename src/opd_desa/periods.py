"""Reporting periods: a year, a semester or a quarter (*triwulan*), named as DHIS2 names them.

The one place where period texts are read (`2023`, `2023-S1`, `Semester II 2023`, `TW III 2023`,
`Triwulan 3 2023`...) and written (`2023`, `2023S1`, `2023Q3`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from opd_desa.i18n import _
from opd_desa.names import shown
from opd_desa.parse import MAX_YEAR, MIN_YEAR, ParseError

PeriodKind = Literal["year", "semester", "quarter"]
KINDS: tuple[PeriodKind, ...] = ("year", "semester", "quarter")
_MONTHS: dict[PeriodKind, int] = {"year": 12, "semester": 6, "quarter": 3}
_LETTER: dict[PeriodKind, str] = {"year": "", "semester": "S", "quarter": "Q"}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

_NUMBER = r"(?P<number>[0-9]+|iv|i{1,3})"
_YEAR = r"(?P<year>[0-9]{4})"
_SEP = r"[\s./-]*"
_FORMS: tuple[tuple[PeriodKind, re.Pattern[str]], ...] = (
    ("year", re.compile(rf"(?:tahun\s*)?{_YEAR}")),
    ("semester", re.compile(rf"{_YEAR}{_SEP}s{_SEP}(?P<number>[0-9]+)")),
    ("quarter", re.compile(rf"{_YEAR}{_SEP}(?:q|tw){_SEP}(?P<number>[0-9]+)")),
    ("semester", re.compile(rf"(?:semester|smt|sem|s){_SEP}{_NUMBER}{_SEP}(?:tahun\s*)?{_YEAR}")),
    ("quarter", re.compile(rf"(?:triwulan|tw|kuartal|quarter|q){_SEP}{_NUMBER}{_SEP}(?:tahun\s*)?{_YEAR}")),
)


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: first and last day (both inclusive) and its kind."""

    start: date
    end: date
    kind: PeriodKind

    @classmethod
    def of(cls, kind: PeriodKind, year: int, number: int = 1) -> Period:
        """The `number`th period of `kind` in `year` (semester 1-2, quarter 1-4; a year is number 1)."""
        months = _MONTHS[kind]
        if not 1 <= number <= 12 // months:
            raise ValueError(f"there is no {kind} {number}")
        start = date(year, (number - 1) * months + 1, 1)
        return cls(start, _next_start(start, months) - timedelta(days=1), kind)

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def number(self) -> int:
        """1 for the first semester or quarter of the year (and for a year)."""
        return (self.start.month - 1) // _MONTHS[self.kind] + 1

    @property
    def name(self) -> str:
        """The DHIS2 name: `2023`, `2023S2`, `2023Q3`."""
        return f"{self.year}" if self.kind == "year" else f"{self.year}{_LETTER[self.kind]}{self.number}"

    def contains(self, day: date) -> bool:
        """Whether `day` lies in the period (first and last day included)."""
        return self.start <= day <= self.end

    def next(self) -> Period:
        """The period of the same kind that follows this one."""
        start = self.end + timedelta(days=1)
        return Period(start, _next_start(start, _MONTHS[self.kind]) - timedelta(days=1), self.kind)

    def __str__(self) -> str:
        return self.name


def _next_start(start: date, months: int) -> date:
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1)


def period_containing(day: date, kind: PeriodKind = "quarter") -> Period:
    """The period of `kind` that `day` falls in."""
    months = _MONTHS[kind]
    return Period.of(kind, day.year, (day.month - 1) // months + 1)


def last_ended(today: date, kind: PeriodKind = "quarter") -> Period:
    """The latest period of `kind` that ended before `today` (the default period of reporting)."""
    return period_containing(period_containing(today, kind).start - timedelta(days=1), kind)


def parse_period(text: str) -> Period:
    """A period written `2023`, `2023S1`, `2023-S1`, `Semester II 2023`, `2023Q3`, `2023-Q3`,
    `TW III 2023` or `Triwulan 3 2023` (any case)."""
    s = " ".join(text.split()).lower()
    for kind, pattern in _FORMS:
        match = pattern.fullmatch(s)
        if match is None:
            continue
        year = int(match["year"])
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ParseError(
                _("'{value}' is not a period: the year must be between 2000 and 2100").format(value=shown(text))
            )
        groups = match.groupdict()
        raw = groups.get("number")
        number = 1 if raw is None else _ROMAN.get(raw) or int(raw)
        if kind == "semester" and not 1 <= number <= 2:
            raise ParseError(
                _("'{value}' is not a period: a year has semesters 1 and 2 only").format(value=shown(text))
            )
        if kind == "quarter" and not 1 <= number <= 4:
            raise ParseError(
                _("'{value}' is not a period: a year has quarters (triwulan) 1 to 4 only").format(value=shown(text))
            )
        return Period.of(kind, year, number)
    if not s:
        raise ParseError(_("empty period: write it like 2023, 2023S2, Semester II 2023, 2023Q3 or TW III 2023"))
    raise ParseError(
        _(
            "'{value}' is not a period: write a year (2023), a semester (2023S2, 2023-S2, Semester II 2023) "
            "or a quarter (2023Q3, 2023-Q3, TW III 2023, Triwulan 3 2023)"
        ).format(value=shown(text))
    )
