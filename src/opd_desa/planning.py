"""Planning the next decree: which pairings graduate, which villages wait, which agency goes where.

Pure and deterministic: plain frozen values in, a `Plan` out; the service reads the database and
the CLI renders. The rules (SPEC "Planning the next decree"):

- A current pairing *graduates* when its village met the target in each of its last N years with
  data up to the plan's year (N = `graduate_after`; a village with fewer than N such years does not).
- *Candidates* are villages without a current mentor whose figure in the plan's year does not meet
  the target, neediest first: worse figure, then larger population, then code.
- *Free agencies* are the agencies without a village plus those of graduating pairings, by code.
- The *proposal* picks villages one at a time: among the candidates not yet considered, the one with
  the worse figure (to two decimals); where figures are equal, the one whose kecamatan has fewer
  pairings (those that continue plus those proposed so far); then the larger population; then the
  code. A picked village is kept when the free agencies can still cover every kept village without
  sending an agency back to a village it mentored before (so the proposal is as large as it can
  be); otherwise it is skipped. Picking stops when every free agency has a village. Agencies are
  then given out in the order villages were kept: each village gets the free agency with the lowest
  code that it may have and that still leaves an agency for every later village.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _, decimal
from opd_desa.imports.formats import FIELDS
from opd_desa.longdates import long_date

DEFAULT_GRADUATE_AFTER = 2


@dataclass(frozen=True)
class Village:
    code: str
    name: str
    kecamatan: str


@dataclass(frozen=True)
class Agency:
    code: str
    name: str


@dataclass(frozen=True)
class Figure:
    """A village's figure for one year (the measure's value), with the population it counts."""

    village_code: str
    year: int
    value: float
    population: int | None = None


@dataclass(frozen=True)
class Pairing:
    """An agency mentoring a village from `since` (inclusive) to `until` (exclusive; None: open)."""

    village: Village
    agency: Agency
    since: date
    until: date | None = None


@dataclass(frozen=True)
class Measure:
    """What the plan compares: the target, which way is better, and the unit figures are written in."""

    target: float
    lower_is_better: bool = True
    unit: str = "%"

    def meets(self, value: float) -> bool:
        """Whether a figure meets the target (on it counts as meeting it)."""
        return value <= self.target if self.lower_is_better else value >= self.target

    def amount(self, value: float) -> str:
        """A figure as people read it: `11.80 %` (en), `11,80 %` (id)."""
        text = decimal(f"{value:.2f}")
        return f"{text} {self.unit}" if self.unit else text


@dataclass(frozen=True)
class Graduation:
    """A current pairing whose village met the target in each of `years`."""

    pairing: Pairing
    years: tuple[int, ...]
    values: tuple[float, ...]

    def reason(self) -> str:
        """Why the pairing ends, as the pairings file's `reason` says it."""
        return _("met the target in {years}").format(years=", ".join(str(y) for y in self.years))


@dataclass(frozen=True)
class Candidate:
    """A village without a mentor whose figure in the plan's year does not meet the target."""

    village: Village
    value: float
    population: int | None
    mentor_ended: date | None  # the day its last pairing ended; None when it never had a mentor


@dataclass(frozen=True)
class Proposal:
    """One proposed pairing, with its explanation in the language chosen when the plan was made."""

    village: Village
    value: float
    agency: Agency
    replaces: Village | None  # the graduating village this agency leaves; None for an agency without one
    why: str


@dataclass(frozen=True)
class Plan:
    year: int
    measure: Measure
    graduate_after: int
    graduating: tuple[Graduation, ...]
    candidates: tuple[Candidate, ...]
    free_agencies: tuple[Agency, ...]
    proposal: tuple[Proposal, ...]
    leaves: Mapping[str, Village]  # agency code -> the graduating village it leaves

    @property
    def target(self) -> float:
        return self.measure.target

    def as_dict(self) -> dict[str, Any]:
        """The plan as `plan --format json` prints it (SPEC keys, plus a few more)."""
        return {
            "year": self.year,
            "target": round(self.target, 2),
            "better": "lower" if self.measure.lower_is_better else "higher",
            "graduate_after": self.graduate_after,
            "graduating": [
                {
                    "village_code": g.pairing.village.code,
                    "village": g.pairing.village.name,
                    "kecamatan": g.pairing.village.kecamatan,
                    "agency_code": g.pairing.agency.code,
                    "agency": g.pairing.agency.name,
                    "since": g.pairing.since.isoformat(),
                    "years": list(g.years),
                    "values": [round(v, 2) for v in g.values],
                }
                for g in self.graduating
            ],
            "candidates": [
                {
                    "village_code": c.village.code,
                    "village": c.village.name,
                    "kecamatan": c.village.kecamatan,
                    "value": round(c.value, 2),
                    "population": c.population,
                    "mentor_ended": c.mentor_ended.isoformat() if c.mentor_ended else None,
                }
                for c in self.candidates
            ],
            "free_agencies": [
                {"agency_code": a.code, "agency": a.name, "leaves": _code(self.leaves.get(a.code))}
                for a in self.free_agencies
            ],
            "proposal": [
                {
                    "village_code": p.village.code,
                    "village": p.village.name,
                    "kecamatan": p.village.kecamatan,
                    "value": round(p.value, 2),
                    "agency_code": p.agency.code,
                    "agency": p.agency.name,
                    "replaces": _code(p.replaces),
                    "why": p.why,
                }
                for p in self.proposal
            ],
        }


def _code(village: Village | None) -> str | None:
    return village.code if village else None


def default_since(year: int) -> date:
    """When the proposed pairings start unless told otherwise: the first of January after the plan's year."""
    return date(year + 1, 1, 1)


def make_plan(
    *,
    year: int,
    measure: Measure,
    villages: Sequence[Village],
    figures: Sequence[Figure],
    current: Sequence[Pairing],
    history: Sequence[Pairing],
    agencies: Sequence[Agency],
    graduate_after: int = DEFAULT_GRADUATE_AFTER,
) -> Plan:
    """The plan for the decree after `year` (see the module's docstring for the rules).

    `current` holds the pairings in force, `history` every pairing ever recorded (current ones may be
    in it too), `agencies` every agency, `figures` every village's figures (later years are ignored).
    """
    if graduate_after < 1:
        raise InvalidValue(
            _("--graduate-after must be 1 or more: how many latest years with data must meet the target")
        )
    by_village: dict[str, dict[int, Figure]] = defaultdict(dict)
    for figure in figures:
        if figure.year <= year:
            by_village[figure.village_code][figure.year] = figure

    graduating = tuple(
        g
        for g in (_graduation(p, by_village.get(p.village.code, {}), measure, graduate_after) for p in current)
        if g is not None
    )
    graduating = tuple(sorted(graduating, key=lambda g: g.pairing.village.code))
    paired = {p.village.code for p in current}
    candidates = _candidates(year, measure, villages, by_village, paired, history)

    leaves = {g.pairing.agency.code: g.pairing.village for g in graduating}
    busy = {p.agency.code for p in current} - leaves.keys()
    free = tuple(sorted((a for a in {a.code: a for a in agencies}.values() if a.code not in busy), key=_agency_key))
    ended = {g.pairing.village.code for g in graduating}
    load = Counter(p.village.kecamatan for p in current if p.village.code not in ended)
    mentored = {(p.agency.code, p.village.code) for p in (*history, *current)}
    matched = _match(candidates, [a.code for a in free], mentored, measure, load)

    by_code = {a.code: a for a in free}
    proposal = tuple(
        Proposal(c.village, c.value, by_code[a], leaves.get(a), _why(year, measure, c, by_code[a], leaves.get(a)))
        for c, a in matched
    )
    return Plan(year, measure, graduate_after, graduating, candidates, free, proposal, leaves)


def _agency_key(agency: Agency) -> str:
    return agency.code


def _graduation(pairing: Pairing, figures: Mapping[int, Figure], measure: Measure, n: int) -> Graduation | None:
    last = [figures[y] for y in sorted(figures)[-n:]]
    if len(last) < n or not all(measure.meets(f.value) for f in last):
        return None
    return Graduation(pairing, tuple(f.year for f in last), tuple(f.value for f in last))


def _need(measure: Measure, value: float) -> float:
    """Sorts the neediest first: the worse the figure, the smaller."""
    rounded = round(value, 2)
    return -rounded if measure.lower_is_better else rounded


def _candidates(
    year: int,
    measure: Measure,
    villages: Sequence[Village],
    by_village: Mapping[str, Mapping[int, Figure]],
    paired: set[str],
    history: Sequence[Pairing],
) -> tuple[Candidate, ...]:
    ended: dict[str, date] = {}
    for p in history:
        if p.until is not None and p.until > ended.get(p.village.code, date.min):
            ended[p.village.code] = p.until
    found = []
    for village in {v.code: v for v in villages}.values():
        figure = by_village.get(village.code, {}).get(year)
        if figure is None or village.code in paired or measure.meets(figure.value):
            continue
        found.append(Candidate(village, figure.value, figure.population, ended.get(village.code)))
    found.sort(key=lambda c: (_need(measure, c.value), -(c.population or 0), c.village.code))
    return tuple(found)


def _match(
    candidates: Sequence[Candidate],
    free: Sequence[str],
    mentored: set[tuple[str, str]],
    measure: Measure,
    load: Counter[str],
) -> list[tuple[Candidate, str]]:
    """(candidate, agency code) pairs: which villages first, then which agency each (module docstring)."""
    options = {c.village.code: [a for a in free if (a, c.village.code) not in mentored] for c in candidates}
    holder: dict[str, str] = {}  # agency code -> village code, a matching of the villages kept so far
    pool = set(free)
    kept: list[Candidate] = []
    waiting = list(candidates)
    load = Counter(load)
    while waiting and len(kept) < len(free):
        best = min(
            waiting,
            key=lambda c: (_need(measure, c.value), load[c.village.kecamatan], -(c.population or 0), c.village.code),
        )
        waiting.remove(best)
        if _augment(best.village.code, holder, options, pool, set()):
            kept.append(best)
            load[best.village.kecamatan] += 1

    result = []
    for candidate in kept:
        village = candidate.village.code
        mine = next(a for a, v in holder.items() if v == village)
        for agency in options[village]:
            if agency not in pool:
                continue
            if agency == mine:
                break
            trial = dict(holder)
            del trial[mine]
            other = trial.get(agency)
            trial[agency] = village
            if other is None or _augment(other, trial, options, pool, {agency}):
                holder = trial
                break
        else:  # pragma: no cover - the kept villages always have a matching
            raise AssertionError("no agency left for a kept village")
        pool.discard(agency)
        del holder[agency]
        result.append((candidate, agency))
    return result


def _augment(
    village: str, holder: dict[str, str], options: Mapping[str, Sequence[str]], pool: set[str], seen: set[str]
) -> bool:
    """Find `village` an agency, moving others along an alternating path (Kuhn); change nothing on failure.
    Recursion is as deep as the path: at most the number of free agencies (a few dozen in a kabupaten)."""
    for agency in options[village]:
        if agency in seen or agency not in pool:
            continue
        seen.add(agency)
        other = holder.get(agency)
        if other is None or _augment(other, holder, options, pool, seen):
            holder[agency] = village
            return True
    return False


def _why(year: int, measure: Measure, candidate: Candidate, agency: Agency, leaves: Village | None) -> str:
    """One line: why this village (its figure against the target), why now (how long without a mentor)."""
    gap = decimal(f"{abs(candidate.value - measure.target):.2f}")
    values = {"value": measure.amount(candidate.value), "year": year, "gap": gap}
    values["target"] = measure.amount(measure.target)
    figure = (
        _("{value} in {year}, {gap} points above the {target} target")
        if measure.lower_is_better
        else _("{value} in {year}, {gap} points below the {target} target")
    ).format(**values)
    waited = (
        _("without a mentor since {date}").format(date=long_date(candidate.mentor_ended))
        if candidate.mentor_ended
        else _("never had a mentor")
    )
    frees = (
        _("{agency} leaves {village}, which met the target").format(agency=agency.code, village=leaves.name)
        if leaves
        else _("{agency} has no village").format(agency=agency.code)
    )
    return f"{figure}, {waited}; {frees}"


def pairings_rows(plan: Plan, since: date, *, decree: str | None = None) -> list[dict[str, str | None]]:
    """The plan as rows of a pairings file (`import pairings` columns): graduating pairings end on
    `since` with their reason, proposed ones start on `since` (with `decree` and their explanation)."""
    columns = [f.name for f in FIELDS["pairings"]]
    rows: list[dict[str, str | None]] = []
    for g in plan.graduating:
        p = g.pairing
        if since <= p.since:
            raise InvalidValue(
                _("--since {since} is not after {village} began with {agency} on {start}; give a later date").format(
                    since=since.isoformat(), village=p.village.name, agency=p.agency.code, start=p.since.isoformat()
                )
            )
        ended = (p.village.code, p.village.kecamatan, p.agency.code, p.since.isoformat(), since.isoformat())
        rows.append(dict(zip(columns, (*ended, None, g.reason(), None), strict=True)))
    for n in plan.proposal:
        started = (n.village.code, n.village.kecamatan, n.agency.code, since.isoformat(), None, decree, None, n.why)
        rows.append(dict(zip(columns, started, strict=True)))
    return rows
