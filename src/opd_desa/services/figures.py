"""Figures of every measure per village (or region) and year (their targets: services/targets.py).

The poverty measure keeps its v1 tables (`poverty`, `targets`); the others live in `figures` and
`figure_targets`; official area figures of any measure in `area_figures` (see db._measures).
Reading goes through the views `all_figures` and `all_targets`, so only writing asks where.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import ge, le, lt, mul, sub, truediv
from typing import Any, Literal, cast

from opd_desa import changelog
from opd_desa.db import transaction
from opd_desa.errors import InvalidValue
from opd_desa.i18n import _
from opd_desa.measures import POVERTY, Measure, idm_class
from opd_desa.rules import AGREEMENT
from opd_desa.services.measures import find_measure
from opd_desa.services.places import Place, find_place

# each figures table: its key, and the names of its value and count columns
_TABLES = {
    "poverty": (("village_code", "year"), "rate", "poor"),
    "figures": (("measure_id", "village_code", "year"), "value", "count"),
    "area_figures": (("measure_id", "region_code", "year"), "value", "count"),
}


WriteHow = Literal["merge", "insert", "insert_new"]
# columns a row may leave empty (None): a batch of rows none of which fills one leaves it out of its
# statement (see write_statement)
OPTIONAL_COLUMNS = frozenset({"count", "poor", "population", "source_id"})


def table_columns(table: str) -> tuple[str, ...]:
    """The columns of a figures table's row, in the order rows are written: key, value, count,
    population, source id."""
    keys, value, count = _TABLES[table]
    return (*keys, value, count, "population", "source_id")


# One figure per village and year. A row that leaves poor, population or source empty keeps what is
# stored (a sheet of rates does not erase the populations); a stored count of poor that no longer
# agrees with the new rate (within AGREEMENT) is dropped rather than kept wrong. The WHERE makes an
# identical row a no-op.
@functools.cache
def write_statement(table: str, how: WriteHow = "merge", left_out: tuple[str, ...] = ()) -> str:
    """The statement writing a row of `table`: `merge` by the rule above, `insert` (into a table known
    to be empty), or `insert_new` (a row already stored is kept as it is).

    `left_out`: optional columns no row fills (None in each; see `rows_to_write`). SQLite takes a
    column not named as not given, the same as a bound None (none of them has a default), which
    costs Python's sqlite3 an adapter lookup per cell (a third of the writing of a national file
    of figures without counts)."""
    if how not in ("merge", "insert", "insert_new"):
        raise ValueError(f"no way to write called {how!r}")
    keys, value, count = _TABLES[table]
    if not set(left_out) <= OPTIONAL_COLUMNS.intersection(table_columns(table)):
        raise ValueError(f"only optional columns of {table} can be left out, not {left_out}")
    columns = [c for c in table_columns(table) if c not in left_out]
    insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    if how == "insert":
        return insert
    if how == "insert_new":
        return f"{insert} ON CONFLICT DO NOTHING"
    return f"""{insert}
    ON CONFLICT ({", ".join(keys)}) DO UPDATE SET
        {value} = excluded.{value},
        population = coalesce(excluded.population, population),
        {count} = CASE
            WHEN excluded.{count} IS NOT NULL THEN excluded.{count}
            WHEN {count} IS NOT NULL AND coalesce(excluded.population, population) > 0
                 AND abs(100.0 * {count} / coalesce(excluded.population, population) - excluded.{value})
                     <= {AGREEMENT} THEN {count}
        END,
        source_id = coalesce(excluded.source_id, source_id)
    WHERE {value} IS NOT excluded.{value}
       OR (excluded.{count} IS NOT NULL AND {count} IS NOT excluded.{count})
       OR (excluded.population IS NOT NULL AND population IS NOT excluded.population)
       OR (excluded.source_id IS NOT NULL AND source_id IS NOT excluded.source_id)
"""


def rows_to_write(table: str, columns: Sequence[Sequence[Any]]) -> tuple[Iterator[tuple[Any, ...]], tuple[str, ...]]:
    """The rows of `columns` (a batch of `table`'s rows as columns, in `table_columns` order) without
    the optional columns that no row fills, and the names of those: the `left_out` of the statement
    that writes them."""
    left_out = tuple(
        name
        for name, column in zip(table_columns(table), columns, strict=True)
        if name in OPTIONAL_COLUMNS and column.count(None) == len(column)
    )
    kept = [column for name, column in zip(table_columns(table), columns, strict=True) if name not in left_out]
    return zip(*kept, strict=True), left_out


FIGURE_UPSERT = write_statement("poverty")
# the same rule for the other measures' village figures and for area figures of every measure
VILLAGE_UPSERT = write_statement("figures")
AREA_UPSERT = write_statement("area_figures")


def rate_from(rate: float | None, poor: int | None, population: int | None) -> float:
    """The rate of a figure: as given, or poor/population*100; both given must agree (one rule for all)."""
    if population is not None and population <= 0:
        raise InvalidValue(_("the population must be more than 0"))
    if poor is not None and population is not None and poor > population:
        raise InvalidValue(
            _("{poor} poor is more than the population of {population}").format(poor=poor, population=population)
        )
    computed = poor / population * 100 if poor is not None and population is not None else None
    if rate is None:
        if computed is None:
            raise InvalidValue(_("give the rate, or the number of poor and the population"))
        return round(computed, 2)
    if not 0 <= rate <= 100:
        raise InvalidValue(_("a rate must be between 0 and 100 (percent), not {rate}").format(rate=rate))
    if computed is not None and abs(computed - rate) > AGREEMENT:
        raise InvalidValue(
            _("the rate {rate} does not agree with {poor} poor of {population} ({computed:.2f} %)").format(
                rate=rate, poor=poor, population=population, computed=computed
            )
        )
    return round(rate, 2)


def rates_from(
    rates: Sequence[float | None], poor: Sequence[int | None], populations: Sequence[int | None]
) -> list[float] | None:
    """`rate_from` of every figure of three columns at once, for a batch whose figures all give a
    rate, a count of poor and a population, all accepted (as a national file's are); None for any
    other batch, which is then asked of `rate_from` figure by figure (naming what is wrong).

    The same tests and arithmetic as `rate_from`, a column at a time with builtins: a national
    import checks 840,000 figures."""
    if None in rates or None in poor or None in populations:
        return None
    given = cast(Sequence[float], rates)
    counts, people = cast(Sequence[int], poor), cast(Sequence[int], populations)
    if not all(map(lt, repeat(0), people)) or not all(map(le, counts, people)):
        return None
    if not all(map(le, repeat(0), given)) or not all(map(ge, repeat(100), given)):  # NaN fails both
        return None
    computed = map(mul, map(truediv, counts, people), repeat(100))
    if any(map(lt, repeat(AGREEMENT), map(abs, map(sub, computed, given)))):
        return None
    return list(map(round, given, repeat(2)))


def source_id(conn: sqlite3.Connection, text: str | None) -> int | None:
    """Id of a source text in the shared `sources` table (added when new)."""
    text = (text or "").strip()
    if not text:
        return None
    conn.execute("INSERT OR IGNORE INTO sources (text) VALUES (?)", (text,))
    found: int = conn.execute("SELECT id FROM sources WHERE text = ?", (text,)).fetchone()[0]
    return found


class SourceIds:
    """The ids `source_id` gives, decided without writing: a text not stored yet takes the next id,
    as SQLite would give it, and is added by `add_sources` before the rows naming it. A file's reader
    in a second process then hands over rows ready to store."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.ids: dict[str, int] = {row[0]: row[1] for row in conn.execute("SELECT text, id FROM sources")}
        self.next = max(self.ids.values(), default=0) + 1
        self.added: list[tuple[int, str]] = []

    def of(self, text: str | None) -> int | None:
        """The id of `text` (None for no text)."""
        text = (text or "").strip()
        if not text:
            return None
        found = self.ids.get(text)
        if found is None:
            found = self.ids[text] = self.next
            self.next += 1
            self.added.append((found, text))
        return found

    def taken(self) -> list[tuple[int, str]]:
        """The (id, text) of the texts met since the last call that are not stored yet."""
        added, self.added = self.added, []
        return added


def add_sources(conn: sqlite3.Connection, added: list[tuple[int, str]]) -> None:
    """Store the source texts `SourceIds` gave ids to."""
    conn.executemany("INSERT INTO sources (id, text) VALUES (?, ?)", added)


@dataclass(frozen=True)
class FigureTable:
    """Where a measure's village figures are stored, for joins that must use the table's key: the
    `all_figures` view is a UNION ALL, which SQLite materialises whole when it is the right side of
    a join (the national poverty table, copied for every report)."""

    name: str  # poverty or figures
    value: str  # its value column: rate or value
    count: str  # its count column: poor or count
    measure_id: int

    def on(self, alias: str) -> str:
        """The join condition that picks the measure (empty for the poverty table), ending in AND."""
        return "" if self.name == "poverty" else f"{alias}.measure_id = {int(self.measure_id)} AND "


def figure_table(measure: Measure) -> FigureTable:
    """The table holding `measure`'s village figures (see db._measures)."""
    if measure.key == POVERTY:
        return FigureTable("poverty", "rate", "poor", measure.id)
    return FigureTable("figures", "value", "count", measure.id)


FIGURE_KEYS = ("measure", "year", "value", "count", "population", "source")


def value_from(
    measure: Measure,
    value: float | None,
    count: int | None,
    population: int | None,
    stored: tuple[int | None, int | None] = (None, None),
) -> float:
    """The figure a row means, checked: in the measure's range, and for a percentage measure in
    agreement with its count and population, given or already `stored` (count, population), since
    the row is merged with what is stored."""
    # a given figure (or count beside it) is checked against the stored population it will sit beside;
    # a count alone still needs its population given, as `poverty set --poor N --population N` says
    population_now = population if population is not None else stored[1] if value is not None else None
    if measure.is_percent:
        result = rate_from(value, count, population_now)
    elif value is None:
        raise InvalidValue(_("give the value of the figure"))
    else:
        result = value
    if not measure.in_range(result):
        raise InvalidValue(
            _("{value:g} is outside the range of {measure} ({range})").format(
                value=result, measure=measure.key, range=measure.range_text()
            )
        )
    return round(result, 4 if not measure.is_percent else 2)


def _stored(conn: sqlite3.Connection, measure: Measure, place: Place, year: int) -> dict[str, Any] | None:
    if place.is_region:
        sql = (
            "SELECT f.year, f.value, f.count, f.population, s.text FROM area_figures f "
            "LEFT JOIN sources s ON s.id = f.source_id WHERE f.measure_id = ? AND f.region_code = ? AND f.year = ?"
        )
    else:
        sql = (
            "SELECT f.year, f.value, f.count, f.population, s.text FROM all_figures f "
            "LEFT JOIN sources s ON s.id = f.source_id WHERE f.measure_id = ? AND f.village_code = ? AND f.year = ?"
        )
    row = conn.execute(sql, (measure.id, place.code, year)).fetchone()
    if row is None:
        return None
    return _figure_dict(measure, (measure.key, *row))


def _figure_dict(measure: Measure, row: tuple[Any, ...]) -> dict[str, Any]:
    figure = dict(zip(FIGURE_KEYS, row, strict=True))
    if measure.is_percent:
        figure["rate"] = figure["value"]
    if measure.has_classes:
        figure["class"] = idm_class(figure["value"])
    return figure


def set_figure(
    conn: sqlite3.Connection,
    place_text: str,
    year: int,
    *,
    measure: str | None = None,
    value: float | None = None,
    count: int | None = None,
    population: int | None = None,
    source: str | None = None,
) -> tuple[Place, dict[str, Any]]:
    """Record (or replace) the figure of a measure for a village or region and a year."""
    with transaction(conn):
        found = find_measure(conn, measure)
        place = find_place(conn, place_text)
        old = _stored(conn, found, place, year)
        stored = (old["count"], old["population"]) if old else (None, None)
        figure = value_from(found, value, count, population, stored)
        sid = source_id(conn, source)
        if place.is_region:
            conn.execute(AREA_UPSERT, (found.id, place.code, year, figure, count, population, sid))
        elif found.key == POVERTY:
            conn.execute(FIGURE_UPSERT, (place.code, year, figure, count, population, sid))
        else:
            conn.execute(VILLAGE_UPSERT, (found.id, place.code, year, figure, count, population, sid))
        new = _stored(conn, found, place, year)
        assert new is not None
        if new != old:
            table = "area_figures" if place.is_region else "poverty" if found.key == POVERTY else "figures"
            changelog.record(conn, table, f"{found.key} {place.code} {year}", old, new)
        return place, new


def show_figures(
    conn: sqlite3.Connection, place_text: str, measure: str | None = None
) -> tuple[Place, list[dict[str, Any]]]:
    """Every figure of a village or region by measure and year (only `measure`'s when given)."""
    place = find_place(conn, place_text)
    wanted = find_measure(conn, measure) if measure else None
    table, column = ("area_figures", "region_code") if place.is_region else ("all_figures", "village_code")
    rows = conn.execute(
        f"""SELECT m.id, f.year, f.value, f.count, f.population, s.text FROM {table} f
            JOIN measures m ON m.id = f.measure_id LEFT JOIN sources s ON s.id = f.source_id
            WHERE f.{column} = ? AND (? IS NULL OR f.measure_id = ?) ORDER BY m.id, f.year""",
        (place.code, wanted.id if wanted else None, wanted.id if wanted else None),
    ).fetchall()
    measures = {m.id: m for m in _all_measures(conn)}
    return place, [_figure_dict(measures[r[0]], (measures[r[0]].key, *r[1:])) for r in rows]


def _all_measures(conn: sqlite3.Connection) -> list[Measure]:
    from opd_desa.services.measures import list_measures

    return list_measures(conn)


def set_poverty(
    conn: sqlite3.Connection,
    village: str,
    year: int,
    *,
    rate: float | None = None,
    poor: int | None = None,
    population: int | None = None,
    source: str | None = None,
) -> tuple[Place, dict[str, Any]]:
    """Record (or replace) a village's (or region's) poverty figure for a year."""
    place, figure = set_figure(
        conn, village, year, measure=POVERTY, value=rate, count=poor, population=population, source=source
    )
    return place, _poverty_row(figure)


def _poverty_row(figure: dict[str, Any]) -> dict[str, Any]:
    return {
        "year": figure["year"],
        "rate": figure["value"],
        "poor": figure["count"],
        "population": figure["population"],
        "source": figure["source"],
    }


def show_poverty(conn: sqlite3.Connection, village: str) -> tuple[Place, list[dict[str, Any]]]:
    """Every poverty figure of a village (or region), by year."""
    place, rows = show_figures(conn, village, POVERTY)
    return place, [_poverty_row(r) for r in rows]


def years_with_data(conn: sqlite3.Connection, measure: Measure | None = None) -> list[int]:
    """The years for which any village has a figure of the measure (poverty by default)."""
    if measure is None or measure.key == POVERTY:
        return [r[0] for r in conn.execute("SELECT DISTINCT year FROM poverty ORDER BY year")]
    return [
        r[0]
        for r in conn.execute("SELECT DISTINCT year FROM figures WHERE measure_id = ? ORDER BY year", (measure.id,))
    ]


def latest_year(conn: sqlite3.Connection, measure: Measure | None = None) -> int | None:
    """The latest year with any village figure of the measure (None for none)."""
    if measure is None or measure.key == POVERTY:
        year: int | None = conn.execute("SELECT max(year) FROM poverty").fetchone()[0]
    else:
        year = conn.execute("SELECT max(year) FROM figures WHERE measure_id = ?", (measure.id,)).fetchone()[0]
    return year
