"""Import pairings (village, agency, since ... until): add new ones, end or annotate stored ones."""

from __future__ import annotations

import sqlite3

from opd_desa.i18n import _
from opd_desa.imports.rows import ImportSummary, RowProblem, Rows, Seen, blame, cell, required
from opd_desa.parse import parse_date
from opd_desa.resolve import Resolver


def import_pairings(conn: sqlite3.Connection, summary: ImportSummary, rows: Rows) -> None:
    """Add each new pairing and update stored ones; the one-mentor-at-a-time rule is the service's."""
    from opd_desa.errors import RuleViolation
    from opd_desa.services.pairings import get_pairing, insert_pairing, log_change, refuse_overlaps

    resolver = Resolver(conn)
    seen = Seen("since")
    updates, inserts = [], []
    for line, values in rows:
        try:
            with blame("village"):
                village = resolver.village(values["village"], values.get("kecamatan") or None)
            with blame("agency"):
                agency = resolver.agency(values["agency"])
            since = required(values, "since", parse_date).isoformat()
            until = cell(values, "until", parse_date)
            record = {
                "until": until.isoformat() if until else None,
                "decree": cell(values, "decree"),
                "reason": cell(values, "reason"),
                "note": cell(values, "note"),
            }
            if record["until"] and record["until"] <= since:
                raise RowProblem(
                    "until",
                    _("{until} is not after the start {since}").format(until=record["until"], since=since),
                )
            if not seen.is_new((village.code, agency.id, since), record, line):
                continue
            existing = conn.execute(
                "SELECT id, until, decree, reason, note FROM pairings WHERE village_code = ? AND agency_id = ? "
                "AND since = ?",
                (village.code, agency.id, since),
            ).fetchone()
            if existing is None:
                inserts.append((line, village, agency, since, record))
                continue
            # an empty cell leaves what is stored: an old sheet never re-opens an ended pairing
            record = {k: record[k] if record[k] is not None else existing[k] for k in record}
            if {k: existing[k] for k in record} == record or summary.insert_only:
                summary.count("unchanged")
            else:
                updates.append((line, existing, record))
        except RowProblem as problem:
            summary.add_error(line, problem)
    # ended pairings first, then new ones in date order, so a file that moves a village from one
    # agency to another is accepted whatever the order of its lines
    for line, existing, record in updates:
        try:
            before = get_pairing(conn, existing["id"])
            conn.execute(
                "UPDATE pairings SET until = :until, decree = :decree, reason = :reason, note = :note WHERE id = :id",
                {**record, "id": existing["id"]},
            )
            log_change(conn, before, get_pairing(conn, existing["id"]))
            summary.count("updated")
        except sqlite3.IntegrityError:
            summary.add_error(
                line,
                RowProblem(
                    "until",
                    _("ending or reopening this pairing would overlap another pairing of the same village or agency"),
                ),
            )
    for line, village, agency, since, record in sorted(inserts, key=lambda item: item[3]):
        try:
            refuse_overlaps(conn, village, agency, since, record["until"])
            insert_pairing(
                conn,
                village,
                agency,
                since,
                record["decree"],
                record["note"],
                until=record["until"],
                reason=record["reason"],
            )
            summary.count("inserted")
        except RuleViolation as e:
            if summary.insert_only:  # adding what is missing: a pairing that clashes with yours is left out
                summary.count("unchanged")
                summary.notes.append(_("line {line} left out: {why}").format(line=line, why=e))
            else:
                summary.add_error(line, RowProblem("since", str(e)))
