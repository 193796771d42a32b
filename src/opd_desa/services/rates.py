"""Village rates added up, and the shape every table of rates against a target shares.

`report`, `scorecard` and `trend` all return a `RatesAgainstTarget` and average with a `Tally`,
so the weighted and plain means are computed in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import reduce
from itertools import compress, filterfalse, repeat
from operator import add, is_not, mul
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opd_desa.measures import Measure


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
    target: float | None  # None: the measure has no target
    target_source: str
    rows: Sequence[dict[str, Any]]  # a list, or a report's village rows kept as columns (ColumnRows)
    summary: dict[str, Any]
    sources: list[str]
    warnings: list[str] = field(default_factory=list, kw_only=True)
    measure: Measure | None = field(default=None, kw_only=True)  # None: poverty, as before measures

    def as_dict(self) -> dict[str, Any]:
        shown = {
            "year": self.year,
            "target": self.target,
            "target_source": self.target_source,
            "rows": self.rows,
            "summary": self.summary,
            "sources": self.sources,
        }
        if self.measure is not None:
            shown["measure"] = self.measure.as_dict()
        return shown


def digits(measure: Measure) -> int:
    """Decimals a measure's means and changes are shown to: 2 for percentages, 4 for other figures."""
    return 2 if measure.is_percent else 4


class Tally:
    """Running totals of village rates: the one home of the weighted and plain means."""

    __slots__ = (
        "above",
        "above_unpaired",
        "digits",
        "missing_population",
        "paired",
        "population",
        "rate_sum",
        "villages",
        "weight",
        "weighted_sum",
        "with_data",
    )

    def __init__(self, digits: int = 2) -> None:
        self.digits = digits  # means are rounded to this: 2 for rates, 4 for a 0-1 score
        self.villages = self.with_data = self.above = self.above_unpaired = self.paired = 0
        self.missing_population = 0  # villages with a rate but no population
        self.rate_sum = self.weighted_sum = 0.0
        self.weight = 0  # population of villages with a rate
        self.population: int | None = None  # population of all villages that have one

    def add(
        self,
        rate: float | None,
        population: int | None,
        above: bool | None = None,
        paired: bool = False,
        *,
        weighted: bool = True,
    ) -> None:
        """Count one village (its rate may be missing); `weighted=False` for measures that are not
        shares of the population (the IDM), whose mean is always the plain one."""
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
        if population and weighted:
            self.weight += population
            self.weighted_sum += rate * population
        else:
            self.missing_population += 1

    def add_all(
        self,
        rates: Sequence[float | None],
        populations: Sequence[int | None],
        above: Sequence[bool | None] | None = None,
        paired: Sequence[bool] | None = None,
        *,
        weighted: bool = True,
    ) -> None:
        """`add` for many villages at once, a column each (a national report counts 83,762 of them):
        the same counts, and the same sums added in the same order, so the same means to the last digit.
        Each step is one pass of a builtin over a column (compress, filter, map), not a call per village."""
        self.villages += len(rates)
        if paired is not None:
            self.paired += sum(paired)
        known = list(compress(populations, map(is_not, populations, repeat(None))))
        if known:
            self.population = reduce(add, known, self.population or 0)
        with_rate = list(map(is_not, rates, repeat(None)))
        present = list(compress(rates, with_rate))
        if not present:
            return
        self.with_data += len(present)
        self.rate_sum = reduce(add, present, self.rate_sum)
        if above is not None:
            hits = list(compress(above, with_rate))
            self.above += len(list(filter(None, hits)))
            self.above_unpaired += (
                len(list(filter(None, hits)))
                if paired is None
                else len(list(filterfalse(None, compress(compress(paired, with_rate), hits))))
            )
        shares = list(compress(populations, with_rate)) if weighted else []
        weights = list(filter(None, shares))  # a population of 0 or none gives no weight
        self.weight = reduce(add, weights, self.weight)
        self.weighted_sum = reduce(add, map(mul, compress(present, shares), weights), self.weighted_sum)
        self.missing_population += len(present) - len(weights)

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
        return round(self.weighted_sum / self.weight, self.digits) if self.weight else None

    @property
    def mean_rate(self) -> float | None:
        """The plain mean of the rates given."""
        return round(self.rate_sum / self.with_data, self.digits) if self.with_data else None

    @property
    def group_rate(self) -> float | None:
        """Population-weighted where every village with data has a population, else the plain mean."""
        return self.weighted_rate if self.with_data and not self.missing_population else self.mean_rate
