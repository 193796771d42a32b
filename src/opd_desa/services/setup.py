"""Create or upgrade a database and load official regions into it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from opd_desa import changelog, regions
from opd_desa.changelog import Actor
from opd_desa.db import Connection, open_database, transaction
from opd_desa.errors import DatabaseError
from opd_desa.i18n import _
from opd_desa.migrations import village_name_letters
from opd_desa.names import village_key


@dataclass
class RegionLoad:
    """What `init` did for one `--region`."""

    region: str
    villages_added: int
    kecamatan: int
    villages_by_kind: dict[str, int]

    @property
    def villages(self) -> int:
        return sum(self.villages_by_kind.values())


@dataclass
class InitResult:
    """What `init` did: the file, whether it is new, and one load per region."""

    path: Path
    created: bool
    loads: list[RegionLoad] = field(default_factory=list)


def init_database(
    path: Path,
    region_queries: list[str],
    *,
    required_region: str | None = None,
    actor: Actor | None = None,
) -> tuple[Connection, InitResult]:
    """Create or upgrade the database at `path` and load the named regions (all of them or none);
    `required_region` (a code) is loaded too unless a named region holds it."""
    targets = [
        None if q.strip().lower() == regions.ALL else regions.find_region(q) for q in region_queries
    ]  # resolve every name before touching the file, so a typo leaves nothing behind
    if required_region and not any(t is None or f"{required_region}.".startswith(f"{t.code}.") for t in targets):
        region_queries = [*region_queries, required_region]
        targets.append(regions.find_region(required_region))
    created = not path.exists()
    conn = open_database(path, create=True, actor=actor)
    if not created:
        _refuse_unsound(conn, path)
    result = InitResult(path, created)
    with transaction(conn):
        for query, target in zip(region_queries, targets, strict=True):
            result.loads.append(load_region(conn, target, query))
    return conn, result


def _refuse_unsound(conn: sqlite3.Connection, path: Path) -> None:
    """`init` over an existing file never says "ready" when a table, index or trigger is missing."""
    from opd_desa.services.check import schema_is_whole

    if not schema_is_whole(conn):
        conn.close()
        raise DatabaseError(
            _(
                "{path} is not as opd-desa wrote it (part of its structure is missing or damaged); "
                "run `opd-desa check` to see what is wrong"
            ).format(path=path)
        )


# a region with more kecamatan than this (most provinces, and the country) loads its villages without
# the index of name letters, which is built once afterwards (on a database that has them all already,
# rebuilding it is 0.3 s)
_MANY_KECAMATAN = 100


def load_region(conn: sqlite3.Connection, region: regions.Region | None, label: str) -> RegionLoad:
    """Insert the region's kecamatan and villages that are missing; never change or delete rows. (In one
    transaction, the caller's if there is one: the index of name letters is dropped and built again.)"""
    with transaction(conn):
        return _load_region(conn, region, label)


def _load_region(conn: sqlite3.Connection, region: regions.Region | None, label: str) -> RegionLoad:
    within = regions.regions_within(region)
    conn.executemany(
        "INSERT OR IGNORE INTO regions (code, name, level, parent_code) VALUES (?, ?, ?, ?)",
        [(r.code, r.name, r.level, r.parent_code) for r in within],
    )
    kecamatan = [r for r in within if r.level == 3]
    before = conn.total_changes
    many = len(kecamatan) > _MANY_KECAMATAN
    if many:  # the index of name letters is built once afterwards (see migrations.village_name_letters)
        conn.execute("DROP INDEX IF EXISTS villages_name_letters")
    conn.executemany(
        "INSERT OR IGNORE INTO villages (code, name, name_key, kecamatan_code, kind, postal_code) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            (v.code, v.name, village_key(v.name), v.kecamatan_code, v.kind, v.postal_code)
            for v in regions.villages_in(kecamatan)
        ),
    )
    if many:
        village_name_letters(conn)
    added = conn.total_changes - before
    name = regions.describe(region) if region else "Indonesia"
    if added:
        changelog.record(conn, "villages", label, None, {"region": name, "villages_added": added})
    prefix = f"{region.code}." if region else ""
    by_kind = dict(
        conn.execute(
            "SELECT kind, count(*) FROM villages WHERE code >= ? AND code < ? GROUP BY kind ORDER BY kind",
            (prefix, prefix + "\uffff"),
        ).fetchall()
    )
    return RegionLoad(name, added, len(kecamatan), by_kind)
