"""Charts drawn from plain values: a Figure, SVG text or PNG bytes, the same picture every run.

Printed pages are read in greyscale and by people who do not tell red from green, so series
differ by marker, lightness and line style as well as by colour (the Okabe-Ito palette). Text in an
SVG is turned into paths, so a chart looks the same on every machine and inside a PDF.
matplotlib is imported inside the functions: commands that draw nothing never load it.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opd_desa.documents.page import BarChart, ChartSpec, PairingChart, TrendChart
from opd_desa.errors import InvalidValue
from opd_desa.files import write_atomically
from opd_desa.i18n import _

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

BLACK = "#000000"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
INK = "#111111"
LIGHT_SKY = "#A9DAF5"
"""A lighter tint of Okabe-Ito sky blue: it stays light beside vermillion when printed in grey."""

WIDTH = 10.0
"""Inches: the width of an A4 landscape page inside its margins."""
HEIGHT = 4.6
_MARK_STYLES: list[tuple[str, Any]] = [(BLACK, ":"), (PURPLE, "-."), (GREEN, (0, (1, 4)))]
"""Colour and dash of the first, second and third marked day; unlike each other and unlike the target's."""
TITLE_PAD = 24
"""Points between a chart's title and its plot: room for the legend, which sits there."""
MAX_HEIGHT = 6.4

_STYLE: dict[str, Any] = {
    "svg.fonttype": "path",
    "svg.hashsalt": "opd-desa",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    # An explicit (near-)black: default-black glyphs carry no fill in the SVG, and PDF embedding then draws them pale.
    "text.color": INK,
    "axes.titlecolor": INK,
    "axes.labelcolor": INK,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "legend.labelcolor": INK,
}


_NO_METADATA: dict[str, str | None] = {"Date": None, "Creator": None, "Format": None, "Type": None}
"""No date (the same chart gives the same file) and no <metadata> element, which PDF embedding ignores noisily."""


@contextmanager
def _style() -> Iterator[None]:
    """The house style, for drawing and saving alike (svg.fonttype is read when saving)."""
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    with matplotlib.rc_context(_STYLE), warnings.catch_warnings():  # type: ignore[arg-type]
        # a symbol the font lacks (a control character shown as its picture) is drawn as a box, not a warning
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        yield


def figure(spec: ChartSpec) -> Figure:
    """The chart as a matplotlib Figure (not attached to pyplot, so nothing global is left behind)."""
    with _style():
        return _draw(spec)


def _visible_words(spec: ChartSpec) -> ChartSpec:
    """The spec with control characters in its words shown as symbols (they would make the SVG invalid XML)."""
    import dataclasses

    from opd_desa.text import visible_line

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return visible_line(value)
        if isinstance(value, tuple) and value and all(isinstance(v, str) for v in value):
            return tuple(visible_line(v) for v in value)
        return value

    changes = {f.name: clean(getattr(spec, f.name)) for f in dataclasses.fields(spec)}
    return dataclasses.replace(spec, **changes)


def svg(spec: ChartSpec, text_as_paths: bool = True) -> str:
    """The chart as SVG text with no date in it.

    Words are drawn as paths, so the picture needs no font; `text_as_paths=False` keeps them as
    text in DejaVu Sans, for a PDF that embeds that font (searchable, and much quicker to embed).
    """
    import matplotlib

    with _style(), matplotlib.rc_context({"svg.fonttype": "path" if text_as_paths else "none"}):
        buffer = io.StringIO()
        _draw(spec).savefig(buffer, format="svg", metadata=_NO_METADATA)
        return buffer.getvalue()


def png(spec: ChartSpec, dpi: int = 200) -> bytes:
    """The chart as PNG bytes (200 dpi is sharp on an A4 print)."""
    with _style():
        buffer = io.BytesIO()
        _draw(spec).savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()


def write_picture(spec: ChartSpec, path: Path) -> None:
    """Write the chart to `path`: SVG or PNG by the file's suffix, all at once."""
    suffix = path.suffix.lower()
    if suffix == ".svg":
        write_atomically(path, svg(spec).encode("utf-8"))
    elif suffix == ".png":
        write_atomically(path, png(spec))
    else:
        message = _("Cannot draw a chart as {path}: give a file name ending in .svg or .png.")
        raise InvalidValue(message.format(path=path))


def size(spec: ChartSpec) -> tuple[float, float]:
    """Width and height in inches, known before drawing (a page can make room for the chart first)."""
    if isinstance(spec, PairingChart):
        return WIDTH, min(MAX_HEIGHT, max(HEIGHT, 1.6 + 0.2 * len(spec.villages)))
    return WIDTH, HEIGHT


def _draw(spec: ChartSpec) -> Figure:
    spec = _visible_words(spec)
    if isinstance(spec, TrendChart):
        return _trend(spec)
    if isinstance(spec, BarChart):
        return _bars(spec)
    return _pairings(spec)


def _number(value: float, lang: str, sign: bool = False) -> str:
    text = f"{value:+.2f}" if sign else f"{value:.2f}"
    text = text.replace("-", "\u2212")
    return text.replace(".", ",") if lang == "id" else text


def _decimal_axis(axis: Any, lang: str) -> None:
    """Tick labels with the language's decimal mark (6,5 rather than 6.5 in Indonesian)."""
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(
        FuncFormatter(
            lambda value, _position: f"{value:g}".replace("-", "\u2212").replace(".", "," if lang == "id" else ".")
        )
    )


def _new(height: float = HEIGHT) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH, height), layout="constrained")


def _source(fig: Figure, source: str) -> None:
    if source:
        fig.get_layout_engine().set(h_pad=0.08)  # type: ignore[call-arg, union-attr]
        fig.supxlabel(source, x=0.0, ha="left", fontsize=8, color="#333333", style="italic")


def _trend(spec: TrendChart) -> Figure:
    """(a) The figure by year as a line, the target as a dashed line, marked days (starts) as dotted ones."""
    fig = _new()
    ax = fig.add_subplot()
    values = [math.nan if v is None else v for v in spec.values]
    ax.plot(spec.years, values, color=BLUE, marker="o", linewidth=2.2, markersize=6, label=spec.series_label)
    for year, value in zip(spec.years, spec.values, strict=True):
        if value is not None and len(spec.years) <= 15:
            ax.annotate(
                _number(value, spec.lang),
                (year, value),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontsize=8,
            )
    if spec.target is not None:
        ax.axhline(spec.target, color=VERMILLION, linestyle="--", linewidth=1.8, label=spec.target_label or None)
    for mark, (colour, style) in zip(spec.marks, _MARK_STYLES * len(spec.marks), strict=False):
        when = mark.when.year + (mark.when.timetuple().tm_yday - 1) / 365.25
        ax.axvline(when, color=colour, linestyle=style, linewidth=1.5, label=mark.label or None)
    ax.set_xticks(list(spec.years))
    _decimal_axis(ax.yaxis, spec.lang)
    ax.set_title(spec.title, loc="left", pad=TITLE_PAD)
    ax.set_xlabel(spec.x_label)
    ax.set_ylabel(spec.y_label)
    _from_zero(ax, [v for v in values if not math.isnan(v)] + ([spec.target] if spec.target is not None else []))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    _legend_above(ax)
    _source(fig, spec.source)
    return fig


def _legend_above(ax: Axes, handles: Any = None) -> None:
    """The legend in one row between the title and the plot, where it can hide no data."""
    options: dict[str, Any] = {"handles": handles} if handles else {}
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=4, frameon=False, borderaxespad=0.2, **options)


def _from_zero(ax: Axes, values: list[float]) -> None:
    top = max(values, default=1.0)
    ax.set_ylim(0, top * 1.15 if top > 0 else 1.0)


def _bars(spec: BarChart) -> Figure:
    """(b) kecamatan bars, or (c) villages sorted highest first, against the target line.

    Bars above the target are dark vermillion, the others light blue, so the split survives a
    greyscale print (hatches would not: PDF embedding drops SVG patterns).
    """
    pairs = list(zip(spec.labels, spec.values, strict=True))
    if spec.sort:
        pairs.sort(key=lambda pair: -pair[1])
    labels = [label for label, _value in pairs]
    values = [value for _label, value in pairs]
    fig = _new()
    ax = fig.add_subplot()
    positions = range(len(values))
    above = [spec.target is not None and v > spec.target for v in values]
    ax.bar(
        positions,
        values,
        color=[VERMILLION if a else LIGHT_SKY for a in above],
        edgecolor=BLACK,
        linewidth=0.5,
        width=0.75,
    )
    if spec.target is not None:
        ax.axhline(spec.target, color=BLACK, linestyle="--", linewidth=1.6)
    font = max(5.0, min(9.0, 520 / max(len(labels), 1)))
    ax.set_xticks(list(positions), labels, rotation=90 if len(labels) > 8 else 0, fontsize=font)
    ax.set_xlim(-0.6, len(values) - 0.4)
    _decimal_axis(ax.yaxis, spec.lang)
    ax.set_title(spec.title, loc="left", pad=TITLE_PAD)
    ax.set_xlabel(spec.x_label)
    ax.set_ylabel(spec.y_label)
    _from_zero(ax, values + ([spec.target] if spec.target is not None else []))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    _bar_legend(ax, spec, any(above), not all(above))
    _source(fig, spec.source)
    return fig


def _bar_legend(ax: Axes, spec: BarChart, has_above: bool, has_below: bool) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Patch | Line2D] = []
    if spec.target is not None and spec.target_label:
        handles.append(Line2D([], [], color=BLACK, linestyle="--", linewidth=1.6, label=spec.target_label))
    if has_above and spec.above_label:
        handles.append(Patch(facecolor=VERMILLION, edgecolor=BLACK, label=spec.above_label))
    if has_below and spec.below_label:
        handles.append(Patch(facecolor=LIGHT_SKY, edgecolor=BLACK, label=spec.below_label))
    if handles:
        _legend_above(ax, handles)


def _pairings(spec: PairingChart) -> Figure:
    """(d) Each pairing's baseline -> now as a dumbbell, and the mean change of paired vs unpaired villages.

    Pairings are ordered by their change, the largest rise on top: what needs attention is read first.
    """
    rows = sorted(zip(spec.villages, spec.baseline, spec.now, strict=True), key=lambda r: r[2] - r[1], reverse=True)
    height = size(spec)[1]
    fig = _new(height)
    left, right = fig.subplots(1, 2, width_ratios=(3, 1))
    font = max(5.0, min(9.0, 0.8 * 72 * (height - 1.6) / max(len(rows), 1)))
    for y, (_village, before, after) in enumerate(rows):
        left.plot([before, after], [y, y], color="#777777", linewidth=1.4, zorder=1)
    left.scatter(
        [r[1] for r in rows],
        range(len(rows)),
        facecolors="white",
        edgecolors=BLACK,
        marker="o",
        s=36,
        zorder=2,
        label=spec.baseline_label,
    )
    left.scatter(
        [r[2] for r in rows],
        range(len(rows)),
        color=BLUE,
        edgecolors=BLACK,
        marker="s",
        s=36,
        zorder=3,
        label=spec.now_label,
    )
    left.set_yticks(list(range(len(rows))), [r[0] for r in rows], fontsize=font)
    left.set_ylim(len(rows) - 0.5, -0.5)
    left.set_xlabel(spec.value_label)
    left.set_title(spec.title, loc="left", pad=TITLE_PAD)
    left.grid(axis="x", color="#dddddd", linewidth=0.6)
    left.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, frameon=False, borderaxespad=0.2)
    labels = [textwrap.fill(spec.paired_label, 12), textwrap.fill(spec.unpaired_label, 12)]
    changes = [spec.paired_change, spec.unpaired_change]
    values = [0.0 if c is None else c for c in changes]
    bars = right.bar([0, 1], values, color=[BLUE, ORANGE], edgecolor=BLACK, linewidth=0.6, width=0.6)
    for bar, change in zip(bars, changes, strict=True):
        text = "\u2013" if change is None else _number(change, spec.lang, sign=True)
        right.annotate(
            text,
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            textcoords="offset points",
            xytext=(0, -12 if bar.get_height() < 0 else 3),
            ha="center",
            fontsize=9,
            fontweight="bold",
        )
    right.axhline(0, color=BLACK, linewidth=0.8)
    low, high = min([*values, 0.0]), max([*values, 0.0])
    span = (high - low) or 1.0
    right.set_ylim(low - 0.2 * span, high + 0.2 * span)
    right.set_xticks([0, 1], labels)
    _decimal_axis(left.xaxis, spec.lang)
    _decimal_axis(right.yaxis, spec.lang)
    right.set_xlim(-0.6, 1.6)
    right.set_ylabel(spec.change_label)
    right.set_title(spec.change_title, loc="left", fontsize=10, pad=TITLE_PAD)
    right.grid(axis="y", color="#dddddd", linewidth=0.6)
    right.set_axisbelow(True)
    _source(fig, spec.source)
    return fig
