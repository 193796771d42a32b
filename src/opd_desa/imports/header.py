"""A header row -> the columns of a file kind, for CSV files and worksheets alike.

A header text means a field when it equals the field's name or an alias (case, spaces, `_-.`
ignored), or does so once a trailing unit in parentheses is dropped (`Persentase (%)`), or starts
with an alias of four characters or more. A four-digit year between 2000 and 2100 is a year
column of a "wide" poverty sheet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from opd_desa.i18n import _
from opd_desa.imports.formats import Field
from opd_desa.imports.source import UnreadableFile

_HEADER_PUNCTUATION = str.maketrans("", "", "_-.")
_TRAILING_UNIT = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")
_BOM_REMNANTS = ("\ufeff", "\u00ef\u00bb\u00bf")  # a UTF-8 BOM decoded as UTF-8, or as Windows-1252
_MIN_PREFIX = 4
HEADER_ROWS = 10  # the header is looked for among the first this many non-empty rows
# what the first filled cell of a totals row says (normalised), at the bottom of a government sheet
TOTALS = frozenset({"jumlah", "total", "jumlahtotal", "grandtotal", "totalkeseluruhan", "jumlahkeseluruhan"})
Wanted = Callable[["HeaderMatch"], bool]


@dataclass(frozen=True)
class HeaderMatch:
    """What a header row means: field columns, ignored header texts and year columns."""

    columns: dict[str, int]
    ignored: list[str]
    year_columns: list[tuple[int, int]]


def match_header(header: Sequence[str], fields: Sequence[Field], *, where: str) -> HeaderMatch:
    """Match header cells to `fields` (exact, then without a trailing unit, then longest prefix alias).

    `where` prefixes error messages, e.g. "data.csv:1". Raises ValueError when two `fields` share
    an alias (a programming error), UnreadableFile when two columns mean the same field.
    """
    return HeaderMatcher(fields).match_all(header, where)


def normalise_header(text: str) -> str:
    """Header text as compared: lower case, without whitespace, underscores, hyphens and dots."""
    return "".join(text.lower().split()).translate(_HEADER_PUNCTUATION)


def clean_header(text: str) -> str:
    """A header cell as shown: without a byte order mark left over from decoding, stripped."""
    return strip_bom(text).strip()


def strip_bom(text: str) -> str:
    """`text` without a leading byte order mark (or what one looks like decoded as Windows-1252)."""
    for remnant in _BOM_REMNANTS:
        if text.startswith(remnant):
            return text[len(remnant) :]
    return text


class HeaderMatcher:
    """Header text -> field name (or year) by the three rules above; built once per file."""

    def __init__(self, fields: Sequence[Field]) -> None:
        self.exact: dict[str, str] = {}
        for fld in fields:
            for alias in (fld.name, *fld.aliases):
                key = normalise_header(alias)
                owner = self.exact.setdefault(key, fld.name)
                if owner != fld.name:
                    raise ValueError(f"alias {alias!r} of field {fld.name!r} already means {owner!r}")
        by_length = sorted(self.exact.items(), key=lambda item: -len(item[0]))
        self.prefixes = [(key, name) for key, name in by_length if len(key) >= _MIN_PREFIX]

    def match(self, text: str) -> str | int | None:
        """The field name, or the year (int) of a year column, or None."""
        key = normalise_header(text)
        found = _year(key) or self.exact.get(key)
        if found:
            return found
        bare = normalise_header(_TRAILING_UNIT.sub("", text))
        found = _year(bare) or self.exact.get(bare)
        if found:
            return found
        for alias, name in self.prefixes:
            if bare.startswith(alias):
                return name
        return None

    def match_all(self, header: Sequence[str], where: str) -> HeaderMatch:
        """The meaning of every header cell; two cells meaning the same thing is an error."""
        columns: dict[str, int] = {}
        owners: dict[str | int, str] = {}
        ignored: list[str] = []
        years: list[tuple[int, int]] = []
        for index, raw in enumerate(header):
            text = clean_header(raw)
            if not text:
                continue  # Excel's trailing empty columns
            meaning = self.match(text)
            if meaning is None:
                ignored.append(text)
                continue
            if meaning in owners:
                raise _duplicate_error(where, owners[meaning], text, meaning)
            owners[meaning] = text
            if isinstance(meaning, int):
                years.append((meaning, index))
            else:
                columns[meaning] = index
        return HeaderMatch(columns, ignored, years)


def _duplicate_error(where: str, first: str, second: str, meaning: str | int) -> UnreadableFile:
    message = _("{where}: columns '{first}' and '{second}' both mean '{field}'; remove or rename one")
    return UnreadableFile(message.format(where=where, first=first, second=second, field=meaning))


def _year(key: str) -> int | None:
    if len(key) == 4 and key.isascii() and key.isdigit() and 2000 <= int(key) <= 2100:
        return int(key)
    return None


def find_header(
    rows: Iterable[tuple[int, list[str]]], matcher: HeaderMatcher, wanted: Wanted | None, where: str
) -> tuple[int, list[str], HeaderMatch]:
    """(line, cells, match) of the header: the first of the first HEADER_ROWS non-empty rows whose
    columns are `wanted` (a title, a blank line or a merged heading may sit above it), else the one
    naming the most columns (whose missing ones the caller reports). `where` prefixes the line in
    messages: `FILE:` or `FILE:SHEET!`."""
    best: tuple[int, int, list[str], HeaderMatch] | None = None  # (columns matched, line, cells, match)
    looked = 0
    first_error: UnreadableFile | None = None  # the first row naming a field twice
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        looked += 1
        try:
            match = matcher.match_all(cells, f"{where}{line}")
        except UnreadableFile as error:
            if wanted is None:
                raise
            first_error = first_error or error
            continue  # a title or note row can repeat a word; only a row that fits is the header
        if wanted is None or wanted(match):
            return line, cells, match
        score = len(match.columns) + len(match.year_columns)
        if best is None or score > best[0]:
            best = (score, line, cells, match)
        if looked >= HEADER_ROWS:
            break
    if first_error is not None:
        raise first_error  # no row fits: a row naming a field twice was most likely meant as the header
    if best is None:
        message = _("{where} the file is empty; it needs a header row naming the columns, then the rows")
        raise UnreadableFile(message.format(where=where.rstrip(":!") + ":"))
    return best[1], best[2], best[3]


def name_list(names: Sequence[str], limit: int = 10) -> str:
    """`a, b, c` for a note, at most `limit` names (each cut short) and a count of the rest: a sheet of
    100,000 columns gets a one-line note, not a page."""
    from opd_desa.names import shown

    text = ", ".join(shown(name) for name in names[:limit])
    if len(names) > limit:
        text += " " + _("and {n} more").format(n=len(names) - limit)
    return text


def is_totals_row(cells: Sequence[str]) -> bool:
    """True when the first filled cell says `Jumlah`, `Total` or the like (a sheet's sum row)."""
    first = cells[0] if cells and cells[0].strip() else next((c for c in cells if c.strip()), "")  # most: the first
    first = first.lstrip()
    if first[:1] not in ("J", "j", "T", "t", "G", "g"):  # most rows: no need to normalise
        return False
    return normalise_header(first).rstrip(":") in TOTALS


def without_totals(
    rows: Iterable[tuple[int, list[str]]], skipped: Callable[[int], None]
) -> Iterator[tuple[int, list[str]]]:
    """`rows` without a totals row at the very bottom; `skipped(line)` is told of it. A `Jumlah` row with
    rows after it is kept (then a row naming an unknown village, not silently dropped). Each row is
    handed on when the next is read, so only the last is looked at (840,000 rows of a national file)."""
    held: tuple[int, list[str]] | None = None
    for row in rows:
        if held is not None:
            yield held
        held = row
    if held is not None:
        if is_totals_row(held[1]):
            skipped(held[0])
        else:
            yield held
