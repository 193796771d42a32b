"""One handler per file kind: parse each row, check it, and upsert it by its natural key.

Handlers run inside the importer's transaction and append problems to `summary.errors` instead of
stopping, so a person sees every mistake in the file at once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from opd_desa import changelog
from opd_desa.csvio import Table
from opd_desa.i18n import _
from opd_desa.names import village_code, village_key
from opd_desa.parse import parse_count, parse_date, parse_money, parse_rate, parse_year
from opd_desa.resolve import Resolver
from opd_desa.services.importing import ImportSummary, RowError, RowProblem, cell, guard, log_import, required

Rows = Iterator[tuple[int, dict[str, str]]]
KIND_NAMES = {"desa": "desa", "kelurahan": "kelurahan", "desaadat": "desa_adat", "kel": "kelurahan"}


class _Seen:
    """Natural keys met so far in the file: an exact repeat is skipped, a conflicting one is an error."""

    def __init__(self, column: str) -> None:
        self.column = column
        self.first: dict[Any, tuple[int, Any]] = {}

    def is_new(self, key: Any, record: Any, line: int) -> bool:
        previous = self.first.get(key)
        if previous is None:
            self.first[key] = (line, record)
            return True
        if previous[1] == record:
            return False
        raise RowProblem(
            self.column,
            _("the same key as line {line} with other values; keep one of the two").format(line=previous[0]),
        )


def _collect(summary: ImportSummary, line: int, problem: RowProblem) -> None:
    summary.errors.append(RowError(line, problem.column, problem.message))


# --- villages ----------------------------------------------------------------------------------


def _parse_kind(text: str) -> str:
    kind = KIND_NAMES.get(village_key(text).replace(".", ""))
    if kind is None:
        raise RowProblem(
            "kind",
            _("'{text}' is not a kind of village; write desa, kelurahan or desa adat").format(text=text),
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


def import_villages(conn: sqlite3.Connection, table: Table, summary: ImportSummary, rows: Rows) -> None:
    seen = _Seen("code")
    for line, values in rows:
        try:
            text = required(values, "code")
            code = village_code(text)
            if code is None:
                raise RowProblem(
                    "code", _("'{text}' is not a village code; write it like 33.20.16.2005").format(text=text)
                )
            given = {
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
            _collect(summary, line, problem)
    log_import(conn, summary)


# --- agencies ----------------------------------------------------------------------------------


def import_agencies(conn: sqlite3.Connection, table: Table, summary: ImportSummary, rows: Rows) -> None:
    from opd_desa.names import normalise
    from opd_desa.services.agencies import AgencyData, upsert_agency

    seen = _Seen("code")
    for line, values in rows:
        try:
            data = AgencyData(
                code=required(values, "code"),
                name=required(values, "name"),
                aliases=tuple(a.strip() for a in (cell(values, "aliases") or "").split("|") if a.strip()),
                head=cell(values, "head"),
            )
            if seen.is_new(normalise(data.code), data, line):
                summary.count(guard("name", lambda data=data: upsert_agency(conn, data)))
        except RowProblem as problem:
            _collect(summary, line, problem)


# --- targets -----------------------------------------------------------------------------------


def import_targets(conn: sqlite3.Connection, table: Table, summary: ImportSummary, rows: Rows) -> None:
    seen = _Seen("year")
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
            if old == new:
                summary.count("unchanged")
                continue
            conn.execute("INSERT OR REPLACE INTO targets (year, rate, source) VALUES (:year, :rate, :source)", new)
            changelog.record(conn, "targets", str(new["year"]), old, new)
            summary.count("inserted" if old is None else "updated")
        except RowProblem as problem:
            _collect(summary, line, problem)


# --- poverty (set-based, for national files) --------------------------------------------------

_STAGE = """
    CREATE TEMP TABLE IF NOT EXISTS stage_poverty (
        village_code TEXT NOT NULL, year INTEGER NOT NULL, rate REAL NOT NULL, poor INTEGER,
        population INTEGER, source_id INTEGER, line INTEGER NOT NULL, conflict_line INTEGER,
        PRIMARY KEY (village_code, year)
    ) WITHOUT ROWID
"""
_STAGE_INSERT = """
    INSERT INTO stage_poverty (village_code, year, rate, poor, population, source_id, line)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (village_code, year) DO UPDATE SET conflict_line = coalesce(conflict_line, excluded.line)
    WHERE excluded.rate IS NOT rate OR excluded.poor IS NOT poor OR excluded.population IS NOT population
       OR excluded.source_id IS NOT source_id
"""
_SAME = """p.rate = s.rate AND p.poor IS s.poor AND p.population IS s.population AND p.source_id IS s.source_id"""
BATCH = 5_000


def import_poverty(conn: sqlite3.Connection, table: Table, summary: ImportSummary, rows: Rows) -> None:
    from opd_desa.services.figures import rate_from, source_id

    conn.execute(_STAGE)
    conn.execute("DELETE FROM stage_poverty")
    resolver = Resolver(conn)
    sources: dict[str, int] = {}
    wide = table.year_columns if "year" not in table.columns else []
    batch: list[tuple[Any, ...]] = []
    for line, values in rows:
        try:
            village = guard("village", lambda v=values: resolver.village(v["village"], v.get("kecamatan") or None))
            src = source_id(conn, values.get("source"), sources)
            figures = _wide_figures(values, wide) if wide else [_long_figure(values)]
            for year, rate, poor, population in figures:
                batch.append(
                    (
                        village.code,
                        year,
                        guard("rate", lambda r=rate, p=poor, n=population: rate_from(r, p, n)),
                        poor,
                        population,
                        src,
                        line,
                    )
                )
        except RowProblem as problem:
            _collect(summary, line, problem)
        if len(batch) >= BATCH:
            conn.executemany(_STAGE_INSERT, batch)
            batch.clear()
    conn.executemany(_STAGE_INSERT, batch)
    for line, conflict in conn.execute(
        "SELECT line, conflict_line FROM stage_poverty WHERE conflict_line IS NOT NULL ORDER BY conflict_line"
    ):
        summary.errors.append(
            RowError(
                conflict,
                "village",
                _("the same village and year as line {line} with other figures; keep one of the two").format(line=line),
            )
        )
    if summary.errors:
        return
    summary.unchanged = conn.execute(
        f"SELECT count(*) FROM stage_poverty s JOIN poverty p USING (village_code, year) WHERE {_SAME}"
    ).fetchone()[0]
    summary.updated = conn.execute(
        f"SELECT count(*) FROM stage_poverty s JOIN poverty p USING (village_code, year) WHERE NOT ({_SAME})"
    ).fetchone()[0]
    total = conn.execute("SELECT count(*) FROM stage_poverty").fetchone()[0]
    summary.inserted = total - summary.unchanged - summary.updated
    if summary.updated:
        conn.execute(
            """INSERT INTO change_log (at, user, command, "table", key, old, new)
               SELECT ?, ?, ?, 'poverty', s.village_code || ' ' || s.year,
                      json_object('rate', p.rate, 'poor', p.poor, 'population', p.population,
                                  'source', (SELECT text FROM sources WHERE id = p.source_id)),
                      json_object('rate', s.rate, 'poor', s.poor, 'population', s.population,
                                  'source', (SELECT text FROM sources WHERE id = s.source_id))
               FROM stage_poverty s JOIN poverty p USING (village_code, year) WHERE NOT ("""
            + _SAME
            + ")",
            (changelog.now(), changelog.current_user(), changelog.current_command()),
        )
    if summary.inserted or summary.updated:
        conn.execute(
            f"""INSERT INTO poverty (village_code, year, rate, poor, population, source_id)
                SELECT village_code, year, rate, poor, population, source_id FROM stage_poverty s WHERE NOT EXISTS
                    (SELECT 1 FROM poverty p WHERE p.village_code = s.village_code AND p.year = s.year AND {_SAME})
                ON CONFLICT (village_code, year) DO UPDATE SET rate = excluded.rate, poor = excluded.poor,
                    population = excluded.population, source_id = excluded.source_id"""
        )
    conn.execute("DELETE FROM stage_poverty")
    log_import(conn, summary)


def _long_figure(values: dict[str, str]) -> tuple[int, float | None, int | None, int | None]:
    return (
        required(values, "year", parse_year),
        cell(values, "rate", parse_rate),
        cell(values, "poor", parse_count),
        cell(values, "population", parse_count),
    )


def _wide_figures(values: dict[str, str], wide: list[tuple[int, int]]) -> list[tuple[int, float, None, None]]:
    """A wide sheet's row: one rate per year column; empty cells are years without a figure."""
    return [
        (year, rate, None, None) for year, _index in wide if (rate := cell(values, str(year), parse_rate)) is not None
    ]


# --- pairings ----------------------------------------------------------------------------------


def import_pairings(conn: sqlite3.Connection, table: Table, summary: ImportSummary, rows: Rows) -> None:
    from opd_desa.errors import RuleViolation
    from opd_desa.services.pairings import insert_pairing, refuse_overlaps

    resolver = Resolver(conn)
    seen = _Seen("since")
    updates, inserts = [], []
    for line, values in rows:
        try:
            village = guard("village", lambda v=values: resolver.village(v["village"], v.get("kecamatan") or None))
            agency = guard("agency", lambda v=values: resolver.agency(v["agency"]))
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
            elif {k: existing[k] for k in record} == record:
                summary.count("unchanged")
            else:
                updates.append((line, existing, record))
        except RowProblem as problem:
            _collect(summary, line, problem)
    # ended pairings first, then new ones in date order, so a file that moves a village from one
    # agency to another is accepted whatever the order of its lines
    for line, existing, record in updates:
        try:
            old = dict(existing)
            conn.execute(
                "UPDATE pairings SET until = :until, decree = :decree, reason = :reason, note = :note "
                f"WHERE id = {int(existing['id'])}",
                record,
            )
            changelog.record(conn, "pairings", str(existing["id"]), old, record)
            summary.count("updated")
        except sqlite3.IntegrityError:
            _collect(
                summary,
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
            _collect(summary, line, RowProblem("since", str(e)))


# --- activities --------------------------------------------------------------------------------

_ACTIVITY_VALUES = ("budget", "spent", "households", "beneficiaries", "source", "note")


def import_activities(conn: sqlite3.Connection, table: Table, summary: ImportSummary, rows: Rows) -> None:
    from opd_desa.services.activities import mentor_on

    resolver = Resolver(conn)
    seen = _Seen("title")
    for line, values in rows:
        try:
            village = guard("village", lambda v=values: resolver.village(v["village"], v.get("kecamatan") or None))
            day = required(values, "date", parse_date).isoformat()
            if values.get("agency"):
                agency_id = guard("agency", lambda v=values: resolver.agency(v["agency"])).id
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
                changelog.record(conn, "activities", str(activity_id), None, {"key": list(key), **new})
                summary.count("inserted")
            elif {k: row[k] for k in _ACTIVITY_VALUES} == new:
                summary.count("unchanged")
            else:
                conn.execute(
                    "UPDATE activities SET budget = :budget, spent = :spent, households = :households, "
                    f"beneficiaries = :beneficiaries, source = :source, note = :note WHERE id = {row['id']}",
                    new,
                )
                changelog.record(conn, "activities", str(row["id"]), {k: row[k] for k in _ACTIVITY_VALUES}, new)
                summary.count("updated")
        except RowProblem as problem:
            _collect(summary, line, problem)


HANDLERS: dict[str, Callable[[sqlite3.Connection, Table, ImportSummary, Rows], None]] = {
    "villages": import_villages,
    "agencies": import_agencies,
    "poverty": import_poverty,
    "pairings": import_pairings,
    "targets": import_targets,
    "activities": import_activities,
}
