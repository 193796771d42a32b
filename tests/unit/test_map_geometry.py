"""Village shapes: repaired or refused, simplified in metres, stored as compact text."""

from __future__ import annotations

import pytest
from shapely.geometry import MultiPolygon, Point, Polygon, mapping

from opd_desa.errors import InvalidValue
from opd_desa.maps.geometry import from_text, outlines, polygonal, simplify, to_text, village_shape

SQUARE = [[110.6, -6.5], [110.7, -6.5], [110.7, -6.4], [110.6, -6.4], [110.6, -6.5]]


def test_a_bow_tie_is_repaired_into_its_two_triangles() -> None:
    bow_tie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    shape, repaired = polygonal(bow_tie)
    assert repaired
    assert shape.is_valid
    assert shape.area == pytest.approx(0.5)


def test_a_ring_of_two_points_is_refused_saying_so() -> None:
    with pytest.raises(InvalidValue, match="2 distinct points, fewer than 3"):
        polygonal({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0], [1, 1]]]})


def test_a_point_is_not_a_village() -> None:
    with pytest.raises(InvalidValue, match="Point, not a polygon"):
        polygonal({"type": "Point", "coordinates": [110.6, -6.5]})


def test_a_missing_geometry_is_refused() -> None:
    with pytest.raises(InvalidValue, match="no geometry"):
        polygonal(None)


def test_simplifying_drops_vertices_and_keeps_the_area() -> None:
    circle = Point(110.7, -6.5).buffer(0.02, quad_segs=256)  # ~2 km radius, ~1,000 vertices
    simpler = simplify(circle, 10)
    assert isinstance(simpler, Polygon)
    assert len(simpler.exterior.coords) < len(circle.exterior.coords) / 4
    assert simpler.area == pytest.approx(circle.area, rel=0.01)
    assert simplify(circle, 0) is circle


def test_holes_and_islands_survive_simplification_and_storage() -> None:
    with_hole = Polygon(SQUARE, [[(110.64, -6.46), (110.66, -6.46), (110.66, -6.44), (110.64, -6.44)]])
    island = Point(110.45, -5.85).buffer(0.01)
    shape = MultiPolygon([with_hole, island])
    stored = from_text(to_text(simplify(shape, 10)))
    assert isinstance(stored, MultiPolygon)
    assert len(stored.geoms[0].interiors) == 1
    assert stored.area == pytest.approx(shape.area, rel=0.01)


def test_stored_text_is_compact_geojson_with_six_decimals() -> None:
    text = to_text(Polygon([(110.123456789, -6.5), (110.2, -6.5), (110.2, -6.4)]))
    assert text.startswith('{"type":"Polygon","coordinates":[[[110.123457,-6.5]')
    assert " " not in text


def test_kecamatan_outline_has_no_border_inside_it() -> None:
    left = Polygon([(0, 0), (0.01, 0), (0.01, 0.01), (0, 0.01)])
    right = Polygon([(0.01001, 0), (0.02, 0), (0.02, 0.01), (0.01001, 0.01)])  # a 1 m sliver between them
    outline = outlines({"Kedung": [left, right]})["Kedung"]
    assert isinstance(outline, Polygon)
    assert not outline.interiors
    assert mapping(outline)["type"] == "Polygon"


def test_a_bow_tie_keeps_both_halves_when_simplified_on_import() -> None:
    ring = [[110.60, -6.50], [110.62, -6.48], [110.62, -6.50], [110.60, -6.48], [110.60, -6.50]]
    shape, repaired = village_shape({"type": "Polygon", "coordinates": [ring]}, 10)
    assert repaired and shape.is_valid
    assert shape.area == pytest.approx(0.0002, rel=0.01)  # both triangles, not the one a zero buffer keeps


def test_a_village_simplified_on_import_keeps_its_hole_and_area() -> None:
    circle = Point(110.7, -6.5).buffer(0.02, quad_segs=256)
    with_hole = circle.difference(Point(110.7, -6.5).buffer(0.002, quad_segs=64))
    shape, repaired = village_shape(mapping(with_hole), 10)
    assert not repaired and isinstance(shape, Polygon) and len(shape.interiors) == 1
    assert len(shape.exterior.coords) < len(with_hole.exterior.coords) / 4
    assert shape.area == pytest.approx(with_hole.area, rel=0.01)
