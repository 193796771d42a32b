"""How the scorecard and the trend look to people: columns, sentences, and bars against the target."""

from __future__ import annotations

from typing import TYPE_CHECKING

from opd_desa.i18n import _, decimal, ngettext
from opd_desa.output.columns import Column
from opd_desa.output.present import View
from opd_desa.output.terminal import Out
from opd_desa.views.charts import scorecard_chart, trend_chart
from opd_desa.views.report import measure_columns, source_lines, warnings

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
    Column("basis", "Basis", optional=True),
]
BAR_WIDTH = 40


def _points(value: float | None) -> str:
    return "–" if value is None else decimal(f"{value:+.2f}")


def _mean_change_line(n: int, sentence: str, none: str, **values: object) -> str:
    """`sentence` filled in for `n` villages, or `none` (also filled in) when there are none to average."""
    return (sentence if n else none).format(n=n, **values)


def scorecard_view(ev: Evaluation) -> View:
    """Current pairings against their baseline, with the comparison to unpaired villages."""
    s = ev.summary
    title = _("Scorecard {year}: current pairings against their baseline").format(year=ev.year)
    if ev.measure is not None and ev.measure.key != "poverty":
        title += f" ({ev.measure.title})"
    lines = [
        _mean_change_line(
            s["paired"],
            ngettext(
                "Mean change of the {n} mentored village since its baseline: {change} percentage points.",
                "Mean change of the {n} mentored villages since their baseline: {change} percentage points.",
                s["paired"],
            ),
            _("No village is mentored yet: no mean change to show."),
            change=_points(s["paired_mean_change"]),
        ),
        _mean_change_line(
            s["unpaired"],
            ngettext(
                "Mean change of the {n} village without a mentor that was above the target in {baseline}: "
                "{change} percentage points.",
                "Mean change of the {n} villages without a mentor that were above the target in {baseline}: "
                "{change} percentage points.",
                s["unpaired"],
            ),
            _("No village above the target in {baseline} is without a mentor: nothing to compare with."),
            baseline=s["baseline_year"] or "–",
            change=_points(s["unpaired_mean_change"]),
        ),
        _("This is a descriptive comparison, not proof that mentoring caused the difference."),
        *source_lines(ev.sources),
    ]

    shown = measure_columns(SCORECARD_COLUMNS, ev.measure)

    def printer(out: Out) -> None:
        out.table(ev.rows, shown)
        for line in lines:
            out.print(line)

    return View(
        ev.rows,
        shown,
        data=ev.as_dict(),
        title=title,
        lines=lines,
        draw=printer,
        notices=warnings(ev.warnings),
        chart=lambda: scorecard_chart(ev),
    )


def _bar(rate: float, target: float | None, scale: float, misses: bool | None) -> list[tuple[str, str | None]]:
    """A bar of the figure with the target marked ┃: red when worse than the target, green otherwise."""
    filled = round(rate / scale * BAR_WIDTH)
    mark = min(round(target / scale * BAR_WIDTH), BAR_WIDTH) if target is not None else -1
    colour = "red" if misses else "green" if misses is False else "cyan"
    return [
        ("┃" if i == mark else "█" if i < filled else " ", "bold" if i == mark else colour)
        for i in range(BAR_WIDTH + 1)
    ]


def _figure(ev: Evaluation, value: float | None) -> str:
    if value is None:
        return "–"
    if ev.measure is None or ev.measure.is_percent:
        return decimal(f"{value:6.2f} %")
    return decimal(f"{value:.4f}")


def trend_view(ev: Evaluation) -> View:
    """The figure by year as bars against the target."""
    if ev.measure is None or ev.measure.key == "poverty":
        title = _("Poverty rate by year: {subject}").format(subject=ev.subject)
    else:
        title = _("{measure} by year: {subject}").format(measure=ev.measure.title, subject=ev.subject)
    s = ev.summary
    lines = []
    if s["change"] is not None:
        lines.append(
            _("From {first} to {last} ({change}); ┃ marks the target.").format(
                first=_figure(ev, s["first_rate"]).strip(),
                last=_figure(ev, s["last_rate"]).strip(),
                change=_points(s["change"]),
            )
        )
    if any(r.get("basis") == "official" for r in ev.rows):
        lines.append(
            _(
                "Years marked (official) show the official figure recorded for the area; "
                "the others the mean of the villages."
            )
        )
    lines += source_lines(ev.sources)

    def printer(out: Out) -> None:
        if not ev.rows:
            out.print(_("(nothing to show)"), style="dim")
        values = [r["value"] for r in ev.rows if r["value"] is not None]
        targets = [r["target"] for r in ev.rows if r["target"] is not None]
        scale = max([*values, *targets, 1.0 if ev.measure is None or ev.measure.is_percent else 0.0, 1e-9]) * 1.1
        for r in ev.rows:
            target = (
                _("target {target}").format(target=_figure(ev, r["target"]).strip())
                if r["target"] is not None
                else _("no target")
            )
            basis = "  " + _("(official)") if r.get("basis") == "official" else ""
            out.segments(
                [
                    (f"{r['year']}  {_figure(ev, r['value'])}  ", None),
                    *(_bar(r["value"], r["target"], scale, r["above_target"]) if r["value"] is not None else []),
                    (f"  {target}{basis}", "dim"),
                ]
            )
        for line in lines:
            out.print(line)

    return View(
        ev.rows,
        measure_columns(TREND_COLUMNS, ev.measure),
        data=ev.as_dict(),
        title=title,
        lines=lines,
        draw=printer,
        notices=warnings(ev.warnings),
        chart=lambda: trend_chart(ev),
    )
