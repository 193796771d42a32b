"""`check`: is the database file still what opd-desa wrote? For a file someone edited by hand.

Six questions, each answered with one problem per fault: SQLite's own `integrity_check`; the
recorded schema version; the schema objects the rules need (compared with a fresh in-memory
database migrated to the same version, so it stays right as migrations are added); SQLite's
`foreign_key_check`; the one-agency-one-village rule over the stored pairings; and every stored
value as the parsers would accept it. `repair` recreates what can be recreated without touching
data (indexes and triggers, a version number the schema proves); the rest needs a person.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from opd_desa.db import APPLICATION_ID, transaction
from opd_desa.i18n import N_, _
from opd_desa.migrations import MIGRATIONS, SCHEMA_VERSION
from opd_desa.names import shown, village_code
from opd_desa.rules import FOREVER, MAX_COUNT, MAX_YEAR, MIN_YEAR
from opd_desa.stored import is_iso_date
from opd_desa.text import control_in, visible_line


@dataclass(frozen=True)
class Problem:
    """One fault: where it is (a table, row or schema object), what is wrong, and whether `--repair` mended it."""

    where: str
    what: str
    repaired: bool = False
    repairable: bool = False  # what `--repair` would mend

    def as_dict(self) -> dict[str, Any]:
        return {"where": self.where, "problem": self.what, "repaired": self.repaired}


SchemaObject = tuple[str, str]  # (type, name)


def check_database(conn: sqlite3.Connection, *, repair: bool = False) -> list[Problem]:
    """Every problem found in the open database (empty: all is well); with `repair`, the schema objects
    and the version that can be recreated safely are, and their problems say so."""
    integrity, damaged = _integrity(conn)
    if damaged:  # asking a damaged file more questions may only give wrong answers
        return integrity
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id != APPLICATION_ID:
        return [Problem(_("file"), _("not an opd-desa database (application id {id})").format(id=app_id))]
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    sane = 1 <= version <= SCHEMA_VERSION
    expected = expected_schema(version if sane else SCHEMA_VERSION)
    schema = _schema(conn, expected, repair=repair)
    whole = all(p.repaired for p in schema)  # as opd-desa made it (again, after --repair)
    mendable = all(p.repaired or p.repairable for p in schema)  # ... or would be, with --repair
    problems = [*integrity, *schema, *_version(conn, version, sane, whole=whole, mendable=mendable, repair=repair)]
    tables = {name for kind, name in expected if kind == "table"}
    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if tables <= present:
        problems += _foreign_keys(conn)
        problems += _pairing_rule(conn)
        problems += _values(conn, tables)
    return problems


def schema_is_whole(conn: sqlite3.Connection) -> bool:
    """A quick answer for `status` and `init`: SQLite's quick_check passes, the version is sane, and
    every table, index and trigger of that version is there."""
    if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
        return False
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if not 1 <= version <= SCHEMA_VERSION:
        return False
    present = set(_objects(conn))
    return set(expected_schema(version)) <= present


def expected_schema(version: int) -> dict[SchemaObject, tuple[str, str]]:
    """(type, name) -> (table, SQL) of every object a fresh database migrated to `version` holds."""
    fresh = sqlite3.connect(":memory:", isolation_level=None)
    try:
        fresh.execute("BEGIN")
        for migration in MIGRATIONS[:version]:
            migration(fresh)
        fresh.execute("COMMIT")
        return _objects(fresh)
    finally:
        fresh.close()


def _objects(conn: sqlite3.Connection) -> dict[SchemaObject, tuple[str, str]]:
    rows = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
    )
    return {(kind, name): (table, " ".join(sql.split())) for kind, name, table, sql in rows}


_DATA_FAULTS = ("CHECK constraint failed", "NULL value in", "non-unique entry in index")


def _integrity(conn: sqlite3.Connection) -> tuple[list[Problem], bool]:
    """SQLite's integrity_check: the problems, and whether the file itself is damaged. A row that
    breaks a CHECK, NOT NULL or UNIQUE rule is bad data, not damage (each rule said once; the value
    checks below name the rows)."""
    try:
        lines = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as e:
        lines = [str(e)]
    if lines == ["ok"]:
        return [], False
    damage = [line for line in lines if not line.startswith(_DATA_FAULTS)]
    broken = sorted({line for line in lines if line.startswith(_DATA_FAULTS)})
    problems = [
        Problem(_("file"), _("damaged: {detail}; restore it from a backup").format(detail=line)) for line in damage
    ]
    problems += [Problem("integrity_check", line) for line in broken]
    return problems, bool(damage)


def _version(
    conn: sqlite3.Connection, version: int, sane: bool, *, whole: bool, mendable: bool, repair: bool
) -> list[Problem]:
    """A version outside 1..SCHEMA_VERSION was written by hand; the schema can prove the right one."""
    if sane:
        return []
    what = _("schema version {found} is impossible (this opd-desa writes 1 to {known})").format(
        found=version, known=SCHEMA_VERSION
    )
    if repair and whole:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return [
            Problem(
                "user_version", what + _("; set to {known}, as the schema shows").format(known=SCHEMA_VERSION), True
            )
        ]
    return [Problem("user_version", what, repairable=mendable)]


def _schema(conn: sqlite3.Connection, expected: dict[SchemaObject, tuple[str, str]], *, repair: bool) -> list[Problem]:
    actual = _objects(conn)
    problems = []
    for (kind, name), (table, sql) in expected.items():
        found = actual.get((kind, name))
        if found is not None and (kind == "table" or found[1] == sql):
            if kind == "table" and _columns_of(conn, name) != _columns_in(sql, name):
                problems.append(Problem(name, _("table {name} has other columns than opd-desa made").format(name=name)))
            continue
        if kind == "table":
            problems.append(
                Problem(name, _("table {name} is missing; restore the database from a backup").format(name=name))
            )
            continue
        what = (
            _("{kind} {name} on {table} is missing") if found is None else _("{kind} {name} on {table} was changed")
        ).format(kind=kind, name=name, table=table)
        problems.append(
            _recreated(conn, kind, name, sql, what, replace=found is not None)
            if repair
            else Problem(name, what, repairable=True)
        )
    for (kind, name), (table, _sql) in actual.items():
        if (kind, name) not in expected and kind in ("index", "trigger"):
            problems.append(
                Problem(
                    name,
                    _("{kind} {name} on {table} was not made by opd-desa").format(kind=kind, name=name, table=table),
                )
            )
    return problems


def _recreated(conn: sqlite3.Connection, kind: str, name: str, sql: str, what: str, *, replace: bool) -> Problem:
    """Recreate one index or trigger; a unique index the data breaks stays missing, and says why."""
    try:
        with transaction(conn):
            if replace:
                conn.execute(f'DROP {kind.upper()} "{name}"')
            conn.execute(sql)
    except sqlite3.DatabaseError as e:
        return Problem(name, what + _("; could not be recreated ({error}): mend the rows above first").format(error=e))
    return Problem(name, what + _("; recreated"), repaired=True)


def _columns_of(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]


def _columns_in(sql: str, table: str) -> list[str]:
    """The columns a CREATE TABLE statement makes, read by SQLite itself."""
    scratch = sqlite3.connect(":memory:")
    try:
        scratch.execute(sql)
        return _columns_of(scratch, table)
    finally:
        scratch.close()


def _foreign_keys(conn: sqlite3.Connection) -> list[Problem]:
    """SQLite's foreign_key_check, each row named by its key."""
    problems = []
    seen: set[tuple[str, int]] = set()
    for table, rowid, parent, fkid in conn.execute("PRAGMA foreign_key_check").fetchall():
        if rowid is None:  # a WITHOUT ROWID table: name its rows by key, once per reference
            if (table, fkid) in seen:
                continue
            seen.add((table, fkid))
        for where, column, value in _dangling(conn, table, parent, fkid, rowid):
            problems.append(
                Problem(
                    where,
                    _("{column} '{value}' refers to no row of {parent}").format(
                        column=column, value=value, parent=parent
                    ),
                )
            )
    return problems


def _dangling(
    conn: sqlite3.Connection, table: str, parent: str, fkid: int, rowid: int | None
) -> Iterator[tuple[str, str, str]]:
    """(where, column, value) of the rows of `table` whose reference number `fkid` finds no parent."""
    reference = [row for row in conn.execute(f'PRAGMA foreign_key_list("{table}")') if row[0] == fkid]
    column = reference[0][3]
    target = reference[0][4] or _primary_key(conn, parent)
    key = _primary_key(conn, table)
    condition = f'SELECT 1 FROM "{parent}" p WHERE p."{target}" = t."{column}"'
    sql = f'SELECT t."{key}", t."{column}" FROM "{table}" t WHERE t."{column}" IS NOT NULL AND NOT EXISTS ({condition})'
    rows = conn.execute(sql + " AND t.rowid = ?", (rowid,)) if rowid is not None else conn.execute(sql)
    for key_value, value in rows:
        yield f"{table} {key_value}", column, shown(str(value))


def _primary_key(conn: sqlite3.Connection, table: str) -> str:
    columns = [row for row in conn.execute(f'PRAGMA table_info("{table}")') if row[5] == 1]
    return str(columns[0][1]) if columns else "rowid"


def _pairing_rule(conn: sqlite3.Connection) -> list[Problem]:
    """One agency mentors one village at a time, and one village has one mentor: no two pairings of
    either share a day; no pairing ends before it starts."""
    problems = [
        Problem(
            _("pairing {id}").format(id=pid),
            _("ends ({until}) before it starts ({since})").format(until=until, since=since),
        )
        for pid, since, until in conn.execute(
            "SELECT id, since, until FROM pairings WHERE until IS NOT NULL AND until <= since"
        )
    ]
    overlapping = conn.execute(
        f"""SELECT a.id, b.id, a.village_code = b.village_code FROM pairings a JOIN pairings b
            ON a.id < b.id AND (a.village_code = b.village_code OR a.agency_id = b.agency_id)
            AND a.since < coalesce(b.until, '{FOREVER}') AND b.since < coalesce(a.until, '{FOREVER}')"""
    )
    for first, second, same_village in overlapping:
        what = (
            _("overlaps pairing {other}: a village with two mentors at once")
            if same_village
            else _("overlaps pairing {other}: an agency with two villages at once")
        )
        problems.append(Problem(_("pairing {id}").format(id=first), what.format(other=second)))
    return problems


# (table, SQL naming the row, column, what the parsers accept there)
_VALUE_RULES: tuple[tuple[str, str, str, str], ...] = (
    ("pairings", "id", "since", "date"),
    ("pairings", "id", "until", "date"),
    ("activities", "id", "date", "date"),
    ("poverty", "village_code || ' ' || year", "year", "year"),
    ("targets", "year", "year", "year"),
    ("poverty", "village_code || ' ' || year", "rate", "rate"),
    ("targets", "year", "rate", "rate"),
    ("poverty", "village_code || ' ' || year", "poor", "count"),
    ("poverty", "village_code || ' ' || year", "population", "count"),
    ("villages", "code", "population", "count"),
    ("activities", "id", "households", "count"),
    ("activities", "id", "beneficiaries", "count"),
    ("activities", "id", "budget", "money"),
    ("activities", "id", "spent", "money"),
    ("villages", "code", "code", "village_code"),
)
_REFUSED = {
    "date": N_("not a date (YYYY-MM-DD)"),
    "year": N_("not a year from 2000 to 2100"),
    "rate": N_("not a percentage from 0 to 100"),
    "count": N_("not a count from 0 to 10,000,000"),
    "money": N_("not a whole amount of rupiah, 0 or more"),
    "village_code": N_("not a village code like 33.20.16.2005"),
}


def _accepted(test: str, value: Any) -> bool:
    """Whether a stored value is one the parsers could have produced (an empty value always is)."""
    if value is None:
        return True
    if test == "date":
        return is_iso_date(value)
    if test == "year":
        return type(value) is int and MIN_YEAR <= value <= MAX_YEAR
    if test == "rate":
        return type(value) in (int, float) and 0 <= value <= 100
    if test == "count":
        return type(value) is int and 0 <= value <= MAX_COUNT
    if test == "money":
        return type(value) is int and value >= 0
    return isinstance(value, str) and village_code(value) == value


def _values(conn: sqlite3.Connection, tables: set[str]) -> list[Problem]:
    """Stored values the parsers would refuse, and control characters in any text."""
    problems = []
    for table, key, column, test in _VALUE_RULES:
        for name, value in conn.execute(f'SELECT {key}, "{column}" FROM "{table}"'):
            if not _accepted(test, value):
                what = _("{column} '{value}' is {refused}").format(
                    column=column, value=shown(str(value)), refused=_(_REFUSED[test])
                )
                problems.append(Problem(f"{table} {name}", what))
    for table in sorted(tables - {"change_log"}):  # the log keeps what was said, as it was said
        problems += _controls(conn, table)
    return problems


def _controls(conn: sqlite3.Connection, table: str) -> Iterator[Problem]:
    """The text cells of `table` holding a control character (tab and newline are allowed)."""
    key = _primary_key(conn, table)
    texts = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")') if str(row[2]).upper() == "TEXT"]
    if not texts:
        return
    selected = ", ".join(f'"{column}"' for column in texts)
    for name, *values in conn.execute(f'SELECT "{key}", {selected} FROM "{table}"'):
        for column, value in zip(texts, values, strict=True):
            if isinstance(value, str) and control_in(value, breaks=True):
                yield Problem(
                    f"{table} {name}",
                    _("{column} '{value}' holds a control character").format(
                        column=column, value=shown(visible_line(value))
                    ),
                )
