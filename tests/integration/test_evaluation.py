"""Scorecard and trend on data whose answer is known."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from opd_desa.services.activities import NewActivity, add_activity
from opd_desa.services.evaluation import scorecard, trend
from opd_desa.services.figures import set_poverty
from opd_desa.services.pairings import assign

TODAY = date(2025, 6, 1)  # the pairings below are in force on it


@pytest.fixture
def programme(conn: sqlite3.Connection) -> sqlite3.Connection:
    # paired: Tulakan 12 -> 9 (BAPPEDA), Ngabul 10 -> 8.5 (DINKES); pairings start 2021, baseline 2020
    # unpaired, above 8 % in 2020: Clering 9 -> 8.5, Troso 11 -> 11.5; below target (ignored): Lebak 5 -> 4
    for village, then, now in [
        ("Tulakan", 12, 9),
        ("Ngabul", 10, 8.5),
        ("Clering", 9, 8.5),
        ("Troso", 11, 11.5),
        ("Lebak", 5, 4),
    ]:
        set_poverty(conn, village, 2020, rate=then, source="DTKS 2020")
        set_poverty(conn, village, 2023, rate=now, source="DTKS 2023")
    set_poverty(conn, "Tulakan", 2019, rate=13)
    assign(conn, "Tulakan", "Bappeda", since=date(2021, 10, 13))
    assign(conn, "Ngabul", "Dinkes", since=date(2021, 10, 13))
    for day, budget, spent, people in [
        (date(2021, 11, 2), 15_000_000, 12_500_000, 40),
        (date(2022, 5, 1), 5_000_000, 5_000_000, 10),
    ]:
        add_activity(
            conn,
            NewActivity(
                "Tulakan", day, "pelatihan", f"Pelatihan {day}", budget=budget, spent=spent, beneficiaries=people
            ),
        )
    add_activity(
        conn, NewActivity("Tulakan", date(2021, 1, 5), "bantuan", "Before the pairing", agency="Bappeda", budget=99)
    )
    return conn


def test_scorecard_rows(programme: sqlite3.Connection) -> None:
    card = scorecard(programme, today=TODAY, year=2023)
    rows = {r["agency"]: r for r in card.rows}
    assert set(rows) == {"BAPPEDA", "DINKES"}
    tulakan = rows["BAPPEDA"]
    assert (tulakan["baseline_year"], tulakan["baseline_rate"], tulakan["rate"], tulakan["change"]) == (
        2020,
        12.0,
        9.0,
        -3.0,
    )
    # only the activities since the pairing started count
    assert (tulakan["activities"], tulakan["budget"], tulakan["spent"], tulakan["beneficiaries"]) == (
        2,
        20_000_000,
        17_500_000,
        50,
    )
    assert rows["DINKES"]["change"] == -1.5 and rows["DINKES"]["activities"] == 0


def test_scorecard_compares_with_unpaired_villages_above_target_at_baseline(programme: sqlite3.Connection) -> None:
    summary = scorecard(programme, today=TODAY, year=2023).summary
    assert summary["baseline_year"] == 2020
    assert (summary["paired"], summary["paired_mean_change"]) == (2, -2.25)
    assert (summary["unpaired"], summary["unpaired_mean_change"]) == (2, 0.0)  # Clering -0.5, Troso +0.5


def test_scorecard_json_shape(programme: sqlite3.Connection) -> None:
    data = scorecard(programme, today=TODAY, year=2023).as_dict()
    assert set(data) == {"year", "target", "target_source", "rows", "summary", "sources", "measure"}
    assert set(data["rows"][0]) == {
        "agency",
        "village_code",
        "village",
        "since",
        "baseline_year",
        "baseline_rate",
        "baseline_value",
        "rate",
        "value",
        "meets_target",
        "change",
        "activities",
        "budget",
        "spent",
        "beneficiaries",
    }
    assert data["sources"] == ["DTKS 2020", "DTKS 2023"]


def test_trend_of_one_village(programme: sqlite3.Connection) -> None:
    ev = trend(programme, "Tulakan", today=TODAY)
    assert [(r["year"], r["rate"], r["above_target"]) for r in ev.rows] == [
        (2019, 13.0, True),
        (2020, 12.0, True),
        (2023, 9.0, True),
    ]
    assert ev.year == 2023 and ev.summary["change"] == -4.0


def test_trend_of_the_area_is_population_weighted(conn: sqlite3.Connection) -> None:
    set_poverty(conn, "Tulakan", 2020, poor=100, population=1000)
    set_poverty(conn, "Clering", 2020, poor=60, population=3000)
    (row,) = trend(conn, today=TODAY).rows
    assert (row["year"], row["rate"], row["villages"], row["target"]) == (2020, 4.0, 2, 8.0)
