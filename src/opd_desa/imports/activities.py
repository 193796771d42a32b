"""Import activities: add new ones, update the figures of ones already stored (same village,
agency, date, kind and title)."""

from __future__ import annotations

import sqlite3

from opd_desa import changelog
from opd_desa.i18n import _
from opd_desa.imports.rows import ImportSummary, RowProblem, Rows, Seen, blame, cell, required
from opd_desa.parse import parse_count, parse_date, parse_money
from opd_desa.resolve import Resolver

_ACTIVITY_VALUES = ("budget", "spent", "households", "beneficiaries", "source", "note")
_ENTRY = ("date", "kind", "title", *_ACTIVITY_VALUES)


def import_activities(conn: sqlite3.Connection, summary: ImportSummary, rows: Rows) -> None:
    """Add each new activity (no agency: the village's mentor on that day), update stored ones."""
    from opd_desa.services.activities import get_activity, mentor_on

    resolver = Resolver(conn)
    seen = Seen("title")
    for line, values in rows:
        if values.get("village") and values.get("agency") and not any(values.get(name) for name in _ENTRY):
            summary.rows -= 1  # an unused row of a reporting form (village and agency fill every row)
            continue
        try:
            with blame("village"):
                village = resolver.village(values["village"], values.get("kecamatan") or None)
            day = required(values, "date", parse_date).isoformat()
            if values.get("agency"):
                with blame("agency"):
                    agency_id = resolver.agency(values["agency"]).id
            else:
                mentor = mentor_on(conn, village.code, day)
                if mentor is None:
                    raise RowProblem(
                        "agency",
                        _("is empty and {village} had no mentor on {day}; name the agency").format(
                            village=village.label(), day=day
                        ),
                    )
                agency_id = mentor[0]
            kind, title = (
                " ".join(required(values, "kind").split()),
                " ".join(required(values, "title").split()),
            )
            new = {
                "budget": cell(values, "budget", parse_money),
                "spent": cell(values, "spent", parse_money),
                "households": cell(values, "households", parse_count),
                "beneficiaries": cell(values, "beneficiaries", parse_count),
                "source": cell(values, "source"),
                "note": cell(values, "note"),
            }
            key = (village.code, agency_id, day, kind, title)
            if not seen.is_new(key, new, line):
                continue
            row = conn.execute(
                "SELECT id, budget, spent, households, beneficiaries, source, note FROM activities "
                "WHERE village_code = ? AND agency_id = ? AND date = ? AND kind = ? AND title = ?",
                key,
            ).fetchone()
            if row is None:
                activity_id = conn.execute(
                    "INSERT INTO activities (village_code, agency_id, date, kind, title, budget, spent, households, "
                    "beneficiaries, source, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*key, *(new[k] for k in _ACTIVITY_VALUES)),
                ).lastrowid
                assert activity_id is not None  # an INSERT always sets it
                changelog.record(conn, "activities", str(activity_id), None, get_activity(conn, activity_id))
                summary.count("inserted")
            elif {k: row[k] for k in _ACTIVITY_VALUES} == new or summary.insert_only:
                summary.count("unchanged")
            else:
                before = get_activity(conn, row["id"])
                conn.execute(
                    "UPDATE activities SET budget = :budget, spent = :spent, households = :households, "
                    "beneficiaries = :beneficiaries, source = :source, note = :note WHERE id = :id",
                    {**new, "id": row["id"]},
                )
                changelog.record(conn, "activities", str(row["id"]), before, get_activity(conn, row["id"]))
                summary.count("updated")
        except RowProblem as problem:
            summary.add_error(line, problem)
