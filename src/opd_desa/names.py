"""How names people type are compared: one normalising rule for villages, agencies and regions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_IGNORED = re.compile(r"[\s\-_]+")
_VILLAGE_PREFIX = re.compile(r"^(desa|kelurahan|kel\.|kel)\s+", re.IGNORECASE)
_KECAMATAN_PREFIX = re.compile(r"^(kecamatan|kec\.|kec)\s+", re.IGNORECASE)
_CODE = re.compile(r"^([0-9]{2})\.?([0-9]{2})\.?([0-9]{2})\.?([0-9]{4})$")


SHOWN = 40  # longer values are cut short when a message quotes them


def shown(text: str) -> str:
    """A value as a message quotes it: stripped, and cut short when long (a 2 MB cell stays one line)."""
    text = " ".join(text.split())
    return text if len(text) <= SHOWN else text[: SHOWN - 3] + "..."


def scripts(text: str) -> set[str]:
    """The scripts of the letters in `text` (LATIN, CYRILLIC, GREEK...), from their Unicode names:
    `BАPPEDA` with a Cyrillic А has two, and only looks like the agency people know."""
    return {unicodedata.name(char, "UNKNOWN").split()[0] for char in text if char.isalpha()}


def normalise(text: str) -> str:
    """Compare key of a name: case, surrounding and inner spaces, hyphens and underscores ignored."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text).casefold())


def village_key(text: str) -> str:
    """Key of a village name; a leading `Desa`, `Kelurahan` or `Kel.` is ignored."""
    return normalise(_VILLAGE_PREFIX.sub("", text.strip(), count=1))


def kecamatan_key(text: str) -> str:
    """Key of a kecamatan name; a leading `Kecamatan` or `Kec.` is ignored."""
    return normalise(_KECAMATAN_PREFIX.sub("", text.strip(), count=1))


def village_code(text: str) -> str | None:
    """`33.20.16.2005` or `3320162005` -> `33.20.16.2005`; None when the text is not a village code."""
    match = _CODE.match(text.strip())
    return ".".join(match.groups()) if match else None


def closest(key: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Up to `n` candidate keys a person probably meant: names that begin with what was typed
    (`sowan` -> Sowan Kidul, Sowan Lor), then names spelled almost alike (`tulakn` -> Tulakan)."""
    pool = list(dict.fromkeys(candidates))
    starting = sorted((c for c in pool if len(key) >= 3 and c.startswith(key) and c != key), key=lambda c: (len(c), c))
    alike = most_alike(key, pool, n, ALIKE)
    return list(dict.fromkeys(starting + alike))[:n]


ALIKE = 0.7  # difflib's similarity ratio from which two names count as spelled almost alike
# ALIKE for a bound computed elsewhere (the database's floating point): a hair lower, so that rounding
# never drops a name difflib would keep; `closest` applies the exact bounds and difflib afterwards
LOWEST_ALIKE = ALIKE - 1e-9


def letter_counts(key: str) -> dict[str, int]:
    """Each letter of `key` and how often it occurs there. A candidate that has a letter at all matches
    at most that many of it, so the sum over the letters it has bounds difflib's matched letters M:
    a name with 2 * sum < ALIKE * (its length + len(key)) cannot be spelled almost alike (the database
    leaves those out before `closest` sees them)."""
    return {letter: key.count(letter) for letter in dict.fromkeys(key)}


def most_alike(key: str, pool: list[str], n: int, cutoff: float) -> list[str]:
    """What `difflib.get_close_matches(key, pool, n, cutoff)` answers (the `n` best ratios from `cutoff`
    up, best first, ties to the greater name), scoring few names: they are scored in the order of the
    most their ratio can be (`_bounds`), and scoring stops when that is below the n-th best score found,
    since no name left can enter the list."""
    import difflib
    import heapq

    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(key)  # as get_close_matches does: the typed key is the second sequence
    best: list[tuple[float, str]] = []  # a heap of the n best (score, name) so far, the least first
    for bound, name in sorted(_bounds(key, pool, cutoff), reverse=True):
        if len(best) == n and bound < best[0][0]:
            break
        matcher.set_seq1(name)
        score = matcher.ratio()
        if score >= cutoff and (len(best) < n or (score, name) > best[0]):
            if len(best) == n:
                heapq.heapreplace(best, (score, name))
            else:
                heapq.heappush(best, (score, name))
    return [name for _score, name in sorted(best, reverse=True)]


def _bounds(key: str, pool: list[str], cutoff: float) -> list[tuple[float, str]]:
    """The candidates whose ratio to `key` can reach `cutoff`, each with the most it can be. difflib's
    ratio is 2M/(len(a)+len(b)) with M matched letters, and M is at most the letters the two names
    share, counted with their repeats. A first pass bounds that by the candidate's letters that occur
    in `key` at all (one `str.translate` each, in C), a second counts the shared letters. Only
    impossible matches are dropped, so the suggestions are difflib's own, found without scoring the
    whole country's names."""
    size = len(key)
    others = {ord(letter): None for letter in set(key)}
    counts = [(letter, key.count(letter)) for letter in set(key)]

    def most(c: str) -> float:  # reckoned as difflib reckons its ratios (two empty names are alike)
        total = len(c) + size
        return 2.0 * sum(min(c.count(letter), n) for letter, n in counts) / total if total else 1.0

    return [
        (bound, c)
        for c in pool
        if 2 * min(len(c) - len(c.translate(others)), size) >= cutoff * (len(c) + size) and (bound := most(c)) >= cutoff
    ]
