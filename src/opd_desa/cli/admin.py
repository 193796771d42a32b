"""`log`, `backup` (and, as they come, `export`, `status`)."""

from pathlib import Path
from typing import Annotated

import typer

from opd_desa.cli.common import connect, done, fmt, format_type, today
from opd_desa.i18n import _, decimal
from opd_desa.render import Column, emit_rows

LOG_COLUMNS = [
    Column("id", "#", "int"),
    Column("at", "At (UTC)"),
    Column("user", "User"),
    Column("command", "Command"),
    Column("table", "Table"),
    Column("key", "Key"),
    Column("old", "Old"),
    Column("new", "New"),
]


def register(app: typer.Typer) -> None:
    format_option = format_type()

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
            shown = [
                {
                    **r,
                    "old": json.dumps(r["old"], ensure_ascii=False) if r["old"] is not None else None,
                    "new": json.dumps(r["new"], ensure_ascii=False) if r["new"] is not None else None,
                }
                for r in rows
            ]
        emit_rows(shown, LOG_COLUMNS, output)

    @app.command(
        help=_(
            "Write a consistent copy of the database, even while other commands run.\n\n"
            "Example: opd-desa backup opd-desa-2024-01-31.db"
        )
    )
    def backup(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(metavar="FILE", help=_("The copy to write."))],
    ) -> None:
        from opd_desa.services.backup import backup_database

        path = backup_database(connect(ctx), file)
        done(_("backup written to {path}").format(path=path))

    register_export(app)
    register_status(app)


def _compact(row: dict[str, object] | None) -> str | None:
    if row is None:
        return None
    return ", ".join(f"{k}={v}" for k, v in row.items() if v is not None)


def register_export(app: typer.Typer) -> None:
    @app.command(
        help=_(
            "Write every table as CSV in the columns `import` reads (and the change log).\n\n"
            "Example: opd-desa export arsip-2024/ --xlsx"
        )
    )
    def export(
        ctx: typer.Context,
        dir: Annotated[Path, typer.Argument(metavar="DIR", help=_("Folder to write into."))],
        xlsx: Annotated[bool, typer.Option("--xlsx", help=_("Also one Excel workbook, a sheet per table."))] = False,
    ) -> None:
        from opd_desa.services.export import export_all

        for name, rows in export_all(connect(ctx), dir, workbook=xlsx):
            done(_("{file}: {rows} rows").format(file=dir / name, rows=rows))


def register_status(app: typer.Typer) -> None:
    @app.command(
        help=_(
            "Database, counts, years with figures, and what needs attention, with the command that "
            "fixes each.\n\nExample: opd-desa status"
        )
    )
    def status(
        ctx: typer.Context,
        format: Annotated[str, typer.Option("--format", "-f", help=_("table, csv, json or markdown."))] = "table",
        measure: Annotated[
            str | None, typer.Option(help=_("Measure: poverty (default), extreme, idm or your own."))
        ] = None,
    ) -> None:
        from opd_desa.cli.common import db_path
        from opd_desa.render import stdout_out, to_json
        from opd_desa.services.status import database_status

        output = fmt(format)
        found = database_status(connect(ctx), db_path(ctx), today=today(ctx), measure=measure)
        if output == "json":
            print(to_json(found.as_dict()))
            return
        if output in ("csv", "markdown"):
            rows = [
                {"list": key, "code": item["code"], "name": item.get("name")}
                for key, items in found.attention.items()
                for item in items
            ]
            emit_rows(rows, [Column("list", "List"), Column("code", "Code"), Column("name", "Name")], output)
            return
        out = stdout_out()
        out.print(_("Database: {path} (schema {version})").format(path=found.database, version=found.schema_version))
        out.print(
            _("{villages} villages, {agencies} agencies, {pairings} current pairings, {activities} activities").format(
                **found.counts
            )
        )
        key = found.measure.key if found.measure else "poverty"
        out.print(
            _("Years with figures of {measure}: {years}").format(
                measure=key, years=", ".join(map(str, found.years)) or "-"
            )
        )
        digits, unit = (2, " %") if found.measure is None or found.measure.is_percent else (4, "")
        a = found.attention
        sections = [
            (
                "above_target_unpaired",
                _("Villages worse than the target ({target}) in {year} without a mentor").format(
                    target=decimal(f"{found.target:.{digits}f}{unit}") if found.target is not None else _("none"),
                    year=found.latest_year or "–",
                ),
                lambda r: f"{r['name']} ({r['code']}) " + decimal(f"{r['value']:.{digits}f}{unit}"),
                "opd-desa assign {name} AGENCY",
            ),
            (
                "agencies_without_village",
                _("Agencies without a village"),
                lambda r: f"{r['code']} ({r['name']})",
                "opd-desa assign VILLAGE {code}",
            ),
            (
                "inactive_pairings",
                _("Pairings with no activity in the last {days} days").format(days=found.idle_days),
                lambda r: (
                    f"{r['agency']} – {r['name']} ({r['code']}), "
                    + _("last activity: {day}").format(day=r["last_activity"] or _("none"))
                ),
                "opd-desa activity add {name} --date ... --kind ... --title ...",
            ),
            (
                "stale_villages",
                _("Villages whose latest figure is more than a year older than the rest"),
                lambda r: f"{r['name']} ({r['code']}): {r['latest']}",
                "opd-desa import poverty FILE",
            ),
        ]
        for key, heading, describe, fix in sections:
            items = a[key]
            out.print()
            out.print(f"{heading}: {len(items)}", style="bold" if items else "dim")
            for item in items[:10]:
                out.print(f"  {describe(item)}")
            if len(items) > 10:
                out.print("  " + _("... and {n} more (--format json lists all)").format(n=len(items) - 10))
            if items:
                first = items[0]
                name = first.get("name") or ""
                out.print(
                    "  "
                    + _("to act: {command}").format(
                        command=fix.format(name=f'"{name}"' if " " in name else name, code=first["code"])
                    ),
                    style="cyan",
                )
