"""How `history` looks: every pairing of a village or an agency, each with its activities."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opd_desa.i18n import _
from opd_desa.output.columns import Column
from opd_desa.output.present import View
from opd_desa.output.terminal import Out

PAIRING_COLUMNS = [
    Column("village_code", "Village code"),
    Column("village", "Village"),
    Column("agency_code", "Agency"),
    Column("agency", "Agency name", optional=True),
    Column("since", "Since"),
    Column("last_day", "Last day"),  # `until` is the first day without the mentor; people read the last day
    Column("decree", "Decree (SK)", optional=True),
    Column("reason", "Reason ended"),
    Column("note", "Note", optional=True),
]
# CSV keeps the stored `until` that scripts read (and `import pairings` takes), with `last_day` beside it
PAIRING_CSV_COLUMNS = [
    *PAIRING_COLUMNS[:5],
    Column("until", "Until"),
    *PAIRING_COLUMNS[5:],
]
ACTIVITY_COLUMNS = [
    Column("id", "#", "int"),
    Column("date", "Date"),
    Column("kind", "Kind"),
    Column("title", "Activity"),
    Column("budget", "Budget (Rp)", "money"),
    Column("spent", "Spent (Rp)", "money"),
    Column("beneficiaries", "Beneficiaries", "int"),
]


def history_view(subject: str, kind: str, rows: Sequence[dict[str, Any]]) -> View:
    """The pairings of `subject` (a village or an agency, `kind`); each row's "activities" lists its activities."""

    def draw(out: Out) -> None:
        out.print(_("History of {subject}").format(subject=subject), style="bold")
        if not rows:
            out.print(_("no pairings yet"), style="dim")
            return
        # a village's history names its agencies, an agency's its villages
        shown = PAIRING_COLUMNS[2:] if kind == "village" else PAIRING_COLUMNS[:2] + PAIRING_COLUMNS[4:]
        out.table(rows, shown)
        for row in rows:
            heading = _("Activities of {agency} in {village}, {since} to {last_day}").format(
                agency=row["agency_code"],
                village=row["village"],
                since=row["since"],
                last_day=row["last_day"] or _("today"),
            )
            if row["activities"]:
                out.table(row["activities"], ACTIVITY_COLUMNS, title=heading)
            else:
                out.print(heading + ": " + _("none recorded"), style="dim")

    return View(rows, PAIRING_COLUMNS, draw=draw, csv_columns=PAIRING_CSV_COLUMNS)
