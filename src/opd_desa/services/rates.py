"""Village rates added up, and the shape every table of rates against a target shares.

`report`, `scorecard` and `trend` all return a `RatesAgainstTarget` and average with a `Tally`,
so the weighted and plain means are computed in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def round2(value: float | None) -> float | None:
    """Rates and changes are shown to two decimals (None stays None)."""
    return None if value is None else round(value, 2)


def mean(values: list[float]) -> float | None:
    """The plain mean to two decimals, None for no values."""
    return round2(sum(values) / len(values)) if values else None


@dataclass
class RatesAgainstTarget:
    """Rows of rates for one year against its target: the JSON shape of report, scorecard and trend."""

    year: int
    target: float
    target_source: str
    rows: list[dict[str, Any]]
    summary: dict[str, Any]
    sources: list[str]
    warnings: list[str] = field(default_factory=list, kw_only=True)

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "target": self.target,
            "target_source": self.target_source,
            "rows": self.rows,
            "summary": self.summary,
            "sources": self.sources,
        }


class Tally:
    """Running totals of village rates: the one home of the weighted and plain means."""

    __slots__ = (
        "above",
        "above_unpaired",
        "missing_population",
        "paired",
        "population",
        "rate_sum",
        "villages",
        "weight",
        "weighted_sum",
        "with_data",
    )

    def __init__(self) -> None:
        self.villages = self.with_data = self.above = self.above_unpaired = self.paired = 0
        self.missing_population = 0  # villages with a rate but no population
        self.rate_sum = self.weighted_sum = 0.0
        self.weight = 0  # population of villages with a rate
        self.population: int | None = None  # population of all villages that have one

    def add(self, rate: float | None, population: int | None, above: bool | None = None, paired: bool = False) -> None:
        """Count one village (its rate may be missing)."""
        self.villages += 1
        self.paired += paired
        if population is not None:
            self.population = (self.population or 0) + population
        if rate is None:
            return
        self.with_data += 1
        self.rate_sum += rate
        if above:
            self.above += 1
            self.above_unpaired += not paired
        if population:
            self.weight += population
            self.weighted_sum += rate * population
        else:
            self.missing_population += 1

    def absorb(self, other: Tally) -> None:
        """Count `other`'s villages too (a kabupaten's tally from its kecamatan's)."""
        for slot in self.__slots__:
            if slot != "population":
                setattr(self, slot, getattr(self, slot) + getattr(other, slot))
        if other.population is not None:
            self.population = (self.population or 0) + other.population

    @property
    def weighted_rate(self) -> float | None:
        """Population-weighted over villages with a rate and a population (None if there are none)."""
        return round2(self.weighted_sum / self.weight) if self.weight else None

    @property
    def mean_rate(self) -> float | None:
        """The plain mean of the rates given."""
        return round2(self.rate_sum / self.with_data) if self.with_data else None

    @property
    def group_rate(self) -> float | None:
        """Population-weighted where every village with data has a population, else the plain mean."""
        return self.weighted_rate if self.with_data and not self.missing_population else self.mean_rate
