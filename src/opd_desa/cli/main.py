"""Entry point: build the Typer app in the chosen language, run it, turn errors into exit statuses."""

import os
import sqlite3
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from opd_desa import __version__
from opd_desa.errors import ExitStatus, UserError
from opd_desa.i18n import _, set_language
from opd_desa.names import shown

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


# which module registers each top-level command: a typed command builds only its own module
COMMAND_MODULES = {
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
}
MODULES = ("setup", "reference", "pairings", "figures", "measures", "activities", "reports", "imports", "admin")
_GLOBAL_WITH_VALUE = ("--db", "--lang")


def _command_from(argv: list[str]) -> str | None:
    """The top-level command named on the line, skipping global options (None: none, or help)."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in _GLOBAL_WITH_VALUE:
            i += 2
            continue
        if arg.startswith("-"):
            i += 1
            continue
        return arg
    return None


def build_app(command: str | None = None, env: "Environment | None" = None) -> typer.Typer:
    """The command tree (only `command`'s module when it is known), with help in the current language."""
    import importlib

    from opd_desa.cli.common import State
    from opd_desa.environment import Environment

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
            print(f"opd-desa {__version__}")
            raise typer.Exit()

    @app.callback()
    def root(
        ctx: typer.Context,
        db: Annotated[
            str | None,
            typer.Option("--db", metavar="PATH", help=_("Database file (default: $OPD_DESA_DB, else ./opd-desa.db).")),
        ] = None,
        lang: Annotated[
            str | None,
            typer.Option(
                "--lang",
                metavar="en|id",
                help=_("Language of messages and tables: en or id ($OPD_DESA_LANG)."),
            ),
        ] = None,
        _version: Annotated[
            bool,
            typer.Option("--version", callback=version, is_eager=True, help=_("Show the version and exit.")),
        ] = False,
    ) -> None:
        if lang is not None and lang.strip().lower() not in ("en", "id"):
            raise typer.BadParameter(_("choose en or id"), param_hint="--lang")
        ctx.obj = State(db=db, env=env or Environment())

    wanted = [COMMAND_MODULES[command]] if command in COMMAND_MODULES else MODULES
    for name in wanted:
        importlib.import_module(f"opd_desa.cli.{name}").register(app)
    return app


def main(argv: list[str] | None = None) -> int:
    """Run one command line; return its exit status (never raise for what a user can cause)."""
    args = list(sys.argv[1:] if argv is None else argv)
    set_language(_language_from(args))
    for position, arg in enumerate(args, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:  # bytes the terminal did not send as UTF-8 (e.g. Latin-1 é)
            readable = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            _error(
                _("argument {n} ('{arg}') is not valid UTF-8 text; type it again in a UTF-8 terminal").format(
                    n=position, arg=shown(readable)
                )
            )
            return ExitStatus.ERROR
    from opd_desa.environment import Environment
    from opd_desa.i18n import language

    env = Environment.from_system(args, language())
    app = build_app(_command_from(args), env)
    try:
        result = app(args=args, prog_name="opd-desa", standalone_mode=False)
        return result if isinstance(result, int) else ExitStatus.OK
    except UserError as e:
        _error(str(e))
        return e.exit_status
    except typer.Exit as e:
        return e.exit_code
    except typer.TyperException as e:  # what the argument parser rejects: usage errors, exit 2
        e.show()
        return e.exit_code
    except typer.Abort:
        return ExitStatus.ERROR
    except sqlite3.OperationalError as e:
        _error(
            _(
                "the database could not be used ({error}); if another opd-desa command is running, "
                "wait for it and try again"
            ).format(error=e)
        )
        return ExitStatus.ERROR
    except sqlite3.DatabaseError as e:  # a damaged file (malformed pages): nothing the command can mend
        _error(
            _("the database file is damaged ({error}); restore it from your last `opd-desa backup` copy").format(
                error=e
            )
        )
        return ExitStatus.ERROR
    except KeyboardInterrupt:
        _error(_("interrupted; nothing was changed by the unfinished command"))
        return 130
    except SystemExit:
        # Typer ends a closed pipe (`opd-desa report | head`) with exit 1 after muting stdout;
        # the reader simply had enough, which is not a failure of the command
        if type(sys.stdout).__name__.endswith("PacifyFlushWrapper"):
            return ExitStatus.OK
        raise
    except Exception as e:  # a defect of opd-desa, not of the input: one line, details on request
        if os.environ.get("OPD_DESA_DEBUG"):
            raise
        _error(
            _(
                "unexpected internal error ({kind}: {error}); nothing more was changed. Please report it with "
                "the command you ran; set OPD_DESA_DEBUG=1 to see the details"
            ).format(kind=type(e).__name__, error=e)
        )
        return ExitStatus.ERROR


def _error(message: str) -> None:
    if os.environ.get("NO_COLOR") or not sys.stderr.isatty():
        print(_("error: {message}").format(message=message), file=sys.stderr)
    else:
        print("\033[31m" + _("error: {message}").format(message=message) + "\033[0m", file=sys.stderr)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
