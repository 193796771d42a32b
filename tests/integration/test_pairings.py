"""The programme's rule: one mentor per village, one village per agency, history kept."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest

from opd_desa.changelog import entries
from opd_desa.errors import NotFound, RuleViolation
from opd_desa.services.history import history
from opd_desa.services.pairings import all_pairings, assign, list_pairings, reassign, unassign

LAUNCH = date(2021, 10, 13)


def test_assign_starts_a_pairing_and_logs_it(conn: sqlite3.Connection) -> None:
    change = assign(conn, "Desa Tulakan", "bappeda", since=LAUNCH, decree="188.4/123/2021")
    assert change.started is not None
    assert (change.started.village_code, change.started.agency_code) == ("33.20.16.2005", "BAPPEDA")
    assert change.started.since == "2021-10-13" and change.started.until is None
    log = entries(conn, 1)[0]
    assert log["table"] == "pairings" and log["old"] is None and log["new"]["decree"] == "188.4/123/2021"


def test_second_mentor_for_a_village_is_refused_naming_the_current_pairing(conn: sqlite3.Connection) -> None:
    assign(conn, "Tulakan", "Bappeda", since=LAUNCH)
    with pytest.raises(RuleViolation) as e:
        assign(conn, "Tulakan", "Dinkes", since=date(2022, 1, 1))
    message = str(e.value)
    assert "Tulakan (33.20.16.2005)" in message and "BAPPEDA" in message and "2021-10-13" in message
    assert "reassign" in message


def test_second_village_for_an_agency_is_refused(conn: sqlite3.Connection) -> None:
    assign(conn, "Tulakan", "Bappeda", since=LAUNCH)
    with pytest.raises(RuleViolation) as e:
        assign(conn, "Ngabul", "Bappeda", since=LAUNCH)
    assert "BAPPEDA" in str(e.value) and "already mentors Tulakan" in str(e.value)


def test_a_pairing_starting_inside_an_ended_one_is_refused(conn: sqlite3.Connection) -> None:
    assign(conn, "Tulakan", "Bappeda", since=LAUNCH)
    unassign(conn, "Tulakan", until=date(2023, 1, 1))
    with pytest.raises(RuleViolation, match="from 2021-10-13 to 2022-12-31"):  # its last day, not `until`
        assign(conn, "Tulakan", "Dinkes", since=date(2022, 6, 1))
    assert assign(conn, "Tulakan", "Dinkes", since=date(2023, 1, 1)).started is not None


def test_the_database_itself_refuses_overlaps(conn: sqlite3.Connection) -> None:
    assign(conn, "Tulakan", "Bappeda", since=LAUNCH)
    agency_id = conn.execute("SELECT id FROM agencies WHERE code = 'DINKES'").fetchone()[0]
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO pairings (village_code, agency_id, since) VALUES ('33.20.16.2005', ?, '2024-01-01')",
            (agency_id,),
        )
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        conn.execute("DELETE FROM pairings")


def test_reassign_ends_both_old_pairings_and_names_the_village_left_without_mentor(conn: sqlite3.Connection) -> None:
    assign(conn, "Tulakan", "Bappeda", since=LAUNCH)
    assign(conn, "Ngabul", "Dinkes", since=LAUNCH)
    change = reassign(conn, "Tulakan", "Dinkes", since=date(2023, 1, 2), reason="evaluasi")
    assert change.started is not None and change.started.agency_code == "DINKES"
    assert change.orphaned is not None and change.orphaned.village == "Ngabul"
    assert {(p.village, p.until) for p in change.ended} == {("Tulakan", "2023-01-02"), ("Ngabul", "2023-01-02")}
    current = {(p.village, p.agency_code) for p in list_pairings(conn, as_of=date(2023, 6, 1))}
    assert current == {("Tulakan", "DINKES")}


def test_reassign_without_a_mentor_points_to_assign(conn: sqlite3.Connection) -> None:
    with pytest.raises(RuleViolation, match="assign"):
        reassign(conn, "Tulakan", "Dinkes", since=LAUNCH)


def test_reassign_to_the_same_agency_is_refused(conn: sqlite3.Connection) -> None:
    assign(conn, "Tulakan", "Bappeda", since=LAUNCH)
    with pytest.raises(RuleViolation, match="already mentored"):
        reassign(conn, "Tulakan", "Bapeda", since=date(2022, 1, 1))


def test_ending_on_or_before_the_start_is_refused(conn: sqlite3.Connection) -> None:
    assign(conn, "Tulakan", "Bappeda", since=LAUNCH)
    with pytest.raises(Exception, match="only end after"):
        unassign(conn, "Tulakan", until=LAUNCH)


def test_history_shows_both_pairings_with_dates_and_reason(conn: sqlite3.Connection) -> None:
    assign(conn, "Tulakan", "Bappeda", since=LAUNCH)
    reassign(conn, "Tulakan", "Dinkes", since=date(2023, 1, 2), reason="evaluasi")
    found = history(conn, "Tulakan")
    rows = [(p.agency_code, p.since, p.until, p.reason) for p, _acts in found.pairings]
    assert rows == [("BAPPEDA", "2021-10-13", "2023-01-02", "evaluasi"), ("DINKES", "2023-01-02", None, None)]
    assert [p.village for p, _ in history(conn, "Bappeda").pairings] == ["Tulakan"]


def test_history_of_a_name_that_is_both_a_village_and_an_agency_asks_which(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO agency_keys (key, agency_id) SELECT 'tulakan', id FROM agencies WHERE code = 'BAPPEDA'")
    with pytest.raises(RuleViolation, match=r"both a village, Tulakan .* and an agency, BAPPEDA"):
        history(conn, "Tulakan")


def test_history_of_an_unknown_name_suggests_villages_and_agencies(conn: sqlite3.Connection) -> None:
    with pytest.raises(NotFound) as e:
        history(conn, "Bappedda")
    assert "neither a village nor an agency" in str(e.value)
    assert "no village called 'Bappedda'" in str(e.value) and "BAPPEDA" in str(e.value)


def test_as_of_shows_what_was_in_force_then(conn: sqlite3.Connection) -> None:
    assign(conn, "Tulakan", "Bappeda", since=LAUNCH)
    reassign(conn, "Tulakan", "Dinkes", since=date(2023, 1, 2))
    assert [p.agency_code for p in list_pairings(conn, as_of=date(2022, 12, 31))] == ["BAPPEDA"]
    assert [p.agency_code for p in list_pairings(conn, as_of=date(2023, 1, 2))] == ["DINKES"]
    assert len(all_pairings(conn)) == 2
    assert list_pairings(conn, as_of=date(2021, 10, 12)) == []


def test_unassign_keeps_the_pairing_with_its_end(conn: sqlite3.Connection) -> None:
    assign(conn, "Tulakan", "Bappeda", since=LAUNCH)
    change = unassign(conn, "Tulakan", until=date(2024, 1, 1), reason="mandiri")
    assert change.ended[0].until == "2024-01-01"
    row = conn.execute("SELECT until, reason FROM pairings").fetchone()
    assert tuple(row) == ("2024-01-01", "mandiri")
    old = entries(conn, 1)[0]["old"]
    assert old["until"] is None and json.dumps(old)
