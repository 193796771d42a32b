"""The decree plan: graduation, candidates, free agencies and the proposed matching."""

from __future__ import annotations

import itertools
import random
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opd_desa import i18n
from opd_desa.errors import InvalidValue
from opd_desa.imports.formats import FIELDS
from opd_desa.planning import (
    Agency,
    Figure,
    Measure,
    Pairing,
    Plan,
    Village,
    default_since,
    make_plan,
    pairings_rows,
)

POVERTY = Measure(target=8.0)


def _village(code: str, kecamatan: str) -> Village:
    return Village(code, f"Desa {code}", kecamatan)


def _agency(code: str) -> Agency:
    return Agency(code, f"Dinas {code}")


# --- the example worked out by hand -------------------------------------------------------------
# Kecamatan Bangsri, Keling and Tahunan. Current pairings: B0-DPUPR (Bangsri, 9 % in 2023),
# K0-DISDIK (Keling, met the target in 2023 only), J0-INSPEKTORAT (Keling, one year of data),
# T0-DINKES (Tahunan, met the target in 2022 and 2023: it graduates and frees DINKES).
# Free: BAPPEDA, BPKAD, DINSOS, DISPERTAN (no village) and DINKES: five agencies.
# Seven candidates; BAPPEDA mentored T1 until 1 January 2022.
V = {
    code: _village(code, kec)
    for code, kec in [
        ("B0", "Bangsri"),
        ("K0", "Keling"),
        ("J0", "Keling"),
        ("T0", "Tahunan"),
        ("B1", "Bangsri"),
        ("K1", "Keling"),
        ("T1", "Tahunan"),
        ("B2", "Bangsri"),
        ("B3", "Bangsri"),
        ("T2", "Tahunan"),
        ("K2", "Keling"),
        ("M0", "Keling"),  # meets the target: not a candidate
        ("N0", "Bangsri"),  # no figure in 2023: not a candidate
    ]
}
A = {
    code: _agency(code)
    for code in ["BAPPEDA", "BPKAD", "DINKES", "DINSOS", "DISDIK", "DISPERTAN", "DPUPR", "INSPEKTORAT"]
}
FIGURES = [
    Figure("B0", 2023, 9.0, 4000),
    Figure("K0", 2022, 8.5, 3000),
    Figure("K0", 2023, 7.0, 3000),
    Figure("J0", 2023, 5.0, 3000),
    Figure("T0", 2022, 7.5, 3000),
    Figure("T0", 2023, 7.9, 3000),
    Figure("B1", 2023, 12.0, 3000),
    Figure("K1", 2023, 12.0, 2000),
    Figure("T1", 2023, 12.0, 1000),
    Figure("B2", 2023, 10.5, 5000),
    Figure("B3", 2023, 9.0, 2600),
    Figure("T2", 2023, 9.0, 2500),
    Figure("K2", 2023, 8.5, 9000),
    Figure("M0", 2023, 7.0, 9000),
    Figure("N0", 2022, 15.0, 9000),
    Figure("T2", 2024, 20.0, 9000),  # after the plan's year: ignored
]
CURRENT = [
    Pairing(V["B0"], A["DPUPR"], date(2021, 10, 13)),
    Pairing(V["K0"], A["DISDIK"], date(2021, 10, 13)),
    Pairing(V["J0"], A["INSPEKTORAT"], date(2022, 3, 1)),
    Pairing(V["T0"], A["DINKES"], date(2021, 10, 13)),
]
HISTORY = [*CURRENT, Pairing(V["T1"], A["BAPPEDA"], date(2019, 1, 1), date(2022, 1, 1))]


def _example() -> Plan:
    return make_plan(
        year=2023,
        measure=POVERTY,
        villages=list(V.values()),
        figures=FIGURES,
        current=CURRENT,
        history=HISTORY,
        agencies=list(A.values()),
    )


def test_the_example_worked_out_by_hand() -> None:
    plan = _example()
    assert [g.pairing.village.code for g in plan.graduating] == ["T0"]
    assert plan.graduating[0].years == (2022, 2023)
    assert [c.village.code for c in plan.candidates] == ["B1", "K1", "T1", "B2", "B3", "T2", "K2"]
    assert [a.code for a in plan.free_agencies] == ["BAPPEDA", "BPKAD", "DINKES", "DINSOS", "DISPERTAN"]
    # 12 %: T1 first (Tahunan has no continuing pairing; Bangsri and Keling have), then B1 (Bangsri has
    # one, Keling two), then K1; 10.5 %: B2; 9 %: T2 before B3 (Tahunan has fewer), though B3 is larger.
    # Agencies by code in that order, except that BAPPEDA never goes back to T1.
    assert [(p.village.code, p.agency.code) for p in plan.proposal] == [
        ("T1", "BPKAD"),
        ("B1", "BAPPEDA"),
        ("K1", "DINKES"),
        ("B2", "DINSOS"),
        ("T2", "DISPERTAN"),
    ]
    assert [p.replaces.code if p.replaces else None for p in plan.proposal] == [None, None, "T0", None, None]


def test_each_proposed_pair_is_explained_in_one_line() -> None:
    plan = _example()
    assert plan.proposal[0].why == (
        "12.00 % in 2023, 4.00 points above the 8.00 % target, without a mentor since 1 January 2022; "
        "BPKAD has no village"
    )
    assert plan.proposal[2].why == (
        "12.00 % in 2023, 4.00 points above the 8.00 % target, never had a mentor; "
        "DINKES leaves Desa T0, which met the target"
    )


def test_explanations_in_indonesian() -> None:
    try:
        i18n.set_language("id")
        why = _example().proposal[0].why
    finally:
        i18n.set_language("en")
    assert why.startswith("12,00 % pada 2023")
    assert "1 Januari 2022" in why


def test_json_has_the_spec_keys() -> None:
    data = _example().as_dict()
    assert list(data)[:2] == ["year", "target"]
    assert {"graduating", "candidates", "free_agencies", "proposal"} <= data.keys()
    first = data["proposal"][2]
    assert {
        k: first[k] for k in ("village_code", "village", "kecamatan", "value", "agency_code", "agency", "replaces")
    } == {
        "village_code": "K1",
        "village": "Desa K1",
        "kecamatan": "Keling",
        "value": 12.0,
        "agency_code": "DINKES",
        "agency": "Dinas DINKES",
        "replaces": "T0",
    }
    assert data["candidates"][2]["mentor_ended"] == "2022-01-01"


def test_pairings_file_ends_the_graduates_and_starts_the_proposal() -> None:
    since = default_since(2023)
    assert since == date(2024, 1, 1)
    rows = pairings_rows(_example(), since, decree="100/123/2024")
    assert all(list(row) == [f.name for f in FIELDS["pairings"]] for row in rows)
    assert rows[0] == {
        "village": "T0",
        "kecamatan": "Tahunan",
        "agency": "DINKES",
        "since": "2021-10-13",
        "until": "2024-01-01",
        "decree": None,
        "reason": "met the target in 2022, 2023",
        "note": None,
    }
    assert [(r["village"], r["agency"], r["since"], r["until"], r["decree"]) for r in rows[1:]] == [
        ("T1", "BPKAD", "2024-01-01", None, "100/123/2024"),
        ("B1", "BAPPEDA", "2024-01-01", None, "100/123/2024"),
        ("K1", "DINKES", "2024-01-01", None, "100/123/2024"),
        ("B2", "DINSOS", "2024-01-01", None, "100/123/2024"),
        ("T2", "DISPERTAN", "2024-01-01", None, "100/123/2024"),
    ]


def test_a_start_before_a_graduating_pairing_is_refused() -> None:
    with pytest.raises(InvalidValue, match="--since 2021-01-01"):
        pairings_rows(_example(), date(2021, 1, 1))


def test_graduate_after_must_be_positive() -> None:
    with pytest.raises(InvalidValue, match="--graduate-after"):
        make_plan(
            year=2023, measure=POVERTY, villages=[], figures=[], current=[], history=[], agencies=[], graduate_after=0
        )


def test_the_neediest_village_gives_way_when_only_it_can_take_the_other_agency() -> None:
    # A and B are free; B mentored v2 before. Giving v1 the lower code (A) would leave v2 without one.
    v1, v2 = _village("v1", "X"), _village("v2", "Y")
    plan = make_plan(
        year=2023,
        measure=POVERTY,
        villages=[v1, v2],
        figures=[Figure("v1", 2023, 20.0), Figure("v2", 2023, 10.0)],
        current=[],
        history=[Pairing(v2, _agency("B"), date(2020, 1, 1), date(2021, 1, 1))],
        agencies=[_agency("A"), _agency("B")],
    )
    assert [(p.village.code, p.agency.code) for p in plan.proposal] == [("v1", "B"), ("v2", "A")]


def test_higher_is_better_measures_take_the_lowest_figures_first() -> None:
    idm = Measure(target=0.7, lower_is_better=False, unit="")
    villages = [_village(c, "X") for c in ("a", "b", "c")]
    plan = make_plan(
        year=2023,
        measure=idm,
        villages=villages,
        figures=[Figure("a", 2023, 0.65), Figure("b", 2023, 0.55), Figure("c", 2023, 0.75)],
        current=[],
        history=[],
        agencies=[_agency("A")],
    )
    assert [c.village.code for c in plan.candidates] == ["b", "a"]
    assert plan.proposal[0].why.startswith("0.55 in 2023, 0.15 points below the 0.70 target")


# --- properties ----------------------------------------------------------------------------------


@st.composite
def _inputs(draw: st.DrawFn) -> dict[str, Any]:
    villages = [_village(f"v{i}", draw(st.sampled_from("XYZ"))) for i in range(draw(st.integers(0, 7)))]
    agencies = [_agency(f"A{i}") for i in range(draw(st.integers(0, 5)))]
    values = st.sampled_from([5.0, 8.0, 9.0, 9.0, 12.5, 20.0])
    figures = [
        Figure(v.code, year, draw(values), draw(st.none() | st.integers(1, 3)))
        for v in villages
        for year in (2022, 2023)
        if draw(st.booleans())
    ]
    pairs = list(zip(villages, agencies, strict=False))
    current = [Pairing(v, a, date(2021, 1, 1)) for v, a in pairs if draw(st.booleans())]
    old = (
        draw(st.sets(st.tuples(st.sampled_from(villages), st.sampled_from(agencies))))
        if villages and agencies
        else set()
    )
    history = [*current, *(Pairing(v, a, date(2018, 1, 1), date(2019, 1, 1)) for v, a in sorted(old, key=repr))]
    return {
        "year": 2023,
        "measure": POVERTY,
        "villages": villages,
        "figures": figures,
        "current": current,
        "history": history,
        "agencies": agencies,
        "graduate_after": draw(st.integers(1, 2)),
    }


def _largest_matching(agencies: list[str], villages: list[str], allowed: set[tuple[str, str]]) -> int:
    best = 0
    for k in range(min(len(agencies), len(villages)), 0, -1):
        for chosen in itertools.combinations(villages, k):
            for order in itertools.permutations(agencies, k):
                if all((a, v) in allowed for a, v in zip(order, chosen, strict=True)):
                    return k
    return best


@settings(max_examples=150, deadline=None)
@given(_inputs(), st.randoms(use_true_random=False))
def test_plan_properties(inputs: dict[str, Any], rnd: random.Random) -> None:
    plan = make_plan(**inputs)
    shuffled: dict[str, Any] = {k: rnd.sample(v, len(v)) if isinstance(v, list) else v for k, v in inputs.items()}
    assert make_plan(**shuffled) == plan, "the same plan whatever the order of the input"

    villages = [p.village.code for p in plan.proposal]
    agencies = [p.agency.code for p in plan.proposal]
    assert len(set(villages)) == len(villages)
    assert len(set(agencies)) == len(agencies)
    mentored = {(p.agency.code, p.village.code) for p in inputs["history"]}
    assert not mentored & set(zip(agencies, villages, strict=True))
    candidates = [c.village.code for c in plan.candidates]
    free = [a.code for a in plan.free_agencies]
    assert set(villages) <= set(candidates)
    assert set(agencies) <= set(free)
    allowed = {(a, v) for a in free for v in candidates} - mentored
    assert len(plan.proposal) == _largest_matching(free, candidates, allowed)
