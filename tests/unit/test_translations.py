"""Every message people read has Indonesian text, with the same placeholders."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from opd_desa import i18n

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _messages() -> dict[str, str]:
    spec = importlib.util.spec_from_file_location("messages", ROOT / "scripts" / "messages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.messages()


MESSAGES = _messages()
CATALOGUE = i18n.load_catalogue("id")


def test_messages_are_found_in_the_source() -> None:
    assert "no village called '{name}' in the database" in MESSAGES
    assert "Village" in MESSAGES  # a table header
    assert len(MESSAGES) > 300


@pytest.mark.parametrize("message", sorted(MESSAGES), ids=lambda m: m[:40])
def test_each_message_has_indonesian_text_with_the_same_placeholders(message: str) -> None:
    translated = CATALOGUE.get(message)
    assert translated, f"{MESSAGES[message]}: no Indonesian text for {message!r} (run python scripts/messages.py)"
    english = message.split(i18n.PLURAL)[-1]  # a plural entry: msgid_plural, against each msgstr[n]
    for form in translated.split(i18n.PLURAL):
        assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(english))


def test_switching_language() -> None:
    try:
        i18n.set_language("id")
        assert i18n._("yes") == "ya"
        assert i18n._("a message nobody wrote") == "a message nobody wrote"
    finally:
        i18n.set_language("en")
    assert i18n._("yes") == "yes"
