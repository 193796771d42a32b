"""Map classes: bands around the target in the measure's direction, else quantiles.

With a target T and a band b (default: a quarter of T rounded to 1, 2 or 5 times a power of ten,
so 2 for a poverty target of 8.36 %), a lower-is-better measure has four classes:
`<= T-b` (well within the target), `<= T` (meets it), `<= T+b` (misses it by at most b) and
`> T+b`; a higher-is-better measure mirrors them. Where the target sits at the edge of the
measure's range (extreme poverty's 0 %, an IDM target of 1), no figure can be "well within" it:
the classes are then the target itself and three bands of misses, `<= T+b`, `<= T+2b` and
`> T+2b`, with b a third of the largest miss rounded the same way (0.5 for misses up to 2 %).
Without a target the villages are split into five quantiles. The palette is ColorBrewer YlOrRd
(colour-blind safe), darker for worse figures; villages without a figure are grey.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from opd_desa.i18n import _

PALETTES = {
    1: ["#fd8d3c"],
    2: ["#fecc5c", "#e31a1c"],
    3: ["#ffeda0", "#feb24c", "#f03b20"],
    4: ["#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"],
    5: ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],
}
NO_FIGURE = "#bdbdbd"
QUANTILES = 5


@dataclass(frozen=True, slots=True)
class Measure:
    """How a measure is read: its legend heading, unit, direction and target (None: no target)."""

    label: str
    unit: str = ""
    target: float | None = None
    lower_is_better: bool = True
    band: float | None = None
    decimals: int = 1
    lowest: float | None = None
    highest: float | None = None
    """The measure's range (0-100 for a percentage, 0-1 for the IDM); None where it has no bound."""

    def number(self, value: float) -> str:
        """`8.4 %`: the value as a legend writes it, in the language's decimal style."""
        from opd_desa.i18n import decimal

        return decimal(f"{value:.{self.decimals}f}") + (f" {self.unit}" if self.unit else "")

    def meets_target(self, value: float | None) -> bool | None:
        """Whether a figure meets the target; None without a figure or a target."""
        if value is None or self.target is None:
            return None
        return value <= self.target if self.lower_is_better else value >= self.target


@dataclass(frozen=True, slots=True)
class Classes:
    """The legend (label and colour per class, best first) and each village's class."""

    labels: list[str]
    colours: list[str]
    of: dict[str, int | None]  # village code -> class index; None: no figure

    def count(self, index: int | None) -> int:
        return sum(1 for c in self.of.values() if c == index)


def nice_band(target: float) -> float:
    """A quarter of the target, rounded to 1, 2 or 5 times a power of ten (8.36 -> 2)."""
    return _rounded(abs(target) / 4 or 1.0)


def _rounded(amount: float) -> float:
    """The nearest of 1, 2, 5 or 10 times a power of ten (0.68 -> 0.5)."""
    power = 10 ** math.floor(math.log10(amount))
    return float(min((1, 2, 5, 10), key=lambda m: abs(m * power - amount)) * power)


def at_edge(measure: Measure, target: float, band: float) -> bool:
    """Whether the "well within the target" class would lie outside the measure's range (so hold
    nothing, or only the bound itself): a 0 % target for a lower-is-better percentage."""
    if measure.lower_is_better:
        return measure.lowest is not None and target - band <= measure.lowest
    return measure.highest is not None and target + band >= measure.highest


def classify(values: Mapping[str, float | None], measure: Measure) -> Classes:
    """Each village's class: around the target when the measure has one, else quantiles."""
    if measure.target is not None:
        return _around_target(values, measure, measure.target)
    return _quantiles(values, measure)


def _around_target(values: Mapping[str, float | None], measure: Measure, target: float) -> Classes:
    band = measure.band if measure.band is not None else nice_band(target)
    if at_edge(measure, target, band):
        return _from_edge(values, measure, target)
    n = measure.number
    if measure.lower_is_better:
        edges = [target - band, target, target + band]
        labels = [
            _("{edge} or less: well within the target").format(edge=n(edges[0])),
            _("up to {edge}: meets the target").format(edge=n(edges[1])),
            _("up to {edge}: misses it by {band} at most").format(edge=n(edges[2]), band=n(band)),
            _("over {edge}: misses it by more").format(edge=n(edges[2])),
        ]

        def index(v: float) -> int:
            return sum(1 for e in edges if v > e)
    else:
        edges = [target + band, target, target - band]
        labels = [
            _("{edge} or more: well within the target").format(edge=n(edges[0])),
            _("from {edge}: meets the target").format(edge=n(edges[1])),
            _("from {edge}: misses it by {band} at most").format(edge=n(edges[2]), band=n(band)),
            _("under {edge}: misses it by more").format(edge=n(edges[2])),
        ]

        def index(v: float) -> int:
            return sum(1 for e in edges if v < e)

    return Classes(labels, PALETTES[4], {code: None if v is None else index(v) for code, v in values.items()})


def _from_edge(values: Mapping[str, float | None], measure: Measure, target: float) -> Classes:
    """The target itself, then three bands of misses as wide as a third of the largest miss (rounded)."""
    misses = [abs(v - target) for v in values.values() if v is not None and measure.meets_target(v) is False]
    band = measure.band if measure.band is not None else _rounded(max(misses) / 3) if misses else nice_band(target)
    n = measure.number
    sign = 1 if measure.lower_is_better else -1
    edges = [target, target + sign * band, target + sign * 2 * band]
    on_bound = target in (measure.lowest, measure.highest)
    if measure.lower_is_better:
        labels = [
            (_("{edge}: meets the target") if on_bound else _("up to {edge}: meets the target")).format(edge=n(target)),
            _("up to {edge}: misses it by {band} at most").format(edge=n(edges[1]), band=n(band)),
            _("up to {edge}: misses it by {band} at most").format(edge=n(edges[2]), band=n(2 * band)),
            _("over {edge}: misses it by more").format(edge=n(edges[2])),
        ]

        def index(v: float) -> int:
            return sum(1 for e in edges if v > e)
    else:
        labels = [
            (_("{edge}: meets the target") if on_bound else _("from {edge}: meets the target")).format(edge=n(target)),
            _("from {edge}: misses it by {band} at most").format(edge=n(edges[1]), band=n(band)),
            _("from {edge}: misses it by {band} at most").format(edge=n(edges[2]), band=n(2 * band)),
            _("under {edge}: misses it by more").format(edge=n(edges[2])),
        ]

        def index(v: float) -> int:
            return sum(1 for e in edges if v < e)

    return Classes(labels, PALETTES[4], {code: None if v is None else index(v) for code, v in values.items()})


def _quantiles(values: Mapping[str, float | None], measure: Measure) -> Classes:
    figures = sorted(v for v in values.values() if v is not None)
    if not figures:
        return Classes([], [], dict.fromkeys(values))
    edges = sorted({_quantile(figures, q / QUANTILES) for q in range(QUANTILES + 1)})
    if len(edges) == 1:
        edges = [edges[0], edges[0]]
    labels = [f"{measure.number(low)} – {measure.number(high)}" for low, high in itertools.pairwise(edges)]
    colours = PALETTES[len(labels)]
    if not measure.lower_is_better:  # best first, lightest first
        labels, edges = labels[::-1], edges[::-1]

    def index(v: float) -> int:
        inner = edges[1:-1]
        worse = sum(1 for e in inner if (v > e if measure.lower_is_better else v < e))
        return worse

    return Classes(labels, colours, {code: None if v is None else index(v) for code, v in values.items()})


def _quantile(sorted_values: Sequence[float], q: float) -> float:
    position = q * (len(sorted_values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)
