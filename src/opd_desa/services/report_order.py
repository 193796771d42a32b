"""The order of a report's rows: `--sort` (its names and directions) and `--with-data`."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, repeat
from operator import is_not, not_
from typing import Any

from opd_desa.columnar import ColumnRows
from opd_desa.errors import ArgumentError
from opd_desa.i18n import _

SORTS = ("code", "name", "kecamatan", "value", "rate", "change", "gap", "population", "budget")
_HIGH_FIRST = ("value", "rate", "change", "gap", "population", "budget")  # sorted high to low unless prefixed +


def check_sort(sort: str | None) -> None:
    """`--sort` names a column of SORTS, prefixed + or - or not at all."""
    if sort and sort.lstrip("+-") not in SORTS:
        raise ArgumentError(
            _(
                "{argument} must be one of {choices} (prefix + for ascending or - for descending, e.g. +rate), "
                "not '{value}'"
            ),
            "sort",
            choices=", ".join(SORTS),
            value=sort,
        )


def arranged(rows: Sequence[dict[str, Any]], sort: str | None, with_data: bool) -> Sequence[dict[str, Any]]:
    """The rows shown: with `with_data` only those with a value; sorted by `sort` (default code), numbers
    high to low and text A to Z unless prefixed + or -, ties by code, rows without the value last."""
    sort = sort or "code"
    table = rows if isinstance(rows, ColumnRows) else None
    kept: Sequence[int] = range(len(rows))
    if with_data:
        kept = [i for i, value in enumerate(values_of(rows, "value")) if value is not None]
    key = sort.lstrip("+-")
    if kept and not (table.has_column(key) if table is not None else key in rows[kept[0]]):
        key = "code"
    descending = sort.startswith("-") or (key in _HIGH_FIRST and not sort.startswith("+"))
    values, codes = values_of(rows, key), values_of(rows, "code")
    known = list(map(is_not, map(values.__getitem__, kept), repeat(None)))
    present = list(compress(kept, known))
    missing = list(compress(kept, map(not_, known)))
    # by code alone when sorting by code: the same order as by (code, code), without a tuple per row
    present.sort(key=codes.__getitem__ if key == "code" else lambda i: (values[i], codes[i]), reverse=descending)
    order = present + missing
    if table is None:
        return [rows[i] for i in order]
    return table if order == list(range(len(table))) else table.taken(order)


def values_of(rows: Sequence[dict[str, Any]], key: str) -> Sequence[Any]:
    """The values of `key` in `rows`, without making dicts of rows kept as columns."""
    return rows.column(key) if isinstance(rows, ColumnRows) else [row.get(key) for row in rows]
