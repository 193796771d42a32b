"""The formats for scripts and documents: JSON, CSV and Markdown, and the `--format` names."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _
from opd_desa.output.columns import NUMERIC, Column, display_text

FORMATS = ("table", "csv", "json", "markdown")


def check_format(value: str, choices: Sequence[str] = FORMATS) -> str:
    """The format name (`md` is `markdown`), or a clear error listing the choices."""
    name = value.strip().lower()
    if name == "md":
        name = "markdown"
    if name not in choices:
        raise InvalidValue(
            _("--format must be one of {choices}, not '{value}'").format(choices=", ".join(choices), value=name)
        )
    return name


def to_json(data: Any) -> str:
    """Exactly one JSON document (UTF-8, not ASCII-escaped)."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_markdown(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> str:
    """A Markdown table, numbers right-aligned."""

    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [
        "| " + " | ".join(esc(_(c.header)) for c in columns) + " |",
        "| " + " | ".join("---:" if c.kind in NUMERIC else "---" for c in columns) + " |",
    ]
    lines += ["| " + " | ".join(esc(display_text(r.get(c.key), c.kind)) for c in columns) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def write_csv_rows(out: TextIO, rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> None:
    """CSV with the column keys as header; lists joined with |, booleans as true/false."""
    from opd_desa.csvio import write_csv

    def plain(value: Any, kind: str) -> Any:
        if kind == "list" and value is not None:
            return "|".join(value)
        if kind == "bool" and value is not None:
            return "true" if value else "false"
        return value

    write_csv(
        out,
        [c.key for c in columns],
        ([plain(r.get(c.key), c.kind) for c in columns] for r in rows),
        numeric=[c.key for c in columns if c.kind in NUMERIC],
    )
