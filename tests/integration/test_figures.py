"""Poverty figures and the target lookup rule."""

from __future__ import annotations

import sqlite3

import pytest

from opd_desa.errors import InvalidValue
from opd_desa.services.figures import rate_from, set_poverty, show_poverty
from opd_desa.services.targets import set_target, target_for


def test_no_target_stored_means_the_8_percent_default(conn: sqlite3.Connection) -> None:
    target = target_for(conn, 2020)
    assert (target.rate, target.is_default) == (8.0, True)
    assert "default" in target.source


def test_target_lookup_prefers_the_year_then_later_then_earlier(conn: sqlite3.Connection) -> None:
    set_target(conn, 2019, 9.0, "RKPD 2019")
    set_target(conn, 2022, 8.0, "RPJMD 2017-2022")
    set_target(conn, 2025, 7.0)
    assert target_for(conn, 2019).rate == 9.0  # its own year
    assert target_for(conn, 2020).rate == 8.0  # nearest later: 2022, not 2019 or 2025
    assert target_for(conn, 2023).rate == 7.0  # nearest later: 2025
    assert target_for(conn, 2030).rate == 7.0  # none later: nearest earlier
    assert target_for(conn, 2010).rate == 9.0
    assert target_for(conn, 2020).source == "RPJMD 2017-2022"


def test_rate_from_counts_and_agreement() -> None:
    assert rate_from(None, 123, 1000) == 12.3
    assert rate_from(12.35, 123, 1000) == 12.35  # within 0.1 point
    with pytest.raises(InvalidValue, match="does not agree"):
        rate_from(13.0, 123, 1000)
    with pytest.raises(InvalidValue, match="more than the population"):
        rate_from(None, 2000, 1000)
    with pytest.raises(InvalidValue, match="between 0 and 100"):
        rate_from(101, None, None)


def test_poverty_set_and_show(conn: sqlite3.Connection) -> None:
    set_poverty(conn, "Tulakan", 2020, poor=1234, population=11500, source="DTKS 2020")
    set_poverty(conn, "Tulakan", 2019, rate=11.5)
    ref, rows = show_poverty(conn, "tulakan")
    assert ref.code == "33.20.16.2005"
    assert rows == [
        {"year": 2019, "rate": 11.5, "poor": None, "population": None, "source": None},
        {"year": 2020, "rate": 10.73, "poor": 1234, "population": 11500, "source": "DTKS 2020"},
    ]
