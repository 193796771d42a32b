"""Who reported for a period, the DHIS2 rates, and the reminder to those who did not."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from opd_desa import i18n
from opd_desa.periods import parse_period
from opd_desa.reporting import ActivityRow, AgencyReport, PairingRow, Reporting, build_reporting, reminder_text

S2 = parse_period("2023S2")
PAIRINGS = [
    PairingRow("DINKES", "Dinas Kesehatan", "3320012003", "Tahunan", date(2021, 1, 1)),
    PairingRow("DISKAN", "Dinas Perikanan", "3320042001", "Bondo", date(2021, 1, 1)),
    PairingRow("DPUPR", "Dinas PUPR", "3320052004", "Bulungan", date(2021, 1, 1), until=date(2023, 7, 1)),
    PairingRow("BAPPEDA", "Bappeda", "3320102005", "Kedung", date(2024, 1, 1)),
    PairingRow("BPKAD", "BPKAD", "3320070001", "Mayong", date(2023, 12, 31)),
]


def _report(activities: list[ActivityRow], *, timely_days: int = 15) -> Reporting:
    return build_reporting(S2, PAIRINGS, activities, timely_days=timely_days)


def _row(report: Reporting, agency: str) -> AgencyReport:
    return next(r for r in report.rows if r.agency == agency)


@pytest.fixture
def language_restored() -> Iterator[None]:
    yield
    i18n.set_language("en")


def test_expected_are_the_agencies_with_a_pairing_in_force_during_the_period() -> None:
    report = _report([])
    # DPUPR's pairing ended the day the period began; BAPPEDA's starts after it; BPKAD's on its last day
    assert [r.agency for r in report.rows] == ["BPKAD", "DINKES", "DISKAN"]
    assert all(r.status == "missing" and not r.on_time for r in report.rows)
    assert (report.summary.agencies, report.summary.reported, report.summary.missing) == (3, 0, 3)
    assert report.summary.rate == 0.0


def test_activities_budget_spent_and_realisation_of_the_period() -> None:
    report = _report(
        [
            ActivityRow("DINKES", "3320012003", date(2023, 7, 1), 10_000_000, 8_000_000, date(2023, 7, 2)),
            ActivityRow("DINKES", "3320012003", date(2023, 12, 31), 5_000_000, None, date(2024, 1, 5)),
            ActivityRow("DINKES", "3320012003", date(2023, 6, 30), 99_000_000, 99_000_000, date(2023, 7, 1)),
            ActivityRow("DINKES", "3320042001", date(2023, 8, 1), 1, 1, date(2023, 8, 1)),  # not its village
            ActivityRow("DISKAN", "3320042001", date(2023, 9, 1), None, None, date(2024, 3, 1)),
        ]
    )
    dinkes, diskan = _row(report, "DINKES"), _row(report, "DISKAN")
    assert (dinkes.activities, dinkes.budget, dinkes.spent) == (2, 15_000_000, 8_000_000)
    assert dinkes.realisation == 53.3
    assert dinkes.last_activity == date(2023, 12, 31)
    assert (diskan.activities, diskan.budget, diskan.realisation) == (1, None, None)  # no budget: no realisation
    assert [r.status for r in report.rows] == ["missing", "reported", "reported"]


def test_on_time_is_the_first_record_within_the_timely_days_after_the_end() -> None:
    activities = [
        ActivityRow("DINKES", "3320012003", date(2023, 11, 1), recorded=date(2024, 1, 16)),
        ActivityRow("DINKES", "3320012003", date(2023, 12, 1), recorded=date(2024, 1, 10)),
        ActivityRow("DISKAN", "3320042001", date(2023, 9, 1), recorded=date(2024, 1, 16)),
        ActivityRow("BPKAD", "3320070001", date(2023, 12, 31), recorded=None),
    ]
    report = _report(activities)
    assert [(r.agency, r.on_time) for r in report.rows] == [("BPKAD", False), ("DINKES", True), ("DISKAN", False)]
    assert (report.summary.rate, report.summary.on_time_rate) == (100.0, 33.3)
    assert _row(_report(activities, timely_days=16), "DISKAN").on_time  # 31 Dec + 16 days = 16 Jan


def test_no_expected_agency_gives_no_rate() -> None:
    report = build_reporting(parse_period("2020Q1"), PAIRINGS, [])
    assert report.rows == [] and report.summary.rate is None and report.summary.on_time_rate is None


def test_json_has_the_shape_the_spec_gives() -> None:
    activity = ActivityRow("DINKES", "3320012003", date(2023, 8, 1), 100, 50, date(2023, 8, 2))
    data = _report([activity]).as_json()
    assert (data["period"], data["start"], data["end"]) == ("2023S2", "2023-07-01", "2023-12-31")
    assert data["rows"][1] == {
        "agency": "DINKES",
        "village_code": "3320012003",
        "village": "Tahunan",
        "activities": 1,
        "budget": 100,
        "spent": 50,
        "realisation": 50.0,
        "last_activity": "2023-08-01",
        "status": "reported",
        "on_time": True,
    }
    assert data["summary"] == {"agencies": 3, "reported": 1, "missing": 2, "rate": 33.3, "on_time_rate": 33.3}


def test_an_agency_that_changed_village_in_the_period_shows_the_latest_and_counts_both() -> None:
    pairings = [
        PairingRow("DISKAN", "Dinas Perikanan", "3320042001", "Bondo", date(2021, 1, 1), until=date(2023, 9, 1)),
        PairingRow("DISKAN", "Dinas Perikanan", "3320052004", "Bulungan", date(2023, 9, 1)),
    ]
    activities = [
        ActivityRow("DISKAN", "3320042001", date(2023, 8, 1)),
        ActivityRow("DISKAN", "3320052004", date(2023, 10, 1)),
    ]
    report = build_reporting(S2, pairings, activities)
    assert [(r.agency, r.village, r.activities) for r in report.rows] == [("DISKAN", "Bulungan", 2)]


def test_reminder_in_indonesian_names_village_period_form_and_contact(language_restored: None) -> None:
    i18n.set_language("id")
    row = _row(_report([]), "DINKES")
    text = reminder_text(row, S2, "DINKES-2023S2.xlsx", "Sekretariat TKPK, 0291-591148", due=date(2024, 1, 15))
    assert text.splitlines()[0] == "Kepada Yth.: Dinas Kesehatan (DINKES)"
    assert "Desa Tahunan" in text and "periode 2023S2 (01/07/2023 s.d. 31/12/2023)" in text
    assert "Mohon formulir DINKES-2023S2.xlsx diisi dan dikirimkan kembali paling lambat 15/01/2024." in text
    assert "Sekretariat TKPK, 0291-591148" in text


def test_reminder_in_english_is_short(language_restored: None) -> None:
    row = _row(_report([]), "DISKAN")
    text = reminder_text(row, S2, "DISKAN-2023S2.xlsx", "TKPK secretariat")
    assert "for the village of Bondo for the period 2023S2 (2023-07-01 to 2023-12-31)" in text
    assert "Please fill in the form DISKAN-2023S2.xlsx and send it back." in text
    assert len(text.splitlines()) <= 8
