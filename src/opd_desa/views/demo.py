"""How `demo` looks: what was built, the villages above the target, and what to try next."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from opd_desa.i18n import N_, _, counted
from opd_desa.output.present import View
from opd_desa.output.terminal import Out
from opd_desa.views.report import print_rows, summary_lines

if TYPE_CHECKING:
    from opd_desa.services.example import Demo


KINDS = {  # what each example file holds, as the tour names it
    "villages": N_("villages"),
    "agencies": N_("agencies"),
    "targets": N_("targets"),
    "poverty": N_("poverty rates"),
    "figures": N_("other measures"),
    "pairings": N_("pairings"),
    "activities": N_("activities"),
}


def demo_view(demo: Demo, path: Path, files: Sequence[Path] = ()) -> View:
    """The tour: the example database at `path`, its report in brief, the input files written for the
    README's tour (`demo --files`), and three commands to try next."""
    whole = demo.report

    def draw(out: Out) -> None:
        out.print(
            _("Built {path}: Kabupaten Jepara, {villages} villages; example data loaded:").format(
                path=path, villages=demo.villages
            )
        )
        for s in demo.loaded:
            out.print(
                "  "
                + _("{kind}: {rows}").format(
                    kind=_(KINDS.get(s.kind, s.kind)),
                    rows=counted(s.inserted + s.updated + s.unchanged, "{n} row", "{n} rows"),
                )
            )
        out.print()
        print_rows(
            out,
            demo.above_target,
            title=_("Villages above the {target:.2f} % target in {year}, highest first").format(
                target=whole.target, year=whole.year
            ),
            compact=True,
        )
        for line in summary_lines(whole):
            out.print(line)
        if files:
            out.print()
            out.print(_("Example input files for the README's tour:"), style="bold")
            for written in files:
                out.print(f"  {written}")
        db = ["--db", str(path)] if str(path) != "opd-desa.db" else []
        out.print()
        out.print(_("Try next:"), style="bold")
        for command in (
            ["report", "--year", "2020", "--by", "kabupaten"],
            ["report", "--measure", "idm", "--by", "kecamatan"],
            ["report", "--unpaired", "--above-target", "--output", "laporan.html"],
        ):
            out.print("  " + shlex.join(["opd-desa", *db, *command]))

    return View(demo.above_target.rows, [], draw=draw)
