"""Table rows kept as columns: `ColumnRows`, shared by the services that make large tables and the
formats that write them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload


class ColumnRows(Sequence[dict[str, Any]]):
    """Rows of a table kept as columns (key -> one value per row), made into dicts when first read as rows.

    A national report has 83,762 village rows: its CSV is written from the columns as they are
    (`column`), and the dicts that JSON, the terminal and a workbook read are made once, when asked for.
    As a sequence it is the list of those dicts (and equal to it).
    """

    def __init__(self, columns: dict[str, Sequence[Any]]) -> None:
        self._columns = columns
        self._length = len(next(iter(columns.values()))) if columns else 0
        self._rows: list[dict[str, Any]] | None = None

    def column(self, key: str) -> Sequence[Any]:
        """The values of `key`, one per row (None where the rows have no such key)."""
        found = self._columns.get(key)
        return [None] * self._length if found is None else found

    def has_column(self, key: str) -> bool:
        """Whether the rows have `key`."""
        return key in self._columns

    def taken(self, indices: Sequence[int]) -> ColumnRows:
        """The rows at `indices`, in that order."""
        made: dict[int, list[Any]] = {}  # a column kept under two keys (value and rate) is taken once
        columns: dict[str, Sequence[Any]] = {}
        for key, values in self._columns.items():
            if id(values) not in made:
                made[id(values)] = list(map(values.__getitem__, indices))
            columns[key] = made[id(values)]
        return ColumnRows(columns)

    def rows(self) -> list[dict[str, Any]]:
        """The rows as dicts, keys in column order (made on the first call)."""
        if self._rows is None:
            keys = tuple(self._columns)
            self._rows = [dict(zip(keys, values, strict=True)) for values in zip(*self._columns.values(), strict=True)]
        return self._rows

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        return self.rows()[index]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ColumnRows):
            return self.rows() == other.rows()
        if isinstance(other, list):
            return self.rows() == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable rows, like a list

    def __repr__(self) -> str:
        return f"ColumnRows({self.rows()!r})"
