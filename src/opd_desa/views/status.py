"""How `status` looks: the database, its counts and years, and each attention list with the command that fixes it."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from opd_desa.i18n import _, decimal
from opd_desa.output.columns import Column
from opd_desa.output.present import View
from opd_desa.output.terminal import Out

if TYPE_CHECKING:
    from opd_desa.services.status import Status

ATTENTION_COLUMNS = [Column("list", "List"), Column("code", "Code"), Column("name", "Name")]
SHOWN_ITEMS = 10  # items listed per attention list on a terminal; JSON lists them all

Item = dict[str, Any]


def status_view(found: Status) -> View:
    """Everything for JSON; the attention lists as rows for CSV and Markdown; the overview for people."""
    rows = [
        {"list": key, "code": item["code"], "name": item.get("name")}
        for key, items in found.attention.items()
        for item in items
    ]
    return View(rows, ATTENTION_COLUMNS, data=found.as_dict(), draw=lambda out: _draw(out, found))


def _figure(found: Status, value: float) -> str:
    """A figure of the status's measure: 7.00 % for a percentage, 0.6523 for a score."""
    if found.measure is None or found.measure.is_percent:
        return decimal(f"{value:.2f} %")
    return decimal(f"{value:.4f}")


def _sections(found: Status) -> list[tuple[str, str, Callable[[Item], str], Callable[[Item], list[str]]]]:
    """(attention list, heading, how an item reads, the command line that acts on an item)."""
    return [
        (
            "above_target_unpaired",
            _("Villages worse than the target ({target}) in {year} without a mentor").format(
                target=_figure(found, found.target) if found.target is not None else _("none"),
                year=found.latest_year or "–",
            ),
            lambda r: f"{r['name']} ({r['code']}) " + _figure(found, r["value"]),
            lambda r: ["assign", r["name"], _("AGENCY")],
        ),
        (
            "agencies_without_village",
            _("Agencies without a village"),
            lambda r: f"{r['code']} ({r['name']})",
            lambda r: ["assign", _("VILLAGE"), r["code"]],
        ),
        (
            "inactive_pairings",
            _("Pairings with no activity in the last {days} days").format(days=found.idle_days),
            lambda r: (
                f"{r['agency']} – {r['name']} ({r['code']}), "
                + _("last activity: {day}").format(day=r["last_activity"] or _("none"))
            ),
            lambda r: ["activity", "add", r["name"], "--date", "...", "--kind", "...", "--title", "..."],
        ),
        (
            "stale_villages",
            _("Villages whose latest figure is more than a year older than the rest"),
            lambda r: f"{r['name']} ({r['code']}): {r['latest']}",
            lambda r: ["import", "poverty", "FILE"],
        ),
        (
            "villages_without_boundary",
            _("Villages without a boundary on the map"),
            lambda r: f"{r['name']} ({r['code']})",
            lambda r: ["import", "boundaries", "FILE"],
        ),
    ]


def _draw(out: Out, found: Status) -> None:
    out.print(_("Database: {path} (schema {version})").format(path=found.database, version=found.schema_version))
    out.print(
        _("Villages: {villages}; agencies: {agencies}; current pairings: {pairings}; activities: {activities}").format(
            **found.counts
        )
    )
    key = found.measure.key if found.measure else "poverty"
    out.print(
        _("Years with figures of {measure}: {years}").format(measure=key, years=", ".join(map(str, found.years)) or "-")
    )
    if not found.sound:
        out.print(_("The database file is not as opd-desa wrote it: run `opd-desa check`"), style="red bold")
    for key, heading, describe, fix in _sections(found):
        if key not in found.attention:  # a list that does not apply (no boundaries loaded yet)
            continue
        items = found.attention[key]
        out.print()
        out.print(f"{heading}: {len(items)}", style="bold" if items else "dim")
        for item in items[:SHOWN_ITEMS]:
            out.print(f"  {describe(item)}")
        if len(items) > SHOWN_ITEMS:
            out.print("  " + _("... and {n} more (--format json lists all)").format(n=len(items) - SHOWN_ITEMS))
        if items:
            command = shlex.join(["opd-desa", *fix(items[0])])
            out.print("  " + _("to act: {command}").format(command=command), style="cyan")
