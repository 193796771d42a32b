"""`rates_from` (a batch's rates a column at a time) gives what `rate_from` gives figure by figure."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from opd_desa.errors import UserError
from opd_desa.services.figures import rate_from, rates_from

# figures near the edges: rates just agreeing or not with the counts, empty and zero populations,
# more poor than people, rates outside 0-100, NaN and infinities, -0.0 (compared by repr: -0.0 == 0.0)
populations = st.one_of(st.none(), st.integers(-2, 3), st.integers(1, 50_000))
counts = st.one_of(st.none(), st.integers(0, 60_000))
rates = st.one_of(
    st.none(),
    st.floats(-1, 101, allow_nan=False),
    st.sampled_from([0.0, 100.0, 12.345, 12.355, math.nan, math.inf, -math.inf, 100.0001, -0.0]),
)


@st.composite
def agreeing(draw: st.DrawFn) -> tuple[float | None, int | None, int | None]:
    """A figure whose rate is near what its counts give (within or just beyond the agreement)."""
    population = draw(st.integers(1, 50_000))
    poor = draw(st.integers(0, population))
    nudge = draw(st.sampled_from([0.0, 0.05, -0.0999, 0.1, 0.1001, -0.2]))
    return poor / population * 100 + nudge, poor, population


figure = st.one_of(st.tuples(rates, counts, populations), agreeing())


@given(st.lists(figure, min_size=1, max_size=40))
def test_a_batch_at_once_is_each_figure_in_turn(figures: list[tuple[float | None, int | None, int | None]]) -> None:
    one_by_one: list[float] | None = []
    for rate, poor, population in figures:
        try:
            assert one_by_one is not None
            one_by_one.append(rate_from(rate, poor, population))
        except UserError:
            one_by_one = None
            break
    columns = [list(column) for column in zip(*figures, strict=True)]
    at_once = rates_from(*columns)
    if at_once is not None:  # never an answer where a figure is refused, and the same answer
        assert one_by_one is not None and list(map(repr, at_once)) == list(map(repr, one_by_one))
    elif one_by_one is not None:  # left to rate_from: only a batch where a figure lacks a column
        assert any(None in figure for figure in figures)


@given(st.lists(agreeing(), min_size=1, max_size=40))
def test_a_batch_of_complete_agreeing_figures_is_done_at_once(
    figures: list[tuple[float | None, int | None, int | None]],
) -> None:
    columns = [list(column) for column in zip(*figures, strict=True)]
    try:
        expected = [rate_from(*f) for f in figures]
    except UserError:
        assert rates_from(*columns) is None
    else:
        found = rates_from(*columns)
        assert found is not None and list(map(repr, found)) == list(map(repr, expected))
