"""The `--format` names, apart from the formats themselves: every command with `--format` checks the
name at start-up, and only the commands that write JSON, CSV or Markdown need their writers."""

from __future__ import annotations

from collections.abc import Sequence

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _

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
