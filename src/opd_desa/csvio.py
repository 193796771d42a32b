"""Read the CSV files planning officers export from Excel, and write CSV that spreadsheets open safely.

Reading streams: the bytes are scanned once in 1 MiB chunks (encoding check, NUL bytes), then rows
come from the csv module one at a time, so a national import of 840,000 rows never sits in memory.
What Excel on Indonesian Windows produces is understood without options: UTF-8 with or without BOM,
else Windows-1252; `,` `;` tab or `|`; an Excel `sep=;` first line; CRLF; Indonesian or English
headers with units in parentheses; a row-number column (ignored and named in a note); one column per
year in "wide" poverty sheets.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import math
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from numbers import Number
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, TextIO

from opd_desa.fields import Field
from opd_desa.i18n import _

CHUNK_SIZE = 1 << 20
SPOOL_SIZE = 8 << 20
FIELD_SIZE_LIMIT = 16 << 20
STDIN_LABEL = "<stdin>"
# Sniffing candidates, in the order that wins a tie: a tab is almost never inside a header name,
# and Excel on Indonesian Windows writes ';' while ',' is also the decimal separator there.
DELIMITERS = ("\t", ";", ",", "|")
FORMULA_START = ("=", "+", "-", "@")
_RISKY_FIRST = (*FORMULA_START, "'")

_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_BOM_REMNANTS = ("\ufeff", "\u00ef\u00bb\u00bf")  # a UTF-8 BOM decoded as UTF-8, or as Windows-1252
_HEADER_PUNCTUATION = str.maketrans("", "", "_-.")
_TRAILING_UNIT = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)*")
_MIN_PREFIX = 4
_ASCII_PROBE = "\0\n\r;,|\t\"'aZ09"
_Decoding = tuple[str, str, str]  # codec, error handler, name to show


class CsvFormatError(Exception):
    """The file cannot be read as a table at all.

    str(e) is one line naming the file (and line, where one is to blame) and what to do.
    """


@dataclass
class Table:
    """An open CSV file whose header has been read; `rows()` streams the records.

    Close it (or use it as a context manager) when done. `rows()` may be called again to read the
    records once more, but one pass at a time.
    """

    label: str
    encoding: str
    delimiter: str
    columns: dict[str, int]
    ignored: list[str]
    year_columns: list[tuple[int, int]]
    notes: list[str]
    header: list[str] = field(default_factory=list)
    header_line: int = 1
    _source: BinaryIO | None = field(default=None, repr=False, compare=False)
    _codec: str = field(default="utf-8-sig", repr=False, compare=False)
    _errors: str = field(default="strict", repr=False, compare=False)
    _skip: int = field(default=1, repr=False, compare=False)

    def cells(self) -> Iterator[tuple[int, list[str]]]:
        """Yield (line of the record's first physical line, the record's cells as read) per record.

        Entirely empty records are skipped. The fast path of a national import reads these directly.
        """
        if self._source is None or self._source.closed:
            raise ValueError("Table.cells() called on a closed table")
        skip = self._skip
        text = _text_stream(self._source, self._codec, self._errors)
        try:
            for _line in range(skip):
                text.readline()
            reader = csv.reader(text, **_dialect(self.delimiter))
            end = skip
            try:
                for row in reader:
                    first = end + 1
                    end = skip + reader.line_num
                    # skip records with nothing but blanks (the first cell usually settles it)
                    if row and (row[0].strip() or any(cell.strip() for cell in row)):
                        yield first, row
            except csv.Error as exc:
                raise _csv_error(self.label, exc, end + 1, skip + reader.line_num) from None
        finally:
            _release(text)

    def rows(self) -> Iterator[tuple[int, dict[str, str], list[str]]]:
        """Yield (line of the record's first physical line, {field: cleaned cell}, raw cells) per record.

        Entirely empty records are skipped; a cell missing from a short row is ""; cells beyond the
        header are ignored (but stay in the raw cells).
        """
        pairs = tuple(self.columns.items())
        build = _row_builder(self.columns)
        width = max(self.columns.values(), default=-1) + 1
        for first, row in self.cells():
            if len(row) >= width:
                values = build(row)
            else:
                values = {name: row[i].strip() if i < len(row) else "" for name, i in pairs}
            if any("'" in cell for cell in row):  # rare: only then look for cells neutralised by write_csv
                for name, value in values.items():
                    if value[:1] == "'":
                        values[name] = clean_cell(value)
            yield first, values, row

    @property
    def size(self) -> int | None:
        """Bytes in the file, or None for an in-memory copy (small standard input)."""
        try:
            return os.fstat(self._source.fileno()).st_size if self._source is not None else None
        except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
            return None

    @property
    def closed(self) -> bool:
        """True once the file has been closed."""
        return self._source is None or self._source.closed

    def close(self) -> None:
        """Close the file (for stdin: drop the spooled copy)."""
        if self._source is not None:
            self._source.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


@dataclass(frozen=True)
class HeaderMatch:
    """What a header row means: field columns, ignored header texts and year columns."""

    columns: dict[str, int]
    ignored: list[str]
    year_columns: list[tuple[int, int]]


def open_table(
    source: str | Path,
    fields: Sequence[Field],
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
) -> Table:
    """Open a CSV file ("-" for stdin), detect its encoding and delimiter, and match its header to `fields`.

    Raises CsvFormatError when the file cannot be read as a table; ValueError when two `fields`
    share an alias (a programming error).
    """
    label = STDIN_LABEL if str(source) == "-" else str(source)
    forced_delimiter = None if delimiter is None else _parse_delimiter(delimiter)
    matcher = _HeaderMatcher(fields)
    binary = _open_binary(source, label, stdin)
    try:
        return _read_header(binary, label, matcher, forced_delimiter, encoding)
    except BaseException:
        binary.close()
        raise


def match_header(header: Sequence[str], fields: Sequence[Field], *, where: str) -> HeaderMatch:
    """Match header cells to `fields` (exact, then without a trailing unit, then longest prefix alias).

    `where` prefixes error messages, e.g. "data.csv:1". Usable for any tabular source, not only CSV.
    """
    return _HeaderMatcher(fields).match_all(header, where)


def normalise_header(text: str) -> str:
    """Header text as compared: lower case, without whitespace, underscores, hyphens and dots."""
    return "".join(text.lower().split()).translate(_HEADER_PUNCTUATION)


def clean_cell(text: str) -> str:
    """A cell as the importers see it: stripped, and with the `'` that `neutralise` added removed."""
    value = text.strip()
    if value[:1] == "'" and _first_significant(value[1:]) in FORMULA_START:
        return value[1:].strip()
    return value


def neutralise(value: str) -> str:
    """Prefix ' to text a spreadsheet would run as a formula.

    Leading spaces and apostrophes are looked through (`' =1`, `''=1` get one more `'`), so that
    `clean_cell(neutralise(v)) == v.strip()` for every text.
    """
    if value[:1] not in _RISKY_FIRST and not value[:1].isspace():
        return value
    return "'" + value if _first_significant(value) in FORMULA_START else value


def write_csv(
    out: TextIO, header: Sequence[str], rows: Iterable[Sequence[object]], *, numeric: Collection[str] = ()
) -> int:
    """Write header + rows as RFC 4180 CSV (comma, "\\n" line endings); return the number of rows written.

    None is an empty cell; ints and floats are plain numbers (floats in `numeric` columns rounded to
    two decimals: 6.6 -> "6.6", 7.0 -> "7.0"; NaN and infinities empty); bools are "true"/"false";
    text is neutralised, except number-like text ("-1.5") in `numeric` columns.
    """
    # Python 3.11's writer quotes only the characters of its lineterminator, so a lone "\r" in a
    # cell would end the record on reading; writing "\r\n" quotes it, and _NewlineOut makes it "\n".
    writer = csv.writer(_NewlineOut(out), lineterminator="\r\n")
    writer.writerow([neutralise(str(name)) for name in header])
    formats = [_numeric_cell if name in numeric else _text_cell for name in header]
    width = len(formats)
    count = 0
    for row in rows:
        cells = [fmt(value) for fmt, value in zip(formats, row, strict=False)]
        if len(row) > width:
            cells.extend(_text_cell(value) for value in row[width:])
        writer.writerow(cells)
        count += 1
    return count


# -- reading: bytes, encoding, first lines ----------------------------------------------------------


def _open_binary(source: str | Path, label: str, stdin: BinaryIO | None) -> BinaryIO:
    """The file's bytes, seekable; stdin is copied to a spooled temporary file so it can be read twice."""
    if str(source) == "-":
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_SIZE)  # noqa: SIM115 - the Table closes it
        shutil.copyfileobj(stdin if stdin is not None else sys.stdin.buffer, spool, CHUNK_SIZE)
        spool.seek(0)
        return spool  # type: ignore[return-value]
    try:
        return open(source, "rb")
    except OSError as exc:
        raise CsvFormatError(
            _("{file}: cannot open the file: {reason}").format(file=label, reason=exc.strerror or exc)
        ) from None


def _read_header(
    binary: BinaryIO, label: str, matcher: _HeaderMatcher, forced_delimiter: str | None, encoding: str | None
) -> Table:
    """Settle the encoding, skip a sep= line and blank lines, pick the delimiter and read the header row."""
    notes: list[str] = []
    codec, errors, shown = _settle_encoding(binary, label, encoding, notes)
    text = _text_stream(binary, codec, errors)
    try:
        skip, sep, line = _find_header_line(text, label)
        delimiter = forced_delimiter or sep or _sniff(line)
        if delimiter is None:
            delimiter = ","
            message = _("{file}: no , ; tab or | in the header line; read as a single column")
            notes.append(message.format(file=label))
        reader = csv.reader(itertools.chain([line], text), **_dialect(delimiter))
        try:
            header = next(reader)
        except csv.Error as exc:
            raise _csv_error(label, exc, skip + 1, skip + reader.line_num) from None
        header_end = skip + reader.line_num
    finally:
        _release(text)
    header_line = skip + 1
    match = matcher.match_all(header, f"{label}:{header_line}")
    if match.ignored:
        message = _("{file}: ignored columns: {columns}")
        notes.append(message.format(file=label, columns=", ".join(match.ignored)))
    return Table(
        label=label,
        encoding=shown,
        delimiter=delimiter,
        columns=match.columns,
        ignored=match.ignored,
        year_columns=match.year_columns,
        notes=notes,
        header=[_clean_header(h) for h in header],
        header_line=header_line,
        _source=binary,
        _codec=codec,
        _errors=errors,
        _skip=header_end,
    )


def _find_header_line(text: io.TextIOWrapper, label: str) -> tuple[int, str | None, str]:
    """(lines before the header, delimiter of a sep= line or None, the header's first line)."""
    skip = 0
    line = text.readline()
    sep = _sep_line(line)
    if sep is not None:
        skip, line = 1, text.readline()
    while line and _is_blank_line(line):
        skip, line = skip + 1, text.readline()
    if not line:
        message = _("{file}: the file is empty; it needs a header line naming the columns, then the rows")
        raise CsvFormatError(message.format(file=label))
    return skip, sep, line


def _settle_encoding(binary: BinaryIO, label: str, encoding: str | None, notes: list[str]) -> _Decoding:
    """(codec to read with, error handler, name to show): the forced one, else UTF-8, else Windows-1252."""
    if encoding is None:
        _refuse_utf16(binary, label)
        bad_line = _scan(binary, label, "utf-8", check_nul=True)
        if bad_line is None:
            return "utf-8-sig", "strict", "utf-8"
        message = _("{file}: not valid UTF-8 (first at line {line}), read as Windows-1252")
        notes.append(message.format(file=label, line=bad_line))
        return "cp1252", "replace", "cp1252"
    try:
        name = codecs.lookup(encoding).name
        probe = _ASCII_PROBE.encode(name) == _ASCII_PROBE.encode("ascii")
    except LookupError:
        message = _("{file}: unknown encoding '{encoding}'; use utf-8 or cp1252")
        raise CsvFormatError(message.format(file=label, encoding=encoding)) from None
    except UnicodeError:
        probe = False
    if name in ("utf-8", "utf-8-sig"):
        codec, errors, check = "utf-8-sig", "strict", "utf-8"
        name, probe = "utf-8", True
    elif name == "cp1252":
        codec, errors, check = "cp1252", "replace", None  # five bytes are undefined in cp1252
    else:
        codec, errors, check = name, "strict", name
    if not name.startswith(("utf-16", "utf-32")):
        _refuse_utf16(binary, label)
    bad_line = _scan(binary, label, check, check_nul=probe)
    if bad_line is not None:
        message = _("{file}:{line}: not valid {encoding}; try cp1252, or no encoding to detect it")
        raise CsvFormatError(message.format(file=label, line=bad_line, encoding=name))
    return codec, errors, name


def _refuse_utf16(binary: BinaryIO, label: str) -> None:
    head = binary.read(4)
    binary.seek(0)
    if head.startswith(_UTF16_BOMS):
        raise CsvFormatError(_utf16_message(label))


def _utf16_message(label: str) -> str:
    return _("{file}: looks like UTF-16; save it from Excel as 'CSV UTF-8' and try again").format(file=label)


def _scan(binary: BinaryIO, label: str, check: str | None, *, check_nul: bool) -> int | None:
    """Read the bytes once in chunks: raise on a NUL byte; return the line of the first byte that `check`
    cannot decode, or None. Leaves the file at its start."""
    decoder = codecs.getincrementaldecoder(check)() if check else None
    bad_line: int | None = None
    lines = 0
    chunk = binary.read(CHUNK_SIZE)
    head = chunk[:4]
    while chunk:
        if check_nul and b"\0" in chunk:
            at = chunk.index(b"\0")
            if lines == 0 and at < 4 and _looks_like_utf16(head):
                raise CsvFormatError(_utf16_message(label))  # UTF-16 without a BOM
            message = _("{file}:{line}: contains NUL bytes; is this really a CSV file?")
            raise CsvFormatError(message.format(file=label, line=lines + chunk.count(b"\n", 0, at) + 1))
        if decoder is not None:
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                bad_line = lines + chunk.count(b"\n", 0, max(exc.start - pending, 0)) + 1
                decoder = None
        lines += chunk.count(b"\n")
        chunk = binary.read(CHUNK_SIZE)
    if decoder is not None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            bad_line = lines + 1  # a sequence cut off at the end of the file
    binary.seek(0)
    return bad_line


def _looks_like_utf16(head: bytes) -> bool:
    """Every other byte zero in the first four: UTF-16 text without a BOM."""
    return len(head) == 4 and (head[1] == head[3] == 0 or head[0] == head[2] == 0)


def _text_stream(binary: BinaryIO, codec: str, errors: str) -> io.TextIOWrapper:
    binary.seek(0)
    return io.TextIOWrapper(binary, encoding=codec, errors=errors, newline="")  # type: ignore[arg-type]


def _release(text: io.TextIOWrapper) -> None:
    """Let go of a text layer without closing the file under it."""
    with suppress(ValueError):
        text.detach()


def _sep_line(line: str) -> str | None:
    """The delimiter an Excel `sep=X` line declares (`"sep=;"`, `SEP=;;;` too), else None."""
    text = _strip_bom(line).rstrip("\r\n").strip(" ")
    if text[:1] == '"':
        text = text[1:]
    if len(text) < 5 or text[:4].lower() != "sep=":
        return None
    char, rest = text[4], text[5:]
    if char in '"\r\n' or rest.strip(char + '" '):
        return None
    return char


def _is_blank_line(line: str) -> bool:
    """Nothing but whitespace, quotes and delimiters: an empty row above the header."""
    return not line.strip(' \t\r\n";,|')


def _sniff(line: str) -> str | None:
    """The candidate delimiter found most often outside double quotes in `line`, or None."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=counts.__getitem__)
    return best if counts[best] else None


def _parse_delimiter(value: str) -> str:
    delimiter = _DELIMITER_NAMES.get(value.strip().lower(), value)
    if len(delimiter) != 1 or delimiter in '"\r\n':
        message = _("delimiter must be one character, or 'tab'; got '{value}'")
        raise CsvFormatError(message.format(value=value))
    return delimiter


def _dialect(delimiter: str) -> dict[str, object]:
    """Reader options. strict: an unclosed quote at the end of the file is an error, not the rest of
    the file swallowed into one cell. The field limit is process-wide, so it is set for every reader."""
    csv.field_size_limit(FIELD_SIZE_LIMIT)
    return {"delimiter": delimiter, "quotechar": '"', "doublequote": True, "strict": True}


def _csv_error(label: str, exc: csv.Error, first: int, current: int) -> CsvFormatError:
    """A csv.Error as a one-line message naming the line to look at (NUL bytes are caught by _scan)."""
    reason = str(exc)
    if reason.startswith("field larger than field limit"):
        message = _('{file}:{line}: a cell is larger than {size} MiB; is a quote character (") left open?')
        return CsvFormatError(message.format(file=label, line=first, size=FIELD_SIZE_LIMIT >> 20))
    if reason.startswith("unexpected end of data"):
        message = _('{file}:{line}: a quoted cell starting here is never closed; check the quote marks (")')
        return CsvFormatError(message.format(file=label, line=first))
    if "expected after" in reason:
        message = _("{file}:{line}: text after a closing quote; quote the whole cell or remove the quotes")
        return CsvFormatError(message.format(file=label, line=current))
    message = _("{file}:{line}: cannot read this line as CSV ({reason})")
    return CsvFormatError(message.format(file=label, line=current, reason=reason))


def _row_builder(columns: dict[str, int]) -> Callable[[list[str]], dict[str, str]]:
    """row -> {field: stripped cell}, compiled once per pass (as dataclasses and namedtuple do).

    A dict display with constant keys is over twice as fast as dict(zip(names, map(str.strip, ...)))
    and building the dict is most of the cost of reading a big file. Names are repr()-quoted.
    """
    items = ", ".join(f"{name!r}: row[{index:d}].strip()" for name, index in columns.items())
    return eval(f"lambda row: {{{items}}}", {})


# -- header matching -------------------------------------------------------------------------------


class _HeaderMatcher:
    """Header text -> field name (or year) by the three rules of the CSV contract."""

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
        columns: dict[str, int] = {}
        owners: dict[str | int, str] = {}
        ignored: list[str] = []
        years: list[tuple[int, int]] = []
        for index, raw in enumerate(header):
            text = _clean_header(raw)
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


def _duplicate_error(where: str, first: str, second: str, meaning: str | int) -> CsvFormatError:
    message = _("{where}: columns '{first}' and '{second}' both mean '{field}'; remove or rename one")
    return CsvFormatError(message.format(where=where, first=first, second=second, field=meaning))


def _clean_header(text: str) -> str:
    return _strip_bom(text).strip()


def _strip_bom(text: str) -> str:
    for remnant in _BOM_REMNANTS:
        if text.startswith(remnant):
            return text[len(remnant) :]
    return text


def _year(key: str) -> int | None:
    if len(key) == 4 and key.isascii() and key.isdigit() and 2000 <= int(key) <= 2100:
        return int(key)
    return None


# -- writing ---------------------------------------------------------------------------------------


class _NewlineOut:
    """Turns each "\\r\\n"-terminated record from csv.writer into a "\\n"-terminated one."""

    def __init__(self, out: TextIO) -> None:
        self._write = out.write

    def write(self, record: str) -> int:
        return self._write(record[:-2] + "\n")


def _first_significant(value: str) -> str:
    """The first character that is neither whitespace nor an apostrophe ("" if none)."""
    for char in value:
        if char != "'" and not char.isspace():
            return char
    return ""


def _text_cell(value: object) -> str:
    if type(value) is str:
        return neutralise(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    if isinstance(value, Number):
        return str(value)
    return neutralise(str(value))


def _numeric_cell(value: object) -> str:
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        rounded = round(value, 2)
        text = repr(rounded)
        return text if "e" not in text else f"{rounded:.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value):
        return value
    return _text_cell(value)
