"""What "today" is, in one place (pairings default to it, "current" is measured against it)."""

from __future__ import annotations

from datetime import date


def today() -> date:
    return date.today()


def today_iso() -> str:
    return today().isoformat()
