"""Create or upgrade a database and load official regions into it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from opd_desa import changelog, regions
from opd_desa.db import open_database, transaction
from opd_desa.names import village_key

if TYPE_CHECKING:
    from opd_desa.imports.rows import ImportSummary

EXAMPLE_REGION = "33.20"  # Kabupaten Jepara, the region of the example data


@dataclass
class RegionLoad:
    """What `init` did for one `--region`."""

    region: str
    villages_added: int
    kecamatan_added: int
    kecamatan: int
    villages_by_kind: dict[str, int]

    @property
    def villages(self) -> int:
        return sum(self.villages_by_kind.values())


@dataclass
class InitResult:
    path: Path
    created: bool
    loads: list[RegionLoad] = field(default_factory=list)
    example: list[ImportSummary] = field(default_factory=list)


def init_database(
    path: Path, region_queries: list[str], *, example: bool = False
) -> tuple[sqlite3.Connection, InitResult]:
    """Create or upgrade the database at `path` and load the named regions (all of them or none);
    with `example`, also Kabupaten Jepara (unless a named region holds it) and the example data."""
    targets = [
        None if q.strip().lower() == regions.ALL else regions.find_region(q) for q in region_queries
    ]  # resolve every name before touching the file, so a typo leaves nothing behind
    covered = any(t is None or f"{EXAMPLE_REGION}.".startswith(f"{t.code}.") for t in targets)
    if example and not covered:
        region_queries = [*region_queries, EXAMPLE_REGION]
        targets.append(regions.find_region(EXAMPLE_REGION))
    created = not path.exists()
    conn = open_database(path, create=True)
    result = InitResult(path, created)
    with transaction(conn):
        for query, target in zip(region_queries, targets, strict=True):
            result.loads.append(load_region(conn, target, query))
    if example:
        from opd_desa.services.example import load_example

        result.example = load_example(conn)
    return conn, result


def load_region(conn: sqlite3.Connection, region: regions.Region | None, label: str) -> RegionLoad:
    """Insert the region's kecamatan and villages that are missing; never change or delete rows."""
    within = regions.regions_within(region)
    known = {row[0] for row in conn.execute("SELECT code FROM regions WHERE level = 3")}
    conn.executemany(
        "INSERT OR IGNORE INTO regions (code, name, level, parent_code) VALUES (?, ?, ?, ?)",
        [(r.code, r.name, r.level, r.parent_code) for r in within],
    )
    kecamatan = [r for r in within if r.level == 3]
    before = conn.total_changes
    conn.executemany(
        "INSERT OR IGNORE INTO villages (code, name, name_key, kecamatan_code, kind, postal_code) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            (v.code, v.name, village_key(v.name), v.kecamatan_code, v.kind, v.postal_code)
            for v in regions.villages_in(kecamatan)
        ),
    )
    added = conn.total_changes - before
    new_kecamatan = sum(1 for k in kecamatan if k.code not in known)
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
    return RegionLoad(name, added, new_kecamatan, len(kecamatan), by_kind)
