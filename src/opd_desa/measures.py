"""What a measure is: its unit, its direction, its range, and (for the IDM) its status classes.

Pure rules, no database: "worse than the target" in the measure's direction has its one home
here (`Measure.misses` for Python, `Measure.misses_sql` for queries), and so do the Permendes
PDTT 2/2016 classes of the Indeks Desa Membangun.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opd_desa.i18n import N_, _

POVERTY = "poverty"
EXTREME = "extreme"
IDM = "idm"
PERCENT = "%"
BETTER = ("lower", "higher")

# the built-in measures' names, translated when shown (an office's own measures show as typed)
BUILT_IN_NAMES = {
    POVERTY: N_("Percentage of poor people"),
    EXTREME: N_("Percentage of people in extreme poverty"),
    IDM: N_("Village development index (IDM)"),
}

# Permendes PDTT 2/2016: a class holds the scores above the previous bound up to its own
IDM_CLASSES: tuple[tuple[str, float], ...] = (
    ("Sangat Tertinggal", 0.4907),
    ("Tertinggal", 0.5989),
    ("Berkembang", 0.7072),
    ("Maju", 0.8155),
    ("Mandiri", 1.0),
)
IDM_CLASS_NAMES = tuple(name for name, _bound in IDM_CLASSES)


@dataclass(frozen=True)
class Measure:
    """One measure kept per village and year."""

    id: int
    key: str
    name: str
    unit: str
    better: str  # "lower" or "higher"
    min: float | None = None
    max: float | None = None
    default_target: float | None = None
    default_target_source: str | None = None

    @property
    def is_percent(self) -> bool:
        """Percentage measures may be given as count and population, and are weighted by population."""
        return self.unit == PERCENT

    @property
    def title(self) -> str:
        """The name people read, in their language for the built-in measures."""
        return _(BUILT_IN_NAMES[self.key]) if self.key in BUILT_IN_NAMES else self.name

    @property
    def has_classes(self) -> bool:
        return self.key == IDM

    def misses(self, value: float | None, target: float | None) -> bool | None:
        """True when `value` is worse than `target` in the measure's direction (None without either)."""
        if value is None or target is None:
            return None
        return value > target if self.better == "lower" else value < target

    def misses_sql(self, value: str, target: str) -> str:
        """SQL for `misses`, on a column and a bound parameter."""
        return f"{value} > {target}" if self.better == "lower" else f"{value} < {target}"

    def in_range(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def range_text(self) -> str:
        low = "–" if self.min is None else f"{self.min:g}"
        high = "–" if self.max is None else f"{self.max:g}"
        return f"{low}..{high}"

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of a measure in reports: key, name, unit, better."""
        return {"key": self.key, "name": self.title, "unit": self.unit, "better": self.better}


def idm_class(score: float | None) -> str | None:
    """The IDM status class of a score (None for no score)."""
    if score is None:
        return None
    for name, bound in IDM_CLASSES:
        if score <= bound:
            return name
    return IDM_CLASSES[-1][0]


def idm_class_named(text: str) -> str | None:
    """The class a typed status word names (`tertinggal`, `SANGAT TERTINGGAL`), or None."""
    key = " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()
    return next((name for name in IDM_CLASS_NAMES if name.casefold() == key), None)


IDM_STEP = 0.0001  # IDM scores are published with four decimals


def idm_class_floor(name: str) -> float:
    """The lowest score of a class: an IDM target given as a class name means this. A class starts just
    above the bound of the class below it (Berkembang ≤ 0.7072 < Maju), so Maju's floor is 0.7073 and
    a Berkembang score of 0.7072 does not meet a Maju target; Sangat Tertinggal starts at 0."""
    floor = 0.0
    for class_name, bound in IDM_CLASSES:
        if class_name == name:
            return floor
        floor = round(bound + IDM_STEP, 4)
    raise KeyError(name)
