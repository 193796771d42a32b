"""Names people type -> village and agency rows, with candidates and "did you mean" suggestions.

A `Resolver` remembers what it has looked up, so an import naming the same village on 10 rows
(or 840,000) asks the database once per distinct name.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from opd_desa.errors import Ambiguous, NotFound, UserError
from opd_desa.i18n import _
from opd_desa.migrations import NAME_LETTERS
from opd_desa.names import (
    LOWEST_ALIKE,
    closest,
    kecamatan_key,
    letter_counts,
    normalise,
    shown,
    village_code,
    village_key,
)

MAX_SUGGESTIONS = 3


@dataclass(frozen=True, slots=True)
class VillageRef:
    """A village as commands name it: `Tulakan (33.20.16.2005)`."""

    code: str
    name: str
    kecamatan: str
    kecamatan_code: str
    kind: str

    def label(self) -> str:
        return f"{self.name} ({self.code})"

    def listing(self) -> str:
        return f"{self.name} ({_('kecamatan')} {self.kecamatan}, {self.code})"


@dataclass(frozen=True, slots=True)
class AgencyRef:
    """An agency as commands name it: `BAPPEDA (Badan Perencanaan Pembangunan Daerah)`."""

    id: int
    code: str
    name: str

    def label(self) -> str:
        return f"{self.code} ({self.name})"


# a VillageRef's fields, in order, and where they come from
_VILLAGE_FIELDS = "v.code, v.name, r.name AS kecamatan, v.kecamatan_code, v.kind"
_VILLAGE_FROM = "FROM villages v JOIN regions r ON r.code = v.kecamatan_code"
_VILLAGE_SQL = f"SELECT {_VILLAGE_FIELDS} {_VILLAGE_FROM}"
_KEYED_VILLAGE_SQL = f"SELECT v.name_key, {_VILLAGE_FIELDS} {_VILLAGE_FROM}"  # name key first, then a VillageRef


class Resolver:
    """Resolves village and agency names against one database, caching answers and refusals (a
    village found by `code_of` is not kept: its caller, an import's reader, keeps its own answers)."""

    def __init__(self, conn: sqlite3.Connection, *, bulk: bool = False) -> None:
        """`bulk`: an import will name many villages; read them into memory instead of asking the
        database once per village of a national file. Their codes are read at once (`code_of`
        answers a code from them); the index of names the first time a name is looked up."""
        self.conn = conn
        self._codes: frozenset[str] | None = None
        self._by_code: dict[str, VillageRef] | None = None
        self._by_key: dict[str, list[VillageRef]] | None = None
        self._home = os.getpid()
        self._file: str | None = None  # a file a forked process may open to read the index of names
        if bulk:
            # the villages the index holds (with their kecamatan), so a code answers as the index would
            self._codes = frozenset(code for (code,) in conn.execute(f"SELECT v.code {_VILLAGE_FROM}"))
            self._file = _readable_elsewhere(conn)
            if self._file is None:  # a forked process could not read it: the index is read now
                self._index()
        self._villages: dict[tuple[str, str | None], VillageRef | UserError] = {}
        self._agencies: dict[str, AgencyRef | UserError] = {}

    def _index(self) -> tuple[dict[str, VillageRef], dict[str, list[VillageRef]]]:
        """The bulk index of villages by code and by name key, read on first use.

        In a process forked from the one that made this resolver (an import's reader), the index is
        read through a connection of its own: SQLite's connections must not cross a fork. That one
        reads what is committed, which is what this resolver's connection sees while, as in an
        import, it holds a write transaction that has changed no village (`imports.service` reads a
        file in one process when the caller's transaction may have). That transaction is also what
        keeps the read sound: the forked process inherits this one's record of SQLite's file locks
        but not the locks, so its read lock holds nothing off; while the write lock is held, no one
        can commit, and no checkpoint can reset the WAL under it. As a last check, the codes read
        through both connections must be the same."""
        if self._by_code is None or self._by_key is None:
            if os.getpid() == self._home or self._file is None:
                self._by_code, self._by_key = _village_index(self.conn)
            else:
                reading = sqlite3.connect(self._file, uri=True)
                try:
                    by_code, by_key = _village_index(reading)
                finally:
                    reading.close()
                if by_code.keys() != self._codes:
                    raise RuntimeError("a forked reader cannot see villages changed in an uncommitted transaction")
                self._by_code, self._by_key = by_code, by_key
        return self._by_code, self._by_key

    # villages ---------------------------------------------------------------------------------

    def village(self, text: str, kecamatan: str | None = None) -> VillageRef:
        """The one village meant by a code, a name, or `NAME/KECAMATAN` (or name plus `kecamatan`)."""
        cache_key = (text, kecamatan or None)
        found = self._villages.get(cache_key)
        if found is None:
            try:
                found = self._find_village(text, kecamatan or None)
            except UserError as e:
                found = e
            self._villages[cache_key] = found
        if isinstance(found, UserError):
            raise found
        return found

    def code_of(self, text: str, kecamatan: str | None = None) -> str:
        """The code of `village(text, kecamatan)`, for an import that keeps its own answers (a national
        file's 84,000 villages are not held twice). A code the database holds is answered from the
        bulk list of codes, without the index of names; a refusal is remembered here."""
        if self._codes is not None:
            code = village_code(text)
            if code in self._codes:
                return code
        refused = self._villages.get((text, kecamatan or None))
        if isinstance(refused, UserError):
            raise refused
        try:
            return self._find_village(text, kecamatan or None).code
        except UserError as e:
            self._villages[(text, kecamatan or None)] = e
            raise

    def _rows(self, where: str, params: tuple[object, ...]) -> list[VillageRef]:
        sql = f"{_VILLAGE_SQL} WHERE {where} ORDER BY v.code"
        return [VillageRef(*row) for row in self.conn.execute(sql, params)]

    def _with_code(self, code: str) -> list[VillageRef]:
        if self._codes is not None:
            found = self._index()[0].get(code) if code in self._codes else None
            return [found] if found else []
        return self._rows("v.code = ?", (code,))

    def _with_key(self, key: str) -> list[VillageRef]:
        if self._codes is not None:
            return sorted(self._index()[1].get(key, []), key=lambda r: r.code)
        return self._rows("v.name_key = ?", (key,))

    def _keys_near(self, key: str) -> list[str]:
        """Candidates for suggestions: keys two letters longer or shorter at most, and keys that
        begin with `key` (an index range, so it stays instant with the whole country loaded).

        From the database, the keys of the right length come only when they could be spelled almost
        alike (the bound of `names.letter_counts`, in SQL): the country has 27,000 keys of a common
        length, of which a few hundred pass, and reading the others into Python was most of the time
        of a "did you mean"."""
        low, high = len(key) - 2, len(key) + 2
        if self._codes is not None:
            return [k for k in self._index()[1] if low <= len(k) <= high or k.startswith(key)]
        sql, params = near_query(key)
        return [row[0] for row in self.conn.execute(sql, params)]

    def _has_villages(self) -> bool:
        if self._codes is not None:
            return bool(self._codes)
        return self.conn.execute("SELECT 1 FROM villages LIMIT 1").fetchone() is not None

    def _find_village(self, text: str, kecamatan: str | None) -> VillageRef:
        text = text.strip()
        if not text:
            raise NotFound(_("the village name is empty; give a name or a Kemendagri code"))
        code = village_code(text)
        if code:
            rows = self._with_code(code)
            if not rows:
                raise NotFound(
                    _(
                        "no village with code {code} in the database; load its region with "
                        "`opd-desa init --region {region}`"
                    ).format(code=code, region=code[:5])
                )
            return rows[0]
        name = text
        if kecamatan is None and "/" in text:
            name, kecamatan = (part.strip() for part in text.rsplit("/", 1))
        rows = self._with_key(village_key(name))
        if kecamatan:
            in_kecamatan = [r for r in rows if kecamatan_key(r.kecamatan) == kecamatan_key(kecamatan)]
            if not in_kecamatan and rows:
                raise NotFound(
                    _("no village '{name}' in kecamatan {kecamatan}; villages of that name: {listing}").format(
                        name=shown(name), kecamatan=shown(kecamatan), listing="; ".join(r.listing() for r in rows)
                    )
                )
            rows = in_kecamatan
        if len(rows) == 1:
            return rows[0]
        if not rows:
            raise NotFound(self._unknown_village(name))
        listing = "; ".join(r.listing() for r in rows[:20])
        more = _(" and {n} more").format(n=len(rows) - 20) if len(rows) > 20 else ""
        if kecamatan:
            raise Ambiguous(
                _("'{text}' is {n} villages in the same kecamatan: {listing}. Give the code to choose one").format(
                    text=text, n=len(rows), listing=listing
                )
            )
        raise Ambiguous(
            _("'{text}' is {n} villages: {listing}{more}. Write NAME/KECAMATAN (e.g. {example}) or the code").format(
                text=text,
                n=len(rows),
                listing=listing,
                more=more,
                example=f"{rows[0].name}/{rows[0].kecamatan}",
            )
        )

    def _unknown_village(self, name: str) -> str:
        key = village_key(name)
        close = closest(key, self._keys_near(key), MAX_SUGGESTIONS)
        suggestions: list[VillageRef] = []
        for match in close:
            suggestions += self._with_key(match)
        message = _("no village called '{name}' in the database").format(name=shown(name))
        if suggestions:
            listing = "; ".join(r.listing() for r in suggestions[:MAX_SUGGESTIONS])
            return message + _("; did you mean: {listing}?").format(listing=listing)
        if not self._has_villages():
            return message + _("; no villages are loaded yet: run `opd-desa init --region CODE_OR_NAME`")
        return message + _("; check the spelling, or load its region with `opd-desa init --region ...`")

    # agencies ---------------------------------------------------------------------------------

    def agency(self, text: str) -> AgencyRef:
        """The agency meant by its code, abbreviation, full name or any alias."""
        found = self._agencies.get(text)
        if found is None:
            try:
                found = self._find_agency(text)
            except UserError as e:
                found = e
            self._agencies[text] = found
        if isinstance(found, UserError):
            raise found
        return found

    def agency_named(self, text: str) -> AgencyRef | None:
        """The agency `text` is the code, abbreviation, name or alias of, or None (without looking for
        suggestions: for a name that may be something else, such as a village)."""
        row = self.conn.execute(
            "SELECT a.id, a.code, a.name FROM agency_keys k JOIN agencies a ON a.id = k.agency_id WHERE k.key = ?",
            (normalise(text),),
        ).fetchone()
        return AgencyRef(*row) if row else None

    def _find_agency(self, text: str) -> AgencyRef:
        key = normalise(text)
        if not key:
            raise NotFound(_("the agency name is empty; give its code, abbreviation or name"))
        found = self.agency_named(text)
        if found:
            return found
        keys = dict(self.conn.execute("SELECT key, agency_id FROM agency_keys").fetchall())
        suggestions: list[AgencyRef] = []
        for match in closest(key, keys, 10):
            ref = AgencyRef(
                *self.conn.execute("SELECT id, code, name FROM agencies WHERE id = ?", (keys[match],)).fetchone()
            )
            if ref not in suggestions:
                suggestions.append(ref)
        message = _("no agency called '{name}'").format(name=shown(text))
        if suggestions:
            listing = "; ".join(r.label() for r in suggestions[:MAX_SUGGESTIONS])
            return_message = message + _("; did you mean: {listing}?").format(listing=listing)
        elif not keys:
            return_message = message + _(
                "; no agencies yet: add them with `opd-desa agencies add CODE NAME` or `opd-desa import agencies FILE`"
            )
        else:
            return_message = message + _("; `opd-desa agencies` lists them")
        raise NotFound(return_message)


def near_query(key: str) -> tuple[str, tuple[object, ...]]:
    """The query for `Resolver._keys_near` over the database, and its parameters.

    For each letter of `key`: its count in `key` when the candidate has it at all, else 0 (SQLite runs
    this on every village of the right length: no product where the count is 1). A letter a to z is
    a bit of NAME_LETTERS, read from the index that holds it (the shift a parameter, so that keys with
    the same counts share one statement); any other letter is searched for."""
    low, high = len(key) - 2, len(key) + 2
    terms: list[str] = []
    params: list[object] = [low, high]
    for letter, count in letter_counts(key).items():
        times = f" * {count}" if count > 1 else ""
        if "a" <= letter <= "z":
            terms.append(f"((({NAME_LETTERS}) >> ?) & 1){times}")
            params.append(ord(letter) - ord("a"))
        else:
            terms.append(f"(instr(name_key, ?) > 0){times}")
            params.append(letter)
    sql = (
        "SELECT DISTINCT name_key FROM villages WHERE length(name_key) BETWEEN ? AND ? "
        f"AND 2 * ({' + '.join(terms) or 0}) >= ? * (length(name_key) + ?) "
        "UNION SELECT DISTINCT name_key FROM villages WHERE name_key >= ? AND name_key < ?"
    )
    return sql, (*params, LOWEST_ALIKE, len(key), key, key + "\uffff")


def _village_index(conn: sqlite3.Connection) -> tuple[dict[str, VillageRef], dict[str, list[VillageRef]]]:
    """Every village by code, and by name key (a list: names repeat across the country)."""
    by_code: dict[str, VillageRef] = {}
    by_key: dict[str, list[VillageRef]] = {}
    # a kecamatan's name and code, and a kind, are one string each, not one per village: the national
    # index is kept by both processes of a large import (41 -> 29 MiB)
    shared: dict[str, str] = {}
    for key, code, name, kecamatan, kecamatan_code, kind in conn.execute(_KEYED_VILLAGE_SQL):
        ref = VillageRef(
            code,
            name,
            shared.setdefault(kecamatan, kecamatan),
            shared.setdefault(kecamatan_code, kecamatan_code),
            shared.setdefault(kind, kind),
        )
        by_code[code] = ref
        by_key.setdefault(key, []).append(ref)
    return by_code, by_key


def _readable_elsewhere(conn: sqlite3.Connection) -> str | None:
    """The URI a forked process can read `conn`'s database by while `conn` writes to it: its file,
    read-only, when `conn` is in a transaction (see `Resolver._index`) in WAL mode (else that reader
    could wait on the writer); None otherwise."""
    if not conn.in_transaction:
        return None
    path = next((file for _seq, name, file in conn.execute("PRAGMA database_list") if name == "main"), "")
    if not path or conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        return None
    return Path(path).as_uri() + "?mode=ro"


def find_kecamatan(conn: sqlite3.Connection, text: str) -> tuple[str, str]:
    """(code, name) of the kecamatan meant by a code (`33.20.16`) or name (`Donorojo`)."""
    text = text.strip()
    digits = text.replace(".", "")
    if digits.isdigit() and len(digits) == 6:
        code = f"{digits[:2]}.{digits[2:4]}.{digits[4:]}"
        rows = conn.execute("SELECT code, name FROM regions WHERE level = 3 AND code = ?", (code,)).fetchall()
    else:
        key = kecamatan_key(text)
        rows = [
            (code, name, parent)
            for code, name, parent in conn.execute(
                "SELECT k.code, k.name, p.name FROM regions k LEFT JOIN regions p ON p.code = k.parent_code "
                "WHERE k.level = 3"
            )
            if kecamatan_key(name) == key
        ]
        if len(rows) > 1:
            listing = "; ".join(f"{name} ({parent}, {code})" for code, name, parent in rows)
            raise Ambiguous(
                _("'{text}' is {n} kecamatan: {listing}. Give the kecamatan code").format(
                    text=text, n=len(rows), listing=listing
                )
            )
    if not rows:
        names = {kecamatan_key(n): n for (n,) in conn.execute("SELECT name FROM regions WHERE level = 3")}
        near = [names[k] for k in closest(kecamatan_key(text), names)]
        hint = _("; did you mean: {listing}?").format(listing="; ".join(near)) if near else ""
        raise NotFound(
            _("no kecamatan '{text}' in the database; `opd-desa villages` shows what is loaded").format(
                text=shown(text)
            )
            + hint
        )
    return rows[0][0], rows[0][1]
