"""The change log's UTC times as people read them: local time with the zone's name."""

from __future__ import annotations

import pytest

from opd_desa.changelog import local_time


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("Asia/Jakarta", "2026-12-01 20:20 WIB"),
        ("Asia/Makassar", "2026-12-01 21:20 WITA"),
        ("Asia/Jayapura", "2026-12-01 22:20 WIT"),
        (":Asia/Jakarta", "2026-12-01 20:20 WIB"),
        ("UTC", "2026-12-01 13:20 UTC"),
    ],
)
def test_indonesian_zones_are_named(zone: str, shown: str) -> None:
    assert local_time("2026-12-01T13:20:09Z", zone) == shown


def test_the_day_changes_with_the_zone() -> None:
    assert local_time("2026-12-31T20:00:00Z", "Asia/Jayapura") == "2027-01-01 05:00 WIT"
