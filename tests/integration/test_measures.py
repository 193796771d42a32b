"""Measures as data: figures per village and region, targets per measure, reports in each direction."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from opd_desa.errors import InvalidValue, NotFound, RuleViolation
from opd_desa.measures import idm_class, idm_class_floor
from opd_desa.services.evaluation import scorecard, trend
from opd_desa.services.figures import set_figure, set_poverty, show_figures
from opd_desa.services.measures import add_measure, find_measure, list_measures
from opd_desa.services.pairings import assign
from opd_desa.services.report import build_report
from opd_desa.services.status import database_status
from opd_desa.services.targets import list_targets, set_target, target_for

TODAY = date(2025, 6, 1)


def _row(report, code):  # type: ignore[no-untyped-def]
    return next(r for r in report.rows if r["code"] == code)


def test_built_in_measures_and_an_office_measure(conn: sqlite3.Connection) -> None:
    assert [(m.key, m.unit, m.better) for m in list_measures(conn)] == [
        ("poverty", "%", "lower"),
        ("extreme", "%", "lower"),
        ("idm", "score", "higher"),
    ]
    added = add_measure(conn, "stunting", "Prevalensi stunting", unit="%", better="lower", minimum=0, maximum=100)
    assert find_measure(conn, "Stunting") == added
    with pytest.raises(RuleViolation, match="exists already"):
        add_measure(conn, "stunting", "again", unit="%", better="lower")
    with pytest.raises(InvalidValue, match="lower or higher"):
        add_measure(conn, "rtlh", "RTLH", unit="houses", better="less")


def test_an_unknown_measure_names_the_known_ones(conn: sqlite3.Connection) -> None:
    with pytest.raises(NotFound, match="known measures: poverty, extreme, idm; did you mean: extreme"):
        find_measure(conn, "extrem")
    with pytest.raises(NotFound):
        set_target(conn, 2024, 0.0, measure="stunting")
    assert list_targets(conn) == []  # nothing written


def test_idm_classes_follow_permendes_2_2016() -> None:
    assert [idm_class(s) for s in (0.4907, 0.4908, 0.5989, 0.7072, 0.7073, 0.8155, 0.8156)] == [
        "Sangat Tertinggal",
        "Tertinggal",
        "Tertinggal",
        "Berkembang",
        "Maju",
        "Maju",
        "Mandiri",
    ]
    assert idm_class_floor("Maju") == 0.7073
    assert idm_class(0.7072) == "Berkembang" and idm_class(idm_class_floor("Maju")) == "Maju"


def test_figures_of_other_measures_and_their_checks(conn: sqlite3.Connection) -> None:
    place, figure = set_figure(conn, "Tulakan", 2023, measure="idm", value=0.5821, source="Kemendes")
    assert (place.code, figure["value"], figure["class"]) == ("33.20.16.2005", 0.5821, "Tertinggal")
    _, extreme = set_figure(conn, "Tulakan", 2023, measure="extreme", count=50, population=5000)
    assert (extreme["value"], extreme["rate"]) == (1.0, 1.0)
    with pytest.raises(InvalidValue, match="outside the range of idm"):
        set_figure(conn, "Tulakan", 2022, measure="idm", value=1.2)
    _, rows = show_figures(conn, "Tulakan")
    assert [(r["measure"], r["year"], r["value"]) for r in rows] == [("extreme", 2023, 1.0), ("idm", 2023, 0.5821)]


def test_a_count_is_checked_against_the_population_already_stored(conn: sqlite3.Connection) -> None:
    set_poverty(conn, "Tulakan", 2021, poor=500, population=4968)
    with pytest.raises(InvalidValue, match="more than the population of 4968"):
        set_poverty(conn, "Tulakan", 2021, rate=5.0, poor=100000)
    with pytest.raises(InvalidValue, match="does not agree"):
        set_poverty(conn, "Tulakan", 2021, rate=5.0, poor=100)
    _, rows = show_figures(conn, "Tulakan", "poverty")
    assert [(r["value"], r["count"], r["population"]) for r in rows] == [(10.06, 500, 4968)]  # unchanged


def test_targets_per_measure_with_an_idm_status(conn: sqlite3.Connection) -> None:
    set_target(conn, 2024, "0", "Inpres 4/2022", measure="extreme")
    set_target(conn, 2026, "Maju", measure="idm")
    assert target_for(conn, 2023, find_measure(conn, "extreme")).rate == 0.0
    assert target_for(conn, 2023, find_measure(conn, "idm")).rate == 0.7073
    assert target_for(conn, 2023).rate == 8.0  # poverty keeps its default
    assert target_for(conn, 2023, find_measure(conn, "idm")).is_default is False
    with pytest.raises(InvalidValue, match="neither an IDM score nor a status"):
        set_target(conn, 2026, "Hebat", measure="idm")
    assert [(t["measure"], t["year"], t["value"]) for t in list_targets(conn)] == [
        ("extreme", 2024, 0.0),
        ("idm", 2026, 0.7073),
    ]


@pytest.fixture
def idm(conn: sqlite3.Connection) -> sqlite3.Connection:
    for village, score in (("Tulakan", 0.58), ("Clering", 0.72), ("Ngabul", 0.83)):
        set_figure(conn, village, 2022, measure="idm", value=score - 0.02, source="IDM 2022")
        set_figure(conn, village, 2023, measure="idm", value=score, source="IDM 2023")
    assign(conn, "Tulakan", "Bappeda", since=date(2021, 10, 13))
    return conn


def test_report_of_a_higher_is_better_measure(idm: sqlite3.Connection) -> None:
    report = build_report(idm, today=TODAY, measure="idm")
    assert report.year == 2023 and report.target is None
    tulakan = _row(report, "33.20.16.2005")
    assert (tulakan["value"], tulakan["class"], tulakan["meets_target"], tulakan["change"]) == (
        0.58,
        "Tertinggal",
        None,
        0.02,
    )
    assert "rate" not in tulakan  # a score is not a rate
    assert report.summary["classes"] == {
        "Sangat Tertinggal": 0,
        "Tertinggal": 1,
        "Berkembang": 0,
        "Maju": 1,
        "Mandiri": 1,
    }
    assert report.summary["mean_rate"] == round((0.58 + 0.72 + 0.83) / 3, 4)
    set_target(idm, 2023, "Berkembang", measure="idm")  # at least 0.5989
    report = build_report(idm, today=TODAY, measure="idm")
    assert _row(report, "33.20.16.2005")["meets_target"] is False  # 0.58: below, so worse
    assert _row(report, "33.20.16.2002")["meets_target"] is True
    assert report.summary["above_target"] == 1 and report.summary["above_target_unpaired"] == 0
    assert report.as_dict()["measure"] == {
        "key": "idm",
        "name": "Village development index (IDM)",
        "unit": "score",
        "better": "higher",
    }


def test_official_area_figures_beside_the_village_based_rate(conn: sqlite3.Connection) -> None:
    set_poverty(conn, "Tulakan", 2020, poor=100, population=1000)
    set_poverty(conn, "Clering", 2020, poor=120, population=3000)
    place, _ = set_poverty(conn, "Kabupaten Jepara", 2020, rate=7.0, source="BPS")
    assert place.is_region and place.code == "33.20"
    set_figure(conn, "Kecamatan Donorojo", 2020, measure="poverty", value=6.1, source="BPS Donorojo")
    by_kabupaten = build_report(conn, today=TODAY, year=2020, by="kabupaten")
    assert [(r["code"], r["rate"], r["official"], r["official_source"]) for r in by_kabupaten.rows] == [
        ("33.20", 5.5, 7.0, "BPS")
    ]
    assert by_kabupaten.summary["official_rate"] == 7.0 and "BPS" in by_kabupaten.sources
    donorojo = build_report(conn, today=TODAY, year=2020, kecamatan="Donorojo")
    assert (donorojo.summary["official_rate"], donorojo.summary["official_source"]) == (6.1, "BPS Donorojo")
    assert "official_rate" not in build_report(conn, today=TODAY, year=2020, agency="Bappeda").summary
    with pytest.raises(NotFound, match="no region"):
        set_poverty(conn, "Kabupaten Kudus", 2020, rate=7.0)


def test_area_trend_uses_the_official_series_where_it_exists(conn: sqlite3.Connection) -> None:
    set_poverty(conn, "Tulakan", 2020, poor=100, population=1000)
    set_poverty(conn, "Tulakan", 2021, poor=90, population=1000)
    set_poverty(conn, "33.20", 2020, rate=7.0, source="BPS")
    rows = trend(conn, today=TODAY).rows
    assert [(r["year"], r["rate"], r["basis"]) for r in rows] == [(2020, 7.0, "official"), (2021, 9.0, "villages")]
    assert "basis" not in trend(conn, "Tulakan", today=TODAY).rows[0]


def test_scorecard_and_status_take_a_measure(idm: sqlite3.Connection, db_path) -> None:  # type: ignore[no-untyped-def]
    set_figure(idm, "Tulakan", 2020, measure="idm", value=0.52)
    card = scorecard(idm, today=TODAY, year=2023, measure="idm")
    (row,) = card.rows
    assert (row["baseline_year"], row["baseline_value"], row["value"], row["change"]) == (2020, 0.52, 0.58, 0.06)
    assert card.as_dict()["measure"]["key"] == "idm"
    set_target(idm, 2023, "Mandiri", measure="idm")  # above 0.8155: Clering (0.72) falls short, Ngabul does not
    status = database_status(idm, db_path, today=TODAY, measure="idm")
    assert [v["code"] for v in status.attention["above_target_unpaired"]] == ["33.20.16.2002"]
    assert status.as_dict()["measure"]["better"] == "higher"
