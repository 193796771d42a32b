"""The formats for scripts and documents: JSON, CSV and Markdown, and the `--format` names."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from typing import Any, TextIO

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _
from opd_desa.output.columns import NUMERIC, Column, display_text
from opd_desa.text import visible, visible_line

_UNESCAPED_BY_JSON = re.compile("[\x7f-\x9f]")  # json.dumps escapes C0 controls itself

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
    """Exactly one JSON document (UTF-8, not ASCII-escaped; DEL and C1 controls written as \\u escapes,
    so the text is exact and no terminal acts on it)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _UNESCAPED_BY_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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
