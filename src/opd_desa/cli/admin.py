"""`log`, `backup` (and, as they come, `export`, `status`)."""


from pathlib import Path
from typing import Annotated

import typer

from opd_desa.cli.common import connect, done, fmt
from opd_desa.i18n import _
from opd_desa.render import Column, emit_rows

LOG_COLUMNS = [
    Column("id", "#", "int"), Column("at", "At (UTC)"), Column("user", "User"), Column("command", "Command"),
    Column("table", "Table"), Column("key", "Key"), Column("old", "Old"), Column("new", "New"),
]


def register(app: typer.Typer) -> None:
    format_option = Annotated[str, typer.Option("--format", "-f", help=_("table, csv, json or markdown."))]

    @app.command(help=_("Show the change log, newest first.\n\nExample: opd-desa log --limit 20"))
    def log(
        ctx: typer.Context,
        limit: Annotated[int, typer.Option(help=_("How many entries (0 for all)."), min=0)] = 50,
        format: format_option = "table",
    ) -> None:
        import json

        from opd_desa.changelog import entries

        output = fmt(format)
        rows = entries(connect(ctx), limit or None)
        if output == "json":
            emit_rows(rows, LOG_COLUMNS, output)
            return
        shown = [{**r, "old": _compact(r["old"]), "new": _compact(r["new"])} for r in rows]
        if output == "csv":
            shown = [{**r, "old": json.dumps(r["old"], ensure_ascii=False) if r["old"] is not None else None,
                      "new": json.dumps(r["new"], ensure_ascii=False) if r["new"] is not None else None}
                     for r in rows]
        emit_rows(shown, LOG_COLUMNS, output)

    @app.command(help=_("Write a consistent copy of the database, even while other commands run.\n\n"
                        "Example: opd-desa backup opd-desa-2024-01-31.db"))
    def backup(ctx: typer.Context,
               file: Annotated[Path, typer.Argument(metavar="FILE", help=_("The copy to write."))]) -> None:
        from opd_desa.services.backup import backup_database

        path = backup_database(connect(ctx), file)
        done(_("backup written to {path}").format(path=path))


def _compact(row: dict[str, object] | None) -> str | None:
    if row is None:
        return None
    return ", ".join(f"{k}={v}" for k, v in row.items() if v is not None)
