"""Village shapes: checked and repaired, simplified in metres, stored as compact GeoJSON text.

Decision on broken geometry: a self-intersecting or otherwise invalid polygon is repaired with
shapely's `make_valid` (its polygonal parts kept; GIS exports often carry tiny bow-ties along
shared borders), while a ring of fewer than 3 distinct points, a point or a line cannot be a
village and is refused with the feature named.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _

if TYPE_CHECKING:
    from shapely.geometry import Polygon
    from shapely.geometry.base import BaseGeometry

METRES_PER_DEGREE = 111_320.0  # of latitude; of longitude too at the equator (Jepara: 0.6 % less)
DEFAULT_SIMPLIFY_METRES = 10.0
DECIMALS = 6  # ~0.1 m: finer than any village boundary is surveyed


def polygonal(geometry: Mapping[str, Any] | None) -> tuple[BaseGeometry, bool]:
    """A (Multi)Polygon from a GeoJSON-like geometry (rings as lists or numpy arrays), and whether it
    had to be repaired (invalid shapes are repaired, unusable ones refused)."""
    return _repaired(_read(geometry))


def village_shape(
    geometry: Mapping[str, Any] | None, metres: float = DEFAULT_SIMPLIFY_METRES
) -> tuple[BaseGeometry, bool]:
    """The shape to store: read, simplified by `metres` and repaired where needed; and whether it was
    repaired. A valid Douglas-Peucker simplification that kept every part and hole is taken as it
    is, which spares checking the full-detail shape (the slowest step of a province's import);
    otherwise the full shape is checked, repaired if invalid and simplified preserving topology."""
    shape = _read(geometry)
    if metres > 0:
        tolerance = metres / METRES_PER_DEGREE
        if _kept(quick := shape.simplify(tolerance, preserve_topology=False), shape, tolerance):
            return quick, False
    repaired_shape, repaired = _repaired(shape)
    return simplify(repaired_shape, metres), repaired


def _read(geometry: Mapping[str, Any] | None) -> BaseGeometry:
    """The (Multi)Polygon of a GeoJSON-like geometry as it is (perhaps invalid); unusable ones refused."""
    from shapely.geometry import MultiPolygon

    if not geometry or "type" not in geometry:
        raise InvalidValue(_("it has no geometry"))
    kind = geometry["type"]
    if kind not in ("Polygon", "MultiPolygon"):
        raise InvalidValue(_("it is a {kind}, not a polygon; a village boundary must be an area").format(kind=kind))
    try:
        polygons = geometry["coordinates"] if kind == "MultiPolygon" else [geometry["coordinates"]]
        parts = [_polygon(rings) for rings in polygons]
        return parts[0] if kind == "Polygon" else MultiPolygon(parts)
    except (ValueError, TypeError, IndexError, KeyError) as e:
        raise InvalidValue(_("its coordinates cannot be read ({error})").format(error=e)) from e


def _repaired(shape: BaseGeometry) -> tuple[BaseGeometry, bool]:
    """The shape made valid (self-intersections removed) and whether that was needed."""
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.validation import make_valid

    repaired = not shape.is_valid
    if repaired:
        shape = _polygonal_part(make_valid(shape))
    if shape.is_empty or not isinstance(shape, Polygon | MultiPolygon):
        raise InvalidValue(_("it has no area left once its self-intersections are removed"))
    return shape, repaired


def _polygon(rings: Sequence[Any]) -> Polygon:
    """One polygon from its rings (outer first, then holes); coordinates become numpy arrays once,
    which is what keeps a province-sized import fast (shapely builds rings from arrays in C)."""
    from shapely.geometry import Polygon

    arrays = [_ring(ring) for ring in rings]
    if not arrays:
        raise ValueError("a polygon without rings")
    return Polygon(arrays[0], arrays[1:])


def _ring(ring: Any) -> Any:
    """A ring as an (n, 2) float array; refused when it has fewer than 3 distinct points."""
    import numpy as np

    xy = np.asarray(ring, dtype=float)
    if xy.ndim != 2 or xy.shape[1] < 2:
        raise ValueError("a ring is not a list of positions")
    xy = xy[:, :2]
    if not np.isfinite(xy).all():
        raise ValueError("a position is not a number")
    distinct = _distinct_up_to_3(xy)
    if distinct < 3:
        raise InvalidValue(
            _("a ring has {n} distinct points, fewer than 3; fix it in QGIS (Vector > Geometry Tools)").format(
                n=distinct
            )
        )
    return xy


def _distinct_up_to_3(xy: Any) -> int:
    """How many distinct points the ring has, counted up to 3 (in two vectorised passes)."""
    if len(xy) == 0:
        return 0
    others = xy[(xy != xy[0]).any(axis=1)]
    if len(others) == 0:
        return 1
    return 3 if (others != others[0]).any(axis=1).any() else 2


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
    hole smaller than the tolerance may vanish). 0 keeps the shape as it is.

    Douglas-Peucker first (some 25 times faster); when its result is invalid or lost a part or a
    hole, the topology-preserving simplification of the same shape is taken instead."""
    if metres <= 0:
        return geometry
    tolerance = metres / METRES_PER_DEGREE
    quick = geometry.simplify(tolerance, preserve_topology=False)
    if _kept(quick, geometry, tolerance):
        return quick
    simpler = geometry.simplify(tolerance, preserve_topology=True)
    return simpler if not simpler.is_empty else geometry


def _kept(simpler: BaseGeometry, original: BaseGeometry, tolerance: float) -> bool:
    """Whether a simplification is a valid shape with every part and hole of the original and about
    its area: moving a border by at most `tolerance` changes the area by at most border x tolerance.
    (Douglas-Peucker mends what it breaks with a zero buffer, which may drop half of a bow-tie.)"""
    if simpler.is_empty or _rings(simpler) != _rings(original):
        return False
    return abs(simpler.area - original.area) <= original.length * tolerance and simpler.is_valid


def _rings(geometry: BaseGeometry) -> tuple[int, int]:
    """(parts, holes) of a (Multi)Polygon."""
    polygons = getattr(geometry, "geoms", [geometry])
    return len(polygons), sum(len(p.interiors) for p in polygons)


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
