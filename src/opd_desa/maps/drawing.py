"""The village map: villages shaded by their figure, kecamatan borders, mentored villages outlined
and labelled with their agency, legend, title, source, scale bar and north arrow; sized for A4.

`draw_map` writes .svg, .png or .pdf (matplotlib, imported here only); `to_geojson` writes the same
villages and figures as a FeatureCollection for QGIS.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opd_desa.errors import InvalidValue, NotFound
from opd_desa.i18n import _
from opd_desa.maps.classes import NO_FIGURE, Classes, Measure, classify
from opd_desa.maps.geometry import bounding_box, from_text, km_per_degree_longitude, outlines
from opd_desa.names import closest, kecamatan_key, shown

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.path import Path as MplPath
    from shapely.geometry.base import BaseGeometry

FORMATS = (".svg", ".png", ".pdf")
A4_INCHES = (8.27, 11.69)
DPI = 200
VILLAGE_EDGE = "#ffffff"
KECAMATAN_EDGE = "#404040"
MENTORED_EDGE = "#000000"
CONTEXT = "#f2f2f2"  # villages outside the kecamatan a map zooms to


@dataclass(frozen=True, slots=True)
class MapVillage:
    """A village as the map shows it: its stored boundary, figure and mentoring agency (if any)."""

    code: str
    name: str
    kecamatan: str
    geometry: str  # GeoJSON geometry text, as stored
    value: float | None
    agency: str | None = None


@dataclass(frozen=True, slots=True)
class MapText:
    """The words around the map."""

    title: str
    source: str
    subtitle: str = ""


def select(villages: Sequence[MapVillage], kecamatan: Sequence[str]) -> list[MapVillage]:
    """The villages of the kecamatan named (all when none is named); an unknown name is refused."""
    if not kecamatan:
        return list(villages)
    known = {kecamatan_key(v.kecamatan): v.kecamatan for v in villages}
    wanted = set()
    for name in kecamatan:
        key = kecamatan_key(name)
        if key not in known:
            near = [known[k] for k in closest(key, known)]
            hint = _("; did you mean: {listing}?").format(listing="; ".join(near)) if near else ""
            raise NotFound(_("no kecamatan '{name}' on the map").format(name=shown(name)) + hint)
        wanted.add(key)
    return [v for v in villages if kecamatan_key(v.kecamatan) in wanted]


def draw_map(
    villages: Sequence[MapVillage],
    measure: Measure,
    text: MapText,
    output: Path,
    kecamatan: Sequence[str] = (),
    north_arrow: bool = True,
) -> Classes:
    """Draw the map into `output` (.svg, .png or .pdf); `kecamatan` zooms to those kecamatan.
    Returns the classes drawn (for a caption or a test)."""
    from matplotlib import patheffects, rc_context
    from matplotlib.collections import PathCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidValue(_("{path}: a map is written as .svg, .png, .pdf or .geojson").format(path=output))
    chosen = select(villages, kecamatan)
    shapes = {v.code: from_text(v.geometry) for v in villages}
    west, south, east, north = bounding_box(shapes[v.code] for v in chosen)
    pad_x, pad_y = (east - west) * 0.03 or 0.01, (north - south) * 0.03 or 0.01
    west, east, south, north = west - pad_x, east + pad_x, south - pad_y, north + pad_y
    latitude = (south + north) / 2
    stretch = 1 / math.cos(math.radians(latitude))  # degrees of latitude are longer on paper
    wide = (east - west) > (north - south) * stretch
    in_view = [v for v in villages if _overlaps(shapes[v.code].bounds, (west, south, east, north))]
    classes = classify({v.code: v.value for v in chosen}, measure)
    colour = {  # villages around a zoomed kecamatan stay pale, as context
        code: NO_FIGURE if index is None else classes.colours[index] for code, index in classes.of.items()
    }

    with rc_context({"svg.fonttype": "none", "font.size": 9, "font.family": "DejaVu Sans"}):
        figure = Figure(figsize=A4_INCHES[::-1] if wide else A4_INCHES)
        ax = figure.add_axes((0.04, 0.17, 0.92, 0.74))
        ax.set_aspect(stretch)
        ax.set_xlim(west, east)
        ax.set_ylim(south, north)
        ax.set_axis_off()
        paths = [_mpl_path(shapes[v.code]) for v in in_view]
        ax.add_collection(
            PathCollection(
                paths,
                facecolors=[colour.get(v.code, CONTEXT) for v in in_view],
                edgecolors=VILLAGE_EDGE,
                linewidths=0.3,
            )
        )
        groups: dict[str, list[BaseGeometry]] = {}
        for v in in_view:
            groups.setdefault(v.kecamatan, []).append(shapes[v.code])
        borders = [_mpl_path(shape) for shape in outlines(groups).values()]
        ax.add_collection(PathCollection(borders, facecolors="none", edgecolors=KECAMATAN_EDGE, linewidths=0.9))
        mentored = [v for v in chosen if v.agency]
        if mentored:
            ax.add_collection(
                PathCollection(
                    [_mpl_path(shapes[v.code]) for v in mentored],
                    facecolors="none",
                    edgecolors=MENTORED_EDGE,
                    linewidths=1.8,
                )
            )
            halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
            for v in mentored:
                point = shapes[v.code].representative_point()
                ax.text(
                    point.x,
                    point.y,
                    v.agency or "",
                    ha="center",
                    va="center",
                    fontsize=6.5,
                    fontweight="bold",
                    path_effects=halo,
                    clip_on=True,
                )
        _scale_bar(ax, west, east, south, north, latitude)
        if north_arrow:
            _north_arrow(ax)

        figure.text(0.04, 0.965, text.title, fontsize=15, fontweight="bold", va="top")
        if text.subtitle:
            figure.text(0.04, 0.935, text.subtitle, fontsize=10, va="top", color="#333333")
        handles = [
            Patch(facecolor=c, edgecolor="#808080", label=f"{label} ({classes.count(i)})")
            for i, (label, c) in enumerate(zip(classes.labels, classes.colours, strict=True))
        ]
        without = classes.count(None)
        if without:
            handles.append(
                Patch(facecolor=NO_FIGURE, edgecolor="#808080", label=_("no figure ({n})").format(n=without))
            )
        handles.append(
            Patch(facecolor="none", edgecolor=MENTORED_EDGE, linewidth=1.8, label=_("mentored village: agency code"))
        )
        handles.append(Patch(facecolor="none", edgecolor=KECAMATAN_EDGE, linewidth=0.9, label=_("kecamatan border")))
        figure.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0.04, 0.035),
            title=measure.label,
            frameon=False,
            fontsize=8.5,
            title_fontsize=9.5,
            alignment="left",
            ncols=2 if wide else 1,
        )
        figure.text(0.96, 0.02, text.source, fontsize=7, ha="right", va="bottom", color="#555555", wrap=True)
        output.parent.mkdir(parents=True, exist_ok=True)
        metadata: dict[str, Any] = {"Date": None} if suffix == ".svg" else {}
        try:
            figure.savefig(output, dpi=DPI if suffix == ".png" else 72, metadata=metadata or None)
        except OSError as e:
            raise InvalidValue(_("cannot write {path}: {error}").format(path=output, error=e.strerror)) from e
    return classes


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] <= b[2] and a[2] >= b[0] and a[1] <= b[3] and a[3] >= b[1]


def _mpl_path(shape: BaseGeometry) -> MplPath:
    """One compound path per (Multi)Polygon: exteriors and holes (drawn even-odd, so holes stay empty)."""
    import numpy as np
    from matplotlib.path import Path as MplPath

    vertices: list[Any] = []
    codes: list[int] = []
    polygons = getattr(shape, "geoms", [shape])
    for polygon in polygons:
        for ring in [polygon.exterior, *polygon.interiors]:
            xy = np.asarray(ring.coords)
            vertices.append(xy)
            ring_codes = [int(MplPath.LINETO)] * len(xy)
            ring_codes[0], ring_codes[-1] = int(MplPath.MOVETO), int(MplPath.CLOSEPOLY)
            codes += ring_codes
    return MplPath(np.concatenate(vertices), codes)


def _nice_km(km: float) -> float:
    """The largest of 1, 2 or 5 times a power of ten not above `km`."""
    power = 10 ** math.floor(math.log10(km))
    return float(max(m * power for m in (1, 2, 5) if m * power <= km))


def _scale_bar(ax: Axes, west: float, east: float, south: float, north: float, latitude: float) -> None:
    """A two-segment bar in kilometres, measured at the map's middle latitude, bottom right."""
    from matplotlib.patches import Rectangle

    per_degree = km_per_degree_longitude(latitude)
    km = _nice_km((east - west) * per_degree / 5)
    length = km / per_degree
    x0 = east - (east - west) * 0.04 - length
    y0 = south + (north - south) * 0.03
    height = (north - south) * 0.006
    for i, fill in enumerate(("#000000", "#ffffff")):
        ax.add_patch(
            Rectangle((x0 + i * length / 2, y0), length / 2, height, facecolor=fill, edgecolor="#000000", lw=0.6)
        )
    label = f"{km:g} km"
    for x, text in ((x0, "0"), (x0 + length / 2, f"{km / 2:g}"), (x0 + length, label)):
        ax.text(x, y0 + height * 1.8, text, ha="center", va="bottom", fontsize=7)


def _north_arrow(ax: Axes) -> None:
    ax.annotate(
        "N",
        xy=(0.95, 0.97),
        xytext=(0.95, 0.89),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=10,
        fontweight="bold",
        arrowprops={"facecolor": "black", "width": 3, "headwidth": 9, "headlength": 8},
    )


def to_geojson(villages: Sequence[MapVillage], measure: Measure, output: Path, kecamatan: Sequence[str] = ()) -> int:
    """Write the map's villages as a GeoJSON FeatureCollection (properties: code, name, kecamatan,
    value, meets_target, agency) for QGIS; returns the number of features written."""
    chosen = select(villages, kecamatan)
    try:
        with output.open("w", encoding="utf-8") as f:
            f.write('{"type":"FeatureCollection","features":[\n')
            for i, v in enumerate(chosen):
                properties = {
                    "code": v.code,
                    "name": v.name,
                    "kecamatan": v.kecamatan,
                    "value": v.value,
                    "meets_target": measure.meets_target(v.value),
                    "agency": v.agency,
                }
                head = json.dumps({"type": "Feature", "properties": properties}, ensure_ascii=False)[:-1]
                f.write(("," if i else "") + head + ',"geometry":' + v.geometry + "}\n")
            f.write("]}\n")
    except OSError as e:
        raise InvalidValue(_("cannot write {path}: {error}").format(path=output, error=e.strerror)) from e
    return len(chosen)
