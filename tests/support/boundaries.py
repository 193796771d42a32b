"""Generated village boundaries for Kabupaten Jepara, in BIG's attribute names (real boundaries
cannot be committed: size and licence).

Each mainland kecamatan is a cell of a 3 x 5 grid over Jepara's bounding box (roughly where it
lies), cut by a wavy west coast; its villages are Voronoi cells of seeded random points, with
borders wiggled by a few metres (the same displacement for both neighbours, so the tessellation
stays seamless) to give simplification something to remove. Karimunjawa's four villages are
islands to the north-west; Karimunjawa village itself is two islands (a MultiPolygon). One village
has a hole (a reservoir). Two extra features: a village of Kabupaten Kudus and a code unknown in
Jepara (`33.20.01.2999`).
"""

from __future__ import annotations

import json
import math
import random
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from shapely.geometry import MultiPolygon, Point, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from opd_desa.regions import find_region, regions_within, villages_in

MAINLAND = (110.58, -6.80, 110.98, -6.35)  # west, south, east, north
KARIMUNJAWA = "33.20.10"
GRID = [  # north to south, west to east
    ["Bangsri", "Kembang", "Donorojo"],
    ["Mlonggo", "Pakis Aji", "Keling"],
    ["Jepara", "Batealit", "Nalumsari"],
    ["Tahunan", "Pecangaan", "Mayong"],
    ["Kedung", "Kalinyamatan", "Welahan"],
]
ISLANDS = {  # village name -> islands as (lon, lat, radius in degrees)
    "Karimunjawa": [(110.43, -5.86, 0.020), (110.47, -5.89, 0.008)],
    "Kemujan": [(110.46, -5.81, 0.015)],
    "Parang": [(110.41, -5.83, 0.008)],
    "Nyamuk": [(110.49, -5.84, 0.006)],
}
HOLE_VILLAGE = "33.20.05.2001"
UNKNOWN_CODE = "33.20.01.2999"
WGS84_PRJ = (
    'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],'
    'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'
)
UTM49S_PRJ = (
    'PROJCS["WGS_1984_UTM_Zone_49S",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",'
    'SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],'
    'PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",10000000.0],'
    'PARAMETER["Central_Meridian",111.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],'
    'UNIT["Meter",1.0]]'
)
FIELDS = ("KDEPUM", "WADMKD", "NAMOBJ", "WADMKC", "WADMKK", "WADMPR")


def jepara_features(seed: int = 3320) -> list[dict[str, Any]]:
    """GeoJSON features: Jepara's 195 villages plus the Kudus and the unknown-code features."""
    import shapely
    from shapely.ops import voronoi_diagram

    region = find_region("33.20")
    kecamatan = {r.code: r.name for r in regions_within(region) if r.level == 3}
    villages = list(villages_in([r for r in regions_within(region) if r.level == 3]))
    rng = random.Random(seed)
    land = _mainland()
    rows, cols = len(GRID), len(GRID[0])
    west, south, east, north = MAINLAND
    width, height = (east - west) / cols, (north - south) / rows
    cell_of = {name: (r, c) for r, row in enumerate(GRID) for c, name in enumerate(row)}
    shapes: dict[str, BaseGeometry] = {}
    for code, name in kecamatan.items():
        members = [v for v in villages if v.kecamatan_code == code]
        if code == KARIMUNJAWA:
            for v in members:
                shapes[v.code] = _islands(ISLANDS[v.name])
            continue
        r, c = cell_of[name]
        cell = box(west + c * width, north - (r + 1) * height, west + (c + 1) * width, north - r * height)
        area = cell.intersection(land)
        seeds: list[Point] = []
        while len(seeds) < len(members):
            x0, y0, x1, y1 = area.bounds
            p = Point(rng.uniform(x0, x1), rng.uniform(y0, y1))
            if area.contains(p) and all(p.distance(q) > 0.004 for q in seeds):
                seeds.append(p)
        cells = voronoi_diagram(shapely.MultiPoint(seeds), envelope=cell.buffer(0.1))
        for v, p in zip(members, seeds, strict=True):
            region_cell = next(g for g in cells.geoms if g.contains(p))
            shapes[v.code] = _wiggled(region_cell.intersection(area))
    hole_village = shapes[HOLE_VILLAGE]
    centre = hole_village.representative_point()
    shapes[HOLE_VILLAGE] = hole_village.difference(centre.buffer(0.002, quad_segs=8))
    features = [_feature(v.code, v.name, kecamatan[v.kecamatan_code], "Jepara", shapes[v.code]) for v in villages]
    features.append(
        _feature("33.19.01.2001", "Bakalankrapyak", "Kaliwungu", "Kudus", box(110.86, -6.86, 110.90, -6.82))
    )
    features.append(_feature(UNKNOWN_CODE, "Desa Baru", "Kedung", "Jepara", box(110.55, -6.79, 110.56, -6.78)))
    return features


def province_features(region: str = "33", vertices: int = 800) -> Iterator[dict[str, Any]]:
    """Every village of a province (Jawa Tengah: 8,563) as a square of a grid, each border cut into
    about `vertices` points and wiggled like the Jepara ones: a file as large as BIG's own."""
    from shapely import segmentize

    province = find_region(region)
    kecamatan = {r.code: r for r in regions_within(province) if r.level == 3}
    kabupaten = {r.code: r.name for r in regions_within(province) if r.level == 2}
    villages = list(villages_in(list(kecamatan.values())))
    columns = math.ceil(math.sqrt(len(villages)))
    size = 0.02  # degrees, ~2.2 km
    for i, v in enumerate(villages):
        row, column = divmod(i, columns)
        west, north = 108.5 + column * size, -6.0 - row * size
        square = segmentize(box(west, north - size, west + size, north), 4 * size / vertices)
        shape = _wiggled(square)
        yield _feature(v.code, v.name, kecamatan[v.kecamatan_code].name, kabupaten[v.code[:5]], shape)


def _mainland() -> BaseGeometry:
    """Jepara's bounding box cut by a wavy coast running from the north-east tip down to the
    south-west (the Java Sea lies west and north-west, as in Jepara)."""
    west, south, east, north = MAINLAND
    steps = 40
    coast = []
    for i in range(steps + 1):
        share = i / steps  # 0 at the north, 1 at the south
        x = west + 0.10 * (1 - share) + 0.012 + 0.012 * math.sin(i / 2.5)
        coast.append((x, north - share * (north - south)))
    return Polygon([*coast, (east, south), (east, north)]).buffer(0)


def _wiggled(shape: BaseGeometry) -> BaseGeometry:
    """Borders cut into ~50 m steps, each vertex moved a few metres by a function of where it is,
    so two neighbours move their shared border alike and stay seamless."""
    import shapely

    dense = shapely.segmentize(shape, 0.0005)

    def move(xy: Any) -> Any:
        x, y = xy[:, 0], xy[:, 1]
        return np.column_stack(
            (x + 0.00003 * np.sin(x * 91_000 + y * 37_000), y + 0.00003 * np.cos(x * 53_000 - y * 71_000))
        )

    return shapely.transform(dense, move)


def _islands(circles: list[tuple[float, float, float]]) -> BaseGeometry:
    parts: list[Polygon] = []
    for x, y, r in circles:
        island = _wiggled(Point(x, y).buffer(r, quad_segs=24))
        assert isinstance(island, Polygon)
        parts.append(island)
    return MultiPolygon(parts) if len(parts) > 1 else parts[0]


def _feature(code: str, name: str, kecamatan: str, kabupaten: str, shape: BaseGeometry) -> dict[str, Any]:
    properties = {
        "KDEPUM": code,
        "WADMKD": name,
        "NAMOBJ": name,
        "WADMKC": kecamatan,
        "WADMKK": kabupaten,
        "WADMPR": "Jawa Tengah",
    }
    return {"type": "Feature", "properties": properties, "geometry": mapping(shape)}


def write_geojson(path: Path, features: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def write_shapefile(stem: Path, features: Iterable[dict[str, Any]], prj: str | None = WGS84_PRJ) -> Path:
    """`stem.shp/.shx/.dbf` (+ `.prj`) with pyshp; outer rings clockwise, holes counter-clockwise."""
    import shapefile  # type: ignore[import-untyped]
    from shapely.geometry import shape

    with shapefile.Writer(str(stem), shapeType=shapefile.POLYGON, encoding="utf-8") as w:
        for name in FIELDS:
            w.field(name, "C", size=60)
        for feature in features:
            geom = shape(feature["geometry"])
            rings: list[list[tuple[float, ...]]] = []
            for polygon in getattr(geom, "geoms", [geom]):
                oriented = orient(polygon, sign=-1.0)  # shapefile: exterior clockwise
                rings.append(list(oriented.exterior.coords))
                rings += [list(i.coords) for i in oriented.interiors]
            w.poly(rings)
            w.record(*(feature["properties"][name] for name in FIELDS))
    if prj is not None:
        stem.with_suffix(".prj").write_text(prj, encoding="ascii")
    return stem.with_suffix(".shp")


def write_zipped_shapefile(path: Path, features: Iterable[dict[str, Any]], prj: str | None = WGS84_PRJ) -> Path:
    """A zip of the shapefile's parts inside a folder, as people send them (`batas_desa/...`)."""
    folder = path.parent / (path.stem + "-parts")
    folder.mkdir(exist_ok=True)
    shp = write_shapefile(folder / "BATAS_DESA_JEPARA", features, prj)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in sorted(folder.glob(shp.stem + ".*")):
            archive.write(part, f"batas_desa/{part.name}")
    return path
