"""Which village each feature of a boundary file is: by a code field found by itself, else by names.

A code field is BIG's `KDEPUM`, `KODE_DESA`, `kd_desa` (any case), or any field whose values are
Kemendagri village codes (`3320162005` or `33.20.16.2005`). Without one, the village name
(`WADMKD`, else `NAMOBJ`, `DESA`, `NAMA_DESA`) and the kecamatan name (`WADMKC`, `KECAMATAN`)
are compared with the CLI's forgiving rules (case, spaces, hyphens, a leading `Desa`/`Kec.`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _
from opd_desa.names import kecamatan_key, normalise, shown, village_code, village_key

CODE_FIELDS = ("KDEPUM", "KODE_DESA", "KD_DESA", "KODE_KEMENDAGRI", "KDEPUM_DESA", "IDDESA")
VILLAGE_FIELDS = ("WADMKD", "NAMOBJ", "DESA", "NAMA_DESA", "NAMADESA", "DESA_KELURAHAN")
KECAMATAN_FIELDS = ("WADMKC", "KECAMATAN", "NAMA_KEC", "NAMA_KECAMATAN", "KEC")
SAMPLE = 50  # features looked at to find the code field


@dataclass(frozen=True, slots=True)
class VillageRecord:
    """A village of the database, as matching needs it."""

    code: str
    name: str
    name_key: str
    kecamatan: str
    kecamatan_key: str
    kabupaten_code: str


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A feature in a kecamatan of the database that names no village of it."""

    number: int
    names: str  # `KDEPUM=33.20.01.2999, WADMKD=Fiktif, WADMKC=Kedung`
    reason: str


@dataclass
class Matching:
    """Outcome of matching all features of a file."""

    code_field: str | None
    matched: dict[str, list[int]] = field(default_factory=dict)  # village code -> feature numbers
    skipped: int = 0
    unmatched: list[Unmatched] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # village codes without a feature


class Matcher:
    """Matches features one at a time (a file is streamed), remembering the outcome."""

    def __init__(self, villages: Iterable[VillageRecord], code_field: str | None) -> None:
        self.villages = {v.code: v for v in villages}
        self.by_names: dict[tuple[str, str], list[str]] = {}
        for v in self.villages.values():
            self.by_names.setdefault((v.kecamatan_key, v.name_key), []).append(v.code)
        self.kecamatan_codes = {code[:8] for code in self.villages}
        self.kecamatan_keys = {v.kecamatan_key for v in self.villages.values()}
        self.result = Matching(code_field)

    def match(self, number: int, properties: Mapping[str, Any]) -> str | None:
        """The village code of this feature, or None (skipped or unmatched, counted as such)."""
        code_field = self.result.code_field
        code = village_code(_text(properties.get(code_field))) if code_field else None
        if code is not None:
            if code in self.villages:
                return self._found(code, number)
            if code[:8] in self.kecamatan_codes:
                return self._unmatched(number, properties, _("no village of the database has this code"))
            self.result.skipped += 1
            return None
        village = _first(properties, VILLAGE_FIELDS)
        kecamatan = _first(properties, KECAMATAN_FIELDS)
        if not village or not kecamatan:
            return self._unmatched(number, properties, _("it has no village code, or no village and kecamatan names"))
        kec_key = kecamatan_key(kecamatan)
        if kec_key not in self.kecamatan_keys:
            self.result.skipped += 1
            return None
        codes = self.by_names.get((kec_key, village_key(village)), [])
        if len(codes) == 1:
            return self._found(codes[0], number)
        if codes:
            return self._unmatched(
                number, properties, _("{n} villages of this kecamatan have this name").format(n=len(codes))
            )
        return self._unmatched(number, properties, _("no village of this name in the kecamatan"))

    def finish(self) -> Matching:
        """The outcome, with the villages still without a boundary."""
        self.result.missing = sorted(code for code in self.villages if code not in self.result.matched)
        return self.result

    def _found(self, code: str, number: int) -> str:
        self.result.matched.setdefault(code, []).append(number)
        return code

    def _unmatched(self, number: int, properties: Mapping[str, Any], reason: str) -> str | None:
        self.result.unmatched.append(Unmatched(number, describe(properties), reason))
        return None


def find_code_field(
    sample: Sequence[Mapping[str, Any]], villages: Mapping[str, VillageRecord] | None = None
) -> str | None:
    """The field holding village codes: a known name whose values are codes, else any field whose
    values are mostly codes (of villages in the database, when `villages` is given)."""
    if not sample:
        return None
    names = list(sample[0].keys())
    known = {normalise(n).upper(): i for i, n in enumerate(CODE_FIELDS)}
    ordered = sorted(names, key=lambda n: known.get(normalise(n).upper(), len(known)))
    for name in ordered:
        values = [_text(p.get(name)) for p in sample]
        values = [v for v in values if v]
        if not values:
            continue
        codes = [village_code(v) for v in values]
        valid = [c for c in codes if c is not None]
        if len(valid) * 2 <= len(values):
            continue
        if normalise(name).upper() in known:
            return name
        if villages is None or any(c in villages for c in valid):
            return name
    return None


def check_code_field(name: str, sample: Sequence[Mapping[str, Any]]) -> str:
    """The field a person named with `--code-field`, as the file spells it; refused when absent."""
    fields = list(sample[0].keys()) if sample else []
    for candidate in fields:
        if normalise(candidate) == normalise(name):
            return candidate
    raise InvalidValue(
        _("the file has no field '{name}'; its fields: {fields}").format(
            name=shown(name), fields=", ".join(fields) or "-"
        )
    )


def check_name_fields(sample: Sequence[Mapping[str, Any]]) -> None:
    """Without a code field, matching needs village and kecamatan names; refuse a file lacking them."""
    fields = {normalise(k).upper() for p in sample for k in p}
    has_village = any(normalise(n).upper() in fields for n in VILLAGE_FIELDS)
    has_kecamatan = any(normalise(n).upper() in fields for n in KECAMATAN_FIELDS)
    if not (has_village and has_kecamatan):
        raise InvalidValue(
            _(
                "the file has no field of village codes and no village and kecamatan names "
                "(e.g. KDEPUM, or WADMKD with WADMKC); its fields: {fields}. Name the code field with --code-field"
            ).format(fields=", ".join(list(sample[0])[:20]) if sample else "-")
        )


def describe(properties: Mapping[str, Any]) -> str:
    """The identifying fields of a feature, for messages: `KDEPUM=..., WADMKD=..., WADMKC=...`."""
    wanted = {normalise(n).upper() for n in (*CODE_FIELDS, *VILLAGE_FIELDS, *KECAMATAN_FIELDS)}
    parts = [
        f"{k}={shown(str(v))}" for k, v in properties.items() if normalise(k).upper() in wanted and v not in (None, "")
    ]
    return ", ".join(parts[:4]) or "-"


def _text(value: Any) -> str:
    """A cell as text; a code stored in a numeric .dbf field reads back as 3320162005.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _first(properties: Mapping[str, Any], candidates: Sequence[str]) -> str | None:
    upper = {normalise(k).upper(): v for k, v in properties.items()}
    for name in candidates:
        value = upper.get(normalise(name).upper())
        if value not in (None, "") and str(value).strip():
            return str(value).strip()
    return None
