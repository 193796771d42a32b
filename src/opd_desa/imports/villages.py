"""Import villages: add missing ones (creating their kecamatan), update the ones present by code."""

from __future__ import annotations

import sqlite3
from typing import Any

from opd_desa import changelog
from opd_desa.i18n import _
from opd_desa.imports.rows import ImportSummary, RowProblem, Rows, Seen, cell, required
from opd_desa.names import normalise, shown, village_code, village_key
from opd_desa.parse import parse_count

KIND_NAMES = {"desa": "desa", "kelurahan": "kelurahan", "desaadat": "desa_adat", "kel": "kelurahan"}


def _parse_kind(text: str) -> str:
    kind = KIND_NAMES.get(normalise(text).replace(".", ""))
    if kind is None:
        raise RowProblem(
            "kind",
            _("'{text}' is not a kind of village; write desa, kelurahan or desa adat").format(text=shown(text)),
        )
    return kind


def _kind_from_code(code: str) -> str:
    return {"1": "kelurahan", "3": "desa_adat"}.get(code.split(".")[3][0], "desa")


def _ensure_kecamatan(conn: sqlite3.Connection, code: str, name: str | None) -> None:
    """Create the village's kecamatan (and its official parents) when the database lacks it."""
    from opd_desa import regions

    if conn.execute("SELECT 1 FROM regions WHERE code = ?", (code,)).fetchone():
        return
    official = regions.known_region(code)
    conn.executemany(
        "INSERT OR IGNORE INTO regions (code, name, level, parent_code) VALUES (?, ?, ?, ?)",
        [(r.code, r.name, r.level, r.parent_code) for r in regions.ancestors(code)],
    )
    kecamatan_name = name or (official.name if official else None)
    if not kecamatan_name:
        raise RowProblem(
            "kecamatan",
            _("kecamatan {code} is not in the database; give its name in a kecamatan column").format(code=code),
        )
    conn.execute(
        "INSERT INTO regions (code, name, level, parent_code) VALUES (?, ?, 3, ?)",
        (code, kecamatan_name, code[:5]),
    )


def import_villages(conn: sqlite3.Connection, summary: ImportSummary, rows: Rows) -> None:
    """Add each village not yet stored (its kecamatan too), update the given cells of stored ones."""
    seen = Seen("code")
    for line, values in rows:
        try:
            text = required(values, "code")
            code = village_code(text)
            if code is None:
                raise RowProblem(
                    "code", _("'{text}' is not a village code; write it like 33.20.16.2005").format(text=shown(text))
                )
            given: dict[str, Any] = {
                "name": cell(values, "name"),
                "kind": cell(values, "kind", _parse_kind),
                "postal_code": cell(values, "postal_code"),
                "population": cell(values, "population", parse_count),
            }
            kecamatan = cell(values, "kecamatan")
            if not seen.is_new(code, (given, kecamatan), line):
                continue
            old = conn.execute(
                "SELECT name, kind, postal_code, population FROM villages WHERE code = ?", (code,)
            ).fetchone()
            if old is not None and summary.insert_only:
                summary.count("unchanged")
                continue
            if old is None:
                if not given["name"]:
                    raise RowProblem("name", _("is empty; a new village needs a name"))
                _ensure_kecamatan(conn, code.rsplit(".", 1)[0], kecamatan)
                new = {**given, "kind": given["kind"] or _kind_from_code(code)}
                conn.execute(
                    "INSERT INTO villages (code, name, name_key, kecamatan_code, kind, postal_code, population) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        code,
                        new["name"],
                        village_key(new["name"]),
                        code.rsplit(".", 1)[0],
                        new["kind"],
                        new["postal_code"],
                        new["population"],
                    ),
                )
                summary.count("inserted")
                continue
            before = dict(old)
            after = {k: given[k] if given[k] is not None else before[k] for k in before}
            if after == before:
                summary.count("unchanged")
                continue
            conn.execute(
                "UPDATE villages SET name = ?, name_key = ?, kind = ?, postal_code = ?, population = ? WHERE code = ?",
                (
                    after["name"],
                    village_key(after["name"]),
                    after["kind"],
                    after["postal_code"],
                    after["population"],
                    code,
                ),
            )
            changelog.record(conn, "villages", code, before, after)
            summary.count("updated")
        except RowProblem as problem:
            summary.add_error(line, problem)
