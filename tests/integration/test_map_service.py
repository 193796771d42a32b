"""The map service on a database: the figures of year Y, the mentor of year Y, the one drawing call."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from opd_desa.db import open_database
from opd_desa.errors import InvalidValue, NotFound
from opd_desa.maps.importing import import_boundaries
from opd_desa.services.figures import set_figure, set_poverty
from opd_desa.services.maps import draw_village_map, measure_legend, measure_values, mentor_day, mentors_on
from opd_desa.services.pairings import assign, reassign
from opd_desa.services.targets import set_target
from tests.support.boundaries import jepara_features, write_geojson

TODAY = date(2024, 8, 17)


@pytest.fixture
def conn(make_db: Callable[[str], Path], tmp_path: Path) -> sqlite3.Connection:
    connection = open_database(make_db("jepara"))
    import_boundaries(connection, write_geojson(tmp_path / "batas.geojson", jepara_features()))
    return connection


def test_the_mentors_of_a_past_year_are_those_of_its_31_december() -> None:
    assert mentor_day(2023, TODAY) == date(2023, 12, 31)
    assert mentor_day(2024, TODAY) == TODAY  # this year: as things stand today
    assert mentor_day(2030, TODAY) == TODAY


def test_values_and_mentors_follow_the_year(conn: sqlite3.Connection) -> None:
    assign(conn, "Tulakan", "Bappeda", since=date(2021, 10, 13))
    reassign(conn, "Tulakan", "Dinkes", since=date(2024, 3, 1), reason="evaluasi")
    set_poverty(conn, "Tulakan", 2023, rate=9.5)
    values = measure_values(conn, "poverty", 2023)
    assert values["33.20.16.2005"] == 9.5 and values["33.20.01.2001"] is None and len(values) == 195
    assert mentors_on(conn, mentor_day(2023, TODAY))["33.20.16.2005"] == "BAPPEDA"
    assert mentors_on(conn, mentor_day(2024, TODAY))["33.20.16.2005"] == "DINKES"


def test_any_measure_colours_the_map_in_its_own_direction(conn: sqlite3.Connection, tmp_path: Path) -> None:
    set_figure(conn, "Tulakan", 2023, measure="idm", value=0.7081)
    set_target(conn, 2023, 0.7, None, "idm")
    assert measure_values(conn, "idm", 2023)["33.20.16.2005"] == 0.7081
    legend = measure_legend(conn, "idm", 2023)
    assert (legend.target, legend.lower_is_better, legend.meets_target(0.7081)) == (0.7, False, True)
    result = draw_village_map(conn, tmp_path / "idm.svg", today=TODAY, measure="IDM")
    assert (result.year, result.measure, result.villages - result.without_figure) == (2023, "idm", 1)
    assert "Village development index (IDM) by village, 2023" in (tmp_path / "idm.svg").read_text(encoding="utf-8")


def test_draw_village_map_writes_the_file_a_document_asks_for(conn: sqlite3.Connection, tmp_path: Path) -> None:
    assign(conn, "Tulakan", "Bappeda", since=date(2021, 10, 13))
    set_poverty(conn, "Tulakan", 2023, rate=12.0)
    result = draw_village_map(conn, tmp_path / "brief" / "peta.svg", today=TODAY, year=2023)
    svg = (tmp_path / "brief" / "peta.svg").read_text(encoding="utf-8")
    assert "Poverty rate by village, 2023: Kabupaten Jepara" in svg and "BAPPEDA" in svg
    assert (result.villages, result.without_figure, result.mentored) == (195, 194, 1)
    assert ("over 10.00 %: misses it by more", 1) in result.classes


def test_an_unknown_measure_or_format_is_refused(conn: sqlite3.Connection, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="known measures: poverty, extreme, idm"):
        draw_village_map(conn, tmp_path / "peta.png", today=TODAY, measure="stunting")
    with pytest.raises(InvalidValue, match=r"\.svg, \.png, \.pdf or \.geojson"):
        draw_village_map(conn, tmp_path / "peta.docx", today=TODAY)
