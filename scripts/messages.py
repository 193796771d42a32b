"""Collect every message people read from the source, and keep `locale/id.po` in step with it.

    python scripts/messages.py          # add new messages to src/opd_desa/locale/id.po (translations kept)
    python scripts/messages.py --check  # exit 1 when a message has no Indonesian text

A message is the literal argument of `_()` or `N_()`, or the header of a `Column(key, header)`;
a plural message is the pair of literals of `ngettext(one, many, n)` or `counted(n, one, many)`, kept
under the key `one NUL many` and written as msgid/msgid_plural/msgstr[0] (Indonesian has one form).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "opd_desa"
CATALOGUE = PACKAGE / "locale" / "id.po"
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
HEADER = """# Bahasa Indonesia for opd-desa. msgid is the English text; keep every {placeholder}.
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: id\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"
"""
PLURAL = "\x00"


def messages() -> dict[str, str]:
    """English message -> where it first appears (file:line), in source order."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else None
            plural = _plural(name, node.args)
            if plural:
                found.setdefault(plural, f"{path.relative_to(ROOT)}:{node.lineno}")
                continue
            if name in ("_", "N_") and node.args:
                arg = node.args[0]
            elif name == "Column" and len(node.args) >= 2:
                arg = node.args[1]
            else:
                continue
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
                found.setdefault(arg.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _plural(name: str | None, args: list[ast.expr]) -> str | None:
    """`one NUL many` for ngettext("one", "many", n) and counted(n, "one", "many"), else None."""
    pair = args[:2] if name == "ngettext" else args[1:3] if name == "counted" else []
    texts = [a.value for a in pair if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return PLURAL.join(texts) if len(texts) == 2 else None


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write_catalogue(found: dict[str, str], translated: dict[str, str]) -> str:
    """Entries sorted by their English text, without source locations, so that parallel changes merge."""
    parts = [HEADER]
    for message in sorted(found):
        if PLURAL in message:
            one, many = message.split(PLURAL)
            forms = translated.get(message, "").split(PLURAL)
            parts.append(
                f"msgid {_quote(one)}\nmsgid_plural {_quote(many)}\n"
                + "".join(f"msgstr[{i}] {_quote(form)}\n" for i, form in enumerate(forms))
            )
        else:
            parts.append(f"msgid {_quote(message)}\nmsgstr {_quote(translated.get(message, ''))}\n")
    return "\n".join(parts)


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from opd_desa.i18n import parse_po

    found = messages()
    existing = parse_po(CATALOGUE.read_text(encoding="utf-8")) if CATALOGUE.exists() else {}
    missing = [m for m in found if not existing.get(m)]
    if "--check" in sys.argv:
        for message in missing:
            print(f"{found[message]}: no Indonesian text for {message!r}")
        return 1 if missing else 0
    CATALOGUE.write_text(write_catalogue(found, existing), encoding="utf-8")
    print(f"{len(found)} messages, {len(missing)} without Indonesian text, written to {CATALOGUE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
