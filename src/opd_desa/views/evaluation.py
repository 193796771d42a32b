"""How the scorecard and the trend look to people: columns, sentences, and bars against the target."""

from __future__ import annotations

from typing import TYPE_CHECKING

from opd_desa.i18n import _, decimal
from opd_desa.output.columns import Column
from opd_desa.output.present import View
from opd_desa.output.terminal import Out
from opd_desa.views.charts import scorecard_chart, trend_chart
from opd_desa.views.report import source_lines, warnings

if TYPE_CHECKING:
    from opd_desa.services.evaluation import Evaluation

SCORECARD_COLUMNS = [
    Column("agency", "Agency"),
    Column("village_code", "Village code", optional=True),
    Column("village", "Village"),
    Column("since", "Since"),
    Column("baseline_year", "Baseline year", optional=True),
    Column("baseline_rate", "Baseline %", "rate"),
    Column("rate", "Rate %", "rate"),
    Column("change", "Change", "change"),
    Column("activities", "Activities", "int"),
    Column("budget", "Budget (Rp)", "money"),
    Column("spent", "Spent (Rp)", "money", optional=True),
    Column("beneficiaries", "Beneficiaries", "int"),
]
TREND_COLUMNS = [
    Column("year", "Year"),
    Column("rate", "Rate %", "rate"),
    Column("target", "Target %", "rate"),
    Column("above_target", "Above target", "bool"),
    Column("villages", "Villages", "int"),
]
BAR_WIDTH = 40


def _points(value: float | None) -> str:
    return "–" if value is None else decimal(f"{value:+.2f}")


def scorecard_view(ev: Evaluation) -> View:
    """Current pairings against their baseline, with the comparison to unpaired villages."""
    s = ev.summary
    title = _("Scorecard {year}: current pairings against their baseline").format(year=ev.year)
    lines = [
        _("Mean change of the {n} mentored villages since their baseline: {change} percentage points.").format(
            n=s["paired"], change=_points(s["paired_mean_change"])
        ),
        _(
            "Mean change of the {n} villages without a mentor that were above the target in {baseline}: "
            "{change} percentage points."
        ).format(n=s["unpaired"], baseline=s["baseline_year"] or "–", change=_points(s["unpaired_mean_change"])),
        _("This is a descriptive comparison, not proof that mentoring caused the difference."),
        *source_lines(ev.sources),
    ]

    def printer(out: Out) -> None:
        out.table(ev.rows, SCORECARD_COLUMNS)
        for line in lines:
            out.print(line)

    return View(
        ev.rows,
        SCORECARD_COLUMNS,
        data=ev.as_dict(),
        title=title,
        lines=lines,
        draw=printer,
        notices=warnings(ev.warnings),
        chart=lambda: scorecard_chart(ev),
    )


def _bar(rate: float, target: float, scale: float) -> list[tuple[str, str | None]]:
    """A bar of the rate with the target marked ┃: red above the target, green at or below it."""
    filled = round(rate / scale * BAR_WIDTH)
    mark = min(round(target / scale * BAR_WIDTH), BAR_WIDTH)
    colour = "red" if rate > target else "green"
    return [
        ("┃" if i == mark else "█" if i < filled else " ", "bold" if i == mark else colour)
        for i in range(BAR_WIDTH + 1)
    ]


def trend_view(ev: Evaluation) -> View:
    """The rate by year as bars against the target."""
    title = _("Poverty rate by year: {subject}").format(subject=ev.subject)
    s = ev.summary
    lines = []
    if s["change"] is not None:
        lines.append(
            _("From {first:.2f} % to {last:.2f} % ({change} percentage points); ┃ marks the target.").format(
                first=s["first_rate"], last=s["last_rate"], change=_points(s["change"])
            )
        )
    lines += source_lines(ev.sources)

    def printer(out: Out) -> None:
        if not ev.rows:
            out.print(_("(nothing to show)"), style="dim")
        scale = max([r["rate"] for r in ev.rows] + [r["target"] for r in ev.rows] + [1.0]) * 1.1
        for r in ev.rows:
            target = _("target {target:.2f} %").format(target=r["target"])
            out.segments(
                [
                    (decimal(f"{r['year']}  {r['rate']:6.2f} %  "), None),
                    *_bar(r["rate"], r["target"], scale),
                    (f"  {target}", "dim"),
                ]
            )
        for line in lines:
            out.print(line)

    return View(
        ev.rows,
        TREND_COLUMNS,
        data=ev.as_dict(),
        title=title,
        lines=lines,
        draw=printer,
        notices=warnings(ev.warnings),
        chart=lambda: trend_chart(ev),
    )
