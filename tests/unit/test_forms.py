"""The reporting form as an agency receives it, and the checks a returned form goes through."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from opd_desa import i18n
from opd_desa.documents.forms import (
    COLUMNS,
    ENTRY_ROWS,
    HEADERS,
    FormActivity,
    ReportingForm,
    form_file_name,
)
from opd_desa.documents.forms_reading import FormCheck, check_form
from opd_desa.documents.forms_writing import write_form
from opd_desa.imports.formats import FIELDS
from opd_desa.imports.header import match_header
from opd_desa.imports.workbook import open_sheet
from opd_desa.parse import parse_date, parse_money
from opd_desa.periods import parse_period

SECRETARIAT = "Sekretariat TKPK Bappeda Jepara, 0291-591148, tkpk@jeparakab.go.id"
RECORDED = FormActivity(date(2023, 8, 14), "pelatihan", "Pelatihan kader posyandu", 15_000_000, 12_500_000, 40, 120)


def _form(**changes: Any) -> ReportingForm:
    values: dict[str, Any] = {
        "agency_code": "DINKES",
        "agency_name": "Dinas Kesehatan",
        "village_code": "3320012003",
        "village_name": "Tahunan",
        "kecamatan": "Tahunan",
        "period": parse_period("2023S2"),
        "secretariat": SECRETARIAT,
        "activities": [RECORDED],
        "language": "id",
    }
    return ReportingForm(**{**values, **changes})


@pytest.fixture
def written(tmp_path: Path) -> Path:
    return write_form(_form(), tmp_path)


@pytest.fixture
def language_restored() -> Iterator[None]:
    yield
    i18n.set_language("en")


def _sheet(path: Path, name: str = "Kegiatan") -> Worksheet:
    return load_workbook(path)[name]


def _validation(ws: Worksheet, cell: str) -> Any:
    found = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert len(found) == 1, f"{cell} has {len(found)} validations"
    return found[0]


# --- the form as written ---------------------------------------------------------------------------


def test_file_is_named_after_agency_and_period(written: Path) -> None:
    assert written.name == "DINKES-2023S2.xlsx"
    assert form_file_name("DIN/KES", parse_period("TW III 2023")) == "DIN_KES-2023Q3.xlsx"
    assert [p.name for p in written.parent.iterdir()] == ["DINKES-2023S2.xlsx"]  # no temporary file left


def test_activities_sheet_comes_first_with_the_imports_indonesian_headers(written: Path) -> None:
    book = load_workbook(written)
    assert book.sheetnames[:2] == ["Kegiatan", "Petunjuk"]
    header = [c.value for c in book["Kegiatan"][1]]
    assert header == [
        "desa", "opd", "tanggal", "jenis", "kegiatan", "anggaran", "realisasi",
        "jumlah_kk", "penerima_manfaat", "sumber_dana", "keterangan",
    ]  # fmt: skip
    assert book.active is not None and book.active.title == "Petunjuk"  # opens on the instructions


@pytest.mark.parametrize("language", ["en", "id"])
def test_headers_are_read_back_by_the_activities_import(language: str) -> None:
    header = [HEADERS[language][name] for name in COLUMNS]
    columns = match_header(header, FIELDS["activities"], where="form").columns
    assert list(columns) == list(COLUMNS)


def test_village_and_agency_are_filled_in_and_locked_on_every_entry_row(written: Path) -> None:
    ws = _sheet(written)
    last = ENTRY_ROWS + 1
    for row in (2, 100, last):
        assert (ws.cell(row, 1).value, ws.cell(row, 2).value) == ("3320012003", "DINKES")
        assert ws.cell(row, 1).protection.locked and ws.cell(row, 2).protection.locked
    assert ws.cell(last + 1, 1).value is None


def test_protection_is_on_and_only_the_entry_range_is_unlocked(written: Path) -> None:
    ws = _sheet(written)
    assert ws.protection.sheet
    last = ENTRY_ROWS + 1
    for column in range(3, len(COLUMNS) + 1):
        assert not ws.cell(2, column).protection.locked
        assert not ws.cell(last, column).protection.locked
        assert ws.cell(last + 1, column).protection.locked
        assert ws.cell(1, column).protection.locked  # headers stay as the import expects them


def test_activities_already_recorded_are_filled_in(written: Path) -> None:
    ws = _sheet(written)
    row = [c.value for c in ws[2]]
    assert row[2] == datetime(2023, 8, 14)
    assert row[3:9] == ["pelatihan", "Pelatihan kader posyandu", 15_000_000, 12_500_000, 40, 120]
    assert ws["C2"].number_format == "dd/mm/yyyy"


def test_dates_are_checked_to_lie_in_the_period(written: Path) -> None:
    dv = _validation(_sheet(written), "C2")
    assert (dv.type, dv.operator) == ("date", "between")
    assert (dv.formula1, dv.formula2) == ("DATE(2023,7,1)", "DATE(2023,12,31)")
    assert "C201" in dv.sqref
    assert dv.showErrorMessage and dv.errorStyle == "stop" and "31/12/2023" in dv.error
    assert dv.showInputMessage and "01/07/2023" in dv.prompt


@pytest.mark.parametrize("cell", ["F2", "G2", "H2", "I201"])
def test_money_and_counts_are_whole_numbers_of_zero_or_more(written: Path, cell: str) -> None:
    dv = _validation(_sheet(written), cell)
    assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert dv.showErrorMessage and dv.error and dv.showInputMessage and dv.prompt


def test_kinds_come_from_a_hidden_sheet_behind_a_defined_name_with_the_arrow_shown(written: Path) -> None:
    book = load_workbook(written)
    dv = _validation(book["Kegiatan"], "D2")
    assert dv.type == "list" and dv.formula1 == "KINDS"
    assert not dv.showDropDown  # in the file format, showDropDown="1" hides the arrow
    assert book.defined_names["KINDS"].attr_text == "'_lists'!$A$1:$A$6"
    assert book["_lists"].sheet_state == "hidden"
    assert [c.value for c in book["_lists"]["A"]][:3] == ["pelatihan", "bantuan", "infrastruktur"]
    with zipfile.ZipFile(written) as archive:
        assert b'showDropDown="1"' not in archive.read("xl/worksheets/sheet1.xml")


def test_a_kind_already_recorded_joins_the_list(tmp_path: Path) -> None:
    form = _form(kinds=["bantuan"], activities=[RECORDED])
    book = load_workbook(write_form(form, tmp_path))
    assert [c.value for c in book["_lists"]["A"]] == ["bantuan", "pelatihan"]


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    risky = FormActivity(date(2023, 8, 1), "=cmd|' /C calc'!A0", '=HYPERLINK("http://x","klik")')
    path = write_form(_form(activities=[risky], agency_name="=1+1"), tmp_path)
    with zipfile.ZipFile(path) as archive:
        assert not any(b"<f>" in archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets"))
    assert load_workbook(path)["Kegiatan"]["E2"].value == '=HYPERLINK("http://x","klik")'


def test_meta_sheet_carries_agency_village_period_and_version(written: Path) -> None:
    book = load_workbook(written)
    meta = book["_meta"]
    assert meta.sheet_state == "veryHidden"
    values = {row[0]: row[1] for row in meta.iter_rows(values_only=True)}
    assert values["agency"] == "DINKES" and values["village"] == "3320012003"
    assert values["period"] == "2023S2" and values["template_version"] == 1
    assert all(len(name) <= 31 and "Dinas" not in name for name in book.sheetnames)


def test_instructions_name_the_village_period_money_rule_and_contact(written: Path) -> None:
    text = "\n".join(str(c.value) for c in _sheet(written, "Petunjuk")["A"] if c.value)
    assert "Tahunan (3320012003)" in text
    assert "01/07/2023 s.d. 31/12/2023" in text
    assert "bukan Rp 15.000.000,- atau 15 jt" in text
    assert SECRETARIAT in text
    assert "DINKES-2023S2.xlsx" in text


def test_printed_activities_sheet_says_whose_form_it_is_on_every_page(written: Path) -> None:
    ws = _sheet(written)
    assert ws.oddHeader is not None and ws.oddFooter is not None
    assert ws.oddHeader.center.text == "Laporan kegiatan 2023S2: DINKES — Tahunan (3320012003)"
    assert ws.oddFooter.center.text == "Halaman &P dari &N"
    assert (ws.print_title_rows, ws.page_setup.orientation) == ("$1:$1", "landscape")


def test_english_form_uses_the_canonical_headers_and_leaves_the_language_as_it_was(tmp_path: Path) -> None:
    book = load_workbook(write_form(_form(language="en"), tmp_path))
    assert book.sheetnames[:2] == ["Activities", "Instructions"]
    assert [c.value for c in book["Activities"][1]] == list(COLUMNS)
    assert i18n.language() == "en"


# --- returned forms --------------------------------------------------------------------------------


def _returned(path: Path, change: Callable[[Worksheet], None], sheet: str = "Kegiatan") -> FormCheck:
    """The form after a person edited it with `change` (values only, as a spreadsheet saves them)."""
    book = load_workbook(path)
    change(book[sheet])
    book.save(path)
    check = check_form(path)
    assert check is not None
    return check


def _fill(ws: Worksheet, row: int, day: Any = datetime(2023, 9, 1), **values: Any) -> None:
    ws.cell(row, 3, day)
    ws.cell(row, 4, values.get("kind", "bantuan"))
    ws.cell(row, 5, values.get("title", "Bantuan bibit"))
    ws.cell(row, 6, values.get("budget", 1_000_000))


def test_a_form_as_written_is_recognised_and_has_no_problems(written: Path) -> None:
    check = check_form(written)
    assert check is not None and check.ok
    assert check.meta is not None and check.meta.period.name == "2023S2"
    assert (check.meta.agency_code, check.meta.village_code, check.sheet, check.rows) == (
        "DINKES",
        "3320012003",
        "Kegiatan",
        1,
    )


def test_a_workbook_without_meta_is_not_a_form(tmp_path: Path) -> None:
    from openpyxl import Workbook

    Workbook().save(tmp_path / "plain.xlsx")
    assert check_form(tmp_path / "plain.xlsx") is None


def test_retyped_headers_are_read_and_a_meaningless_one_is_named(written: Path) -> None:
    def retype(ws: Worksheet) -> None:
        ws["C1"], ws["F1"] = "TANGGAL", "Anggaran"
        ws["K1"] = "catatan kecil"
        _fill(ws, 3)

    check = _returned(written, retype)
    assert check.rows == 2
    assert check.problems == [
        f"{written}:Kegiatan!1: column 'catatan kecil' is not a column of the form; write its header back as it was"
    ]


def test_a_missing_required_header_is_named(written: Path) -> None:
    def erase(ws: Worksheet) -> None:
        ws["E1"] = None

    check = _returned(written, erase)
    assert check.problems == [
        f"{written}:Kegiatan!1: the form's columns title are missing; write their headers back as they were"
    ]


def test_rows_below_a_blank_row_are_read(written: Path) -> None:
    def gap(ws: Worksheet) -> None:
        _fill(ws, 5)
        _fill(ws, 150, title="Bantuan pupuk")

    check = _returned(written, gap)
    assert check.ok and check.rows == 3


def test_merged_cells_are_named(written: Path) -> None:
    def merge(ws: Worksheet) -> None:
        _fill(ws, 3)
        _fill(ws, 4)
        ws.merge_cells("E3:E4")

    check = _returned(written, merge)
    assert f"{written}:Kegiatan!3: cells E3:E4 are merged; unmerge them and write one value in each cell" in (
        check.problems
    )


def test_a_changed_village_or_agency_is_named(written: Path) -> None:
    def change(ws: Worksheet) -> None:
        ws["A2"] = "3320012004"
        ws["B2"] = "DISKAN"

    check = _returned(written, change)
    assert check.problems == [
        f"{written}:Kegiatan!2: village '3320012004' is not the village of this form (3320012003); "
        "write 3320012003 back",
        f"{written}:Kegiatan!2: agency 'DISKAN' is not the agency of this form (DINKES); write DINKES back",
    ]


def test_rupiah_written_out_is_read_and_juta_shorthand_is_named(written: Path) -> None:
    def money(ws: Worksheet) -> None:
        _fill(ws, 3, budget="Rp 15.000.000,-")
        _fill(ws, 4, budget="15 jt")

    check = _returned(written, money)
    assert check.rows == 3
    assert check.problems == [
        f"{written}:Kegiatan!4: anggaran: '15 jt' is not an amount of money: write it like Rp 50.000.000 or 50000000"
    ]


def test_a_date_outside_the_period_or_unreadable_is_named(written: Path) -> None:
    def dates(ws: Worksheet) -> None:
        _fill(ws, 3, day=datetime(2024, 1, 2))
        _fill(ws, 4, day="31/12/2023")  # typed as text: read like any import reads it
        _fill(ws, 5, day="kemarin")

    check = _returned(written, dates)
    assert [p.split(": ", 1)[0].rsplit("!", 1)[1] for p in check.problems] == ["3", "5"]
    assert "the date 2024-01-02 lies outside the period 2023S2 (2023-07-01 to 2023-12-31)" in check.problems[0]
    assert "'kemarin' is not a date" in check.problems[1]


def test_empty_kind_or_title_is_named_by_the_header_in_the_file(written: Path) -> None:
    check = _returned(written, lambda ws: _fill(ws, 3, kind=None))
    assert check.problems == [f"{written}:Kegiatan!3: the column 'jenis' is empty"]


def _with_meta(path: Path, **values: Any) -> FormCheck | None:
    book = load_workbook(path)
    meta = book["_meta"]
    for row in meta.iter_rows():
        key = str(row[0].value)
        if key in values:
            row[1].value = values[key]
    book.save(path)
    return check_form(path)


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        (0, "made by an older opd-desa (form version 0, now 1); ask the secretariat for a new form"),
        (2, "made by a newer opd-desa (form version 2, this one reads 1); update it"),
        (None, "made by an older opd-desa (form version 0, now 1)"),
    ],
)
def test_a_form_of_another_template_version_is_refused_with_the_reason(
    written: Path, version: int | None, expected: str
) -> None:
    check = _with_meta(written, template_version=version)
    assert check is not None and check.meta is None
    assert len(check.problems) == 1
    assert check.problems[0].startswith(f"{written}:_meta: the form was ")
    assert expected in check.problems[0]


def test_a_broken_period_in_meta_is_named(written: Path) -> None:
    check = _with_meta(written, period="2023S9")
    assert check is not None and check.meta is None
    assert check.problems == [f"{written}:_meta: '2023S9' is not a period: a year has semesters 1 and 2 only"]


def test_problems_are_in_the_chosen_language(written: Path, language_restored: None) -> None:
    i18n.set_language("id")
    check = _returned(written, lambda ws: _fill(ws, 3, day=datetime(2024, 1, 2)))
    assert check.problems == [
        f"{written}:Kegiatan!3: tanggal 2024-01-02 di luar periode 2023S2 (2023-07-01 s.d. 2023-12-31); "
        "kegiatan periode lain dilaporkan pada formulir periode tersebut"
    ]


# --- round trip ------------------------------------------------------------------------------------

_words = (
    st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "Zs", "P"]), min_size=1, max_size=40)
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
_activities = st.lists(
    st.builds(
        FormActivity,
        date=st.dates(date(2023, 7, 1), date(2023, 12, 31)),
        kind=st.sampled_from(["pelatihan", "bantuan", "sosialisasi"]),
        title=_words,
        budget=st.none() | st.integers(0, 10**12),
        spent=st.none() | st.integers(0, 10**12),
        households=st.none() | st.integers(0, 10**5),
        beneficiaries=st.none() | st.integers(0, 10**6),
        source=st.none() | _words,
        note=st.none() | _words,
    ),
    max_size=4,
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(activities=_activities)
def test_a_form_reads_back_through_the_activities_import_unchanged(
    tmp_path: Path, activities: list[FormActivity]
) -> None:
    path = write_form(_form(activities=activities), tmp_path)
    check = check_form(path)
    assert check is not None and check.ok and check.rows == len(activities)
    with open_sheet(path, FIELDS["activities"]) as sheet:  # the first sheet, as a plain import reads it
        read = [row for _number, row, _cells in sheet.rows() if row["title"]]
    assert [(r["village"], r["agency"]) for r in read] == [("3320012003", "DINKES")] * len(activities)
    for row, activity in zip(read, activities, strict=True):
        assert parse_date(row["date"]) == activity.date
        assert (row["kind"], row["title"], row["source"] or None, row["note"] or None) == (
            activity.kind,
            activity.title,
            activity.source,
            activity.note,
        )
        for name in ("budget", "spent", "households", "beneficiaries"):
            assert (parse_money(row[name]) if row[name] else None) == getattr(activity, name)
