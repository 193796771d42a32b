"""The formats for scripts and documents: JSON, CSV and Markdown (their names are in `format_names`)."""

from __future__ import annotations

import csv
import html
import json
import re
from collections.abc import Sequence
from operator import itemgetter
from typing import Any, TextIO

from opd_desa.columnar import ColumnRows
from opd_desa.csvio import FORMULA_START, neutralise
from opd_desa.i18n import _
from opd_desa.output.columns import NUMERIC, Column, display_text
from opd_desa.text import control_in, visible, visible_line

_UNESCAPED_BY_JSON = re.compile("[\x7f-\x9f]")  # json.dumps escapes C0 controls itself


def to_json(data: Any) -> str:
    """Exactly one JSON document (UTF-8, not ASCII-escaped; DEL and C1 controls written as \\u escapes,
    so the text is exact and no terminal acts on it)."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=_listed)
    return _UNESCAPED_BY_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _listed(value: Any) -> Any:
    """Rows kept as columns are written as the list of rows they are."""
    if isinstance(value, ColumnRows):
        return value.rows()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def to_markdown(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> str:
    """A Markdown table, numbers right-aligned; cells are text only (`markdown_text`)."""
    esc = markdown_text

    lines = [
        "| " + " | ".join(esc(_(c.header)) for c in columns) + " |",
        "| " + " | ".join("---:" if c.kind in NUMERIC else "---" for c in columns) + " |",
    ]
    lines += ["| " + " | ".join(esc(display_text(r.get(c.key), c.kind)) for c in columns) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def markdown_text(text: str) -> str:
    """Text as Markdown shows it literally: HTML escaped (no `<script>` reaches a renderer), pipes
    escaped (no new cell), control characters visible, one line."""
    return html.escape(visible_line(text), quote=False).replace("|", "\\|").replace("\n", " ")


def write_csv_rows(out: TextIO, rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> None:
    """CSV with the column keys as header; lists joined with |, booleans as true/false; control
    characters shown as pictures (this CSV is read on terminals; `export` writes stored text exactly)."""
    cells = _plain_columns(rows, columns)
    if cells is not None:
        _write_plain(out, [c.key for c in columns], cells)
        return
    _write_cell_by_cell(out, rows, columns)


def _write_cell_by_cell(out: TextIO, rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> None:
    """The CSV rules applied to every cell: what `write_csv_rows` does when a column needs them."""
    from opd_desa.csvio import write_csv

    def listed(value: Any) -> Any:
        return None if value is None else visible("|".join(value))

    def yes_no(value: Any) -> Any:
        return None if value is None else "true" if value else "false"

    def shown(value: Any) -> Any:
        return visible(value) if isinstance(value, str) else value

    def score(value: Any) -> Any:  # an IDM score keeps its four decimals (numeric columns are rounded to two)
        return round(value, 4) if isinstance(value, float) else value

    def converter(column: Column) -> Any:
        return {"list": listed, "bool": yes_no, "score": score}.get(column.kind, shown)

    # one converter per column, chosen once: a national report has a million cells
    plain = [(c.key, converter(c)) for c in columns]
    write_csv(
        out,
        [c.key for c in columns],
        ([convert(r.get(key)) for key, convert in plain] for r in rows),
        numeric=[c.key for c in columns if c.kind in NUMERIC and c.kind != "score"],
    )


# -- the plain case, a column at a time --------------------------------------------------------------
#
# A national report has a million cells, nearly all of which the CSV rules leave as they are: text
# without control characters or a formula-like start, whole numbers, rates already at two decimals.
# Such a column is checked as a whole and handed to csv.writer as it is (None is an empty cell, a
# float is written as its repr, as the rules would write it); one column that needs a rule sends the
# whole table through `_write_cell_by_cell`.

_NONE = type(None)
_RISKY_FIRST = frozenset((*FORMULA_START, "'"))  # a text starting so (or with a space) goes cell by cell
_DECIMALS = {"rate": 2, "change": 2, "int": 2, "money": 2, "score": 4}  # what the rules round floats to


def _plain_columns(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> list[Sequence[Any]] | None:
    """Each column's cells ready for csv.writer, or None when some column needs the cell-by-cell rules."""
    keys = [column.key for column in columns]
    # the rules' own cases: no columns still give a line per row, a key given twice is formatted by the
    # rules of its first column, a header with a carriage return is quoted
    if not keys or len(set(keys)) < len(keys) or any("\r" in key for key in keys):
        return None
    cells = []
    for column in columns:
        values = _column_values(rows, column.key)
        plain = _plain_cells(values, column.kind)
        if plain is None:
            return None
        cells.append(plain)
    return cells


def _column_values(rows: Sequence[dict[str, Any]], key: str) -> Sequence[Any]:
    if isinstance(rows, ColumnRows):
        return rows.column(key)
    try:
        return list(map(itemgetter(key), rows))
    except KeyError:
        return [row.get(key) for row in rows]


def _plain_cells(values: Sequence[Any], kind: str) -> Sequence[Any] | None:
    """`values` as the CSV rules would write them, when that is what csv.writer writes anyway (each
    distinct value checked once: a column of rates holds a few thousand among 83,762 villages)."""
    if kind == "bool":
        return [None if value is None else "true" if value else "false" for value in values]
    if kind == "list":
        return None
    types = set(map(type, values))  # of every value: 1, 1.0 and True are one value in a set
    if types <= {int, _NONE}:
        return values
    places = _DECIMALS.get(kind)
    if places is not None:
        return values if types <= {int, float, _NONE} and _all_rounded(set(values), places) else None
    if types <= {str, _NONE}:
        return values if _plain_text(values) else None
    return None


def _plain_text(values: Sequence[Any]) -> bool:
    """Whether no text has a control character or starts as `neutralise` would guard it."""
    firsts = set(map(itemgetter(0), filter(None, values)))
    return (
        firsts.isdisjoint(_RISKY_FIRST)
        and not any(first.isspace() for first in firsts)
        and control_in("".join(filter(None, values)), breaks=True) is None
    )


def _all_rounded(numbers: set[Any], places: int) -> bool:
    """Whether every number is finite and already rounded to `places`, and its repr has no exponent
    (rounded, it is 0 or at least 10**-places; it is checked below 10**15)."""
    numbers.discard(None)
    return all(round(number, places) == number for number in numbers) and (not numbers or max(map(abs, numbers)) < 1e15)


def _write_plain(out: TextIO, header: list[str], cells: list[Sequence[Any]]) -> None:
    """The header and the plain columns' rows. No cell holds a carriage return (text with control
    characters goes cell by cell), so "\n" ends each record as csvio's writer ends them."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralise(name) for name in header])
    writer.writerows(zip(*cells, strict=True))
