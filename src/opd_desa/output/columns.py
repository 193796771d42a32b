"""Columns of a table and how one cell reads: the shared vocabulary of every output format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opd_desa.i18n import _, decimal, language
from opd_desa.text import visible

NUMERIC = {"int", "rate", "score", "change", "money"}


@dataclass(frozen=True)
class Column:
    """One column: `key` in JSON/CSV, `header` (English, translated) in tables, `kind` for formatting."""

    key: str
    header: str
    kind: str = "text"  # text | int | rate | score | change | money | bool | list
    optional: bool = False  # left out of a terminal table that would not fit otherwise


def thousands(value: int) -> str:
    """An integer with thousands separators as the language writes them (1,234 or 1.234)."""
    text = f"{value:,}"
    return text.replace(",", ".") if language() == "id" else text


def display_text(value: Any, kind: str) -> str:
    """A value as people read it in a table or Markdown (control characters shown, never sent raw)."""
    if value is None or (kind == "list" and not value):  # an empty list is as empty as a missing value
        return "–"
    if kind == "rate":
        return decimal(f"{value:.2f}")
    if kind == "score":
        return decimal(f"{value:.4f}")
    if kind == "change":
        arrow = "▲" if value > 0 else "▼" if value < 0 else "="
        return decimal(f"{arrow} {abs(value):.2f}")
    if kind in ("int", "money"):
        return thousands(int(value))
    if kind == "bool":
        return _("yes") if value else _("no")
    if kind == "list":
        return visible(", ".join(value))
    return visible(str(value))


def cell_style(value: Any, kind: str, key: str, row: dict[str, Any]) -> str:
    """The colour of a cell: red above the target or rising, green below it or falling, dim when empty."""
    if value is None or (kind == "list" and not value):
        return "dim"
    if key in ("rate", "value") and isinstance(row.get("above_target"), bool):
        return "red" if row["above_target"] else "green"
    if kind == "change":
        return "red" if value > 0 else "green" if value < 0 else ""
    if key in ("above_target", "gap"):
        above = value if kind == "bool" else value > 0
        return "red" if above else "green"
    return ""
