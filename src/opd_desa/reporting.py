"""Who reported for a period and who is missing: pure computation over plain rows.

Rates follow DHIS2: the expected reports are the agencies with a pairing in force during the
period; `rate` = reported ÷ expected × 100; a report is on time when the first activity of the
period was recorded (imported or added, as the change log says) at most `timely_days` days after
the period ended, and `on_time_rate` = reported on time ÷ expected × 100.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from opd_desa.i18n import _, language
from opd_desa.periods import Period

TIMELY_DAYS = 15
"""Days after the end of a period within which a report counts as on time (DHIS2's default)."""

Status = Literal["reported", "missing"]


@dataclass(frozen=True)
class PairingRow:
    """A pairing as the database holds it: `until` is the first day it no longer holds (None: open)."""

    agency_code: str
    agency: str
    village_code: str
    village: str
    since: dt.date
    until: dt.date | None = None

    def overlaps(self, period: Period) -> bool:
        """Whether the pairing is in force on at least one day of the period."""
        return self.since <= period.end and (self.until is None or self.until > period.start)


@dataclass(frozen=True)
class ActivityRow:
    """An activity with the day it was first recorded (from the change log; None if unknown)."""

    agency_code: str
    village_code: str
    date: dt.date
    budget: int | None = None
    spent: int | None = None
    recorded: dt.date | None = None


@dataclass(frozen=True)
class AgencyReport:
    """One agency's line of the reporting table."""

    agency: str
    agency_name: str
    village_code: str
    village: str
    activities: int
    budget: int | None
    spent: int | None
    realisation: float | None
    last_activity: dt.date | None
    status: Status
    on_time: bool


@dataclass(frozen=True)
class Summary:
    agencies: int
    reported: int
    missing: int
    rate: float | None
    on_time_rate: float | None


@dataclass(frozen=True)
class Reporting:
    period: Period
    rows: list[AgencyReport]
    summary: Summary

    def as_json(self) -> dict[str, Any]:
        """The SPEC's JSON shape: period, start, end, rows, summary (dates as ISO text)."""
        rows = []
        for row in self.rows:
            item = asdict(row)
            del item["agency_name"]
            item["last_activity"] = row.last_activity.isoformat() if row.last_activity else None
            rows.append(item)
        return {
            "period": self.period.name,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "rows": rows,
            "summary": asdict(self.summary),
        }


def _percent(part: int, whole: int | None) -> float | None:
    return round(part / whole * 100, 1) if whole else None


def _total(values: Iterable[int | None]) -> int | None:
    given = [v for v in values if v is not None]
    return sum(given) if given else None


def build_reporting(
    period: Period,
    pairings: Iterable[PairingRow],
    activities: Iterable[ActivityRow],
    *,
    timely_days: int = TIMELY_DAYS,
) -> Reporting:
    """One line per agency with a pairing in force during the period, and the summary.

    An agency whose village changed within the period is shown with its latest village; its
    activities in the period count in every village it mentored during the period.
    """
    latest: dict[str, PairingRow] = {}
    villages: dict[str, set[str]] = {}
    for pairing in pairings:
        if not pairing.overlaps(period):
            continue
        villages.setdefault(pairing.agency_code, set()).add(pairing.village_code)
        if pairing.agency_code not in latest or pairing.since >= latest[pairing.agency_code].since:
            latest[pairing.agency_code] = pairing
    done: dict[str, list[ActivityRow]] = {code: [] for code in latest}
    for activity in activities:
        if period.contains(activity.date) and activity.village_code in villages.get(activity.agency_code, ()):
            done[activity.agency_code].append(activity)
    deadline = period.end + dt.timedelta(days=timely_days)
    rows = []
    for code in sorted(latest):
        pairing, own = latest[code], done[code]
        budget, spent = _total(a.budget for a in own), _total(a.spent for a in own)
        first_recorded = min((a.recorded for a in own if a.recorded is not None), default=None)
        rows.append(
            AgencyReport(
                agency=code,
                agency_name=pairing.agency,
                village_code=pairing.village_code,
                village=pairing.village,
                activities=len(own),
                budget=budget,
                spent=spent,
                realisation=round((spent or 0) / budget * 100, 1) if budget else None,
                last_activity=max((a.date for a in own), default=None),
                status="reported" if own else "missing",
                on_time=first_recorded is not None and first_recorded <= deadline,
            )
        )
    reported = sum(1 for r in rows if r.status == "reported")
    on_time = sum(1 for r in rows if r.on_time)
    summary = Summary(
        len(rows), reported, len(rows) - reported, _percent(reported, len(rows)), _percent(on_time, len(rows))
    )
    return Reporting(period, rows, summary)


def reminder_text(
    row: AgencyReport,
    period: Period,
    form_file: str,
    secretariat: str,
    *,
    due: dt.date | None = None,
) -> str:
    """A short reminder, in the language chosen for messages, ready for a letter or a chat message."""
    lines = [
        _("To: {agency} ({code})").format(agency=row.agency_name, code=row.agency),
        "",
        _(
            "We have not yet received the activity report of your agency for the village of {village} "
            "for the period {period} ({start} to {end})."
        ).format(village=row.village, period=period.name, start=day_text(period.start), end=day_text(period.end)),
        _("Please fill in the form {form} and send it back by {due}.").format(form=form_file, due=day_text(due))
        if due
        else _("Please fill in the form {form} and send it back.").format(form=form_file),
        _("Questions and returned forms: {contact}").format(contact=secretariat),
        "",
        _("Thank you."),
    ]
    return "\n".join(lines) + "\n"


def day_text(day: dt.date) -> str:
    """A date as the reader writes it: 31/12/2023 in Indonesian, 2023-12-31 otherwise."""
    return day.strftime("%d/%m/%Y") if language() == "id" else day.isoformat()
