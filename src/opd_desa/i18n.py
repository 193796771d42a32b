"""Message translation: every sentence a person reads goes through `_()`.

English is the source language; translations live in gettext `.po` catalogues
(`locale/<lang>.po`, msgid = the English text), read only when `--lang id` (or
`$OPD_DESA_LANG=id`) asks for them, so English runs pay nothing.
"""

from __future__ import annotations

import ast
import os
from importlib import resources

LANGUAGES = ("en", "id")

_catalogue: dict[str, str] = {}
_language = "en"


def set_language(language: str | None) -> None:
    """Choose the language of messages (`en` or `id`); None reads `$OPD_DESA_LANG`."""
    global _language, _catalogue
    language = (language or os.environ.get("OPD_DESA_LANG") or "en").strip().lower()
    _language = language if language in LANGUAGES else "en"
    _catalogue = load_catalogue(_language) if _language != "en" else {}


def language() -> str:
    """The language messages are written in now."""
    return _language


def _(message: str) -> str:
    """The message in the chosen language (the English text when there is no translation)."""
    return _Translated(_catalogue.get(message, message)) if _catalogue else message


def decimal(text: str) -> str:
    """A number already written with a decimal point, in the language's style (6.60 -> 6,60 in id)."""
    return text.replace(".", ",") if _language == "id" else text


class _Number(float):
    """A float that formats with the language's decimal mark (`{rate:.2f}` -> 8,36 in Indonesian)."""

    def __format__(self, spec: str) -> str:
        return decimal(float.__format__(self, spec))

    def __str__(self) -> str:
        return decimal(float.__repr__(self))


class _Translated(str):
    """A translated message: its `format` writes decimal numbers the Indonesian way."""

    def format(self, *args: object, **kwargs: object) -> str:
        def local(value: object) -> object:
            return _Number(value) if type(value) is float else value

        return str.format(self, *map(local, args), **{k: local(v) for k, v in kwargs.items()})


def N_(message: str) -> str:
    """Mark a message for translation where it is defined; `_()` translates it where it is shown."""
    return message


def counted(n: int, one: str, many: str) -> str:
    """`1 file`, `2 files`: `one` or `many` (both marked with N_, holding `{n}`) translated and filled in."""
    return _(one if n == 1 else many).format(n=n)


def load_catalogue(lang: str) -> dict[str, str]:
    """msgid -> msgstr of `locale/<lang>.po` (entries without a translation are left out)."""
    text = resources.files("opd_desa").joinpath("locale", f"{lang}.po").read_text(encoding="utf-8")
    return {k: v for k, v in parse_po(text).items() if k and v}


def parse_po(text: str) -> dict[str, str]:
    """The msgid/msgstr pairs of a .po file (plain entries: no plurals or contexts are used here)."""
    entries: dict[str, str] = {}
    msgid: list[str] = []
    msgstr: list[str] = []
    target: list[str] | None = None

    def finish() -> None:
        if target is not None:
            entries["".join(msgid)] = "".join(msgstr)

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("msgid "):
            finish()
            msgid, msgstr = [ast.literal_eval(line[6:])], []
            target = msgid
        elif line.startswith("msgstr "):
            msgstr = [ast.literal_eval(line[7:])]
            target = msgstr
        elif line.startswith('"') and target is not None:
            target.append(ast.literal_eval(line))
    finish()
    return entries
