"""`plan`: gather from the database what `planning.make_plan` needs, and write its pairings file.

The plan looks at the pairings as they stand on the eve of the new decree (the day before
`since`): those in force then are "current", those that began before `since` are the history an
agency may not go back to. So a plan made again after its file was imported is the same plan, and
importing that file once more changes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _
from opd_desa.planning import (
    DEFAULT_GRADUATE_AFTER,
    Agency,
    Figure,
    Measure,
    Pairing,
    Plan,
    Village,
    default_since,
    make_plan,
    pairings_rows,
)
from opd_desa.rules import in_force
from opd_desa.services.settings import office

if TYPE_CHECKING:
    from opd_desa.measures import Measure as FoundMeasure

_FIGURES = """SELECT f.village_code, f.year, f.value, coalesce(f.population, v.population)
    FROM all_figures f JOIN villages v ON v.code = f.village_code
    WHERE f.measure_id = ? ORDER BY f.village_code, f.year"""
"""Every village figure of a measure; a figure's population, else the village's own (the
neediest-first tie-break wants one)."""


@dataclass(frozen=True)
class PlanResult:
    """A plan and the day its pairings file would start the new pairings."""

    plan: Plan
    since: date


def check_measure(conn: sqlite3.Connection, measure: str) -> FoundMeasure:
    """The measure of this key (poverty, extreme, idm or the office's own), or an error naming those known."""
    from opd_desa.services.measures import find_measure

    return find_measure(conn, measure)


def measure_figures(conn: sqlite3.Connection, measure: str) -> list[Figure]:
    """Every village's (village, year, value, population) for a measure, by village and year."""
    rows = conn.execute(_FIGURES, (check_measure(conn, measure).id,))
    return [Figure(code, year, value, population) for code, year, value, population in rows]


def measure_for(conn: sqlite3.Connection, measure: str, year: int) -> Measure:
    """The target and direction of a measure in `year` (poverty: the rate target, lower is better)."""
    from opd_desa.services.targets import target_for

    found = check_measure(conn, measure)
    target = target_for(conn, year, found).rate
    if target is None:
        raise InvalidValue(
            _("--measure {measure}: the plan needs a target; set one with {command}").format(
                measure=found.key, command=f"opd-desa target set {year} VALUE --measure {found.key}"
            )
        )
    return Measure(target=target, lower_is_better=found.better == "lower", unit="%" if found.is_percent else "")


def build_plan(
    conn: sqlite3.Connection,
    *,
    year: int | None = None,
    measure: str = "poverty",
    graduate_after: int = DEFAULT_GRADUATE_AFTER,
    since: date | None = None,
) -> PlanResult:
    """The plan for the decree after `year` (default: the latest year with figures)."""
    figures = measure_figures(conn, measure)
    years = sorted({f.year for f in figures})
    if not years:
        raise InvalidValue(_("no figures recorded yet; import them first (opd-desa import poverty FILE)"))
    if year is None:
        year = years[-1]
    elif year not in years:
        raise InvalidValue(
            _("--year: no figures for {year}; years with figures: {years}").format(
                year=year, years=", ".join(str(y) for y in years)
            )
        )
    start = since or default_since(year)
    if start.year <= year:
        raise InvalidValue(
            _(
                "--since {since}: the new pairings start after {year}, the year of the figures (default {default})"
            ).format(since=start.isoformat(), year=year, default=default_since(year).isoformat())
        )
    eve = (start - timedelta(days=1)).isoformat()
    villages = _villages(conn)
    agencies = [Agency(code, name) for code, name in conn.execute("SELECT code, name FROM agencies ORDER BY code")]
    current = _pairings(conn, villages, in_force("p", ":day"), eve)
    history = _pairings(conn, villages, "p.since <= :day", eve)
    plan = make_plan(
        year=year,
        measure=measure_for(conn, measure, year),
        villages=list(villages.values()),
        figures=figures,
        current=current,
        history=history,
        agencies=agencies,
        graduate_after=graduate_after,
    )
    return PlanResult(plan, start)


def _villages(conn: sqlite3.Connection) -> dict[str, Village]:
    rows = conn.execute(
        "SELECT v.code, v.name, k.name FROM villages v JOIN regions k ON k.code = v.kecamatan_code ORDER BY v.code"
    )
    return {code: Village(code, name, kecamatan) for code, name, kecamatan in rows}


def _pairings(conn: sqlite3.Connection, villages: dict[str, Village], where: str, day: str) -> list[Pairing]:
    rows = conn.execute(
        f"""SELECT p.village_code, a.code, a.name, p.since, p.until FROM pairings p
            JOIN agencies a ON a.id = p.agency_id WHERE {where} ORDER BY p.since, p.village_code""",
        {"day": day},
    )
    return [
        Pairing(villages[code], Agency(agency, name), date.fromisoformat(since), _day(until))
        for code, agency, name, since, until in rows
    ]


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def write_plan_file(conn: sqlite3.Connection, result: PlanResult, path: Path) -> int:
    """Write the plan as a pairings file (`.csv` or `.xlsx`) that `import pairings` reads; return its rows.

    The proposed pairings carry the decree number from `settings` when one is set."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InvalidValue(
            _("--output: {path} must end in .csv or .xlsx (a pairings file that `import pairings` reads)").format(
                path=path
            )
        )
    rows = pairings_rows(result.plan, result.since, decree=office(conn).decree_number or None)
    columns = _columns()
    try:
        if suffix == ".csv":
            _write_csv(path, columns, rows)
        else:
            _write_xlsx(path, columns, rows)
    except OSError as e:
        raise InvalidValue(_("--output: cannot write {path} ({error})").format(path=path, error=e.strerror or e)) from e
    return len(rows)


def _columns() -> list[str]:
    from opd_desa.imports.formats import FIELDS

    return [f.name for f in FIELDS["pairings"]]


def _write_csv(path: Path, columns: Sequence[str], rows: Sequence[dict[str, str | None]]) -> None:
    from opd_desa.csvio import write_csv

    with path.open("w", encoding="utf-8", newline="") as file:
        write_csv(file, columns, ([row[c] for c in columns] for row in rows))


def _write_xlsx(path: Path, columns: Sequence[str], rows: Sequence[dict[str, str | None]]) -> None:
    from opd_desa.xlsx import SheetData, write_workbook

    kinds = {"since": "date", "until": "date"}
    header = [(c, c, kinds.get(c, "text")) for c in columns]
    write_workbook(path, [SheetData("pairings", header, rows)])
