"""How `check` looks: one line per problem (and whether `--repair` mended it), or that all is well."""

from __future__ import annotations

from collections.abc import Sequence

from opd_desa.i18n import _
from opd_desa.output.columns import Column
from opd_desa.output.present import View
from opd_desa.output.terminal import Out
from opd_desa.services.check import Problem

CHECK_COLUMNS = [Column("where", "Where"), Column("problem", "Problem"), Column("repaired", "Repaired", "bool")]


def check_view(problems: Sequence[Problem]) -> View:
    """The problems as rows (JSON: whether the database is sound, and the problems)."""
    rows = [p.as_dict() for p in problems]
    sound = all(p.repaired for p in problems)

    def draw(out: Out) -> None:
        if not problems:
            out.print(_("no problems found: the database is as opd-desa wrote it"), style="green")
            return
        for p in problems:
            mark = _("repaired") if p.repaired else _("problem")
            out.segments([(f"{mark}: ", "green" if p.repaired else "red"), (f"{p.where}: {p.what}", None)])

    return View(rows, CHECK_COLUMNS, data={"sound": sound, "problems": rows}, draw=draw)
