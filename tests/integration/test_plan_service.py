"""`plan` against a real database: what the service gathers, and the decree annex it feeds."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from opd_desa.errors import InvalidValue, NotFound
from opd_desa.services.decree import build_annex
from opd_desa.services.figures import set_figure, set_poverty
from opd_desa.services.pairings import assign, unassign
from opd_desa.services.plan import build_plan, measure_figures
from opd_desa.services.settings import set_setting
from opd_desa.services.targets import set_target

LAUNCH = date(2021, 10, 13)


@pytest.fixture
def planned(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Worked out by hand. Seven launch agencies; three pairings: Tulakan-BAPPEDA met the target in 2022
    and 2023 (graduates), Sowan Kidul-BPKAD and Troso-DISDIKPORA continue. Free: BAPPEDA, DINKES, DISKAN,
    DISKOMINFO, DPUPR (five). Seven candidates in Kedung, Donorojo and Keling; BAPPEDA mentored Tempur."""
    assign(conn, "Tempur", "BAPPEDA", since=date(2019, 1, 1))
    unassign(conn, "Tempur", until=date(2021, 1, 1))
    for village, agency in [("Tulakan", "BAPPEDA"), ("Sowan Kidul", "BPKAD"), ("Troso", "DISDIKPORA")]:
        assign(conn, village, agency, since=LAUNCH)
    figures = [
        ("Tulakan", 2022, 7.5, 3000),
        ("Tulakan", 2023, 7.0, 3000),
        ("Sowan Kidul", 2023, 9.0, 3000),
        ("Troso", 2022, 8.5, 3000),
        ("Troso", 2023, 7.0, 3000),
        ("Kalianyar", 2023, 12.0, 3000),  # Kedung
        ("Karangaji", 2023, 9.0, 2000),  # Kedung
        ("Clering", 2023, 12.0, 3000),  # Donorojo
        ("Ujungwatu", 2023, 10.0, 3000),  # Donorojo
        ("Tempur", 2023, 12.0, 3000),  # Keling
        ("Damarwulan", 2023, 9.0, 5000),  # Keling
        ("Kunir", 2023, 8.5, 4000),  # Keling
    ]
    for village, year, rate, population in figures:
        set_poverty(conn, village, year, rate=rate, population=population)
    return conn


def test_the_plan_worked_out_by_hand(planned: sqlite3.Connection) -> None:
    result = build_plan(planned, year=2023)
    plan = result.plan
    assert result.since == date(2024, 1, 1)
    assert [g.pairing.village.name for g in plan.graduating] == ["Tulakan"]
    assert [c.village.name for c in plan.candidates] == [
        "Kalianyar",
        "Tempur",
        "Clering",
        "Ujungwatu",
        "Damarwulan",
        "Karangaji",
        "Kunir",
    ]
    assert [a.code for a in plan.free_agencies] == ["BAPPEDA", "DINKES", "DISKAN", "DISKOMINFO", "DPUPR"]
    # 12 %: Tempur first (neither Keling nor Donorojo keeps a pairing once Tulakan graduates; Keling's
    # code comes first), then Clering (Donorojo still has none), then Kalianyar (Kedung has Sowan Kidul);
    # 10 %: Ujungwatu; 9 %: Damarwulan before Karangaji (Keling has one pairing, Kedung two).
    # Agencies by code in that order, except that BAPPEDA never goes back to Tempur.
    assert [(p.village.name, p.agency.code) for p in plan.proposal] == [
        ("Tempur", "DINKES"),
        ("Clering", "BAPPEDA"),
        ("Kalianyar", "DISKAN"),
        ("Ujungwatu", "DISKOMINFO"),
        ("Damarwulan", "DPUPR"),
    ]
    assert plan.proposal[1].replaces is not None and plan.proposal[1].replaces.name == "Tulakan"
    assert "without a mentor since 1 January 2021" in plan.proposal[0].why


def test_the_default_year_is_the_latest_with_figures(planned: sqlite3.Connection) -> None:
    assert build_plan(planned).plan.year == 2023


def test_a_year_without_figures_names_the_years_that_have_them(planned: sqlite3.Connection) -> None:
    with pytest.raises(InvalidValue, match="no figures for 2021; years with figures: 2022, 2023"):
        build_plan(planned, year=2021)


def test_an_unknown_measure_is_refused(planned: sqlite3.Connection) -> None:
    with pytest.raises(NotFound, match=r"--measure: no measure 'income'; known measures: poverty, extreme, idm"):
        measure_figures(planned, "income")


def test_the_plan_reads_any_measure_in_its_own_direction(planned: sqlite3.Connection) -> None:
    for village, score in [("Kalianyar", 0.55), ("Clering", 0.61), ("Karangaji", 0.72)]:
        set_figure(planned, village, 2023, measure="idm", value=score)
    with pytest.raises(InvalidValue, match="the plan needs a target"):
        build_plan(planned, measure="idm")
    set_target(planned, 2023, 0.7, None, "idm")
    plan = build_plan(planned, measure="idm").plan
    assert [c.village.name for c in plan.candidates] == ["Kalianyar", "Clering"]  # lowest score first


def test_a_figure_without_population_takes_the_village_population(planned: sqlite3.Connection) -> None:
    planned.execute("UPDATE villages SET population = 7777 WHERE name = 'Kunir'")
    planned.execute("UPDATE poverty SET population = NULL WHERE village_code = '33.20.09.2003'")
    kunir = next(c for c in build_plan(planned).plan.candidates if c.village.name == "Kunir")
    assert kunir.population == 7777


def test_the_annex_without_settings_leaves_blanks_and_lists_pairings_by_agency(planned: sqlite3.Connection) -> None:
    annex = build_annex(planned, date(2022, 1, 1))
    assert annex.region == "Jepara"
    assert (annex.number, annex.day) == (None, None)
    assert [line.village for line in annex.lines] == ["Sowan Kidul", "Tulakan", "Troso"]
    assert annex.lines[1].agency == "Badan Perencanaan Pembangunan Daerah"
    assert annex.lines[1].kecamatan == "Donorojo"
    assert annex.signatory is not None and annex.signatory.title == "Regent of Jepara"


def test_the_annex_takes_number_date_and_signatory_from_settings(planned: sqlite3.Connection) -> None:
    for key, value in [
        ("decree.number", "100.3.3.2/12 TAHUN 2024"),
        ("decree.date", "2 Januari 2024"),
        ("signatory.title", "Bupati Jepara"),
        ("signatory.name", "Dian Kristiandi"),
    ]:
        set_setting(planned, key, value)
    annex = build_annex(planned, date(2022, 1, 1))
    assert (annex.number, annex.day) == ("100.3.3.2/12 TAHUN 2024", date(2024, 1, 2))
    assert annex.signatory is not None and annex.signatory.name == "Dian Kristiandi"
    assert annex.signatory.nip is None


def test_no_annex_for_a_day_without_pairings(planned: sqlite3.Connection, tmp_path: Path) -> None:
    with pytest.raises(InvalidValue, match="--as-of 2018-01-01: no pairings in force"):
        build_annex(planned, date(2018, 1, 1))
