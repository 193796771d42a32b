"""Every computed figure of the report, on data whose answer is known."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from opd_desa.services.figures import set_poverty
from opd_desa.services.pairings import assign
from opd_desa.services.report import build_report
from opd_desa.services.targets import set_target

TODAY = date(2025, 6, 1)  # the pairings above are in force on it


@pytest.fixture
def figures(conn: sqlite3.Connection) -> sqlite3.Connection:
    # Donorojo: Tulakan 10 % of 1000, Clering 4 % of 3000 (2020); Tulakan 12 % in 2019
    set_poverty(conn, "Tulakan", 2019, poor=120, population=1000, source="DTKS 2019")
    set_poverty(conn, "Tulakan", 2020, poor=100, population=1000, source="DTKS 2020")
    set_poverty(conn, "Clering", 2020, poor=120, population=3000, source="DTKS 2020")
    set_poverty(conn, "Ngabul", 2020, rate=9.0, source="BPS")  # no population
    set_target(conn, 2022, 8.0, "RPJMD 2017-2022")
    assign(conn, "Tulakan", "Bappeda", since=date(2021, 10, 13))
    return conn


def row(report, code):
    return next(r for r in report.rows if r["code"] == code)


def test_village_rows_change_gap_and_above_target(figures: sqlite3.Connection) -> None:
    report = build_report(figures, today=TODAY, year=2020)
    tulakan = row(report, "33.20.16.2005")
    assert (tulakan["rate"], tulakan["previous_rate"], tulakan["change"], tulakan["gap"]) == (10.0, 12.0, -2.0, 2.0)
    assert tulakan["above_target"] is True and tulakan["meets_target"] is False
    assert tulakan["agency"] is None  # the programme began in October 2021: no mentor in 2020
    clering = row(report, "33.20.16.2002")
    assert (clering["gap"], clering["above_target"], clering["change"]) == (-4.0, False, None)
    empty = row(report, "33.20.16.2003")
    assert empty["rate"] is None and empty["above_target"] is None
    assert report.target == 8.0 and report.target_source == "RPJMD 2017-2022"
    assert report.sources == ["BPS", "DTKS 2019", "DTKS 2020"]


def test_summary_weighted_and_mean(figures: sqlite3.Connection) -> None:
    s = build_report(figures, today=TODAY, year=2020).summary
    assert s["villages"] == 195 and s["with_data"] == 3
    assert s["above_target"] == 2  # Tulakan 10, Ngabul 9
    assert s["paired"] == 0 and s["above_target_unpaired"] == 2  # nobody mentored in 2020
    assert s["weighted_rate"] == 5.5  # (100 + 120) / 4000; Ngabul has no population
    assert s["mean_rate"] == round((10 + 4 + 9) / 3, 2)


def test_default_year_is_the_latest_with_data(figures: sqlite3.Connection) -> None:
    assert build_report(figures, today=TODAY).year == 2020


def test_a_year_without_figures_still_reports_with_a_warning(figures: sqlite3.Connection) -> None:
    report = build_report(figures, today=TODAY, year=2015)
    assert report.summary["with_data"] == 0 and report.summary["weighted_rate"] is None
    assert report.warnings and "2015" in report.warnings[0]


def test_by_kecamatan_is_population_weighted_when_every_village_has_population(figures: sqlite3.Connection) -> None:
    rows = {r["code"]: r for r in build_report(figures, today=TODAY, year=2020, by="kecamatan").rows}
    donorojo = rows["33.20.16"]
    assert (donorojo["villages"], donorojo["with_data"], donorojo["population"]) == (8, 2, 4000)
    assert donorojo["rate"] == 5.5 and donorojo["above_target"] == 1
    tahunan = rows["33.20.11"]  # Ngabul has no population: plain mean of its rates
    assert (tahunan["rate"], tahunan["with_data"]) == (9.0, 1)


def test_by_kabupaten_rolls_everything_up(figures: sqlite3.Connection) -> None:
    (jepara,) = build_report(figures, today=TODAY, year=2020, by="kabupaten").rows
    assert (jepara["code"], jepara["name"], jepara["villages"]) == ("33.20", "Kabupaten Jepara", 195)
    assert jepara["rate"] == round((10 + 4 + 9) / 3, 2)  # Ngabul lacks population: plain mean


def test_group_rows_name_the_sources_of_both_years(figures: sqlite3.Connection) -> None:
    # the previous year's figures give no group column, but the report still says where they come from
    for by in ("kecamatan", "kabupaten"):
        assert build_report(figures, today=TODAY, year=2020, by=by).sources == ["BPS", "DTKS 2019", "DTKS 2020"]
    assert build_report(figures, today=TODAY, year=2020, by="kabupaten", above_target=True).sources == [
        "BPS",
        "DTKS 2019",
        "DTKS 2020",
    ]  # Tulakan (2019 and 2020) and Ngabul are above the target; Clering (DTKS 2020 only) is not


def test_filters_and_sort(figures: sqlite3.Connection) -> None:
    assert [r["name"] for r in build_report(figures, today=TODAY, year=2020, above_target=True, sort="rate").rows] == [
        "Tulakan",
        "Ngabul",
    ]
    assert build_report(figures, today=TODAY, year=2020, paired=True).rows == []  # no mentor yet in 2020
    set_poverty(figures, "Tulakan", 2022, rate=9.0)
    assert [r["name"] for r in build_report(figures, today=TODAY, year=2022, paired=True).rows] == ["Tulakan"]
    assert len(build_report(figures, today=TODAY, year=2020, kecamatan="Donorojo").rows) == 8
    assert [r["name"] for r in build_report(figures, today=TODAY, year=2022, agency="Bapeda").rows] == ["Tulakan"]


def test_the_mentor_of_a_year_is_the_pairing_in_force_on_its_last_day(figures: sqlite3.Connection) -> None:
    from opd_desa.services.pairings import reassign

    set_poverty(figures, "Tulakan", 2022, rate=9.0)
    reassign(figures, "Tulakan", "Dinkes", since=date(2023, 1, 2))
    report = build_report(figures, today=TODAY, year=2022)
    assert row(report, "33.20.16.2005")["agency"] == "BAPPEDA"
    assert report.summary["paired"] == 1
    assert [r["code"] for r in build_report(figures, today=TODAY, year=2022, paired=True).rows] == ["33.20.16.2005"]
    assert build_report(figures, today=TODAY, year=2022, agency="Dinkes").rows == []
    # the current year: today's mentor
    assert row(build_report(figures, today=TODAY, year=2025), "33.20.16.2005")["agency"] == "DINKES"
