"""CSV that spreadsheets open safely: `write_csv`, and the `'` guard against formulas both ways.

`neutralise` prefixes `'` to text a spreadsheet would run as a formula; `clean_cell` (used by the
importers) takes it off again, so a file exported and imported back reads as it was written.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Collection, Iterable, Sequence
from numbers import Number
from typing import TextIO

FORMULA_START = ("=", "+", "-", "@")
_RISKY_FIRST = (*FORMULA_START, "'")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)*")


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
        return neutralise(value) if value[:1] in _RISKY_FIRST or value[:1].isspace() else value
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
    if value is None:  # a national report's many empty cells: the cheapest case first
        return ""
    if type(value) is int:
        return str(value)
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
