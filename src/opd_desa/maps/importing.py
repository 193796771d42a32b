"""`import boundaries`: read a boundary file, match its features to villages, simplify and store them.

All or nothing: a feature whose shape cannot be a village stops the import with its number and
names, before anything is written.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opd_desa.db import transaction
from opd_desa.errors import InvalidValue
from opd_desa.i18n import _
from opd_desa.maps import geometry, schema
from opd_desa.maps.matching import (
    SAMPLE,
    Matcher,
    Unmatched,
    VillageRecord,
    check_code_field,
    check_name_fields,
    describe,
    find_code_field,
)
from opd_desa.maps.reading import Feature, read_features
from opd_desa.names import kecamatan_key

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry


@dataclass
class BoundarySummary:
    """What `import boundaries` did: counts for the summary line, unmatched features named."""

    source: str
    features: int = 0
    code_field: str | None = None
    matched: int = 0
    skipped: int = 0
    repaired: int = 0
    unmatched: list[Unmatched] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The summary as `--format json` prints it."""
        return {
            "file": self.source,
            "features": self.features,
            "code_field": self.code_field,
            "matched": self.matched,
            "skipped": self.skipped,
            "repaired": self.repaired,
            "unmatched": [{"feature": u.number, "names": u.names, "reason": u.reason} for u in self.unmatched],
            "without_boundary": self.missing,
            "dry_run": self.dry_run,
        }


def village_records(conn: sqlite3.Connection) -> list[VillageRecord]:
    """Every village of the database with the names matching compares."""
    rows = conn.execute(
        "SELECT v.code, v.name, v.name_key, r.name FROM villages v JOIN regions r ON r.code = v.kecamatan_code"
    )
    return [VillageRecord(code, name, key, kec, kecamatan_key(kec), code[:5]) for code, name, key, kec in rows]


def import_boundaries(
    conn: sqlite3.Connection,
    path: Path,
    simplify_m: float = geometry.DEFAULT_SIMPLIFY_METRES,
    code_field: str | None = None,
    progress: Callable[[int], None] | None = None,
    dry_run: bool = False,
) -> BoundarySummary:
    """Read `path`, match, simplify by `simplify_m` metres and store (unless `dry_run`); a re-import
    replaces the boundaries of the villages it holds. `progress` is told the number of features read."""
    if simplify_m < 0:
        raise InvalidValue(_("--simplify must be 0 or more metres, not {value}").format(value=simplify_m))
    features = read_features(path)
    sample = list(itertools.islice(features, SAMPLE))
    if not sample:
        raise InvalidValue(_("{path} holds no features").format(path=path))
    villages = {v.code: v for v in village_records(conn)}
    properties = [f.properties for f in sample]
    field_name = check_code_field(code_field, properties) if code_field else find_code_field(properties, villages)
    if field_name is None:
        check_name_fields(properties)
    matcher = Matcher(villages.values(), field_name)
    summary = BoundarySummary(source=path.name, code_field=field_name, dry_run=dry_run)
    shapes: dict[str, list[BaseGeometry]] = {}
    for feature in itertools.chain(sample, features):
        summary.features += 1
        code = matcher.match(feature.number, feature.properties)
        if code is not None:
            shape, repaired = _shape(feature, path, simplify_m)
            summary.repaired += repaired
            shapes.setdefault(code, []).append(shape)  # only the simplified shape is kept
        if progress and summary.features % 1000 == 0:
            progress(summary.features)
    matching = matcher.finish()
    summary.matched, summary.skipped = len(matching.matched), matching.skipped
    summary.unmatched, summary.missing = matching.unmatched, matching.missing
    texts = [
        (code, geometry.to_text(parts[0] if len(parts) == 1 else geometry.merge(parts)))
        for code, parts in shapes.items()
    ]
    if dry_run:
        return summary
    with transaction(conn):
        schema.store(conn, texts, path.name, datetime.now(UTC).isoformat(timespec="seconds"))
    return summary


def _shape(feature: Feature, path: Path, simplify_m: float) -> tuple[BaseGeometry, bool]:
    """The feature's shape and whether it was repaired; refused with the feature named."""
    try:
        return geometry.village_shape(feature.geometry, simplify_m)
    except InvalidValue as e:
        raise InvalidValue(
            _("{path}: feature {n} ({names}) cannot be stored: {reason}").format(
                path=path, n=feature.number, names=describe(feature.properties), reason=e
            )
        ) from e
