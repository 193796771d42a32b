"""Names people type resolve to exactly one village or agency, or a helpful refusal."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from opd_desa.db import open_database, transaction
from opd_desa.errors import Ambiguous, NotFound
from opd_desa.imports.forked import can_fork, in_second_process
from opd_desa.resolve import Resolver, near_query


def _answer(find: Callable[[str], Any], typed: str) -> str:
    """The code of the village `find(typed)` gives (a VillageRef's, or a code itself), or its refusal."""
    try:
        found = find(typed)
    except (NotFound, Ambiguous) as e:
        return str(e)
    return found if isinstance(found, str) else str(found.code)


@pytest.mark.parametrize(
    "typed",
    [
        "Tulakan",
        "Desa Tulakan",
        "TULAKAN",
        " tulakan ",
        "33.20.16.2005",
        "3320162005",
        "Tulakan/Donorojo",
        "tulakan / kec. donorojo",
    ],
)
def test_village_forms(conn: sqlite3.Connection, typed: str) -> None:
    assert Resolver(conn).village(typed).code == "33.20.16.2005"


def test_unknown_village_gets_suggestions(conn: sqlite3.Connection) -> None:
    with pytest.raises(NotFound) as e:
        Resolver(conn).village("Tulakn")
    assert "did you mean" in str(e.value) and "Tulakan" in str(e.value) and "33.20.16.2005" in str(e.value)


def test_a_code_outside_the_loaded_regions_says_how_to_load_it(conn: sqlite3.Connection) -> None:
    with pytest.raises(NotFound, match=r"init --region 33\.16"):
        Resolver(conn).village("33.16.08.2016")


def test_geneng_in_jepara_and_blora_lists_both(make_db: Callable[[str], Path]) -> None:
    conn = open_database(make_db("jepara_blora"))
    with pytest.raises(Ambiguous) as e:
        Resolver(conn).village("Geneng")
    message = str(e.value)
    assert "Batealit" in message and "33.20.05.2001" in message
    assert "Jepon" in message and "33.16.08.2016" in message
    assert "NAME/KECAMATAN" in message
    assert Resolver(conn).village("Geneng/Batealit").code == "33.20.05.2001"


def test_same_name_in_one_kecamatan_asks_for_the_code(conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO villages (code, name, name_key, kecamatan_code, kind) "
        "VALUES ('33.20.16.1099', 'Tulakan', 'tulakan', '33.20.16', 'kelurahan')"
    )
    with pytest.raises(Ambiguous) as e:
        Resolver(conn).village("Tulakan/Donorojo")
    assert "same kecamatan" in str(e.value) and "code" in str(e.value)


@pytest.mark.parametrize("typed", ["Dinkes", "Dinas Kesehatan", "DINKES", "dinas-kesehatan"])
def test_agency_forms(conn: sqlite3.Connection, typed: str) -> None:
    assert Resolver(conn).agency(typed).code == "DINKES"


def test_dppupr_is_an_alias_of_dpupr(conn: sqlite3.Connection) -> None:
    assert Resolver(conn).agency("DPPUPR").code == "DPUPR"


def test_unknown_agency_gets_suggestions(conn: sqlite3.Connection) -> None:
    with pytest.raises(NotFound) as e:
        Resolver(conn).agency("Bapeddaa")
    assert "BAPPEDA" in str(e.value)


def _misspelt(name: str) -> list[str]:
    """How a name gets mistyped: a letter left out, two letters swapped, a letter too many, cut short."""
    middle = len(name) // 2
    return [
        name[:middle] + name[middle + 1 :],
        name[: middle - 1] + name[middle] + name[middle - 1] + name[middle + 1 :],
        name[:middle] + "a" + name[middle:],
        name[: max(3, middle)],
    ]


def test_a_command_suggests_what_an_import_suggests(conn: sqlite3.Connection) -> None:
    """One typed name is looked up in the database (which leaves out the names that cannot be alike),
    an import's names in memory: "did you mean" must list the same villages either way."""
    names = [name for (name,) in conn.execute("SELECT name FROM villages ORDER BY code")]
    bulk = Resolver(conn, bulk=True)
    suggested = 0
    for typed in (typo for name in names for typo in _misspelt(name)):
        said = _answer(Resolver(conn).village, typed)
        assert said == _answer(bulk.village, typed), typed
        suggested += "did you mean" in said
    assert suggested > len(names)  # most misspellings do get suggestions


def _names_read_elsewhere(resolver: Resolver, typed: list[str]) -> Iterator[list[str]]:
    """What `code_of` answers for each of `typed`, or its refusal (run in a forked process)."""
    yield [_answer(resolver.code_of, text) for text in typed]


@pytest.mark.skipif(not can_fork(), reason="needs fork")
def test_an_import_reader_in_a_forked_process_resolves_names_during_the_write(conn: sqlite3.Connection) -> None:
    """A bulk resolver made before the fork reads its index of names in the forked reader, through a
    connection of its own, while the importing process holds its write transaction open."""
    typed = ["33.20.16.2005", "3320162005", "Tulakan", "Tulakan/Donorojo", "Tulakn", "33.20.16.9999"]
    here = Resolver(conn)
    expected = [_answer(here.village, text) for text in typed]
    with transaction(conn):
        conn.execute("INSERT INTO sources (text) VALUES ('written while the reader reads')")
        answers = list(in_second_process(partial(_names_read_elsewhere, Resolver(conn, bulk=True), typed)))
    assert answers == [expected]
    assert "did you mean" in expected[4] and "init --region 33.20" in expected[5]


def test_a_bulk_resolver_in_memory_reads_its_index_at_once() -> None:
    """A database no other process can open (in memory) is read whole before any fork."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(
        "CREATE TABLE regions (code TEXT, name TEXT);"
        "CREATE TABLE villages (code TEXT, name TEXT, name_key TEXT, kecamatan_code TEXT, kind TEXT);"
        "INSERT INTO regions VALUES ('33.20.16', 'Donorojo');"
        "INSERT INTO villages VALUES ('33.20.16.2005', 'Tulakan', 'tulakan', '33.20.16', 'desa');"
    )
    resolver = Resolver(conn, bulk=True)
    conn.close()  # nothing more is read from the database
    assert resolver.code_of("Tulakan") == "33.20.16.2005"
    assert resolver.village("3320162005").name == "Tulakan"


@pytest.mark.skipif(not can_fork(), reason="needs fork")
def test_a_forked_reader_refuses_villages_it_cannot_see(conn: sqlite3.Connection) -> None:
    """Villages added in a transaction not yet committed are not in what the forked reader's own
    connection reads: it says so rather than answer from another set of villages."""
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO villages (code, name, name_key, kecamatan_code, kind) "
        "SELECT '33.20.16.2999', 'Desa Baru', 'baru', kecamatan_code, kind FROM villages LIMIT 1"
    )
    resolver = Resolver(conn, bulk=True)
    with pytest.raises(RuntimeError, match="uncommitted"):
        list(in_second_process(partial(_names_read_elsewhere, resolver, ["Baru"])))
    conn.execute("ROLLBACK")


def test_a_province_loaded_whole_keeps_its_index_of_name_letters_and_suggests_as_in_memory(tmp_path: Path) -> None:
    """Loading a province drops the index of name letters while its villages go in and builds it
    again; "did you mean" over the database (which reads that index) suggests what the in-memory
    index suggests, also for names with letters outside a-z."""
    from opd_desa.services.check import schema_is_whole
    from opd_desa.services.setup import init_database

    conn, _result = init_database(tmp_path / "province.db", ["33"])
    assert schema_is_whole(conn)
    sql, params = near_query("tulakn")
    plan = " ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "COVERING INDEX villages_name_letters" in plan
    # the letters are read from the index, not searched for in each name: no instr() is called
    program = conn.execute(f"EXPLAIN {sql}", params).fetchall()
    assert not [op for op in program if "instr" in str(op[5])]
    assert [op for op in conn.execute(f"EXPLAIN {near_query('ka1')[0]}", near_query("ka1")[1]) if "instr" in str(op[5])]
    bulk = Resolver(conn, bulk=True)
    names = [name for (name,) in conn.execute("SELECT name FROM villages ORDER BY code LIMIT 400")]
    for typed in [*(name[:-1] for name in names), "Tulakn", "Sowan Kidu1", "Ka'rangrejo"]:
        assert _answer(Resolver(conn).village, typed) == _answer(bulk.village, typed), typed
    conn.close()
