"""Features of a boundary file: GeoJSON, a zipped shapefile, or a `.shp` with its `.dbf` beside it.

Both are read feature by feature (pyshp; ijson for GeoJSON), so a province-sized file costs the
memory of one feature at a time. GeoJSON files above `MAX_GEOJSON_BYTES` are refused with a line
naming the limit: reading them would take minutes, and the zipped shapefile is the better way.
"""

from __future__ import annotations

import itertools
import re
import struct
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from opd_desa.errors import InvalidValue
from opd_desa.i18n import N_, _

MAX_GEOJSON_BYTES = 1024 * 1024 * 1024  # streamed, so only time grows with size; a guard against absurd files
REPROJECT = N_(
    "reproject it to WGS 84 longitude/latitude (EPSG:4326), e.g. in QGIS: Export > Save Features As > CRS EPSG:4326"
)
_WKT_NAME = re.compile(r'^\s*(PROJCS|PROJCRS|GEOGCS|GEOGCRS|GEODCRS|GEOCCS)\s*\[\s*"([^"]*)"', re.IGNORECASE)
_GEOGRAPHIC_CRS = re.compile(r"(EPSG::?4326|CRS84|OGC:1\.3:CRS84|EPSG::?4755|EPSG::?9470)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Feature:
    """One feature of the file: its number (1 = first), its attributes and a GeoJSON-like geometry."""

    number: int
    properties: dict[str, Any]
    geometry: dict[str, Any] | None


def read_features(path: Path) -> Iterator[Feature]:
    """The features of a GeoJSON file, a zipped shapefile or a `.shp` (with `.dbf` beside it)."""
    if not path.is_file():
        raise InvalidValue(_("{path}: no such file").format(path=path))
    suffix = path.suffix.lower()
    if suffix == ".zip":
        yield from _zipped_shapefile(path)
    elif suffix == ".shp":
        yield from _shapefile(path)
    elif suffix in (".geojson", ".json"):
        yield from _geojson(path)
    else:
        raise InvalidValue(
            _(
                "{path} is not a boundary file; give a GeoJSON file (.geojson), a zipped shapefile (.zip) or a .shp"
            ).format(path=path)
        )


# --- coordinate systems ---------------------------------------------------------------------------


def check_prj(text: str, path: Path) -> None:
    """Refuse a `.prj` whose coordinate system is projected (e.g. UTM zone 49S): maps need lon/lat."""
    match = _WKT_NAME.match(text)
    if match is None:
        return  # unreadable .prj: the coordinates themselves are checked instead
    kind, name = match.group(1).upper(), match.group(2)
    if kind.startswith("GEOG") or kind == "GEODCRS":
        return
    raise InvalidValue(
        _("{path} is in {system}, not longitude/latitude; {what}").format(
            path=path, system=_system_name(name), what=_(REPROJECT)
        )
    )


def _system_name(name: str) -> str:
    """`WGS_1984_UTM_Zone_49S` -> `WGS 84 / UTM zone 49S`, the way QGIS names it."""
    zone = re.search(r"UTM[ _]zone[ _]?(\d+[NS]?)", name, re.IGNORECASE)
    if zone:
        datum = "WGS 84" if re.search(r"WGS[ _]?(19)?84", name, re.IGNORECASE) else name.split("_UTM")[0]
        return f"{datum} / UTM zone {zone.group(1).upper()}"
    return name.replace("_", " ")


def check_lonlat(bbox: tuple[float, float, float, float], path: Path) -> None:
    """Refuse coordinates that cannot be degrees (metres of a projected system without a `.prj`)."""
    xmin, ymin, xmax, ymax = bbox
    if xmin < -180 or xmax > 180 or ymin < -90 or ymax > 90:
        raise InvalidValue(
            _(
                "{path} has coordinates up to {x:.0f}, {y:.0f}: metres of a projected system, not degrees; {what}"
            ).format(path=path, x=max(abs(xmin), abs(xmax)), y=max(abs(ymin), abs(ymax)), what=_(REPROJECT))
        )


# --- shapefiles -----------------------------------------------------------------------------------


def _zipped_shapefile(path: Path) -> Iterator[Feature]:
    """Extract the shapefile's parts to a temporary folder (the zip may be large) and read from there."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise InvalidValue(_("{path} is not a readable zip file ({error})").format(path=path, error=e)) from e
    with archive, tempfile.TemporaryDirectory(prefix="opd-desa-boundaries-") as folder:
        names = [n for n in archive.namelist() if not n.startswith("__MACOSX/") and not n.endswith("/")]
        shps = [n for n in names if n.lower().endswith(".shp")]
        if not shps:
            raise InvalidValue(
                _("{path} holds no shapefile (.shp); zip the .shp, .shx, .dbf and .prj of the boundaries").format(
                    path=path
                )
            )
        if len(shps) > 1:
            raise InvalidValue(
                _("{path} holds {n} shapefiles ({names}); zip only the village boundaries").format(
                    path=path, n=len(shps), names=", ".join(shps[:5])
                )
            )
        stem = shps[0][: -len(".shp")]
        for name in names:
            if name[: len(stem)] == stem and name[len(stem) :].lower() in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                target = Path(folder) / ("boundaries" + name[len(stem) :].lower())
                with archive.open(name) as source, target.open("wb") as out:
                    while chunk := source.read(1 << 20):
                        out.write(chunk)
        shown_name = f"{path}:{PurePosixPath(shps[0]).name}"
        yield from _shapefile(Path(folder) / "boundaries.shp", shown=shown_name)


def _shapefile(path: Path, shown: str | None = None) -> Iterator[Feature]:
    import shapefile  # pyshp

    label = Path(shown) if shown else path
    dbf = _sibling(path, ".dbf")
    if dbf is None:
        raise InvalidValue(
            _(
                "{path} has no .dbf beside it (the village names and codes live there); give the zipped shapefile"
            ).format(path=label)
        )
    prj = _sibling(path, ".prj")
    if prj is not None:
        check_prj(prj.read_text(encoding="utf-8", errors="replace"), label)
    cpg = _sibling(path, ".cpg")
    encoding = cpg.read_text(encoding="ascii", errors="replace").strip() if cpg else "utf-8"
    try:
        reader = shapefile.Reader(str(path), encoding=_python_encoding(encoding), encodingErrors="replace")
    except (shapefile.ShapefileException, OSError, ValueError, LookupError) as e:
        raise InvalidValue(_("{path} is not a readable shapefile ({error})").format(path=label, error=e)) from e
    with reader:
        if reader.numRecords:
            check_lonlat(tuple(reader.bbox), label)
        fields = [f[0] for f in reader.fields[1:]]
        number = 0
        try:
            for number, item in enumerate(reader.iterShapeRecords(), start=1):
                shape = item.shape
                geometry = _geometry(shape, shapefile)
                yield Feature(number, dict(zip(fields, item.record, strict=False)), geometry)
        except (shapefile.ShapefileException, OSError, ValueError, IndexError, struct.error) as e:
            raise InvalidValue(
                _("{path} is damaged after feature {n} ({error}); export it again from the GIS").format(
                    path=label, n=number, error=e
                )
            ) from e


_POLYGON_TYPES = (5, 15, 25)  # POLYGON, POLYGONZ, POLYGONM


def _geometry(shape: Any, shapefile: Any) -> dict[str, Any] | None:
    """A shape as a GeoJSON-like geometry; polygons with numpy rings (see `_polygon_geometry`)."""
    if shape.shapeType == shapefile.NULL:
        return None
    if shape.shapeType in _POLYGON_TYPES:
        return _polygon_geometry(shape.points, shape.parts)
    geometry: dict[str, Any] = shape.__geo_interface__  # points and lines: refused by name when stored
    return geometry


def _polygon_geometry(points: Sequence[Any], parts: Sequence[int]) -> dict[str, Any] | None:
    """A shapefile polygon's rings as a (Multi)Polygon, the way the format defines them: outer rings
    clockwise, holes counter-clockwise, each hole inside one outer ring. Done with numpy, as pyshp's
    own `__geo_interface__` (pure Python, point by point) takes most of a province's import time."""
    import numpy as np

    xy = np.asarray(points, dtype=float)
    xy = xy[:, :2] if xy.ndim == 2 else np.empty((0, 2))
    bounds = [*parts, len(xy)]
    rings = [xy[a:b] for a, b in itertools.pairwise(bounds) if b > a]
    if not rings:
        return None
    outer = [r for r in rings if _signed_area(r) <= 0]
    holes = [r for r in rings if _signed_area(r) > 0]
    if not outer:  # every ring wound the wrong way: take them all as outer rings (as pyshp does)
        outer, holes = holes, []
    polygons: list[list[Any]] = [[ring] for ring in outer]
    for hole in holes:
        owner = _owner(hole, outer)
        if owner is None:  # a "hole" inside no outer ring is an island wound the wrong way
            polygons.append([hole])
        else:
            polygons[owner].append(hole)
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def _signed_area(ring: Any) -> float:
    """Twice the signed area of a ring (shoelace): negative when clockwise."""
    import numpy as np

    x, y = ring[:, 0], ring[:, 1]
    return float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def _owner(hole: Any, outer: Sequence[Any]) -> int | None:
    """Which outer ring holds the hole (the only one, or the one around the hole's first point)."""
    if len(outer) == 1:
        return 0
    import shapely

    x, y = float(hole[0, 0]), float(hole[0, 1])
    for i, ring in enumerate(outer):
        if shapely.intersects_xy(shapely.polygons(ring), x, y):
            return i
    return None


def _python_encoding(cpg: str) -> str:
    """A `.cpg` names a code page the way ArcGIS writes it (`UTF-8`, `1252`, `ANSI 1252`)."""
    digits = re.sub(r"\D", "", cpg)
    if digits and not cpg.lower().startswith("utf"):
        return f"cp{digits}"
    return cpg or "utf-8"


def _sibling(path: Path, suffix: str) -> Path | None:
    for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
        if candidate.is_file():
            return candidate
    return None


# --- GeoJSON --------------------------------------------------------------------------------------


def _geojson(path: Path) -> Iterator[Feature]:
    """Features streamed one at a time (ijson), so memory holds one feature, not the whole file."""
    import ijson  # type: ignore[import-untyped]

    size = path.stat().st_size
    if size > MAX_GEOJSON_BYTES:
        raise InvalidValue(
            _(
                "{path} is {size} MB; GeoJSON files over {limit} MB are refused, so give the zipped shapefile "
                "instead, or simplify the file in QGIS first"
            ).format(path=path, size=size // (1024 * 1024), limit=MAX_GEOJSON_BYTES // (1024 * 1024))
        )
    number = 0
    try:
        with path.open("rb") as f:
            kind, crs = _geojson_head(f)
            if kind == "Feature":
                f.seek(0)
                items: Iterator[Any] = ijson.items(f, "", use_float=True)
            elif kind == "FeatureCollection":
                f.seek(0)
                items = ijson.items(f, "features.item", use_float=True)
            else:
                raise InvalidValue(
                    _("{path} is JSON but not a GeoJSON FeatureCollection; export the boundaries as GeoJSON").format(
                        path=path
                    )
                )
            if crs:
                _check_geojson_crs(crs, path)
            for number, feature in enumerate(items, start=1):
                if not isinstance(feature, dict):
                    raise InvalidValue(_("{path}: feature {n} is not a GeoJSON feature").format(path=path, n=number))
                geometry = feature.get("geometry")
                if number == 1 and isinstance(geometry, dict):
                    check_lonlat(_first_bbox(geometry), path)
                properties = feature.get("properties") or {}
                yield Feature(number, properties if isinstance(properties, dict) else {}, geometry or None)
    except (ijson.JSONError, UnicodeDecodeError) as e:
        where = _(" after feature {n}").format(n=number) if number else ""
        raise InvalidValue(_("{path} is not GeoJSON{where}: {error}").format(path=path, where=where, error=e)) from e


def _geojson_head(f: BinaryIO) -> tuple[str | None, str | None]:
    """The document's `type` and old-style `crs` name, read up to the start of its features."""
    import ijson

    kind = crs = None
    for prefix, event, value in ijson.parse(f):
        if prefix == "type" and event == "string":
            kind = value
        elif prefix == "crs.properties.name" and event == "string":
            crs = value
        elif prefix == "" and event == "map_key" and value == "features":
            kind = kind or "FeatureCollection"
            break
        elif prefix == "" and event not in ("start_map", "map_key", "end_map"):
            break  # a list or a number: not GeoJSON
    return kind, crs


def _check_geojson_crs(name: str, path: Path) -> None:
    """Old GeoJSON (2008) may name its system in `crs`; RFC 7946 files are always lon/lat."""
    if not _GEOGRAPHIC_CRS.search(name.strip()):
        epsg = re.search(r"EPSG::?(\d+)", name)
        system = name
        if epsg and 32701 <= int(epsg.group(1)) <= 32760:
            system = f"WGS 84 / UTM zone {int(epsg.group(1)) - 32700}S"
        elif epsg and 32601 <= int(epsg.group(1)) <= 32660:
            system = f"WGS 84 / UTM zone {int(epsg.group(1)) - 32600}N"
        raise InvalidValue(
            _("{path} is in {system}, not longitude/latitude; {what}").format(
                path=path, system=system, what=_(REPROJECT)
            )
        )


def _first_bbox(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    """Bounds of the first coordinates found: enough to tell degrees from metres."""
    coords: Any = geometry.get("coordinates")
    while isinstance(coords, list) and coords and isinstance(coords[0], list):
        coords = coords[0]
    if isinstance(coords, list) and len(coords) >= 2 and all(isinstance(c, int | float) for c in coords[:2]):
        x, y = float(coords[0]), float(coords[1])
        return (x, y, x, y)
    return (0.0, 0.0, 0.0, 0.0)
