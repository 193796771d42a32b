"""`plan` and the decree annex on the demo, as the planning office runs them for the 2023 evaluation."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.cli import Result

Cli = Callable[..., Result]


@pytest.fixture
def demo(cli: Cli, tmp_path: Path) -> tuple[str, str]:
    path = str(tmp_path / "demo.db")
    assert cli("demo", "--db", path).code == 0
    return ("--db", path)


def test_plan_2023_as_a_table_and_as_json(cli: Cli, demo: tuple[str, str]) -> None:
    table = cli(*demo, "plan", "--year", "2023")
    assert table.code == 0
    assert "Graduating pairings (1)" in table.out and "Kedungmalang" in table.out
    assert "Proposal (14)" in table.out
    assert "9.09 % in 2023, 1.09 points above the 8.00 % target" in table.out
    assert "DISKAN leaves Kedungmalang, which met the target" in table.out

    data = json.loads(cli(*demo, "plan", "--year", "2023", "--format", "json").out)
    assert {"year", "target", "graduating", "candidates", "free_agencies", "proposal"} <= data.keys()
    assert (data["year"], data["target"]) == (2023, 8.0)
    first = data["proposal"][0]
    assert set(first) >= {"village_code", "village", "kecamatan", "value", "agency_code", "agency", "replaces"}
    assert (first["village"], first["agency_code"], first["replaces"]) == ("Keling", "BAPENDA", None)
    assert [p["replaces"] for p in data["proposal"] if p["agency_code"] == "DISKAN"] == ["33.20.01.2001"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_proposal_imports_dry_run_then_for_real_then_the_annex(
    cli: Cli, demo: tuple[str, str], tmp_path: Path, suffix: str
) -> None:
    from docx import Document

    plan_file = str(tmp_path / f"rencana{suffix}")
    written = cli(*demo, "plan", "--year", "2023", "--output", plan_file)
    assert written.code == 0 and "15 pairings starting or ending on 2024-01-01" in written.err

    dry = cli(*demo, "import", "pairings", plan_file, "--dry-run")
    assert "14 inserted, 1 updated, 0 unchanged (dry run" in dry.out
    assert "20 pairings" not in cli(*demo, "pairings", "--as-of", "2024-01-01").out

    assert "14 inserted, 1 updated" in cli(*demo, "import", "pairings", plan_file).out
    now = cli(*demo, "pairings", "--as-of", "2024-01-01", "--format", "json")
    pairs = {(p["village"], p["agency_code"]) for p in json.loads(now.out)}
    assert len(pairs) == 20 and ("Batealit", "DISKAN") in pairs and ("Kedungmalang", "DISKAN") not in pairs
    # made again after the import, the plan is the same and importing it once more changes nothing
    assert "15 unchanged" in cli(*demo, "import", "pairings", plan_file, "--dry-run").out

    annex = tmp_path / "lampiran.docx"
    result = cli(*demo, "--lang", "id", "pairings", "--as-of", "2024-01-01", "--output", str(annex))
    assert result.code == 0 and "20 pendampingan" in result.err and "titik-titik" in result.err
    document = Document(str(annex))
    heading, table = document.tables
    assert heading.rows[0].cells[1].text == "LAMPIRAN KEPUTUSAN BUPATI JEPARA"
    assert [c.text for c in table.rows[0].cells] == ["No", "Perangkat Daerah", "Desa/Kelurahan", "Kecamatan"]
    assert len(table.rows) == 21
    rows = {tuple(c.text for c in row.cells[1:]) for row in table.rows[1:]}
    assert ("Dinas Perikanan", "Batealit", "Batealit") in rows
    assert table.rows[20].cells[0].text == "20."
    assert "BUPATI JEPARA," in [p.text for p in document.paragraphs]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["plan", "--measure", "income"], "--measure: no measure 'income'; known measures: poverty, extreme, idm"),
        (["plan", "--year", "2018"], "--year: no figures for 2018; years with figures: 2019, 2020"),
        (["plan", "--output", "rencana.txt"], "must end in .csv or .xlsx"),
        (["plan", "--since", "2023-07-01"], "--since 2023-07-01: the new pairings start after 2023"),
        (["pairings", "--all", "--output", "lampiran.docx"], "leave out --all"),
        (["pairings", "--output", "lampiran.txt"], "must end in .docx, .pdf or .xlsx"),
    ],
)
def test_bad_plan_and_annex_arguments_exit_1_with_one_line(
    cli: Cli, demo: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], words: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli(*demo, *args)
    assert result.code == 1
    assert words in result.err and len(result.err.strip().splitlines()) == 1
    assert not list(tmp_path.glob("rencana*")) and not list(tmp_path.glob("lampiran*"))


def test_the_annex_as_pdf_and_workbook(cli: Cli, demo: tuple[str, str], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    pdf, book = tmp_path / "lampiran.pdf", tmp_path / "lampiran.xlsx"
    assert cli(*demo, "--lang", "id", "pairings", "--as-of", "2022-01-01", "--output", str(pdf)).code == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert cli(*demo, "--lang", "id", "pairings", "--as-of", "2022-01-01", "--output", str(book)).code == 0
    sheet = load_workbook(book).worksheets[0]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert texts[0] == "LAMPIRAN KEPUTUSAN BUPATI JEPARA"
    assert "NOMOR : …………………" in texts and "Badan Perencanaan Pembangunan Daerah" in texts
    assert "Jepara, …………………" in texts and "BUPATI JEPARA" in texts
