"""A report's rows kept as columns read, and are written, exactly as the rows they are."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from opd_desa.columnar import ColumnRows
from opd_desa.output.columns import Column
from opd_desa.output.formats import to_json, write_csv_rows
from opd_desa.services.rates import Tally

COLUMNS = [
    Column("code", "Code"),
    Column("name", "Village"),
    Column("rate", "Rate %", "rate"),
    Column("change", "Change", "change"),
    Column("above_target", "Above target", "bool"),
    Column("population", "Population", "int"),
    Column("value", "IDM", "score"),
]

# what a stored name or figure may hold: control characters, formula starts, spaces, -0.0, long
# decimals, infinities and NaN, a bool where a number belongs
texts = st.one_of(st.none(), st.text(max_size=6), st.sampled_from(["=1+1", "-2", "@x", "'=", " a", "Tulakan"]))
numbers = st.one_of(
    st.none(),
    st.integers(-(10**17), 10**17),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([6.62, -0.0, 0.7072, 6.625, 1e-05, 1e16, True]),
)
rows = st.lists(
    st.fixed_dictionaries(
        {"code": texts, "name": texts, "rate": numbers, "change": numbers, "population": numbers, "value": numbers},
        optional={"above_target": st.one_of(st.none(), st.booleans())},
    ),
    max_size=5,
)


def _csv(table: Any) -> str:
    out = io.StringIO()
    write_csv_rows(out, table, COLUMNS)
    return out.getvalue()


def _as_columns(dicts: list[dict[str, Any]]) -> ColumnRows:
    keys = dict.fromkeys(key for row in dicts for key in row)
    return ColumnRows({key: [row.get(key) for row in dicts] for key in keys})


def test_column_rows_are_the_list_of_their_rows() -> None:
    table = ColumnRows({"code": ["33.20.16.2005", "33.20.16.2002"], "rate": [10.0, None]})
    expected = [{"code": "33.20.16.2005", "rate": 10.0}, {"code": "33.20.16.2002", "rate": None}]
    assert table == expected and list(table) == expected and len(table) == 2 and table[1]["rate"] is None
    assert table.taken([1, 0]) == expected[::-1] and table.column("name") == [None, None]
    assert json.loads(to_json({"rows": table})) == {"rows": expected}
    assert ColumnRows({"code": []}) == []


def test_plain_columns_give_the_same_csv_as_the_rules_cell_by_cell() -> None:
    plain = [{"code": "33.20.16.2005", "name": "Tulakan", "rate": 10.0, "change": -2.0, "population": 1000}]
    hostile = [*plain, {"code": "=HYPERLINK()", "name": "\x1b[2J", "rate": 6.625, "above_target": True}]
    assert _csv(plain) == (
        "code,name,rate,change,above_target,population,value\n33.20.16.2005,Tulakan,10.0,-2.0,,1000,\n"
    )
    assert _csv(hostile).splitlines()[2] == "'=HYPERLINK(),\u241b[2J,6.62,,true,,"


@settings(max_examples=300, deadline=None)
@given(rows)
def test_csv_of_columns_is_the_csv_of_rows(dicts: list[dict[str, Any]]) -> None:
    with_each_value_alone = [_csv([row]) for row in dicts]
    assert _csv(_as_columns(dicts)) == _csv(dicts)
    assert [line for text in with_each_value_alone for line in text.splitlines(keepends=True)[1:]] == (
        _csv(dicts).splitlines(keepends=True)[1:]
    )


villages = st.lists(
    st.tuples(
        st.one_of(st.none(), st.floats(0, 100), st.sampled_from([7.12, 7.13, 0.0, -0.0])),
        st.one_of(st.none(), st.integers(0, 10**6)),
        st.one_of(st.none(), st.booleans()),
        st.booleans(),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(villages, st.booleans())
def test_a_column_of_villages_adds_up_as_one_village_at_a_time(found: list[Any], weighted: bool) -> None:
    one_by_one, at_once = Tally(), Tally()
    for rate, population, above, paired in found:
        one_by_one.add(rate, population, above, paired, weighted=weighted)
    rates, populations, above, paired = (list(column) for column in zip(*found, strict=True)) if found else ([],) * 4
    at_once.add_all(rates, populations, above, paired, weighted=weighted)
    assert {slot: getattr(at_once, slot) for slot in Tally.__slots__} == {
        slot: getattr(one_by_one, slot) for slot in Tally.__slots__
    }
    assert (at_once.weighted_rate, at_once.mean_rate) == (one_by_one.weighted_rate, one_by_one.mean_rate)
