"""The brief's outlook: what needs attention (as `status` lists it), the map of the year when
boundaries are loaded, and the next steps `plan` proposes for the next decree.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from opd_desa.errors import UserError


@dataclass(frozen=True)
class Attention:
    """What needs the planning office's attention, as names people read."""

    above_target_unpaired: tuple[str, ...] = ()
    agencies_without_village: tuple[str, ...] = ()
    inactive_pairings: tuple[str, ...] = ()
    stale_villages: tuple[str, ...] = ()


@dataclass(frozen=True)
class MapPicture:
    """The map of the year's first measure, drawn for the brief (PNG bytes), with what it shows."""

    png: bytes
    title: str
    mentors_on: date
    villages: int
    without_figure: int


@dataclass(frozen=True)
class Graduating:
    """A current pairing the plan lets end: its village met the target in `years`."""

    agency: str
    village: str
    years: tuple[int, ...]


@dataclass(frozen=True)
class ProposedPair:
    """A proposed new pairing and its one-line reason."""

    agency: str
    village: str
    kecamatan: str
    why: str


@dataclass(frozen=True)
class NextSteps:
    """What `plan` proposes for the next decree: pairings that may graduate, new pairs and why."""

    graduate_after: int
    graduating: tuple[Graduating, ...]
    proposal: tuple[ProposedPair, ...]
    waiting: int
    """Villages above the target still without a mentor, before the proposal."""


def attention_lists(conn: sqlite3.Connection, today: date, kecamatan_code: str | None) -> Attention:
    """The `status` attention lists, as names, kept to the kecamatan asked for."""
    from opd_desa.services.status import database_status

    lists = database_status(conn, Path(), today=today).attention
    prefix = f"{kecamatan_code}." if kecamatan_code else ""

    def names(key: str, describe: str = "{name}") -> tuple[str, ...]:
        return tuple(describe.format(**item) for item in lists[key] if item["code"].startswith(prefix))

    return Attention(
        above_target_unpaired=names("above_target_unpaired"),
        agencies_without_village=() if kecamatan_code else names("agencies_without_village", "{code}"),
        inactive_pairings=names("inactive_pairings", "{name} ({agency})"),
        stale_villages=names("stale_villages", "{name} ({latest})"),
    )


def map_picture(conn: sqlite3.Connection, today: date, year: int, kecamatan: str | None) -> MapPicture | None:
    """The poverty map of the year with the mentors of the year, as PNG bytes (drawn once, for every format)."""
    import tempfile

    from opd_desa.services.maps import draw_village_map

    with tempfile.TemporaryDirectory(prefix="opd-desa-brief-") as folder:
        path = Path(folder) / "map.png"
        drawn = draw_village_map(conn, path, today=today, year=year, kecamatan=(kecamatan,) if kecamatan else ())
        if not drawn.villages:
            return None
        return MapPicture(path.read_bytes(), drawn.label, drawn.mentors_on, drawn.villages, drawn.without_figure)


def next_steps(conn: sqlite3.Connection, year: int) -> NextSteps | None:
    """The proposal `plan` makes for the decree after `year` (None where it cannot make one)."""
    from opd_desa.services.plan import build_plan

    try:
        plan = build_plan(conn, year=year).plan
    except UserError:
        return None
    return NextSteps(
        plan.graduate_after,
        tuple(Graduating(g.pairing.agency.code, g.pairing.village.name, tuple(g.years)) for g in plan.graduating),
        tuple(ProposedPair(p.agency.code, p.village.name, p.village.kecamatan, p.why) for p in plan.proposal),
        len(plan.candidates),
    )
