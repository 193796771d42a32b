"""Message translation: every sentence a person reads goes through `_()`.

English is the source language. The Indonesian catalogue is loaded only when `--lang id`
(or `$OPD_DESA_LANG=id`) asks for it, so English runs pay nothing.
"""

from __future__ import annotations

import os

_catalogue: dict[str, str] = {}
_language = "en"

LANGUAGES = ("en", "id")


def set_language(language: str | None) -> None:
    """Choose the language of messages (`en` or `id`); None reads `$OPD_DESA_LANG`."""
    global _language, _catalogue
    language = (language or os.environ.get("OPD_DESA_LANG") or "en").strip().lower()
    _language = language if language in LANGUAGES else "en"
    _catalogue = {}
    if _language == "id":
        from opd_desa.locale_id import MESSAGES

        _catalogue = MESSAGES


def language() -> str:
    """The language messages are written in now."""
    return _language


def _(message: str) -> str:
    """The message in the chosen language (the English text when there is no translation)."""
    return _catalogue.get(message, message) if _catalogue else message
