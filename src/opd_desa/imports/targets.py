"""Import the programme's target rate per year (RPJMD): add or replace by year."""

from __future__ import annotations

import sqlite3

from opd_desa import changelog
from opd_desa.imports.rows import ImportSummary, RowProblem, Rows, Seen, cell, required
from opd_desa.parse import parse_rate, parse_year


def import_targets(conn: sqlite3.Connection, summary: ImportSummary, rows: Rows) -> None:
    """Store the target rate of each year, replacing a different one already stored."""
    seen = Seen("year")
    for line, values in rows:
        try:
            new = {
                "year": required(values, "year", parse_year),
                "rate": round(required(values, "rate", parse_rate), 2),
                "source": cell(values, "source"),
            }
            if not seen.is_new(new["year"], new, line):
                continue
            row = conn.execute("SELECT year, rate, source FROM targets WHERE year = ?", (new["year"],)).fetchone()
            old = dict(row) if row else None
            if old == new or (old is not None and summary.insert_only):
                summary.count("unchanged")
                continue
            conn.execute("INSERT OR REPLACE INTO targets (year, rate, source) VALUES (:year, :rate, :source)", new)
            changelog.record(conn, "targets", str(new["year"]), old, new)
            summary.count("inserted" if old is None else "updated")
        except RowProblem as problem:
            summary.add_error(line, problem)
