"""The reporting loop against a real database: forms out, returned forms in, who reported, reminders."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from opd_desa import db, i18n
from opd_desa.errors import InvalidValue, NotFound
from opd_desa.periods import parse_period, period_containing
from opd_desa.services.activity_files import import_activity_files, totals
from opd_desa.services.agencies import AgencyData, upsert_agency
from opd_desa.services.example import load_example
from opd_desa.services.reporting import (
    default_period,
    reporting_status,
    secretariat_contact,
    write_forms,
    write_reminders,
)

S2 = parse_period("2023-S2")
TODAY = date(2024, 1, 10)
"""Inside the 15 days after 2023S2 ended: forms and reminders give the due date."""


@pytest.fixture(scope="module")
def example_template(templates: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Jepara with the whole example (its activities stop after 2023Q2: nobody reported for 2023S2)."""
    path = tmp_path_factory.mktemp("reporting") / "example.db"
    shutil.copyfile(templates["jepara"], path)
    conn = db.open_database(path)
    load_example(conn)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def example(example_template: Path, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    path = tmp_path / "example.db"
    shutil.copyfile(example_template, path)
    conn = db.open_database(path)
    yield conn
    conn.close()


def _edit(path: Path, change: Callable[[Worksheet], None]) -> None:
    """Edit the activities sheet as a person would (values only) and save."""
    book = load_workbook(path)
    change(book.worksheets[0])
    book.save(path)


def _row(ws: Worksheet, row: int, day: Any, title: str = "Pelatihan kader posyandu", **cells: Any) -> None:
    ws.cell(row, 3, day)
    ws.cell(row, 4, cells.get("kind", "pelatihan"))
    ws.cell(row, 5, title)
    ws.cell(row, 6, cells.get("budget", 15_000_000))


def _log_size(conn: sqlite3.Connection) -> int:
    count: int = conn.execute("SELECT count(*) FROM change_log").fetchone()[0]
    return count


def test_migration_gives_agencies_their_contact_columns(example: sqlite3.Connection) -> None:
    columns = [r[1] for r in example.execute("PRAGMA table_info(agencies)")]
    assert {"contact", "phone", "email"} <= set(columns)
    assert db.schema_version(example) == db.SCHEMA_VERSION


def test_one_form_per_agency_mentoring_a_village_in_the_period(example: sqlite3.Connection, tmp_path: Path) -> None:
    written = write_forms(example, tmp_path / "out", S2, today=TODAY)
    assert sorted(p.name for p in written) == [
        f"{code}-2023S2.xlsx" for code in ("BAPPEDA", "BPKAD", "DINKES", "DISDIKPORA", "DISKAN", "DISKOMINFO", "DPUPR")
    ]
    meta = dict(load_workbook(tmp_path / "out" / "DINKES-2023S2.xlsx")["_meta"].iter_rows(values_only=True))
    assert (meta["agency"], meta["village"], meta["period"]) == ("DINKES", "33.20.11.2001", "2023S2")


def test_forms_for_named_agencies_only_and_an_agency_without_village_is_refused(
    example: sqlite3.Connection, tmp_path: Path
) -> None:
    written = write_forms(example, tmp_path, S2, today=TODAY, agencies=["Dinkes", "bappeda"])
    assert [p.name for p in written] == ["DINKES-2023S2.xlsx", "BAPPEDA-2023S2.xlsx"]
    with pytest.raises(NotFound, match=r"DINSOSP3AKB .*mentors no village during 2023S2"):
        write_forms(example, tmp_path, S2, today=TODAY, agencies=["DINSOSP3AKB"])
    with pytest.raises(NotFound, match="no agency mentors a village during 2020"):
        write_forms(example, tmp_path, parse_period("2020"), today=TODAY)


def test_forms_into_a_file_instead_of_a_folder_are_refused(example: sqlite3.Connection, tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x")
    with pytest.raises(InvalidValue, match="is a file, not a folder"):
        write_forms(example, tmp_path / "taken", S2, today=TODAY)


def test_a_form_lists_the_activities_already_recorded_and_reimports_unchanged(
    example: sqlite3.Connection, tmp_path: Path
) -> None:
    q1 = parse_period("2023Q1")
    recorded = example.execute(
        "SELECT count(*) FROM activities t JOIN agencies a ON a.id = t.agency_id "
        "WHERE a.code = 'DPUPR' AND t.date BETWEEN '2023-01-01' AND '2023-03-31'"
    ).fetchone()[0]
    assert recorded > 0
    (form,) = write_forms(example, tmp_path, q1, today=TODAY, agencies=["DPUPR"])
    titles = [r[4] for r in load_workbook(form).worksheets[0].iter_rows(min_row=2, values_only=True) if r[4]]
    assert len(titles) == recorded
    before = _log_size(example)
    (outcome,) = import_activity_files(example, [str(form)])
    assert outcome.status == "imported" and outcome.summary is not None
    assert (outcome.summary.inserted, outcome.summary.updated, outcome.summary.unchanged) == (0, 0, recorded)
    assert _log_size(example) == before


def test_a_folder_of_returns_imports_each_file_on_its_own(example: sqlite3.Connection, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_forms(example, out, S2, today=TODAY)
    _edit(out / "DINKES-2023S2.xlsx", lambda ws: _row(ws, 2, datetime(2023, 8, 14), budget="Rp 15.000.000,-"))

    def wrong(ws: Worksheet) -> None:
        _row(ws, 2, datetime(2023, 5, 3), budget="15 jt")
        _row(ws, 3, "12/09/2023", title="Bantuan sarana administrasi")
        ws["A3"] = "33.20.01.2001"

    _edit(out / "BPKAD-2023S2.xlsx", wrong)
    before = example.execute("SELECT count(*) FROM activities").fetchone()[0]

    outcomes = {Path(o.file).name: o for o in import_activity_files(example, [str(out)])}

    assert outcomes["DINKES-2023S2.xlsx"].status == "imported"
    assert outcomes["DISKAN-2023S2.xlsx"].status == "empty"
    refused = outcomes["BPKAD-2023S2.xlsx"]
    assert refused.status == "refused"
    where = f"{out / 'BPKAD-2023S2.xlsx'}:Activities!"
    assert [p.split(": ", 1)[0] for p in refused.problems] == [where + "2", where + "2", where + "3"]
    assert "outside the period 2023S2" in refused.problems[0]
    assert "'15 jt'" in refused.problems[1]
    assert "not the village of this form (33.20.01.2006)" in refused.problems[2]
    total = totals(list(outcomes.values()))
    assert (total.files, total.imported, total.refused, total.empty, total.inserted) == (7, 1, 1, 5, 1)
    assert example.execute("SELECT count(*) FROM activities").fetchone()[0] == before + 1
    budget = example.execute("SELECT budget FROM activities WHERE date = '2023-08-14'").fetchone()[0]
    assert budget == 15_000_000


def test_reporting_after_one_return_shows_one_reported_and_six_missing(
    example: sqlite3.Connection, tmp_path: Path
) -> None:
    assert reporting_status(example, S2).summary.reported == 0
    (form,) = write_forms(example, tmp_path, S2, today=TODAY, agencies=["DINKES"])
    _edit(form, lambda ws: _row(ws, 2, datetime(2023, 8, 14)))
    import_activity_files(example, [str(form)])

    status = reporting_status(example, S2)

    assert (status.summary.agencies, status.summary.reported, status.summary.missing) == (7, 1, 6)
    assert status.summary.rate == 14.3
    dinkes = next(r for r in status.rows if r.agency == "DINKES")
    assert (dinkes.status, dinkes.activities, dinkes.last_activity) == ("reported", 1, date(2023, 8, 14))
    assert dinkes.on_time is False  # recorded today, long after 2023S2 ended
    as_json = status.as_json()
    assert set(as_json) == {"period", "start", "end", "rows", "summary"}
    assert set(as_json["rows"][0]) == {
        "agency",
        "village_code",
        "village",
        "activities",
        "budget",
        "spent",
        "realisation",
        "last_activity",
        "status",
        "on_time",
    }


def test_a_report_recorded_within_the_timely_days_is_on_time(example: sqlite3.Connection, tmp_path: Path) -> None:
    """The change log says when each activity was first recorded: today, inside the current quarter."""
    current = period_containing(date.today())
    day = current.start.isoformat()
    csv = tmp_path / "now.csv"
    csv.write_text(f"village,agency,date,kind,title\n33.20.11.2001,DINKES,{day},pelatihan,Pelatihan kader\n")
    import_activity_files(example, [str(csv)])

    row = next(r for r in reporting_status(example, current).rows if r.agency == "DINKES")
    assert (row.status, row.on_time) == ("reported", True)
    late = next(r for r in reporting_status(example, current, timely_days=0).rows if r.agency == "DINKES")
    assert late.on_time is (date.today() <= current.end)


def test_reminders_go_to_missing_agencies_in_indonesian_with_the_secretariat_contact(
    example: sqlite3.Connection, tmp_path: Path
) -> None:
    upsert_agency(
        example,
        AgencyData(
            "BAPPEDA",
            "Badan Perencanaan Pembangunan Daerah",
            contact="Sekretariat TKPK",
            phone="0291-591148",
            email="tkpk@example.go.id",
        ),
    )
    (form,) = write_forms(example, tmp_path / "forms", S2, today=TODAY, agencies=["DINKES"])
    _edit(form, lambda ws: _row(ws, 2, datetime(2023, 8, 14)))
    import_activity_files(example, [str(form)])
    i18n.set_language("id")
    try:
        written = write_reminders(example, tmp_path / "reminders", reporting_status(example, S2), today=TODAY)
    finally:
        i18n.set_language("en")
    assert len(written) == 6 and not (tmp_path / "reminders" / "DINKES-2023S2-reminder.txt").exists()
    text = (tmp_path / "reminders" / "BPKAD-2023S2-reminder.txt").read_text(encoding="utf-8")
    assert "Sowan Kidul" in text and "2023S2" in text and "BPKAD-2023S2.xlsx" in text
    assert "Sekretariat TKPK" in text and "0291-591148" in text and "tkpk@example.go.id" in text
    assert "Mohon" in text  # Indonesian prose, not the English source
    assert "15/01/2024" in text  # due: 15 days after the period ended, still ahead on TODAY


def test_secretariat_without_contact_fields_is_named_by_the_agency(example: sqlite3.Connection) -> None:
    from opd_desa.services.settings import unset_setting

    for key in ("org.name", "org.address"):  # the example's office, taken away
        unset_setting(example, key)
    assert secretariat_contact(example) == "Badan Perencanaan Pembangunan Daerah (BAPPEDA)"


def test_the_default_period_is_the_last_quarter_that_ended() -> None:
    assert default_period(date(2024, 2, 1)).name == "2023Q4"
    assert default_period(date(2024, 4, 1)).name == "2024Q1"


def test_agency_contact_fields_round_trip_through_export_and_import(
    example: sqlite3.Connection, tmp_path: Path
) -> None:
    from opd_desa.services.export import export_all

    upsert_agency(example, AgencyData("DINKES", "Dinas Kesehatan", phone="0291-123", email="dinkes@example.go.id"))
    export_all(example, tmp_path)
    exported = (tmp_path / "agencies.csv").read_text(encoding="utf-8")
    assert exported.splitlines()[0] == "code,name,aliases,head,contact,phone,email"
    assert "0291-123,dinkes@example.go.id" in exported
    example.execute("UPDATE agencies SET phone = NULL, email = NULL")
    from opd_desa.imports.service import import_file

    import_file(example, "agencies", tmp_path / "agencies.csv")
    assert tuple(example.execute("SELECT phone, email FROM agencies WHERE code = 'DINKES'").fetchone()) == (
        "0291-123",
        "dinkes@example.go.id",
    )


def test_an_agency_file_with_a_wrong_email_names_its_line(example: sqlite3.Connection, tmp_path: Path) -> None:
    from opd_desa.errors import ImportFailed
    from opd_desa.imports.service import import_file

    bad = tmp_path / "opd.csv"
    bad.write_text("code,name,email\nDINKES,Dinas Kesehatan,dinkes(at)jepara\n")
    with pytest.raises(ImportFailed, match=r"opd.csv:2: email: 'dinkes\(at\)jepara' is not an e-mail address"):
        import_file(example, "agencies", bad)


def test_a_period_ending_in_the_future_gives_a_due_date_and_a_past_one_none() -> None:
    from opd_desa.services.reporting import due_date

    assert due_date(S2, TODAY) == date(2024, 1, 15)
    assert due_date(S2, date(2024, 1, 16)) is None
    assert due_date(S2, date(2024, 1, 15) - timedelta(days=1)) == date(2024, 1, 15)


# --- what people do to returned forms (README "The reporting loop"): read correctly, or named ---------


def _retyped_headers(ws: Worksheet) -> None:
    ws["C1"], ws["F1"] = "TANGGAL", "Anggaran"
    _row(ws, 2, datetime(2023, 8, 14))


def _below_a_blank_row(ws: Worksheet) -> None:
    _row(ws, 2, datetime(2023, 8, 14))
    _row(ws, 40, datetime(2023, 9, 2), title="Bantuan jamban sehat", kind="bantuan")


def _merged(ws: Worksheet) -> None:
    _row(ws, 2, datetime(2023, 8, 14))
    _row(ws, 3, datetime(2023, 8, 15), title="Penyuluhan gizi")
    ws.merge_cells("F2:F3")


def _older_version(ws: Worksheet) -> None:
    _row(ws, 2, datetime(2023, 8, 14))
    meta = ws.parent["_meta"]
    for cells in meta.iter_rows(max_col=2):
        if cells[0].value == "template_version":
            cells[1].value = 0


@pytest.mark.parametrize(
    ("change", "inserted", "problem"),
    [
        (_retyped_headers, 1, None),
        (_below_a_blank_row, 2, None),
        (_merged, 0, "Activities!2: cells F2:F3 are merged"),
        (_older_version, 0, "_meta: the form was made by an older opd-desa (form version 0, now 1)"),
    ],
    ids=["retyped-headers", "rows-below-a-blank-row", "merged-cells", "older-form-version"],
)
def test_returned_form_mishaps_are_read_or_named(
    example: sqlite3.Connection,
    tmp_path: Path,
    change: Callable[[Worksheet], None],
    inserted: int,
    problem: str | None,
) -> None:
    (form,) = write_forms(example, tmp_path, S2, today=TODAY, agencies=["DINKES"])
    _edit(form, change)
    (outcome,) = import_activity_files(example, [str(form)])
    if problem is None:
        assert outcome.status == "imported" and outcome.summary is not None
        assert outcome.summary.inserted == inserted
    else:
        assert outcome.status == "refused"
        assert any(p.startswith(f"{form}:") and problem in p for p in outcome.problems), outcome.problems
        assert reporting_status(example, S2).summary.reported == 0


def test_the_secretariat_is_the_office_in_settings_when_its_name_is_set(
    example: sqlite3.Connection, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from opd_desa.services.settings import set_setting, unset_setting

    set_setting(example, "org.name", "Bappeda Kabupaten Jepara")
    set_setting(example, "org.address", "Jl. Kartini No. 1, Jepara")
    try:
        contact = secretariat_contact(example)
        assert contact.startswith("Bappeda Kabupaten Jepara, Jl. Kartini No. 1, Jepara")
        assert "Badan Perencanaan" not in contact  # the office's own name, not the agency record's
        written = write_reminders(example, tmp_path / "reminders", reporting_status(example, S2), today=TODAY)
        assert all(
            "Bappeda Kabupaten Jepara, Jl. Kartini No. 1" in path.read_text(encoding="utf-8") for path in written
        )
        (form,) = write_forms(example, tmp_path / "forms", S2, today=TODAY, agencies=["DINKES"])
        cells = [c.value for sheet in load_workbook(form).worksheets for row in sheet.iter_rows() for c in row]
        assert any(isinstance(v, str) and "Bappeda Kabupaten Jepara, Jl. Kartini No. 1" in v for v in cells)
    finally:
        unset_setting(example, "org.name")
        unset_setting(example, "org.address")
    assert secretariat_contact(example).startswith("Badan Perencanaan Pembangunan Daerah (BAPPEDA)")
