"""A column a file kind understands (kept apart from the CSV reader so commands load without it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """A column the caller understands: its canonical name and the other header texts that mean it."""

    name: str
    aliases: tuple[str, ...] = ()
