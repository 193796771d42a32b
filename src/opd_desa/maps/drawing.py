"""The village map: villages shaded by their figure, kecamatan borders, mentored villages outlined
and labelled with their agency, legend, title, source, scale bar and north arrow; sized for A4.

`draw_map` writes .svg, .png or .pdf (matplotlib, imported here only); `to_geojson` writes the same
villages and figures as a FeatureCollection for QGIS.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opd_desa.errors import InvalidValue, NotFound
from opd_desa.i18n import _, decimal
from opd_desa.maps.classes import NO_FIGURE, Classes, Measure, classify
from opd_desa.maps.geojson import write_collection
from opd_desa.maps.geometry import bounding_box, from_text, km_per_degree_longitude, merge, outlines
from opd_desa.names import closest, kecamatan_key, shown

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.path import Path as MplPath
    from shapely.geometry.base import BaseGeometry

FORMATS = (".svg", ".png", ".pdf")
A4_INCHES = (8.27, 11.69)
DPI = 200
VILLAGE_EDGE = "#ffffff"
KECAMATAN_EDGE = "#404040"
MENTORED_EDGE = "#000000"
CONTEXT = "#f2f2f2"  # villages outside the kecamatan a map zooms to
MAP_AREA = (0.04, 0.22, 0.92, 0.68)  # left, bottom, width, height on the page (portrait)
MAP_AREA_WIDE = (0.04, 0.2, 0.92, 0.68)
MAX_KECAMATAN_FOR_INSET = 60
TITLE_WIDTH, TITLE_WIDTH_WIDE, TITLE_LINE = 58, 90, 0.03  # characters per title line; its height on the page


@dataclass(frozen=True, slots=True)
class MapVillage:
    """A village as the map shows it: its stored boundary, figure and mentoring agency (if any).
    Villages without a boundary cannot be drawn; leave them out (`status` counts them)."""

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
    Kecamatan lying far from the rest (Karimunjawa's islands) go into an inset at the same scale.
    Returns the classes drawn (for a caption or a test)."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidValue(_("{path}: a map is written as .svg, .png, .pdf or .geojson").format(path=output))
    chosen = select(villages, kecamatan)
    shapes = {v.code: from_text(v.geometry) for v in villages}
    classes = classify({v.code: v.value for v in chosen}, measure)
    colour = {code: NO_FIGURE if i is None else classes.colours[i] for code, i in classes.of.items()}
    groups: dict[str, list[BaseGeometry]] = {}
    for v in chosen:
        groups.setdefault(v.kecamatan, []).append(shapes[v.code])
    far = _outlying(outlines(groups)) if not kecamatan else set()
    main = [v for v in chosen if v.kecamatan not in far]
    box = _padded(bounding_box(shapes[v.code] for v in main))
    wide = (box[2] - box[0]) > (box[3] - box[1]) * _stretch(box)

    title = textwrap.fill(text.title, TITLE_WIDTH_WIDE if wide else TITLE_WIDTH)
    lines = title.count("\n") + 1
    with rc_context({"svg.fonttype": "none", "font.size": 9, "font.family": "DejaVu Sans"}):
        figure = Figure(figsize=A4_INCHES[::-1] if wide else A4_INCHES)
        left, bottom, width, height = MAP_AREA_WIDE if wide else MAP_AREA
        ax = figure.add_axes((left, bottom, width, height - TITLE_LINE * (lines - 1)))
        _draw(ax, box, villages, shapes, colour)
        ax.set_axis_off()
        ax.apply_aspect()  # the map's real place on the page, for the inset and the scale bar
        if far:
            inset_box = _padded(bounding_box(shapes[v.code] for v in chosen if v.kecamatan in far))
            land = merge([shapes[v.code] for v in main])
            inset = figure.add_axes(_inset_place(ax, box, inset_box, land))
            _draw(inset, inset_box, [v for v in chosen if v.kecamatan in far], shapes, colour)
            inset.set_xticks([])
            inset.set_yticks([])
            for spine in inset.spines.values():
                spine.set_edgecolor("#808080")
            inset.set_title(", ".join(sorted(far)), fontsize=7.5, color="#333333", pad=2)
        left_of_bar = _scale_bar(figure, ax, box)
        if north_arrow:
            _north_arrow(figure, left_of_bar - 0.04, ax.get_position().y0)
        figure.text(0.04, 0.965, title, fontsize=15, fontweight="bold", va="top", linespacing=1.25)
        if text.subtitle:
            figure.text(0.04, 0.935 - TITLE_LINE * (lines - 1), text.subtitle, fontsize=10, va="top", color="#333333")
        _legend(figure, classes, measure, wide)
        figure.text(0.96, 0.02, text.source, fontsize=7, ha="right", va="bottom", color="#555555")
        output.parent.mkdir(parents=True, exist_ok=True)
        metadata: dict[str, Any] | None = {"Date": None} if suffix == ".svg" else None
        try:
            figure.savefig(output, dpi=DPI if suffix == ".png" else 72, metadata=metadata)
        except OSError as e:
            raise InvalidValue(_("cannot write {path}: {error}").format(path=output, error=e.strerror)) from e
    return classes


def _stretch(box: tuple[float, float, float, float]) -> float:
    """How much longer a degree of latitude is than one of longitude at the box's middle."""
    return 1 / math.cos(math.radians((box[1] + box[3]) / 2))


def _padded(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    west, south, east, north = box
    pad = max(east - west, north - south) * 0.02 or 0.01
    return (west - pad, south - pad, east + pad, north + pad)


def _draw(
    ax: Axes,
    box: tuple[float, float, float, float],
    villages: Sequence[MapVillage],
    shapes: dict[str, BaseGeometry],
    colour: dict[str, str],
) -> None:
    """Villages in the box: coloured (pale when outside the chosen kecamatan), kecamatan borders,
    the mentored villages outlined and labelled with their agency code."""
    from matplotlib.collections import PathCollection

    ax.set_aspect(_stretch(box))
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    in_view = [v for v in villages if _overlaps(shapes[v.code].bounds, box)]
    ax.add_collection(
        PathCollection(
            [_mpl_path(shapes[v.code]) for v in in_view],
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
    mentored = [v for v in in_view if v.agency and v.code in colour]
    if not mentored:
        return
    ax.add_collection(
        PathCollection(
            [_mpl_path(shapes[v.code]) for v in mentored], facecolors="none", edgecolors=MENTORED_EDGE, linewidths=1.8
        )
    )
    for v in mentored:  # on a pale box rather than a halo effect, so that SVG keeps the labels as text
        point = shapes[v.code].representative_point()
        ax.text(
            point.x,
            point.y,
            v.agency or "",
            ha="center",
            va="center",
            fontsize=6.5,
            fontweight="bold",
            bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.75},
            clip_on=True,
        )


def _outlying(kecamatan: dict[str, BaseGeometry]) -> set[str]:
    """Kecamatan lying apart from all the others by more than a fifth of the others' extent (islands
    such as Karimunjawa), when they hold under a third of the kecamatan; only for a kabupaten-sized map."""
    if not 2 <= len(kecamatan) <= MAX_KECAMATAN_FOR_INSET:
        return set()
    far = set()
    for name, shape in kecamatan.items():
        rest = merge([s for n, s in kecamatan.items() if n != name])
        west, south, east, north = rest.bounds
        if shape.distance(rest) > 0.2 * max(east - west, north - south):
            far.add(name)
    return far if len(far) * 3 < len(kecamatan) else set()


def _inset_place(
    ax: Axes, box: tuple[float, float, float, float], inset: tuple[float, float, float, float], land: BaseGeometry
) -> tuple[float, float, float, float]:
    """The inset's rectangle on the page: same scale as the map when it fits (else shrunk), along
    the side of the map where it hides the least land."""
    from shapely.geometry import box as rectangle

    place = ax.get_position()
    per_x, per_y = place.width / (box[2] - box[0]), place.height / (box[3] - box[1])
    width, height = (inset[2] - inset[0]) * per_x, (inset[3] - inset[1]) * per_y
    shrink = min(1.0, 0.4 * place.width / width, 0.4 * place.height / height)
    width, height = width * shrink, height * shrink
    steps = [i / 4 for i in range(5)]  # along each side of the map, top-left first
    left, right, bottom, top = place.x0, place.x1 - width, place.y0, place.y1 - height
    corners = [(left, top - t * (top - bottom)) for t in steps] + [(right, top - t * (top - bottom)) for t in steps]
    corners += [(left + t * (right - left), y) for y in (top, bottom) for t in steps]

    def hidden(corner: tuple[float, float]) -> float:
        x, y = corner
        west = box[0] + (x - place.x0) / per_x
        south = box[1] + (y - place.y0) / per_y
        return float(land.intersection(rectangle(west, south, west + width / per_x, south + height / per_y)).area)

    x, y = min(corners, key=hidden)
    return (x, y, width, height)


def _legend(figure: Figure, classes: Classes, measure: Measure, wide: bool) -> None:
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=c, edgecolor="#808080", label=f"{label} ({classes.count(i)})")
        for i, (label, c) in enumerate(zip(classes.labels, classes.colours, strict=True))
    ]
    without = classes.count(None)
    if without:
        handles.append(Patch(facecolor=NO_FIGURE, edgecolor="#808080", label=_("no figure ({n})").format(n=without)))
    handles.append(
        Patch(facecolor="none", edgecolor=MENTORED_EDGE, linewidth=1.8, label=_("mentored village: agency code"))
    )
    handles.append(Patch(facecolor="none", edgecolor=KECAMATAN_EDGE, linewidth=0.9, label=_("kecamatan border")))
    figure.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.04, 0.04),
        title=measure.label,
        frameon=False,
        fontsize=8.5,
        title_fontsize=9.5,
        alignment="left",
        ncols=2 if wide else 1,
    )


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


def _scale_bar(figure: Figure, ax: Axes, box: tuple[float, float, float, float]) -> float:
    """A two-segment bar in kilometres under the map's bottom right corner, measured at the map's
    middle latitude (where a degree of longitude spans 111.32 km x cos(latitude)); returns where
    the bar begins on the page."""
    from matplotlib.patches import Rectangle

    per_degree = km_per_degree_longitude((box[1] + box[3]) / 2)
    km = _nice_km((box[2] - box[0]) * per_degree / 5)
    place = ax.get_position()
    width = km / per_degree * place.width / (box[2] - box[0])
    bar = figure.add_axes((place.x1 - width, place.y0 - 0.03, width, 0.008))
    bar.set_xlim(0, 1)
    bar.set_ylim(0, 1)
    bar.set_axis_off()
    for i, fill in enumerate(("#000000", "#ffffff")):
        bar.add_patch(Rectangle((i / 2, 0), 0.5, 1, facecolor=fill, edgecolor="#000000", lw=0.6))
    for x, label in ((0.0, "0"), (0.5, decimal(f"{km / 2:g}")), (1.0, decimal(f"{km:g}") + " km")):
        bar.text(x, -0.6, label, ha="center", va="top", fontsize=7.5, transform=bar.transAxes)
    return float(place.x1 - width)


def _north_arrow(figure: Figure, x: float, top: float) -> None:
    """An arrow pointing up with an N under it, below the map left of the scale bar (north is up)."""
    from matplotlib.patches import FancyArrow

    figure.text(x, top - 0.055, "N", ha="center", va="center", fontsize=10, fontweight="bold")
    arrow = FancyArrow(x, top - 0.045, 0, 0.035, width=0.004, head_width=0.014, head_length=0.012, color="black")
    arrow.set_transform(figure.transFigure)
    figure.add_artist(arrow)


def to_geojson(villages: Sequence[MapVillage], measure: Measure, output: Path, kecamatan: Sequence[str] = ()) -> int:
    """Write the map's villages as a GeoJSON FeatureCollection (properties: code, name, kecamatan,
    value, meets_target, agency) for QGIS; returns the number of features written."""
    chosen = select(villages, kecamatan)
    features = (
        (
            {
                "code": v.code,
                "name": v.name,
                "kecamatan": v.kecamatan,
                "value": v.value,
                "meets_target": measure.meets_target(v.value),
                "agency": v.agency,
            },
            v.geometry,
        )
        for v in chosen
    )
    return write_collection(output, features)
