"""The commands as a planning officer types them: output, exit statuses, one-line errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.cli import Cli


def test_init_jepara_gives_195_villages_in_16_kecamatan(cli: Cli, tmp_path: Path) -> None:
    db = str(tmp_path / "j.db")
    result = cli("--db", db, "init", "--region", "33.20")
    assert result.code == 0
    assert "195 villages (184 desa, 11 kelurahan) in 16 kecamatan" in result.out
    again = cli("--db", db, "init", "--region", "Jepara")
    assert again.code == 0 and "0 newly added" in again.out


def test_init_with_an_unknown_region_creates_nothing(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    result = cli("--db", str(db), "init", "--region", "Atlantis")
    assert result.code == 1 and "Atlantis" in result.err and not db.exists()


def test_commands_refuse_a_missing_database(cli: Cli, tmp_path: Path) -> None:
    result = cli("--db", str(tmp_path / "none.db"), "pairings")
    assert result.code == 1
    assert "no database at" in result.err and "opd-desa init" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "none.db").exists()


def test_the_launch_pairings_as_people_type_them(cli: Cli, db_path: Path) -> None:
    db = ("--db", str(db_path))
    for village, agency in [
        ("Desa Tulakan", "bappeda"),
        ("sowan-kidul", "BPKAD"),
        ("Troso", "Disdikpora"),
        ("Lebak", "Kominfo"),
        ("KEDUNGMALANG", "Dinas Perikanan"),
        ("Geneng", "DPPUPR"),
        ("3320112001", "Dinas Kesehatan"),
    ]:
        result = cli(*db, "assign", village, agency, "--since", "13/10/2021")
        assert result.code == 0, result.err
        assert "now mentors" in result.out
    listed = json.loads(cli(*db, "pairings", "--format", "json").out)
    assert {(p["village"], p["agency_code"]) for p in listed} == {
        ("Tulakan", "BAPPEDA"),
        ("Sowan Kidul", "BPKAD"),
        ("Troso", "DISDIKPORA"),
        ("Lebak", "DISKOMINFO"),
        ("Kedungmalang", "DISKAN"),
        ("Geneng", "DPUPR"),
        ("Ngabul", "DINKES"),
    }
    assert set(listed[0]) >= {
        "village_code",
        "village",
        "agency_code",
        "agency",
        "since",
        "until",
        "decree",
        "reason",
        "note",
    }

    refused = cli(*db, "assign", "Tulakan", "Dinkes")
    assert refused.code == 1
    assert "Tulakan (33.20.16.2005)" in refused.err and "BAPPEDA" in refused.err and "2021-10-13" in refused.err

    moved = cli(*db, "reassign", "Tulakan", "Dinkes", "--since", "2023-01-02", "--reason", "evaluasi")
    assert moved.code == 0
    assert "Ngabul (33.20.11.2001) is now without a mentor" in moved.err

    history = cli(*db, "history", "Tulakan")
    assert history.code == 0
    assert "BAPPEDA" in history.out and "DINKES" in history.out and "evaluasi" in history.out
    as_json = json.loads(cli(*db, "history", "Tulakan", "--format", "json").out)
    assert [(p["agency_code"], p["since"], p["until"]) for p in as_json] == [
        ("BAPPEDA", "2021-10-13", "2023-01-02"),
        ("DINKES", "2023-01-02", None),
    ]
    assert all(isinstance(p["activities"], list) for p in as_json)


def test_geneng_with_jepara_and_blora_loaded(cli: Cli, make_db: Callable[[str], Path]) -> None:
    db = ("--db", str(make_db("jepara_blora")))
    ambiguous = cli(*db, "assign", "Geneng", "Bappeda")
    assert ambiguous.code == 1
    assert "Batealit, 33.20.05.2001" in ambiguous.err and "Jepon, 33.16.08.2016" in ambiguous.err
    assert cli(*db, "assign", "Geneng/Batealit", "Bappeda").code == 0


@pytest.mark.parametrize("args", [["report", "--year", "abc"], ["pairings", "--bogus"], ["assign", "Tulakan"]])
def test_what_the_parser_rejects_exits_2(cli: Cli, db_path: Path, args: list[str]) -> None:
    assert cli("--db", str(db_path), *args).code == 2


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["assign", "Tulakn", "Bappeda"], "did you mean"),
        (["assign", "Tulakan", "Bappeda", "--since", "31/02/2022"], "--since"),
        (["report", "--year", "1990"], "--year"),
        (["report", "--format", "xml"], "--format"),
        (["activity", "remove", "999"], "no activity #999"),
        (["poverty", "set", "Tulakan", "2020", "150"], "RATE"),
        (["agencies", "add", "", "Dinas"], "code is empty"),
    ],
)
def test_what_the_tool_checks_exits_1_with_one_line(cli: Cli, db_path: Path, args: list[str], words: str) -> None:
    result = cli("--db", str(db_path), *args)
    assert result.code == 1
    assert words in result.err
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err


def test_report_json_has_the_contract_keys(cli: Cli, db_path: Path) -> None:
    db = ("--db", str(db_path))
    cli(*db, "poverty", "set", "Tulakan", "2020", "10,9", "--source", "DTKS")
    cli(*db, "poverty", "set", "Tulakan", "2019", "11,5")
    data = json.loads(cli(*db, "report", "--format", "json").out)
    assert set(data) == {"year", "target", "target_source", "rows", "summary", "sources", "measure"}
    assert data["measure"] == {"key": "poverty", "name": "Percentage of poor people", "unit": "%", "better": "lower"}
    assert data["year"] == 2020 and data["target"] == 8.0 and data["sources"] == ["DTKS"]
    tulakan = next(r for r in data["rows"] if r["code"] == "33.20.16.2005")
    assert {
        k: tulakan[k] for k in ("value", "meets_target", "rate", "previous_rate", "change", "gap", "above_target")
    } == {
        "value": 10.9,
        "meets_target": False,
        "rate": 10.9,
        "previous_rate": 11.5,
        "change": -0.6,
        "gap": 2.9,
        "above_target": True,
    }
    assert set(data["summary"]) == {
        "villages",
        "with_data",
        "above_target",
        "paired",
        "above_target_unpaired",
        "weighted_rate",
        "mean_rate",
    }


def test_piped_report_is_plain_and_unwrapped(cli: Cli, db_path: Path) -> None:
    db = ("--db", str(db_path))
    cli(*db, "poverty", "set", "Tulakan", "2020", "10,9")
    table = cli(*db, "report")
    assert "\x1b[" not in table.out
    tulakan = next(line for line in table.out.splitlines() if "Tulakan" in line)
    assert "33.20.16.2005" in tulakan and "10.90" in tulakan  # one row, one line
    csv_out = cli(*db, "report", "--format", "csv").out.splitlines()
    assert csv_out[0] == (
        "code,name,kecamatan,agency,rate,previous_rate,change,gap,above_target,population,activities,budget"
    )
    assert "33.20.16.2005,Tulakan,Donorojo,,10.9,,,2.9,true,,0," in csv_out


def test_year_without_figures_warns_but_succeeds(cli: Cli, db_path: Path) -> None:
    result = cli("--db", str(db_path), "report", "--year", "2015", "--format", "json")
    assert result.code == 0 and "warning" in result.err
    assert json.loads(result.out)["summary"]["with_data"] == 0


def test_agencies_add_rename_keeps_old_names(cli: Cli, db_path: Path) -> None:
    db = ("--db", str(db_path))
    assert cli(*db, "assign", "Kedungmalang", "Diskan").code == 0
    assert cli(*db, "agencies", "rename", "Diskan", "Dinas Kelautan dan Perikanan", "--code", "DKP").code == 0
    agencies = {a["code"]: a for a in json.loads(cli(*db, "agencies", "--format", "json").out)}
    assert "DISKAN" not in agencies
    assert "DISKAN" in agencies["DKP"]["aliases"] and agencies["DKP"]["village"] == "33.20.01.2001"
    assert cli(*db, "history", "Diskan").code == 0


def test_activity_add_defaults_to_the_mentor_and_remove_keeps_it_in_the_log(cli: Cli, db_path: Path) -> None:
    db = ("--db", str(db_path))
    cli(*db, "assign", "Tulakan", "Bappeda", "--since", "2021-10-13")
    added = cli(
        *db,
        "activity",
        "add",
        "Tulakan",
        "--date",
        "02/11/2021",
        "--kind",
        "pelatihan",
        "--title",
        "Pelatihan BUMDes",
        "--budget",
        "Rp 15.000.000",
        "--beneficiaries",
        "40",
    )
    assert added.code == 0 and "BAPPEDA" in added.out
    other = cli(
        *db,
        "activity",
        "add",
        "Tulakan",
        "--date",
        "2022-01-05",
        "--kind",
        "kesehatan",
        "--title",
        "Posyandu",
        "--agency",
        "Dinkes",
    )
    assert other.code == 0 and "warning" in other.err
    listed = json.loads(cli(*db, "activity", "list", "--format", "json").out)
    assert [(a["agency_code"], a["budget"]) for a in listed] == [("BAPPEDA", 15_000_000), ("DINKES", None)]
    assert cli(*db, "activity", "remove", str(listed[0]["id"])).code == 0
    log = json.loads(cli(*db, "log", "--format", "json", "--limit", "1").out)
    assert log[0]["old"]["title"] == "Pelatihan BUMDes" and log[0]["new"] is None


def test_demo_builds_and_refuses_to_overwrite_other_databases(cli: Cli, tmp_path: Path, db_path: Path) -> None:
    demo = str(tmp_path / "demo.db")
    result = cli("demo", "--db", demo)
    assert result.code == 0
    # the latest year with figures and mentors, not 2020 (before the programme began)
    assert "in 2023" in result.out and "BPKAD" in result.out and "Try next" in result.out
    assert cli("demo", "--db", demo).code == 0  # a demo database may be rebuilt
    refused = cli("demo", "--db", str(db_path))
    assert refused.code == 1 and "not a demo database" in refused.err


def test_example_weighted_rates_are_the_kabupaten_figures(cli: Cli, tmp_path: Path) -> None:
    db = ("--db", str(tmp_path / "e.db"))
    assert cli(*db, "init", "--region", "33.20", "--example").code == 0
    for year, rate in ((2019, 6.6), (2020, 7.0)):
        summary = json.loads(cli(*db, "report", "--year", str(year), "--format", "json").out)["summary"]
        assert abs(summary["weighted_rate"] - rate) <= 0.05
    report_2020 = json.loads(cli(*db, "report", "--year", "2020", "--format", "json").out)
    assert 26 <= report_2020["summary"]["above_target"] <= 30
    assert any("Ilustrasi" in s for s in report_2020["sources"])


def test_report_for_a_letter_as_html_and_svg(cli: Cli, tmp_path: Path) -> None:
    db = ("--db", str(tmp_path / "demo.db"))
    assert cli("demo", *db).code == 0
    page, picture = tmp_path / "laporan.html", tmp_path / "laporan.svg"
    assert cli(*db, "report", "--year", "2020", "--above-target", "--output", str(page)).code == 0
    assert cli(*db, "report", "--year", "2020", "--output", str(picture)).code == 0
    html = page.read_text(encoding="utf-8")
    assert "<h1>Poverty in 2020: all villages, above the target, against a target of 8.00 %</h1>" in html
    assert "Made " in html and "RPJMD Kabupaten Jepara 2017–2022" in html
    assert "Sowan Kidul" in html and "color:#b3261e" in html  # above the target: red
    assert "Ilustrasi, bukan data resmi" in html
    import xml.etree.ElementTree as ET

    root = ET.fromstring(picture.read_text(encoding="utf-8"))
    assert root.tag.endswith("svg") and "cdnjs" not in picture.read_text(encoding="utf-8")
    bad = cli(*db, "report", "--output", str(tmp_path / "laporan.docx"))
    assert bad.code == 1 and "--output" in bad.err


def test_report_workbook_keeps_its_types(cli: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    db = ("--db", str(tmp_path / "demo.db"))
    assert cli("demo", *db).code == 0
    path = tmp_path / "laporan.xlsx"
    assert cli(*db, "report", "--year", "2020", "--output", str(path)).code == 0
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "Poverty in 2020: all villages, against a target of 8.00 %"
    header = [c.value for c in sheet[4]]
    assert header[:5] == ["Code", "Village", "Kecamatan", "Mentor", "Rate %"]
    first = {h: c for h, c in zip(header, sheet[5], strict=False)}
    assert isinstance(first["Code"].value, str) and first["Code"].value.startswith("33.20.")
    assert isinstance(first["Rate %"].value, float) and first["Rate %"].number_format == "0.00%"
    assert isinstance(first["Population"].value, int)
    assert sheet.freeze_panes == "A5"


def test_bahasa_indonesia_everywhere_a_person_reads_but_not_in_json(cli: Cli, tmp_path: Path) -> None:
    db = ("--db", str(tmp_path / "demo.db"))
    assert cli("demo", *db).code == 0
    table = cli(*db, "--lang", "id", "report", "--year", "2020", "--kecamatan", "Donorojo")
    assert table.code == 0
    assert "Desa" in table.out and "Persentase penduduk miskin (%)" in table.out and "Pada tahun 2020" in table.out
    assert "8,36%" in table.out and "10,77" in table.out  # decimal commas, as Indonesian is written
    unknown = cli(*db, "--lang", "id", "assign", "Tulakn", "Bappeda")
    assert unknown.code == 1 and unknown.err.startswith("kesalahan: tidak ada desa bernama 'Tulakn'")
    missing = cli("--lang", "id", "--db", str(tmp_path / "none.db"), "pairings")
    assert "tidak ada basis data" in missing.err
    english = json.loads(cli(*db, "report", "--year", "2020", "--format", "json").out)
    indonesian = json.loads(cli(*db, "--lang", "id", "report", "--year", "2020", "--format", "json").out)
    assert english["rows"] == indonesian["rows"] and set(english["summary"]) == set(indonesian["summary"])
    csv_id = cli(*db, "--lang", "id", "report", "--year", "2020", "--format", "csv").out.splitlines()[0]
    assert csv_id.startswith("code,name,kecamatan,agency,rate")
    help_id = cli("--lang", "id", "assign", "--help")
    assert "Contoh: opd-desa assign" in help_id.out


def test_init_example_again_keeps_what_the_user_changed(cli: Cli, tmp_path: Path) -> None:
    db = ("--db", str(tmp_path / "u.db"))
    assert cli(*db, "init", "--region", "33.20", "--example").code == 0
    assert cli(*db, "unassign", "Tulakan", "--until", "2024-01-01", "--reason", "desa sudah mandiri").code == 0
    assert cli(*db, "poverty", "set", "Tulakan", "2020", "11,5", "--source", "DTKS 2020").code == 0
    assert cli(*db, "target", "set", "2022", "7,5").code == 0
    again = cli(*db, "init", "--example")
    assert again.code == 0, again.err
    history = json.loads(cli(*db, "history", "Tulakan", "--format", "json").out)
    assert (history[0]["until"], history[0]["reason"]) == ("2024-01-01", "desa sudah mandiri")
    figures = json.loads(cli(*db, "poverty", "show", "Tulakan", "--format", "json").out)
    assert next(f for f in figures if f["year"] == 2020)["rate"] == 11.5
    assert json.loads(cli(*db, "target", "list", "--format", "json").out)[0]["rate"] == 7.5


def test_option_values_that_look_like_global_options_stay_values(cli: Cli, db_path: Path) -> None:
    db = ("--db", str(db_path))
    added = cli(
        *db,
        "activity",
        "add",
        "Tulakan",
        "--date",
        "2024-02-02",
        "--kind",
        "pelatihan",
        "--title",
        "--db",
        "--agency",
        "Bappeda",
        "--note",
        "--lang=id",
    )
    assert added.code == 0, added.err
    (activity,) = json.loads(cli(*db, "activity", "list", "--format", "json").out)
    assert (activity["title"], activity["note"]) == ("--db", "--lang=id")
