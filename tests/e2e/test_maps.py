"""`import boundaries` and `map` as an officer types them, on the demo database and generated
BIG-style boundaries of Kabupaten Jepara."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from opd_desa.cli.main import main
from tests.support.boundaries import UTM49S_PRJ, jepara_features, write_geojson, write_zipped_shapefile
from tests.support.cli import Result

Cli = Callable[..., Result]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The generated boundaries as a zipped shapefile, and a demo database without and with them."""
    folder = tmp_path_factory.mktemp("maps")
    features = jepara_features()
    zipped = write_zipped_shapefile(folder / "batas_desa.zip", features)
    demo = folder / "demo.db"
    assert main(["--db", str(demo), "demo"]) == 0
    _checkpoint(demo)
    loaded = folder / "loaded.db"
    shutil.copyfile(demo, loaded)
    assert main(["--db", str(loaded), "import", "boundaries", str(zipped)]) == 0
    _checkpoint(loaded)
    return {"zip": zipped, "demo": demo, "loaded": loaded, "features": write_geojson(folder / "f.geojson", features)}


def _checkpoint(path: Path) -> None:
    """Move the write-ahead log into the file, so that copying the file copies everything."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


@pytest.fixture
def demo(files: dict[str, Path], tmp_path: Path) -> tuple[str, str]:
    """`--db` of a fresh copy of the demo database, without boundaries."""
    path = tmp_path / "demo.db"
    shutil.copyfile(files["demo"], path)
    return ("--db", str(path))


@pytest.fixture
def loaded(files: dict[str, Path], tmp_path: Path) -> tuple[str, str]:
    """`--db` of a fresh copy of the demo database with Jepara's boundaries imported."""
    path = tmp_path / "loaded.db"
    shutil.copyfile(files["loaded"], path)
    return ("--db", str(path))


# --- import boundaries ---------------------------------------------------------------------------


def test_importing_the_big_shapefile_prints_the_summary_and_names_the_unmatched(
    cli: Cli, demo: tuple[str, str], files: dict[str, Path]
) -> None:
    result = cli(*demo, "import", "boundaries", str(files["zip"]))
    assert result.code == 0
    assert result.out.strip() == (
        "batas_desa.zip: 197 features: 195 villages matched, 1 skipped (villages not in the database), "
        "1 unmatched; 0 villages still without a boundary"
    )
    assert (
        "feature 197 (KDEPUM=33.20.01.2999" in result.err and "no village of the database has this code" in result.err
    )


def test_a_dry_run_writes_nothing_so_map_still_asks_for_boundaries(
    cli: Cli, demo: tuple[str, str], files: dict[str, Path], tmp_path: Path
) -> None:
    result = cli(*demo, "import", "boundaries", str(files["zip"]), "--dry-run")
    assert result.code == 0 and "195 villages matched" in result.out and "dry run" in result.out
    refused = cli(*demo, "map", "--output", str(tmp_path / "peta.png"))
    assert refused.code == 1 and "import boundaries" in refused.err
    assert not (tmp_path / "peta.png").exists()


def test_the_json_summary_lists_what_was_matched(cli: Cli, demo: tuple[str, str], files: dict[str, Path]) -> None:
    result = cli(*demo, "import", "boundaries", str(files["zip"]), "--format", "json")
    summary = json.loads(result.out)
    assert (summary["matched"], summary["skipped"], summary["code_field"]) == (195, 1, "KDEPUM")
    assert summary["unmatched"][0]["feature"] == 197 and summary["without_boundary"] == []


def test_a_partial_file_leaves_villages_that_status_lists(cli: Cli, demo: tuple[str, str], tmp_path: Path) -> None:
    before = cli(*demo, "status")
    assert "without a boundary" not in before.out  # nothing to say until boundaries are used at all
    few = write_geojson(
        tmp_path / "kedung.geojson", [f for f in jepara_features() if f["properties"]["WADMKC"] == "Kedung"]
    )
    result = cli(*demo, "import", "boundaries", str(few))
    assert result.code == 0 and "177 villages still without a boundary" in result.out
    assert "without a boundary: " in result.err and "and 167 more" in result.err
    status = cli(*demo, "status")
    assert "Villages without a boundary on the map: 177" in status.out
    assert "opd-desa import boundaries FILE" in status.out
    as_json = json.loads(cli(*demo, "status", "--format", "json").out)
    assert len(as_json["attention"]["villages_without_boundary"]) == 177


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--code-field", "KODE"], "the file has no field 'KODE'"),
        (["--simplify", "-5"], "--simplify must be 0 or more metres"),
        (["--format", "csv"], "table or json"),
    ],
)
def test_bad_options_are_refused_in_one_line(
    cli: Cli, demo: tuple[str, str], files: dict[str, Path], arguments: list[str], message: str
) -> None:
    result = cli(*demo, "import", "boundaries", str(files["zip"]), *arguments)
    assert result.code != 0 and message in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_files_that_cannot_be_boundaries_are_refused_in_one_line(
    cli: Cli, demo: tuple[str, str], tmp_path: Path
) -> None:
    utm = write_zipped_shapefile(tmp_path / "utm.zip", jepara_features()[:3], prj=UTM49S_PRJ)
    notes = tmp_path / "catatan.txt"
    notes.write_text("bukan peta", encoding="utf-8")
    empty_zip = tmp_path / "kosong.zip"
    shutil.make_archive(str(empty_zip.with_suffix("")), "zip", root_dir=tmp_path, base_dir="catatan.txt")
    for path, message in [
        (utm, "WGS 84 / UTM zone 49S, not longitude/latitude"),
        (notes, "is not a boundary file"),
        (empty_zip, "holds no shapefile (.shp)"),
        (tmp_path / "hilang.zip", "no such file"),
    ]:
        result = cli(*demo, "import", "boundaries", str(path))
        assert result.code == 1 and message in result.err, path
        assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err


# --- map -----------------------------------------------------------------------------------------


def test_map_png_of_2023_shows_the_mentors_of_that_year(cli: Cli, loaded: tuple[str, str], tmp_path: Path) -> None:
    result = cli(*loaded, "map", "--year", "2023", "--output", str(tmp_path / "peta.png"))
    assert result.code == 0
    assert result.out.strip().endswith(
        "195 villages, Poverty rate (%) in 2023 (0 without a figure), 7 mentored as on 2023-12-31"
    )
    assert (tmp_path / "peta.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_map_svg_carries_title_legend_agency_labels_and_source(
    cli: Cli, loaded: tuple[str, str], tmp_path: Path
) -> None:
    svg = tmp_path / "peta.svg"
    assert cli(*loaded, "map", "--year", "2023", "--output", str(svg)).code == 0
    text = svg.read_text(encoding="utf-8")
    for words in (
        "Poverty rate by village, 2023: Kabupaten Jepara",
        "meets the target",
        "BAPPEDA",
        "Boundaries: batas_desa.zip",
        "km",
    ):
        assert words in text, words


def test_map_in_indonesian(cli: Cli, loaded: tuple[str, str], tmp_path: Path) -> None:
    svg = tmp_path / "peta.svg"
    result = cli(*loaded, "--lang", "id", "map", "--year", "2023", "--output", str(svg))
    assert result.code == 0 and "195 desa" in result.out
    text = svg.read_text(encoding="utf-8")
    assert "Persentase penduduk miskin" in text and "Poverty" not in text


def test_map_geojson_reads_back_195_features_with_their_properties(
    cli: Cli, loaded: tuple[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "peta.geojson"
    assert cli(*loaded, "map", "--year", "2023", "--output", str(out)).code == 0
    collection: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    features = collection["features"]
    assert len(features) == 195
    by_code = {f["properties"]["code"]: f["properties"] for f in features}
    tulakan = by_code["33.20.16.2005"]
    assert set(tulakan) == {"code", "name", "kecamatan", "value", "meets_target", "agency"}
    assert (tulakan["name"], tulakan["kecamatan"], tulakan["agency"]) == ("Tulakan", "Donorojo", "BAPPEDA")
    assert isinstance(tulakan["value"], float) and tulakan["meets_target"] == (tulakan["value"] <= 8.0)
    karimunjawa = next(f for f in features if f["properties"]["name"] == "Karimunjawa")
    assert karimunjawa["geometry"]["type"] == "MultiPolygon"


def test_a_reassignment_shows_on_the_map_of_its_year_only(cli: Cli, loaded: tuple[str, str], tmp_path: Path) -> None:
    assert cli(*loaded, "reassign", "Tulakan", "Dinkes", "--since", "2024-06-01", "--reason", "evaluasi").code == 0

    def agency(year: str) -> str:
        out = tmp_path / f"{year}.geojson"
        assert cli(*loaded, "map", "--year", year, "--output", str(out)).code == 0
        features = json.loads(out.read_text(encoding="utf-8"))["features"]
        return next(f["properties"]["agency"] for f in features if f["properties"]["code"] == "33.20.16.2005")

    assert agency("2023") == "BAPPEDA"
    assert agency("2024") == "DINKES"


def test_map_zooms_to_a_kecamatan(cli: Cli, loaded: tuple[str, str], tmp_path: Path) -> None:
    result = cli(*loaded, "map", "--kecamatan", "donorojo", "--output", str(tmp_path / "donorojo.pdf"))
    assert result.code == 0 and ": 8 villages" in result.out
    assert (tmp_path / "donorojo.pdf").read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--output", "peta.jpg"], "must end in .svg, .png, .pdf or .geojson"),
        (["--output", "peta.png", "--measure", "income"], "no measure 'income'; known measures: poverty, extreme, idm"),
        (["--output", "peta.png", "--kecamatan", "Donorojoo"], "did you mean: Donorojo"),
        (["--output", "peta.png", "--year", "1999"], "not a year between 2000 and 2100"),
    ],
)
def test_map_refusals_are_one_line(
    cli: Cli, loaded: tuple[str, str], tmp_path: Path, arguments: list[str], message: str
) -> None:
    moved = [str(tmp_path / a) if a.startswith("peta.") else a for a in arguments]
    result = cli(*loaded, "map", *moved)
    assert result.code == 1 and message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not list(tmp_path.glob("peta.*"))


def test_export_and_backup_keep_the_boundaries(cli: Cli, loaded: tuple[str, str], tmp_path: Path) -> None:
    exported = cli(*loaded, "export", str(tmp_path / "arsip"))
    assert "boundaries.geojson: 195" in exported.out
    copy = tmp_path / "salinan.db"
    assert cli(*loaded, "backup", str(copy)).code == 0
    again = cli("--db", str(copy), "map", "--output", str(tmp_path / "dari-salinan.geojson"))
    assert again.code == 0 and "195 villages" in again.out
    fresh = tmp_path / "fresh.db"
    assert cli("--db", str(fresh), "init", "--region", "33.20").code == 0
    back = cli("--db", str(fresh), "import", "boundaries", str(tmp_path / "arsip" / "boundaries.geojson"))
    assert back.code == 0 and "195 villages matched" in back.out
