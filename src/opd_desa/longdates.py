"""Dates as documents and sentences write them: `13 Oktober 2021` (id), `13 October 2021` (en)."""

from __future__ import annotations

from datetime import date

from opd_desa.i18n import N_, _

MONTH_NAMES = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


def long_date(day: date) -> str:
    """The day, the month's name in the chosen language and the year (day first in both languages)."""
    return f"{day.day} {_(MONTH_NAMES[day.month - 1])} {day.year}"
