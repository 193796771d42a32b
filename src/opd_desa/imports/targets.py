"""Import the targets per measure and year (RPJMD, Inpres): add or replace by measure and year."""

from __future__ import annotations

import sqlite3

from opd_desa import changelog
from opd_desa.imports.rows import ImportSummary, RowProblem, Rows, Seen, blame, cell, required
from opd_desa.measures import POVERTY, Measure
from opd_desa.parse import parse_rate, parse_year


def import_targets(conn: sqlite3.Connection, summary: ImportSummary, rows: Rows) -> None:
    """Store the target of each measure and year (poverty when the file has no measure column),
    replacing a different one already stored; an IDM target may be a status (Maju)."""
    from opd_desa.services.measures import find_measure
    from opd_desa.services.targets import target_value

    seen = Seen("year")
    measures: dict[str, Measure] = {}
    for line, values in rows:
        try:
            key = (cell(values, "measure") or POVERTY).strip().casefold()
            if key not in measures:
                with blame("measure"):
                    measures[key] = find_measure(conn, key, "measure")
            measure = measures[key]
            year = required(values, "year", parse_year)
            if measure.key == POVERTY:
                value = round(required(values, "rate", parse_rate), 2)
            else:
                with blame("rate"):
                    value = round(target_value(measure, required(values, "rate")), 4)
            new: dict[str, object] = {"year": year, "rate": value, "source": cell(values, "source")}
            if not seen.is_new((measure.key, year), new, line):
                continue
            _store(conn, summary, measure, new)
        except RowProblem as problem:
            summary.add_error(line, problem)


def _store(conn: sqlite3.Connection, summary: ImportSummary, measure: Measure, new: dict[str, object]) -> None:
    if measure.key == POVERTY:
        row = conn.execute("SELECT year, rate, source FROM targets WHERE year = ?", (new["year"],)).fetchone()
        old = dict(row) if row else None
        sql = "INSERT OR REPLACE INTO targets (year, rate, source) VALUES (:year, :rate, :source)"
        table, key = "targets", str(new["year"])
    else:
        row = conn.execute(
            "SELECT year, value AS rate, source FROM figure_targets WHERE measure_id = ? AND year = ?",
            (measure.id, new["year"]),
        ).fetchone()
        old = dict(row) if row else None
        sql = (
            "INSERT OR REPLACE INTO figure_targets (measure_id, year, value, source) "
            f"VALUES ({measure.id}, :year, :rate, :source)"
        )
        table, key = "figure_targets", f"{measure.key} {new['year']}"
    if old == new or (old is not None and summary.insert_only):
        summary.count("unchanged")
        return
    conn.execute(sql, new)
    changelog.record(conn, table, key, old, new)
    summary.count("inserted" if old is None else "updated")
