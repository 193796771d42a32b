"""`brief`: the values gathered from the example database, and the document made of them in PDF, HTML and XLSX."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from opd_desa.documents.brief import compose, write_brief
from opd_desa.documents.page import (
    BarChart,
    Chart,
    Heading,
    KeyFigures,
    PairingChart,
    Paragraph,
    Picture,
    Signature,
    Table,
    TrendChart,
)
from opd_desa.errors import InvalidValue
from opd_desa.i18n import set_language
from opd_desa.services.brief import Brief, build_brief
from opd_desa.services.example import init_with_example
from opd_desa.services.settings import set_setting

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    conn, _result, _loaded = init_with_example(tmp_path_factory.mktemp("brief") / "example.db", [])
    set_setting(conn, "org.name", "Bappeda Kabupaten Jepara")
    set_setting(conn, "signatory.name", "Dr. Contoh Pejabat")
    set_setting(conn, "signatory.title", "Kepala Bappeda")
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def brief(example: sqlite3.Connection) -> Brief:
    return build_brief(example, today=TODAY, year=2023)


@pytest.fixture
def indonesian() -> Iterator[None]:
    set_language("id")
    yield
    set_language("en")


def test_the_brief_names_the_region_and_the_year_and_counts_like_the_report(brief: Brief) -> None:
    poverty = brief.measures[0]
    assert (brief.region, brief.year, poverty.key) == ("Kabupaten Jepara", 2023, "poverty")
    assert poverty.villages == sum(k.villages for k in poverty.groups) and poverty.group_level == "kecamatan"
    assert len(poverty.above) == sum(k.above for k in poverty.groups) > 0
    assert [v.value for v in poverty.above] == sorted((v.value for v in poverty.above), reverse=True)
    assert all(v.value > poverty.target for v in poverty.above)
    assert poverty.paired_above == sum(v.mentor is not None for v in poverty.above)


def test_realisation_is_spent_over_budget(brief: Brief) -> None:
    spending = [a for a in brief.agencies if a.budget and a.spent is not None]
    assert spending
    for agency in spending:
        assert agency.budget is not None and agency.spent is not None
        assert agency.realisation == round(100 * agency.spent / agency.budget, 2)


def test_a_kecamatan_brief_keeps_to_its_villages(example: sqlite3.Connection, brief: Brief) -> None:
    one = build_brief(example, today=TODAY, year=2023, kecamatan="Donorojo")
    assert one.kecamatan == "Donorojo"
    assert [k.name for k in one.measures[0].groups] == ["Donorojo"]
    assert {v.kecamatan for v in one.measures[0].above} <= {"Donorojo"}
    assert len(one.pairings) < len(brief.pairings)
    changes = [p.change for p in one.pairings if p.change is not None]
    assert one.paired_change == round(sum(changes) / len(changes), 2)  # the mean of the pairings shown


def test_an_unknown_measure_is_refused_naming_the_measures(example: sqlite3.Connection) -> None:
    with pytest.raises(InvalidValue, match="poverty"):
        build_brief(example, today=TODAY, measures=["stunting"])


def test_the_document_has_every_section_in_reading_order(brief: Brief) -> None:
    document = compose(brief)
    assert "2023" in document.title and "1 OPD 1 Desa" in document.title
    assert "Bappeda Kabupaten Jepara" in document.subtitle and "Kabupaten Jepara" in document.subtitle
    charts = [b.spec for b in document.blocks if isinstance(b, Chart)]
    assert [type(c) for c in charts] == [TrendChart, BarChart, PairingChart]
    trend = charts[0]
    assert isinstance(trend, TrendChart) and trend.target == 8.0 and trend.marks[0].when == date(2021, 10, 13)
    texts = " ".join(getattr(b, "text", "") for b in document.blocks)
    for words in (
        "Key figures",
        "Scorecard",
        "Activities and budget",
        "What needs attention",
        "Sources",
        "illustrative example data",
    ):
        assert words in texts
    signature = document.blocks[-1]
    assert isinstance(signature, Signature)
    assert (signature.place, signature.name, signature.title, signature.date) == (
        "Jepara",
        "Dr. Contoh Pejabat",
        "Kepala Bappeda",
        TODAY,
    )


def test_the_pdf_is_a4_landscape_with_page_numbers_and_the_title_in_the_language(
    brief: Brief, tmp_path: Path, indonesian: None
) -> None:
    pypdf = pytest.importorskip("pypdf")
    write_brief(brief, tmp_path / "brief.pdf")
    pages = pypdf.PdfReader(tmp_path / "brief.pdf").pages
    assert len(pages) >= 5
    for number, page in enumerate(pages, start=1):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
        assert f"halaman {number} dari {len(pages)}" in page.extract_text()
    first = " ".join(pages[0].extract_text().split())
    assert "hasil tahun 2023" in first and "Angka utama" in first


def test_the_html_is_one_self_contained_page_that_prints_on_a4(brief: Brief, tmp_path: Path) -> None:
    write_brief(brief, tmp_path / "brief.html")
    page = (tmp_path / "brief.html").read_text(encoding="utf-8")
    assert "size: A4 landscape" in page and "<thead>" in page
    assert page.count("<svg") == 3
    assert "<script" not in page and 'src="http' not in page and 'href="http' not in page and "@import" not in page


def test_the_workbook_has_native_charts_and_prints_landscape(brief: Brief, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    write_brief(brief, tmp_path / "brief.xlsx")
    book = load_workbook(tmp_path / "brief.xlsx")
    assert sum(len(sheet._charts) for sheet in book.worksheets) == 3  # type: ignore[attr-defined]
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet["A1"].value == compose(brief).title


def test_a_brief_cannot_be_written_as_another_kind_of_file(brief: Brief, tmp_path: Path) -> None:
    with pytest.raises(InvalidValue, match=r"\.pdf, \.html, \.xlsx"):
        write_brief(brief, tmp_path / "brief.docx")


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    """The example with boundaries, an official kabupaten figure and an IDM target for 2023, and
    Tulakan handed from BAPPEDA to BPBD in 2024."""
    from opd_desa.maps.importing import import_boundaries
    from opd_desa.services.figures import set_figure
    from opd_desa.services.pairings import reassign
    from opd_desa.services.targets import set_target
    from tests.support.boundaries import jepara_features, write_geojson

    folder = tmp_path_factory.mktemp("brief-more")
    conn, _result, _loaded = init_with_example(folder / "example.db", [])
    import_boundaries(conn, write_geojson(folder / "batas.geojson", jepara_features()))
    set_figure(conn, "Kabupaten Jepara", 2023, value=6.1, source="BPS Susenas 2023")
    set_target(conn, 2023, "Maju", measure="idm")
    reassign(conn, "Tulakan", "BPBD", since=date(2024, 3, 1))
    yield conn
    conn.close()


def test_each_measure_asked_for_adds_its_figures_in_its_own_direction(changed: sqlite3.Connection) -> None:
    brief = build_brief(changed, today=TODAY, year=2023, measures=["idm", "extreme", "IDM"], with_map=False)
    assert [m.key for m in brief.measures] == ["poverty", "idm", "extreme"]
    idm, extreme = brief.measures[1], brief.measures[2]
    assert idm.target == 0.7073 and idm.above and all(v.value < 0.7073 for v in idm.above)  # higher is better
    assert [v.value for v in idm.above] == sorted(v.value for v in idm.above)  # the worst (lowest) first
    assert all(v.status in ("Tertinggal", "Berkembang", "Sangat Tertinggal") for v in idm.above)
    assert sum(n for _name, n in idm.classes) == idm.with_data
    assert extreme.target == 0.0 and all(v.value > 0 for v in extreme.above)  # the 2024 target of 0 % applies
    document = compose(brief)
    trends = [b.spec for b in document.blocks if isinstance(b, Chart) and isinstance(b.spec, TrendChart)]
    assert [t.target for t in trends] == [8.0, 0.7073, 0.0]
    idm_table = next(
        b for b in document.blocks if isinstance(b, Table) and "IDM status" in [c.header for c in b.columns]
    )
    assert [c.kind for c in idm_table.columns][2] == "score"
    listed = [b for b in document.blocks if isinstance(b, Table) and b.title == "Villages worse than the target"]
    assert len(listed[-1].rows) == 40  # extreme poverty: nearly every village misses 0 %; the worst are named
    assert any(isinstance(b, Paragraph) and "report --year 2023 --measure extreme" in b.text for b in document.blocks)


def test_the_brief_leads_with_the_official_figure_and_shows_the_village_one_beside_it(
    changed: sqlite3.Connection,
) -> None:
    brief = build_brief(changed, today=TODAY, year=2023, with_map=False)
    poverty = brief.measures[0]
    assert poverty.official is not None and poverty.official.value == 6.1
    assert poverty.year_value is not None and poverty.year_value != 6.1
    document = compose(brief)
    figures = next(b for b in document.blocks if isinstance(b, KeyFigures)).figures
    assert figures[0].label.startswith("Official poverty rate") and figures[0].value == "6.10 %"
    assert f"{poverty.year_value:.2f}" in figures[0].detail
    said = " ".join(b.text for b in document.blocks if isinstance(b, Paragraph))
    assert "BPS Susenas 2023" in said and "Ilustrasi" in said  # each figure with its own source
    assert "BPS Susenas 2023" in brief.sources


def test_the_map_page_shows_the_year_with_its_mentors_in_every_format(
    changed: sqlite3.Connection, tmp_path: Path
) -> None:
    pypdf = pytest.importorskip("pypdf")
    from openpyxl import load_workbook

    brief = build_brief(changed, today=TODAY, year=2023)
    assert brief.map is not None and brief.map.mentors_on == date(2023, 12, 31) and brief.map.villages == 195
    document = compose(brief)
    picture = next(b for b in document.blocks if isinstance(b, Picture))
    assert picture.format == "png" and picture.height > picture.width  # the map is drawn on a portrait A4
    write_brief(brief, tmp_path / "brief.pdf")
    sizes = {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height)))
        for p in pypdf.PdfReader(tmp_path / "brief.pdf").pages
    }
    assert sizes == {(842, 595), (595, 842)}  # landscape pages and the map's portrait one
    write_brief(brief, tmp_path / "brief.html")
    assert 'src="data:image/png;base64,' in (tmp_path / "brief.html").read_text(encoding="utf-8")
    write_brief(brief, tmp_path / "brief.xlsx")
    book = load_workbook(tmp_path / "brief.xlsx")
    assert [len(sheet._images) for sheet in book.worksheets if sheet.title == "Map"] == [1]  # type: ignore[attr-defined]


def test_no_map_page_without_boundaries(brief: Brief) -> None:
    assert brief.map is None and not any(isinstance(b, Picture) for b in compose(brief).blocks)


def test_the_latest_years_brief_ends_with_the_plans_next_steps(changed: sqlite3.Connection) -> None:
    latest = build_brief(changed, today=TODAY, year=2023, with_map=False)
    steps = latest.next_steps
    assert steps is not None and steps.proposal and all(p.why for p in steps.proposal)
    document = compose(latest)
    headings = [b.text for b in document.blocks if isinstance(b, Heading)]
    assert "Next steps" in headings
    proposed = next(b for b in document.blocks if isinstance(b, Table) and b.title == "Proposed pairs")
    assert [c.header for c in proposed.columns] == ["Agency", "Village", "Kecamatan", "Why"]
    assert build_brief(changed, today=TODAY, year=2022, with_map=False).next_steps is None  # a past year: no plan


def test_a_past_years_scorecard_lists_the_mentors_of_that_year(changed: sqlite3.Connection) -> None:
    past = build_brief(changed, today=TODAY, year=2023, with_map=False)
    assert ("BAPPEDA", "Tulakan") in {(p.agency, p.village) for p in past.pairings}  # BPBD took it in 2024
    assert "BPBD" not in {p.agency for p in past.pairings}
    assert not build_brief(changed, today=TODAY, year=2020, with_map=False).pairings  # before the programme
    said = " ".join(b.text for b in compose(past).blocks if isinstance(b, Paragraph))
    assert "in force at the end of 2023" in said
