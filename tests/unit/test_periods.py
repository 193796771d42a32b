"""Reporting periods: the texts people write, the DHIS2 names output uses, the default period."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opd_desa.parse import ParseError
from opd_desa.periods import Period, last_ended, parse_period, period_containing


@pytest.mark.parametrize(
    ("text", "name", "start", "end"),
    [
        ("2023", "2023", date(2023, 1, 1), date(2023, 12, 31)),
        ("2023S1", "2023S1", date(2023, 1, 1), date(2023, 6, 30)),
        ("2023-S1", "2023S1", date(2023, 1, 1), date(2023, 6, 30)),
        ("Semester II 2023", "2023S2", date(2023, 7, 1), date(2023, 12, 31)),
        ("Semester 2 2023", "2023S2", date(2023, 7, 1), date(2023, 12, 31)),
        ("semester ii tahun 2023", "2023S2", date(2023, 7, 1), date(2023, 12, 31)),
        ("2023Q3", "2023Q3", date(2023, 7, 1), date(2023, 9, 30)),
        ("2023-Q3", "2023Q3", date(2023, 7, 1), date(2023, 9, 30)),
        ("TW III 2023", "2023Q3", date(2023, 7, 1), date(2023, 9, 30)),
        ("TW 3 2023", "2023Q3", date(2023, 7, 1), date(2023, 9, 30)),
        ("Triwulan 3 2023", "2023Q3", date(2023, 7, 1), date(2023, 9, 30)),
        ("triwulan  IV  2024", "2024Q4", date(2024, 10, 1), date(2024, 12, 31)),
        ("tw i 2024", "2024Q1", date(2024, 1, 1), date(2024, 3, 31)),
    ],
)
def test_the_forms_people_write_are_read(text: str, name: str, start: date, end: date) -> None:
    period = parse_period(text)
    assert (period.name, period.start, period.end) == (name, start, end)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023S3", "semesters 1 and 2 only"),
        ("2023Q5", "quarters (triwulan) 1 to 4 only"),
        ("1999", "between 2000 and 2100"),
        ("Semester II 2101", "between 2000 and 2100"),
        ("Juli 2023", "write a year (2023), a semester (2023S2"),
        ("", "empty period"),
    ],
)
def test_anything_else_is_refused_with_the_accepted_forms(text: str, expected: str) -> None:
    with pytest.raises(ParseError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        parse_period(text)


def test_the_default_is_the_last_period_that_has_ended() -> None:
    assert last_ended(date(2024, 1, 1)).name == "2023Q4"
    assert last_ended(date(2023, 12, 31)).name == "2023Q3"
    assert last_ended(date(2023, 12, 31), "semester").name == "2023S1"
    assert last_ended(date(2024, 3, 1), "year").name == "2023"


def test_contains_includes_first_and_last_day() -> None:
    period = parse_period("2023S2")
    assert period.contains(date(2023, 7, 1))
    assert period.contains(date(2023, 12, 31))
    assert not period.contains(date(2023, 6, 30))
    assert not period.contains(date(2024, 1, 1))


periods = st.builds(
    lambda kind, year, n: Period.of(kind, year, n % {"year": 1, "semester": 2, "quarter": 4}[kind] + 1),
    st.sampled_from(["year", "semester", "quarter"]),
    st.integers(2000, 2100),
    st.integers(0, 3),
)


@given(periods)
def test_the_name_reads_back_as_the_same_period(period: Period) -> None:
    assert parse_period(period.name) == period
    assert parse_period(period.name.lower()) == period


@given(periods)
def test_the_indonesian_names_read_back_as_the_same_period(period: Period) -> None:
    roman = ["I", "II", "III", "IV"][period.number - 1]
    if period.kind == "semester":
        assert parse_period(f"Semester {roman} {period.year}") == period
        assert parse_period(f"{period.year}-S{period.number}") == period
    if period.kind == "quarter":
        assert parse_period(f"TW {roman} {period.year}") == period
        assert parse_period(f"Triwulan {period.number} {period.year}") == period


@given(periods)
def test_periods_of_a_kind_follow_each_other_without_gaps(period: Period) -> None:
    following = period.next()
    assert following.start == period.end + timedelta(days=1)
    assert following.kind == period.kind


@given(st.dates(date(2001, 1, 1), date(2100, 12, 31)), st.sampled_from(["year", "semester", "quarter"]))
def test_last_ended_ended_before_today_and_is_the_latest(today: date, kind: str) -> None:
    period = last_ended(today, kind)  # type: ignore[arg-type]
    assert period.end < today
    assert period.next().contains(today)
    assert period_containing(today, kind) == period.next()  # type: ignore[arg-type]
