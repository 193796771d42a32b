"""Import agencies (OPD): add or update by code, through the same rule as `agency add`."""

from __future__ import annotations

import sqlite3

from opd_desa.imports.rows import ImportSummary, RowProblem, Rows, Seen, blame, cell, required
from opd_desa.names import normalise


def import_agencies(conn: sqlite3.Connection, summary: ImportSummary, rows: Rows) -> None:
    """Add or update each agency by code (aliases separated by |)."""
    from opd_desa.services.agencies import AgencyData, checked_email, upsert_agency

    seen = Seen("code")
    for line, values in rows:
        try:
            with blame("email"):
                email = checked_email(cell(values, "email"))
            data = AgencyData(
                code=required(values, "code"),
                name=required(values, "name"),
                aliases=tuple(a.strip() for a in (cell(values, "aliases") or "").split("|") if a.strip()),
                head=cell(values, "head"),
                contact=cell(values, "contact"),
                phone=cell(values, "phone"),
                email=email,
            )
            if not seen.is_new(normalise(data.code), data, line):
                continue
            if (
                summary.insert_only
                and conn.execute(
                    "SELECT 1 FROM agencies WHERE code = ? COLLATE NOCASE", (data.code.strip(),)
                ).fetchone()
            ):
                summary.count("unchanged")
                continue
            with blame("name"):
                outcome = upsert_agency(conn, data)
            summary.count(outcome)
        except RowProblem as problem:
            summary.add_error(line, problem)
