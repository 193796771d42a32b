"""The programme's shared rules: constants and SQL fragments that several services ask about.

One home for each, so that no service imports another only for a constant (that is how import
circles appear) and a rule changes in one place: who mentors whom on a day, the open end of a
pairing, the years a figure may have, how closely a rate must agree with its counts, and when a
pairing counts as idle.
"""

from __future__ import annotations

FOREVER = "9999-12-31"
"""The end of an open pairing, where SQL needs a date (`coalesce(until, FOREVER)`)."""

MIN_YEAR = 2000
MAX_YEAR = 2100
"""Years a figure, target or date may have; anything else is a typing mistake."""

MAX_COUNT = 10_000_000
"""The most people (or households) a count may give: a village of Indonesia has far fewer."""

AGREEMENT = 0.1
"""Percentage points within which a given rate must match poor / population * 100."""

IDLE_DAYS = 90
"""A current pairing with no activity in this many days needs the planning office's attention."""


def in_force(alias: str = "p", day: str = ":today") -> str:
    """SQL: the pairing `alias` covers `day` (`since <= day < until`; an open pairing has no until).

    The one home of that rule for every query that asks who mentors whom on a day; `day` is a
    bound parameter (`:today`) or a column, never a value pasted in."""
    return f"{alias}.since <= {day} AND ({alias}.until IS NULL OR {alias}.until > {day})"


def overlaps(alias: str, since: str, until: str) -> str:
    """SQL: the pairing `alias` shares a day with the period `since`..`until` (until may be NULL: open)."""
    return f"{alias}.since < coalesce({until}, '{FOREVER}') AND {since} < coalesce({alias}.until, '{FOREVER}')"
