"""The one policy for control characters: refused on the way in, made visible on the way out.

A control character in a name or a cell (`ESC [2J` clears a screen, `ESC ] 8` plants a hyperlink,
BEL rings, VT and FF break XML and workbooks) is never wanted in this programme's data. Input
refuses them (`refuse_controls`, naming where they were); whatever is already stored is shown as a
visible picture (`visible`: ESC as ␛, BEL as ␇, a C1 control as U+FFFD) on every output.
"""

from __future__ import annotations

import re

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _

# C0 controls but tab and newline, DEL, and the C1 controls
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROLS_AND_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f]")
REPLACEMENT = "\ufffd"


def _picture(match: re.Match[str]) -> str:
    """The Unicode "control picture" of a C0 control or DEL (␛ for ESC), U+FFFD for a C1 control."""
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return REPLACEMENT


def visible(text: str) -> str:
    """`text` with every control character but tab and newline shown as a visible picture, never sent raw."""
    return _CONTROLS.sub(_picture, text) if _CONTROLS.search(text) else text


def visible_line(text: str) -> str:
    """`visible`, tab and newline included: for a value that must stay on one line (a workbook cell
    keeps its line breaks, a message quoting a value does not)."""
    return _CONTROLS_AND_BREAKS.sub(_picture, text) if _CONTROLS_AND_BREAKS.search(text) else text


def control_in(text: str, *, breaks: bool = False) -> str | None:
    """The first control character of `text` (tab and newline allowed with `breaks`), or None."""
    match = (_CONTROLS if breaks else _CONTROLS_AND_BREAKS).search(text)
    return match.group() if match else None


def refuse_controls(text: str, where: str, *, breaks: bool = False) -> str:
    """`text` unchanged, or an InvalidValue naming `where` (an argument like `--note`, or `FILE:LINE: column`)
    and the character, when it holds a control character; `breaks` allows tab and newline (notes)."""
    found = control_in(text, breaks=breaks)
    if found is None:
        return text
    raise InvalidValue(
        _("{where}: contains the control character U+{code:04X} ({shown}); remove it and type the text again").format(
            where=where, code=ord(found), shown=visible_line(found)
        )
    )
