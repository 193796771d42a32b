"""Message translation: every sentence a person reads goes through `_()`.

English is the source language; translations live in gettext `.po` catalogues
(`locale/<lang>.po`, msgid = the English text), read only when `--lang id` (or
`$OPD_DESA_LANG=id`, or a system locale such as `LANG=id_ID.UTF-8`) asks for them, so English
runs pay nothing. Plural entries are kept as GNU gettext keeps them in .mo files: the key is
`msgid NUL msgid_plural`, the value the `msgstr[n]` forms joined by NUL.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Mapping
from importlib import resources

LANGUAGES = ("en", "id")

_catalogue: dict[str, str] = {}
_language = "en"


PLURAL = "\x00"  # between msgid and msgid_plural (and between the msgstr[n] forms)


def set_language(language: str | None, environ: Mapping[str, str] | None = None) -> None:
    """Choose the language of messages (`en` or `id`); None asks `$OPD_DESA_LANG`, then the system locale."""
    global _language, _catalogue
    language = (language or preferred_language(os.environ if environ is None else environ)).strip().lower()
    _language = language if language in LANGUAGES else "en"
    _catalogue = load_catalogue(_language) if _language != "en" else {}


def preferred_language(environ: Mapping[str, str]) -> str:
    """`$OPD_DESA_LANG`, else the language of the system locale (the first of `LC_ALL`, `LC_MESSAGES`,
    `LANG` that is set, as POSIX reads them: `id_ID.UTF-8` -> id), else English."""
    if environ.get("OPD_DESA_LANG"):
        return environ["OPD_DESA_LANG"]
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable)
        if value:
            return "id" if value.lower().startswith("id") else "en"
    return "en"


def language() -> str:
    """The language messages are written in now."""
    return _language


def _(message: str) -> str:
    """The message in the chosen language (the English text when there is no translation)."""
    return _Translated(_catalogue.get(message, message)) if _catalogue else message


def decimal(text: str) -> str:
    """A number already written with a decimal point, in the language's style (6.60 -> 6,60 in id)."""
    return text.replace(".", ",") if _language == "id" else text


def percent(value: float, digits: int = 2) -> str:
    """A percentage as the language writes it: `8.00 %` in English, `8,00%` in Indonesian (PUEBI)."""
    number = decimal(f"{value:.{digits}f}")
    return number + "%" if _language == "id" else number + " %"


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


def ngettext(one: str, many: str, n: int) -> str:
    """The singular or plural message for `n` in the chosen language (Indonesian has one form for all n)."""
    translated = _catalogue.get(one + PLURAL + many) if _catalogue else None
    if not translated:
        return one if n == 1 else many
    forms = translated.split(PLURAL)
    return _Translated(forms[min(_plural_index(n), len(forms) - 1)])


def _plural_index(n: int) -> int:
    """Which msgstr[i] serves `n` (the catalogue's Plural-Forms: nplurals=1; plural=0 for Indonesian)."""
    return 0 if _language == "id" else int(n != 1)


def counted(n: int, one: str, many: str) -> str:
    """`1 file`, `2 files`: ngettext(one, many, n) with `{n}` filled in (literal strings: messages.py finds them)."""
    return ngettext(one, many, n).format(n=n)


def load_catalogue(lang: str) -> dict[str, str]:
    """msgid -> msgstr of `locale/<lang>.po` (entries without a translation are left out)."""
    text = resources.files("opd_desa").joinpath("locale", f"{lang}.po").read_text(encoding="utf-8")
    return {k: v for k, v in parse_po(text).items() if k and v}


def parse_po(text: str) -> dict[str, str]:
    """The entries of a .po file: msgid -> msgstr, and for plurals `msgid NUL msgid_plural` -> the
    `msgstr[n]` forms joined by NUL (no contexts are used here)."""
    entries: dict[str, str] = {}
    parts: dict[str, list[str]] = {}
    target: list[str] | None = None

    def finish() -> None:
        if "msgid" not in parts:
            return
        key = "".join(parts["msgid"])
        if "msgid_plural" in parts:
            key += PLURAL + "".join(parts["msgid_plural"])
            forms = sorted(k for k in parts if k.startswith("msgstr["))
            entries[key] = PLURAL.join("".join(parts[k]) for k in forms)
        else:
            entries[key] = "".join(parts.get("msgstr", []))

    for raw in text.splitlines():
        line = raw.strip()
        keyword, _space, rest = line.partition(" ")
        if keyword == "msgid":
            finish()
            parts = {}
        if keyword in ("msgid", "msgid_plural", "msgstr") or keyword.startswith("msgstr["):
            target = parts[keyword] = [ast.literal_eval(rest)]
        elif line.startswith('"') and target is not None:
            target.append(ast.literal_eval(line))
    finish()
    return entries
