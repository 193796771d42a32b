"""One handler per file kind: parse each row, check it, and upsert it by its natural key.

Handlers run inside the importer's transaction and append problems to `summary.errors` instead of
stopping, so a person sees every mistake in the file at once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from opd_desa import changelog
from opd_desa.csvio import Table, clean_cell
from opd_desa.i18n import _
from opd_desa.names import normalise, shown, village_code, village_key
from opd_desa.parse import parse_count, parse_date, parse_money, parse_rate, parse_year
from opd_desa.resolve import Resolver
from opd_desa.services.importing import PROGRESS_EVERY, ImportSummary, RowError, RowProblem, cell, guard, required

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


def import_villages(conn: sqlite3.Connection, table: Table, summary: ImportSummary, rows: Rows) -> None:
    seen = _Seen("code")
    for line, values in rows:
        try:
            text = required(values, "code")
            code = village_code(text)
            if code is None:
                raise RowProblem(
                    "code", _("'{text}' is not a village code; write it like 33.20.16.2005").format(text=shown(text))
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
            _collect(summary, line, problem)


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
            if old == new or (old is not None and summary.insert_only):
                summary.count("unchanged")
                continue
            conn.execute("INSERT OR REPLACE INTO targets (year, rate, source) VALUES (:year, :rate, :source)", new)
            changelog.record(conn, "targets", str(new["year"]), old, new)
            summary.count("inserted" if old is None else "updated")
        except RowProblem as problem:
            _collect(summary, line, problem)


# --- poverty (national files: 840,000 rows) ----------------------------------------------------

# Rows go straight into `poverty` with figures.FIGURE_UPSERT, which writes only when a value differs; a
# trigger logs the old row of every update, so inserted/updated/unchanged come from SQLite's own
# change counter instead of a second pass over the data.
_LOG_UPDATES = """
    CREATE TEMP TRIGGER IF NOT EXISTS poverty_import_log AFTER UPDATE ON main.poverty
    BEGIN
        INSERT INTO change_log (at, user, command, "table", key, old, new)
        SELECT c.at, c.user, c.command, 'poverty', NEW.village_code || ' ' || NEW.year,
               json_object('rate', OLD.rate, 'poor', OLD.poor, 'population', OLD.population,
                           'source', (SELECT text FROM main.sources WHERE id = OLD.source_id)),
               json_object('rate', NEW.rate, 'poor', NEW.poor, 'population', NEW.population,
                           'source', (SELECT text FROM main.sources WHERE id = NEW.source_id))
        FROM temp.import_context c;
    END
"""
_INSERT_ONLY = """
    INSERT INTO poverty (village_code, year, rate, poor, population, source_id) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (village_code, year) DO NOTHING
"""
BATCH = 5_000


class _Keys:
    """(village, year) pairs met so far in the file: one int per village, one bit per year."""

    def __init__(self) -> None:
        self.years: dict[str, int] = {}

    def add(self, code: str, year: int) -> bool:
        """Mark the pair; False when the file had it already."""
        seen = self.years.get(code, 0)
        bit = 1 << (year - 2000)
        if seen & bit:
            return False
        self.years[code] = seen | bit
        return True


@dataclass
class _Batch:
    """What the reading side hands the writing side: figures ready to store, the same village and
    year met again (to compare with the stored figure), and the problems found."""

    rows_read: int
    figures: list[tuple[Any, ...]] = field(default_factory=list)  # code, year, rate, poor, population, source
    repeats: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)  # (line, figure)
    errors: list[RowError] = field(default_factory=list)


def _read_figures(table: Table, resolver: Resolver) -> Iterator[_Batch]:
    """Parse the poverty table into batches of figures. Touches no database (the village index is
    in memory), so it can run in a second process while the first one writes."""
    from opd_desa.errors import UserError
    from opd_desa.parse import ParseError
    from opd_desa.services.figures import rate_from

    codes: dict[object, str] = {}  # village cell (and kecamatan cell) as read -> code
    years: dict[str, int] = {}
    rates: dict[str, float] = {}
    counts: dict[str, int] = {}  # poor and population: a national file repeats most of its numbers
    keys = _Keys()
    at = table.columns.get
    i_village, i_kecamatan, i_year, i_source = at("village"), at("kecamatan"), at("year"), at("source")
    i_rate, i_poor, i_population = at("rate"), at("poor"), at("population")
    wide = [(index, str(year), year) for year, index in table.year_columns] if i_year is None else []
    width = 1 + max([*table.columns.values(), *(index for index, _name, _year in wide)])

    def cached(cache: dict[str, Any], text: str, parser: Callable[[str], Any]) -> Any:
        value = cache.get(text)
        if value is None and text.strip():
            value = cache[text] = parser(text)
        return value

    batch = _Batch(0)
    seen = keys.years  # village code -> a bit per year already met (inlined _Keys.add: this loop is hot)
    read = 0
    # The hot loop of a national file: raw cells by position, answers remembered where values
    # repeat (villages, years, rates), `column` naming what a failure is about. Source texts go
    # out as read; the writing side cleans them once per distinct text.
    for line, cells in table.cells():
        read += 1
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        column = "village"
        try:
            where = cells[i_village] if i_kecamatan is None else (cells[i_village], cells[i_kecamatan])
            code = codes.get(where)
            if code is None:
                village = clean_cell(cells[i_village])
                kecamatan = clean_cell(cells[i_kecamatan]) if i_kecamatan is not None else ""
                code = codes[where] = resolver.village(village, kecamatan or None).code
            source = cells[i_source] if i_source is not None else ""
            if wide:
                found = []
                for index, name, year in wide:
                    column = name
                    rate = cached(rates, cells[index], parse_rate)
                    if rate is not None:
                        found.append((code, year, round(rate, 2), None, None, source))
            else:
                column = "year"
                year = years.get(cells[i_year]) or cached(years, cells[i_year], parse_year)
                if year is None:
                    raise RowProblem("year", _("is empty; this column is required"))
                column = "rate"
                rate = None
                if i_rate is not None:
                    rate = rates.get(cells[i_rate]) or cached(rates, cells[i_rate], parse_rate)
                column = "poor"
                poor = None
                if i_poor is not None:
                    poor = counts.get(cells[i_poor]) or cached(counts, cells[i_poor], parse_count)
                column = "population"
                population = None
                if i_population is not None:
                    population = counts.get(cells[i_population]) or cached(counts, cells[i_population], parse_count)
                column = "rate"
                figure = (code, year, rate_from(rate, poor, population), poor, population, source)
                bits = seen.get(code, 0)
                bit = 1 << (year - 2000)
                if bits & bit:
                    batch.repeats.append((line, figure))
                else:
                    seen[code] = bits | bit
                    batch.figures.append(figure)
                found = ()
            for figure in found:
                if keys.add(figure[0], figure[1]):
                    batch.figures.append(figure)
                else:
                    batch.repeats.append((line, figure))
        except RowProblem as problem:
            batch.errors.append(RowError(line, problem.column, problem.message))
        except (ParseError, UserError) as e:
            batch.errors.append(RowError(line, column, str(e)))
        if len(batch.figures) >= BATCH:
            batch.rows_read = read
            yield batch
            batch = _Batch(0)
    batch.rows_read = read
    yield batch


PIPELINE_BYTES = 4 << 20  # files larger than this are read in a second process


def _batches(table: Table, conn: sqlite3.Connection) -> Iterator[_Batch]:
    """The batches of `_read_figures`: for a large file from a second process (forked, so it shares
    the open file and the village index), which parses while this one writes; else in-process."""
    import contextlib
    import multiprocessing

    index = [Resolver(conn, bulk=True)]  # in a list, so this process can let go of it after the fork
    size = getattr(table, "size", None) or 0  # a workbook, or small standard input: read here
    if size <= PIPELINE_BYTES or "fork" not in multiprocessing.get_all_start_methods():
        yield from _read_figures(table, index[0])
        return
    receiver, sender = multiprocessing.Pipe(duplex=False)

    def produce() -> None:
        receiver.close()  # else a writer killed mid-import would leave this end open and us blocked
        try:
            for batch in _read_figures(table, index[0]):
                sender.send(batch)
            sender.send(None)
        except (BrokenPipeError, ConnectionError):
            return  # the writing process is gone (finished with an error, or killed): nothing to do
        except BaseException as e:  # handed to the writing process, which reports it
            with contextlib.suppress(BrokenPipeError, ConnectionError):
                sender.send(e)

    reader = multiprocessing.get_context("fork").Process(target=produce, daemon=True)
    reader.start()
    sender.close()
    index.clear()  # only the reading process needs the village index from here on
    try:
        while True:
            try:
                message = receiver.recv()
            except EOFError:
                raise RuntimeError("the process reading the file stopped unexpectedly") from None
            if message is None:
                return
            if isinstance(message, BaseException):
                raise message
            yield message
    finally:
        receiver.close()
        if reader.is_alive():
            reader.terminate()
        reader.join()


def import_poverty(conn: sqlite3.Connection, table: Table, summary: ImportSummary, rows: Rows) -> None:
    """Upsert every figure; the same village and year twice in a file must carry the same figures.

    Reads the table's raw cells itself (`rows`, the dict per row the other kinds use, is left unread)."""
    from opd_desa.services.figures import FIGURE_UPSERT, source_id

    conn.execute("CREATE TEMP TABLE IF NOT EXISTS import_context (at TEXT, user TEXT, command TEXT)")
    conn.execute("DELETE FROM temp.import_context")
    conn.execute(
        "INSERT INTO temp.import_context VALUES (?, ?, ?)",
        (changelog.now(), changelog.actor_of(conn).user, changelog.actor_of(conn).command),
    )
    conn.execute(_LOG_UPDATES)
    log_before = conn.execute("SELECT coalesce(max(id), 0) FROM change_log").fetchone()[0]
    sql = _INSERT_ONLY if summary.insert_only else FIGURE_UPSERT
    sources: dict[str, int | None] = {}
    written = 0  # rows handed to the upsert
    changed = 0  # rows it inserted or updated (its rowcount leaves out what the logging trigger writes)

    def stored_as(figures: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """The figures with their source text replaced by the id in the shared `sources` table."""
        for text in {figure[5] for figure in figures} - sources.keys():
            sources[text] = source_id(conn, clean_cell(text))
        return [(code, year, rate, poor, population, sources[s]) for code, year, rate, poor, population, s in figures]

    try:
        for batch in _batches(table, conn):
            if summary.progress and batch.rows_read // PROGRESS_EVERY > summary.rows // PROGRESS_EVERY:
                summary.progress(batch.rows_read)
            summary.rows = batch.rows_read
            summary.errors.extend(batch.errors)
            if summary.errors:
                continue  # nothing will be written: only look for more mistakes
            figures = stored_as(batch.figures)
            changed += conn.executemany(sql, figures).rowcount
            written += len(figures)
            for line, figure in batch.repeats:
                if summary.insert_only:  # the earlier line decided already
                    continue
                stored = conn.execute(
                    "SELECT village_code, year, rate, poor, population, source_id FROM poverty "
                    "WHERE village_code = ? AND year = ?",
                    figure[:2],
                ).fetchone()
                (figure,) = stored_as([figure])
                differs = any(new is not None and new != old for new, old in zip(figure, stored, strict=True))
                if differs or stored[2] != figure[2]:
                    summary.errors.append(
                        RowError(
                            line,
                            "year",
                            _(
                                "this village and year are on an earlier line already, with other figures; "
                                "keep one of the two"
                            ),
                        )
                    )
    finally:
        conn.execute("DROP TRIGGER IF EXISTS temp.poverty_import_log")
    summary.errors.sort(key=lambda e: e.line)
    summary.updated = conn.execute(
        "SELECT count(*) FROM change_log WHERE id > ? AND \"table\" = 'poverty'", (log_before,)
    ).fetchone()[0]
    summary.inserted = changed - summary.updated
    summary.unchanged = written - changed


# --- pairings ----------------------------------------------------------------------------------


def import_pairings(conn: sqlite3.Connection, table: Table, summary: ImportSummary, rows: Rows) -> None:
    from opd_desa.errors import RuleViolation
    from opd_desa.services.pairings import get_pairing, insert_pairing, log_change, refuse_overlaps

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
                continue
            # an empty cell leaves what is stored: an old sheet never re-opens an ended pairing
            record = {k: record[k] if record[k] is not None else existing[k] for k in record}
            if {k: existing[k] for k in record} == record or summary.insert_only:
                summary.count("unchanged")
            else:
                updates.append((line, existing, record))
        except RowProblem as problem:
            _collect(summary, line, problem)
    # ended pairings first, then new ones in date order, so a file that moves a village from one
    # agency to another is accepted whatever the order of its lines
    for line, existing, record in updates:
        try:
            before = get_pairing(conn, existing["id"])
            conn.execute(
                "UPDATE pairings SET until = :until, decree = :decree, reason = :reason, note = :note "
                f"WHERE id = {int(existing['id'])}",
                record,
            )
            log_change(conn, before, get_pairing(conn, existing["id"]))
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
            if summary.insert_only:  # adding what is missing: a pairing that clashes with yours is left out
                summary.count("unchanged")
                summary.notes.append(_("line {line} left out: {why}").format(line=line, why=e))
            else:
                _collect(summary, line, RowProblem("since", str(e)))


# --- activities --------------------------------------------------------------------------------

_ACTIVITY_VALUES = ("budget", "spent", "households", "beneficiaries", "source", "note")


def import_activities(conn: sqlite3.Connection, table: Table, summary: ImportSummary, rows: Rows) -> None:
    from opd_desa.services.activities import get_activity, mentor_on

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
                changelog.record(conn, "activities", str(activity_id), None, get_activity(conn, activity_id))
                summary.count("inserted")
            elif {k: row[k] for k in _ACTIVITY_VALUES} == new or summary.insert_only:
                summary.count("unchanged")
            else:
                before = get_activity(conn, row["id"])
                conn.execute(
                    "UPDATE activities SET budget = :budget, spent = :spent, households = :households, "
                    f"beneficiaries = :beneficiaries, source = :source, note = :note WHERE id = {row['id']}",
                    new,
                )
                changelog.record(conn, "activities", str(row["id"]), before, get_activity(conn, row["id"]))
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
