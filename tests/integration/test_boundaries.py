"""`import_boundaries` and the map on generated BIG-style boundaries of Kabupaten Jepara."""

from __future__ import annotations

import json
import random
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from opd_desa.db import open_database
from opd_desa.errors import InvalidValue, NotFound
from opd_desa.maps import reading, schema
from opd_desa.maps.classes import Measure
from opd_desa.maps.drawing import MapText, MapVillage, draw_map, to_geojson
from opd_desa.maps.importing import import_boundaries
from opd_desa.maps.views import export_geojson, has_boundaries, map_villages
from tests.support.boundaries import (
    UNKNOWN_CODE,
    UTM49S_PRJ,
    jepara_features,
    write_geojson,
    write_shapefile,
    write_zipped_shapefile,
)

POVERTY = Measure("Poverty rate (%)", "%", target=8.36)


@pytest.fixture(scope="session")
def features() -> list[dict[str, Any]]:
    return jepara_features()


@pytest.fixture
def conn(make_db: Callable[[str], Path]) -> sqlite3.Connection:
    return open_database(make_db("jepara"))


def _villages(conn: sqlite3.Connection) -> list[MapVillage]:
    rng = random.Random(7)
    geometry = schema.load(conn)
    rows = conn.execute("SELECT v.code, v.name, r.name FROM villages v JOIN regions r ON r.code = v.kecamatan_code")
    return [
        MapVillage(
            code, name, kecamatan, geometry[code], round(rng.uniform(3, 14), 2), "DINKES" if i % 20 == 0 else None
        )
        for i, (code, name, kecamatan) in enumerate(rows)
    ]


def test_zipped_shapefile_matches_all_195_villages(
    conn: sqlite3.Connection, features: list[dict[str, Any]], tmp_path: Path
) -> None:
    summary = import_boundaries(conn, write_zipped_shapefile(tmp_path / "batas.zip", features))
    assert (summary.features, summary.matched, summary.skipped, summary.missing) == (197, 195, 1, [])
    assert summary.code_field == "KDEPUM"
    assert [(u.number, u.names) for u in summary.unmatched] == [
        (197, f"KDEPUM={UNKNOWN_CODE}, WADMKD=Desa Baru, NAMOBJ=Desa Baru, WADMKC=Kedung")
    ]
    stored = schema.load(conn)
    assert len(stored) == 195
    assert json.loads(stored["33.20.10.2001"])["type"] == "MultiPolygon"  # Karimunjawa's two islands
    assert len(json.loads(stored["33.20.05.2001"])["coordinates"]) == 2  # the village with a reservoir
    assert schema.count_without_boundary(conn) == 0


def test_geojson_matches_by_names_when_there_is_no_code(
    conn: sqlite3.Connection, features: list[dict[str, Any]], tmp_path: Path
) -> None:
    nameless = [{**f, "properties": {k: v for k, v in f["properties"].items() if k != "KDEPUM"}} for f in features]
    summary = import_boundaries(conn, write_geojson(tmp_path / "batas.geojson", nameless))
    assert summary.code_field is None
    assert (summary.matched, summary.skipped, len(summary.unmatched)) == (195, 1, 1)


def test_a_shp_with_its_dbf_and_a_reimport_replaces(
    conn: sqlite3.Connection, features: list[dict[str, Any]], tmp_path: Path
) -> None:
    shp = write_shapefile(tmp_path / "batas", features)
    import_boundaries(conn, shp, simplify_m=0)
    detailed = schema.load(conn)["33.20.16.2005"]
    import_boundaries(conn, shp, simplify_m=50)
    assert conn.execute("SELECT count(*) FROM boundaries").fetchone()[0] == 195
    assert len(schema.load(conn)["33.20.16.2005"]) < len(detailed) / 2


def test_a_projected_prj_is_refused_naming_its_system(features: list[dict[str, Any]], tmp_path: Path) -> None:
    path = write_zipped_shapefile(tmp_path / "utm.zip", features, prj=UTM49S_PRJ)
    with pytest.raises(InvalidValue, match=r"is in WGS 84 / UTM zone 49S, not longitude/latitude; reproject it"):
        list(reading.read_features(path))


def test_coordinates_in_metres_without_a_prj_are_refused(tmp_path: Path) -> None:
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [[[450000, 9270000]]]},
    }
    path = write_geojson(tmp_path / "utm.geojson", [feature])
    with pytest.raises(InvalidValue, match="metres of a projected system, not degrees"):
        list(reading.read_features(path))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("batas.csv", b"a,b\n", "is not a boundary file; give a GeoJSON file"),
        ("batas.geojson", b"<html>", "is not GeoJSON"),
        ("batas.geojson", b'{"type": "Topology"}', "is JSON but not a GeoJSON FeatureCollection"),
        ("batas.zip", b"PK\x03\x04 not really", "is not a readable zip file"),
    ],
)
def test_files_that_are_not_boundaries_get_one_line(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InvalidValue, match=message):
        list(reading.read_features(path))


def test_a_zip_without_a_shapefile_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "batas.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("batas.dbf", b"")
    with pytest.raises(InvalidValue, match=r"holds no shapefile \(\.shp\)"):
        list(reading.read_features(path))


def test_a_shp_without_its_dbf_is_refused(features: list[dict[str, Any]], tmp_path: Path) -> None:
    shp = write_shapefile(tmp_path / "batas", features[:3])
    shp.with_suffix(".dbf").unlink()
    with pytest.raises(InvalidValue, match=r"has no \.dbf beside it"):
        list(reading.read_features(shp))


def test_a_geojson_over_the_size_limit_is_refused_with_the_limit(
    features: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "MAX_GEOJSON_BYTES", 1024 * 1024)
    path = write_geojson(tmp_path / "batas.geojson", features)
    with pytest.raises(InvalidValue, match=r"GeoJSON files over 1 MB are refused"):
        list(reading.read_features(path))


def test_a_broken_feature_stops_the_import_naming_it(
    conn: sqlite3.Connection, features: list[dict[str, Any]], tmp_path: Path
) -> None:
    broken = [dict(f) for f in features]
    broken[4] = {**broken[4], "geometry": {"type": "Polygon", "coordinates": [[[110.6, -6.5], [110.7, -6.5]]]}}
    path = write_geojson(tmp_path / "batas.geojson", broken)
    with pytest.raises(InvalidValue, match=r"feature 5 \(KDEPUM=33\.20\.01\.2005, .*fewer than 3"):
        import_boundaries(conn, path)
    assert conn.execute("SELECT count(*) FROM boundaries").fetchone()[0] == 0


def test_a_self_intersecting_feature_is_repaired_and_counted(
    conn: sqlite3.Connection, features: list[dict[str, Any]], tmp_path: Path
) -> None:
    bowtie = [dict(f) for f in features]
    ring = [[110.60, -6.50], [110.62, -6.48], [110.62, -6.50], [110.60, -6.48], [110.60, -6.50]]
    bowtie[0] = {**bowtie[0], "geometry": {"type": "Polygon", "coordinates": [ring]}}
    summary = import_boundaries(conn, write_geojson(tmp_path / "batas.geojson", bowtie))
    assert (summary.matched, summary.repaired) == (195, 1)


def test_drawn_svg_has_legend_labels_and_scale_bar(
    conn: sqlite3.Connection, features: list[dict[str, Any]], tmp_path: Path
) -> None:
    import_boundaries(conn, write_zipped_shapefile(tmp_path / "batas.zip", features))
    output = tmp_path / "peta.svg"
    classes = draw_map(_villages(conn), POVERTY, MapText("Poverty in Jepara, 2023", "Source: BPS"), output)
    svg = output.read_text(encoding="utf-8")
    assert ">Poverty in Jepara, 2023<" in svg and ">Source: BPS<" in svg
    assert ">Poverty rate (%)<" in svg  # the legend's title
    assert "up to 8.4 %: meets the target" in svg
    assert ">DINKES<" in svg  # a mentored village's agency
    assert "km<" in svg  # the scale bar
    assert ">Karimunjawa<" in svg  # the islands' inset
    assert sum(classes.count(i) for i in range(4)) == 195


def test_png_and_pdf_are_written_and_zoom_refuses_an_unknown_kecamatan(
    conn: sqlite3.Connection, features: list[dict[str, Any]], tmp_path: Path
) -> None:
    import_boundaries(conn, write_zipped_shapefile(tmp_path / "batas.zip", features))
    villages = _villages(conn)
    text = MapText("Kedung", "Source: BPS")
    draw_map(villages, POVERTY, text, tmp_path / "peta.png", kecamatan=["kedung"])
    draw_map(villages, POVERTY, text, tmp_path / "peta.pdf")
    assert (tmp_path / "peta.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "peta.pdf").read_bytes()[:4] == b"%PDF"
    with pytest.raises(NotFound, match="no kecamatan 'Kedungg' on the map; did you mean: Kedung"):
        draw_map(villages, POVERTY, text, tmp_path / "x.png", kecamatan=["Kedungg"])


def test_geojson_output_round_trips_195_features_with_their_properties(
    conn: sqlite3.Connection, features: list[dict[str, Any]], tmp_path: Path
) -> None:
    import_boundaries(conn, write_zipped_shapefile(tmp_path / "batas.zip", features))
    output = tmp_path / "peta.geojson"
    assert to_geojson(_villages(conn), POVERTY, output) == 195
    collection = json.loads(output.read_text(encoding="utf-8"))
    assert len(collection["features"]) == 195
    first = collection["features"][0]
    assert set(first["properties"]) == {"code", "name", "kecamatan", "value", "meets_target", "agency"}
    assert first["properties"]["meets_target"] == (first["properties"]["value"] <= 8.36)
    assert first["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert [f for f in reading.read_features(output)][194].number == 195  # and it reads back as boundaries


def test_export_and_map_villages_read_the_stored_boundaries(
    conn: sqlite3.Connection, features: list[dict[str, Any]], tmp_path: Path
) -> None:
    assert not has_boundaries(conn)
    assert export_geojson(conn, tmp_path / "none.geojson") == 0
    with pytest.raises(InvalidValue, match="no village boundaries are loaded yet"):
        map_villages(conn, {}, {})
    import_boundaries(conn, write_zipped_shapefile(tmp_path / "batas.zip", features))
    assert export_geojson(conn, tmp_path / "boundaries.geojson") == 195
    exported = json.loads((tmp_path / "boundaries.geojson").read_text(encoding="utf-8"))
    assert exported["features"][0]["properties"] == {
        "code": "33.20.01.2001",
        "name": "Kedungmalang",
        "kecamatan": "Kedung",
    }
    villages = map_villages(conn, {"33.20.16.2005": 7.5}, {"33.20.16.2005": "BAPPEDA"})
    tulakan = next(v for v in villages if v.code == "33.20.16.2005")
    assert (tulakan.name, tulakan.kecamatan, tulakan.value, tulakan.agency) == ("Tulakan", "Donorojo", 7.5, "BAPPEDA")
    assert sum(v.value is None for v in villages) == 194
