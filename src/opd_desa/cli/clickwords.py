"""Click's own words (`Usage:`, `Options:`, `[required]`, `Missing argument …`) in the chosen language.

The Click that Typer carries writes its help headings and errors as English literals, without gettext.
Its help goes through `Context.formatter_class`, the hook Click offers for formatting, so a formatter
that passes each heading, usage prefix and help cell through `_()` translates the help; its errors are
written here from the exception's message, each English pattern matched to a message of ours.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from typer._click.core import Context
from typer._click.exceptions import UsageError
from typer._click.formatting import HelpFormatter

from opd_desa.i18n import N_, _

if TYPE_CHECKING:
    import typer

# The patterns below are kept as text: `re` compiles one the first time help or an error needs it (and
# keeps it), so a command that runs without either compiles none of them.

# headings Typer writes (through gettext, which has no catalogue for them): translated by _() below
HEADINGS = (N_("Options"), N_("Commands"), N_("Arguments"))
# the sentences Click writes into the help cells, and how they read in the chosen language
_CELLS: tuple[tuple[str, Callable[[re.Match[str]], str]], ...] = (
    (r"Show this message and exit\.", lambda m: _("Show this message and exit.")),
    (r"\[required\]", lambda m: _("[required]")),
    (r"\[default: (.*?)\]", lambda m: _("[default: {default}]").format(default=m.group(1))),
)
# the words of the usage line, and the value types Typer names beside a parameter (`VILLAGE <str>`)
_USAGE = (N_("[OPTIONS]"), N_("COMMAND [ARGS]..."))
_TYPES = {name: name for name in (N_("str"), N_("int"), N_("float"), N_("path"), N_("file"), N_("directory"))}
_TYPE = r"<(\w+)>"
# Click's error messages, whole, and the message of ours that says the same (`(?s)`: the rest may span lines)
_ERRORS = (
    (r"(?s)Missing argument '(?P<name>.+)'\.(?P<rest>.*)", N_("Missing argument '{name}'.")),
    (r"(?s)Missing option '(?P<name>.+)'\.(?P<rest>.*)", N_("Missing option '{name}'.")),
    (r"Missing command\.(?P<rest>)", N_("Missing command.")),
    (r"No such option: (?P<name>\S+)(?: \(Possible options: (?P<rest>.*)\))?", N_("No such option: {name}")),
    (r"No such command '(?P<name>[^']+)'\.(?: Did you mean (?P<rest>.+)\?)?", N_("No such command '{name}'.")),
    (r"Got unexpected extra argument(?:\(s\)|s)? \((?P<name>.*)\)(?P<rest>)", N_("Unexpected extra argument: {name}")),
    (r"Option '(?P<name>.+)' requires an argument\.(?P<rest>)", N_("Option '{name}' needs a value.")),
    (r"Option '(?P<name>.+)' does not take a value\.(?P<rest>)", N_("Option '{name}' takes no value.")),
    (
        r"Invalid value for (?P<name>.+?): Input should be a valid integer.*(?P<rest>)",
        N_("Invalid value for {name}: write a whole number, e.g. 2022."),
    ),
    (r"(?s)Invalid value for (?P<name>.+?): (?P<rest>.*)", N_("Invalid value for {name}:")),
)


class LocalFormatter(HelpFormatter):
    """Click's help formatter, writing Click's own words in the chosen language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for words in _USAGE:
            args = args.replace(words, _(words))
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_(heading))

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(_term(term), _cell(text)) for term, text in rows], col_max, col_spacing)


def _term(term: str) -> str:
    return re.sub(_TYPE, lambda m: f"<{_(m.group(1))}>" if m.group(1) in _TYPES else m.group(0), term)


def _cell(text: str) -> str:
    for pattern, local in _CELLS:
        text = re.sub(pattern, local, text)
    return text


def install(app: typer.Typer) -> None:
    """Help and errors of `app` in the chosen language: Click's formatter hook, and descriptions in the
    command list given whole (their first paragraph) instead of cut to the width with "..."."""
    Context.formatter_class = LocalFormatter
    _whole_descriptions(app)


def _whole_descriptions(app: typer.Typer) -> None:
    from typer.main import solve_typer_info_help
    from typer.models import DefaultPlaceholder

    for command in app.registered_commands:
        if command.short_help is None and command.help:
            command.short_help = _first_paragraph(command.help)
    for group in app.registered_groups:
        if isinstance(group.short_help, DefaultPlaceholder) and group.typer_instance is not None:
            group.short_help = _first_paragraph(solve_typer_info_help(group)) or None
            _whole_descriptions(group.typer_instance)


def _first_paragraph(text: str) -> str:
    return " ".join(text.strip().split("\n\n", 1)[0].split())


def error_text(error: UsageError) -> str:
    """What a usage error says, as Click shows it (usage line, where to find help, the error) in the chosen language."""
    lines = []
    if error.ctx is not None:
        lines.append(error.ctx.get_usage())
        if error.ctx.command.get_help_option(error.ctx) is not None:
            lines.append(
                _("Try '{command} {option}' for help.").format(
                    command=error.ctx.command_path, option=error.ctx.help_option_names[0]
                )
            )
        lines.append("")
    lines.append(_("Error: {message}").format(message=message(error.format_message())))
    return "\n".join(lines) + "\n"


def message(english: str) -> str:
    """Click's error message in the chosen language (kept as it is when no pattern knows it)."""
    for pattern, local in _ERRORS:
        found = re.fullmatch(pattern, english)
        if found:
            rest = (found.group("rest") or "").strip()
            said = _(local).format(name=found.group("name") if "name" in found.re.groupindex else "")
            if rest and local == _ERRORS[3][1]:
                rest = _("(possible options: {options})").format(options=rest)
            elif rest and local == _ERRORS[4][1]:
                rest = _("Did you mean {command}?").format(command=rest)
            return f"{said} {rest}".strip()
    return english
