"""Village shapes: checked and repaired, simplified in metres, stored as compact GeoJSON text.

Decision on broken geometry: a self-intersecting or otherwise invalid polygon is repaired with
shapely's `make_valid` (its polygonal parts kept; GIS exports often carry tiny bow-ties along
shared borders), while a ring of fewer than 3 distinct points, a point or a line cannot be a
village and is refused with the feature named.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

METRES_PER_DEGREE = 111_320.0  # of latitude; of longitude too at the equator (Jepara: 0.6 % less)
DEFAULT_SIMPLIFY_METRES = 10.0
DECIMALS = 6  # ~0.1 m: finer than any village boundary is surveyed


def polygonal(geometry: Mapping[str, Any] | None) -> tuple[BaseGeometry, bool]:
    """A (Multi)Polygon from a GeoJSON-like geometry, and whether it had to be repaired (invalid
    shapes are repaired, unusable ones refused)."""
    from shapely.geometry import MultiPolygon, Polygon, shape
    from shapely.validation import make_valid

    if not geometry or "type" not in geometry:
        raise InvalidValue(_("it has no geometry"))
    kind = geometry["type"]
    if kind not in ("Polygon", "MultiPolygon"):
        raise InvalidValue(_("it is a {kind}, not a polygon; a village boundary must be an area").format(kind=kind))
    try:
        polygons = geometry["coordinates"] if kind == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            for ring in polygon:
                distinct = len({(float(p[0]), float(p[1])) for p in ring})
                if distinct < 3:
                    raise InvalidValue(
                        _(
                            "a ring has {n} distinct points, fewer than 3; fix it in QGIS (Vector > Geometry Tools)"
                        ).format(n=distinct)
                    )
        result = shape(dict(geometry))
    except (ValueError, TypeError, IndexError) as e:
        raise InvalidValue(_("its coordinates cannot be read ({error})").format(error=e)) from e
    repaired = not result.is_valid
    if repaired:
        result = _polygonal_part(make_valid(result))
    if result.is_empty or not isinstance(result, Polygon | MultiPolygon):
        raise InvalidValue(_("it has no area left once its self-intersections are removed"))
    return result, repaired


def _polygonal_part(geometry: BaseGeometry) -> BaseGeometry:
    """The polygons of what `make_valid` returns (it may add lines and points where rings touched)."""
    from shapely.geometry import GeometryCollection, MultiPolygon, Polygon

    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry
    if isinstance(geometry, GeometryCollection):
        parts: list[Polygon] = []
        for part in geometry.geoms:
            if isinstance(part, Polygon):
                parts.append(part)
            elif isinstance(part, MultiPolygon):
                parts.extend(part.geoms)
        return MultiPolygon(parts) if len(parts) > 1 else (parts[0] if parts else Polygon())
    return Polygon()


def simplify(geometry: BaseGeometry, metres: float = DEFAULT_SIMPLIFY_METRES) -> BaseGeometry:
    """Fewer vertices, no point moved more than about `metres`; holes and islands kept (a part or
    hole smaller than the tolerance may vanish). 0 keeps the shape as it is."""
    if metres <= 0:
        return geometry
    simpler = geometry.simplify(metres / METRES_PER_DEGREE, preserve_topology=True)
    return simpler if not simpler.is_empty else geometry


def merge(geometries: Iterable[BaseGeometry]) -> BaseGeometry:
    """One shape from several features of the same village (e.g. one per island)."""
    from shapely.ops import unary_union

    return unary_union(list(geometries))


def to_text(geometry: BaseGeometry) -> str:
    """Compact GeoJSON geometry text to store (coordinates to 6 decimals, no spaces)."""
    from shapely.geometry import mapping

    coordinates = json.dumps(_rounded(mapping(geometry)["coordinates"]), separators=(",", ":"))
    return f'{{"type":"{geometry.geom_type}","coordinates":{coordinates}}}'


def _rounded(coordinates: Any) -> Any:
    if coordinates and isinstance(coordinates[0], int | float):
        return [round(float(c), DECIMALS) for c in coordinates]
    return [_rounded(c) for c in coordinates]


def from_text(text: str) -> BaseGeometry:
    """The shape stored by `to_text`."""
    from shapely.geometry import shape

    return shape(json.loads(text))


def bounding_box(geometries: Iterable[BaseGeometry]) -> tuple[float, float, float, float]:
    """(west, south, east, north) around all the shapes."""
    boxes = [g.bounds for g in geometries if not g.is_empty]
    if not boxes:
        raise InvalidValue(_("no village of the map has a boundary"))
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def outlines(groups: Mapping[str, Iterable[BaseGeometry]], gap_m: float = 25.0) -> dict[str, BaseGeometry]:
    """One outline per group (e.g. per kecamatan): the union of its villages' shapes, with gaps
    narrower than `gap_m` closed (villages simplified one by one no longer share their borders
    exactly, and a plain union would draw those slivers as borders inside the kecamatan)."""
    from shapely.ops import unary_union

    grow = gap_m / METRES_PER_DEGREE / 2
    return {
        key: unary_union([s.buffer(grow, quad_segs=2) for s in shapes]).buffer(-grow, quad_segs=2)
        for key, shapes in groups.items()
    }


def km_per_degree_longitude(latitude: float) -> float:
    """How many kilometres a degree of longitude spans at this latitude."""
    return METRES_PER_DEGREE / 1000 * math.cos(math.radians(latitude))
