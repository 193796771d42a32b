"""Entry point: `main` reads the command line and turns what went wrong into exit statuses; `program` runs it.

The split follows httpie's core.py: `program` builds the Typer app in the chosen language (only the
module of the command typed) and runs it; `main` owns the environment, the one-line errors and the
mapping of every outcome to one `ExitStatus`.
"""

import contextlib
import errno
import sqlite3
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError  # Typer carries its own click

from opd_desa import __version__
from opd_desa.cli import clickwords
from opd_desa.errors import ExitStatus, Interrupted, InvalidValue, UserError
from opd_desa.i18n import _, set_language
from opd_desa.names import shown
from opd_desa.text import refuse_controls, visible

if TYPE_CHECKING:
    from opd_desa.environment import Environment


def _language_from(argv: list[str]) -> str | None:
    """`--lang` must be known before the app (and its help texts) is built."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


# which module of opd_desa.cli registers each top-level command: written out, so that a typed command
# imports its own module alone; tests/unit/test_command_registry.py checks it against each module's COMMANDS
COMMAND_MODULES: dict[str, str] = {
    "init": "setup",
    "demo": "setup",
    "villages": "reference",
    "agencies": "reference",
    "assign": "pairings",
    "reassign": "pairings",
    "unassign": "pairings",
    "pairings": "pairings",
    "history": "pairings",
    "poverty": "figures",
    "target": "figures",
    "measure": "measures",
    "figure": "measures",
    "activity": "activities",
    "report": "reports",
    "scorecard": "reports",
    "trend": "reports",
    "import": "imports",
    "log": "admin",
    "backup": "admin",
    "export": "admin",
    "status": "admin",
    "forms": "reporting",
    "reporting": "reporting",
    "map": "maps",
    "plan": "plan",
    "brief": "documents",
    "settings": "documents",
    "check": "check",
}
MODULES = tuple(dict.fromkeys(COMMAND_MODULES.values()))  # in the order of the help's command list
_GLOBAL_WITH_VALUE = ("--db", "--lang")


def _split_root(argv: list[str]) -> tuple[list[str], str | None]:
    """The global options on the line (with their values), and the top-level command after them."""
    options: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in _GLOBAL_WITH_VALUE:
            options += argv[i : i + 2]
            i += 2
            continue
        if arg.startswith("-"):
            options.append(arg)
            i += 1
            continue
        return options, arg
    return options, None


def command_modules() -> dict[str, str]:
    """Which module registers each top-level command (see COMMAND_MODULES)."""
    return COMMAND_MODULES


def build_app(command: str | None = None, env: "Environment | None" = None, *, alone: bool = False) -> typer.Typer:
    """The command tree (only `command`'s module when it is known, and of it `command` alone with
    `alone`), with help in the current language."""
    import importlib

    from opd_desa.cli.common import State
    from opd_desa.environment import Environment

    environment = env or Environment()
    app = typer.Typer(
        name="opd-desa",
        help=_(
            "Run the '1 OPD 1 Desa Dampingan' programme: villages, agencies, pairings with history, "
            "poverty figures and reports.\n\nExample: opd-desa report --year 2020"
        ),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    def version(value: bool) -> None:
        if value:
            environment.stdout.write(f"opd-desa {__version__}\n")
            raise typer.Exit()

    @app.callback()
    def root(
        ctx: typer.Context,
        db: Annotated[
            str | None,
            typer.Option(
                "--db", metavar=_("PATH"), help=_("Database file (default: $OPD_DESA_DB, else ./opd-desa.db).")
            ),
        ] = None,
        lang: Annotated[
            str | None,
            typer.Option(
                "--lang",
                metavar="en|id",
                help=_("Language of messages and tables: en or id (default: $OPD_DESA_LANG, else the system locale)."),
            ),
        ] = None,
        _version: Annotated[
            bool,
            typer.Option("--version", callback=version, is_eager=True, help=_("Show the version and exit.")),
        ] = False,
    ) -> None:
        if lang is not None and lang.strip().lower() not in ("en", "id"):
            raise typer.BadParameter(_("choose en or id"), param_hint="--lang")
        ctx.obj = State(db=db, env=environment)

    modules = command_modules()
    wanted = [modules[command]] if command in modules else MODULES
    for name in wanted:
        importlib.import_module(f"opd_desa.cli.{name}").register(app)
    if alone and command in modules:
        _only(app, command)
    clickwords.install(app)
    return app


def _only(app: typer.Typer, command: str) -> None:
    """Keep only `command` of what its module registered: Typer builds every registered command's
    parameters before running one, and `assign` need not pay for `reassign`, `unassign`..."""
    from typer.main import get_command_name

    app.registered_commands = [
        info
        for info in app.registered_commands
        if (info.name or (info.callback and get_command_name(info.callback.__name__))) == command
    ]
    app.registered_groups = [info for info in app.registered_groups if info.name == command]


def main(argv: list[str] | None = None, env: "Environment | None" = None) -> int:
    """Run one command line; return its exit status (never raise for what a user can cause)."""
    from opd_desa.environment import Environment
    from opd_desa.i18n import language

    args = list(sys.argv[1:] if argv is None else argv)
    set_language(_language_from(args))
    environment = env or Environment.from_system(args, language())
    try:
        with _interrupts_raised():
            _check_text(args)
            status = program(args, environment)
            environment.stdout.flush()  # `report > /dev/full` fails here, while it can still be said in one line
        return status
    except BaseException as error:
        return _exit_status(error, environment)


@contextlib.contextmanager
def _interrupts_raised() -> Iterator[None]:
    """Ctrl-C raises `Interrupted` while the command runs (the handler is put back afterwards)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupted(signum: int, frame: object) -> None:
        raise Interrupted

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def program(args: list[str], env: "Environment") -> int:
    """Build the app for the command named in `args` and run it in `env`; errors are `main`'s to report."""
    options, command = _split_root(args)
    # the root's own help (`opd-desa --help history`) lists what is registered: the module's commands, as ever
    app = build_app(command, env, alone=not any(option in ("-h", "--help") for option in options))
    result = app(args=args, prog_name="opd-desa", standalone_mode=False)
    return result if isinstance(result, int) else ExitStatus.OK


def _check_text(args: list[str]) -> None:
    """Refuse bytes the terminal did not send as UTF-8 (e.g. a Latin-1 é) and control characters
    (an escape sequence pasted into a name), naming the argument."""
    for position, arg in enumerate(args, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            readable = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise InvalidValue(
                _("argument {n} ('{arg}') is not valid UTF-8 text; type it again in a UTF-8 terminal").format(
                    n=position, arg=shown(readable)
                )
            ) from None
        refuse_controls(arg, _("argument {n}").format(n=position), breaks=True)


def _exit_status(error: BaseException, env: "Environment") -> int:
    """The exit status `error` maps to, after saying on stderr what went wrong (what nothing explains is re-raised)."""
    if isinstance(error, typer.Exit) and isinstance(error.__cause__, KeyboardInterrupt):
        error = error.__cause__  # Typer ends an interrupted command with Exit(130): say what it means
    elif isinstance(error, typer.Exit):  # --version, --help
        return error.exit_code
    if isinstance(error, NoArgsIsHelpError):  # `opd-desa` alone: its help
        error.show(file=env.stderr)
        return ExitStatus.USAGE
    if isinstance(error, UsageError):  # what the argument parser rejects, in the chosen language
        env.stderr.write(clickwords.error_text(error))
        return ExitStatus.USAGE
    if isinstance(error, ClickException):
        env.stderr.write(_("Error: {message}").format(message=clickwords.message(error.format_message())) + "\n")
        return ExitStatus.ERROR
    if isinstance(error, typer.Abort):
        return ExitStatus.ERROR
    if isinstance(error, BrokenPipeError) or (
        isinstance(error, SystemExit) and isinstance(error.__context__, BrokenPipeError)
    ):
        # Typer ends a closed pipe (`opd-desa report | head`) with exit 1 after muting stdout;
        # the reader simply had enough, which is not a failure of the command
        return ExitStatus.OK
    explained = _explained(error, env)
    if explained is None:
        raise error
    message, status = explained
    _error(env, message)
    return status


def _explained(error: BaseException, env: "Environment") -> tuple[str, ExitStatus] | None:
    """The one line that explains `error` and its exit status (None: let it through)."""
    if isinstance(error, UserError):
        return str(error), error.exit_status
    if isinstance(error, sqlite3.OperationalError):
        return _database_trouble(error), ExitStatus.ERROR
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("the disk is full ({error}); free some space and run the command again").format(
            error=error.strerror
        ), ExitStatus.ERROR
    if isinstance(error, sqlite3.DatabaseError):  # a damaged file (malformed pages): nothing the command can mend
        return _("the database file is damaged ({error}); restore it from your last `opd-desa backup` copy").format(
            error=error
        ), ExitStatus.ERROR
    if isinstance(error, KeyboardInterrupt | Interrupted):
        return _("interrupted; nothing was changed by the unfinished command"), ExitStatus.INTERRUPTED
    if isinstance(error, Exception) and not env.debug:  # a defect of opd-desa, not of the input
        return _(
            "unexpected internal error ({kind}: {error}); nothing more was changed. Please report it with "
            "the command you ran; set OPD_DESA_DEBUG=1 to see the details"
        ).format(kind=type(error).__name__, error=error), ExitStatus.INTERNAL
    return None


def _database_trouble(error: sqlite3.OperationalError) -> str:
    """What an OperationalError means for the person: another command busy, a read-only file, a
    missing table, a full disk, or (else) the database's own words."""
    text = str(error)
    if "locked" in text or "busy" in text:
        return _(
            "another opd-desa command is using the database ({error}); wait for it to finish and try again"
        ).format(error=text)
    if "readonly" in text or "read-only" in text:
        return _(
            "the database is read-only ({error}); reading commands work, but to change it copy it to a "
            "folder you can write to"
        ).format(error=text)
    if "no such table" in text or "no such column" in text:
        return _(
            "the database lacks part of its structure ({error}); run `opd-desa check` to see what is wrong"
        ).format(error=text)
    if "full" in text:
        return _("the disk is full ({error}); nothing was changed; free some space and try again").format(error=text)
    return _("the database could not be used ({error})").format(error=text)


def _error(env: "Environment", message: str) -> None:
    line = _("error: {message}").format(message=visible(message))
    if env.colors and env.stderr_isatty:
        line = "\033[31m" + line + "\033[0m"
    env.stderr.write(line + "\n")


def run() -> None:
    """Console-script entry point."""
    status = main()
    _settle_stdout()
    sys.exit(status)


def _settle_stdout() -> None:
    """After a failed write to stdout (`> /dev/full`, a closed pipe) the error has been said once; point
    stdout at /dev/null so that Python's own flush at exit does not say it again as a traceback."""
    import os

    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
