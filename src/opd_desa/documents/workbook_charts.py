"""The native Excel charts of a workbook: the values a chart shows as a table, and the line, bar and
pairing charts that read that table, in the colours of the pictures (Okabe-Ito).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opd_desa.documents.page import BarChart, Cell, Column, PairingChart, TrendChart

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

BLUE, VERMILLION, LIGHT_SKY = "0072B2", "D55E00", "A9DAF5"
"""The charts' colours (Okabe-Ito, as in the pictures), for the native charts."""


def chart_table(spec: TrendChart | BarChart | PairingChart) -> tuple[tuple[Column, ...], tuple[tuple[Cell, ...], ...]]:
    """The values a chart shows, as columns and rows: category first, then one column per series."""
    if isinstance(spec, PairingChart):
        pairing = (
            Column(spec.value_label),
            Column(spec.baseline_label, kind="percent"),
            Column(spec.now_label, kind="percent"),
            Column(spec.change_label, kind="points"),
        )
        return pairing, tuple((v, b, n, n - b) for v, b, n in zip(spec.villages, spec.baseline, spec.now, strict=True))
    if isinstance(spec, TrendChart):
        pairs: list[tuple[str, float | None]] = [(str(y), v) for y, v in zip(spec.years, spec.values, strict=True)]
    else:
        pairs = list(zip(spec.labels, spec.values, strict=True))
        if spec.sort:
            pairs.sort(key=lambda pair: -(pair[1] or 0.0))
    columns: tuple[Column, ...] = (Column(spec.x_label), Column(spec.series_label, kind="percent"))
    if spec.target is None:
        return columns, tuple(pairs)
    columns += (Column(spec.target_label or spec.y_label, kind="percent"),)
    return columns, tuple((label, value, spec.target) for label, value in pairs)


def line_chart(sheet: Worksheet, spec: TrendChart, header: int, count: int, width: int) -> Any:
    """A year-by-year line (solid) with the target (dashed), read from the table under it."""
    from openpyxl.chart import LineChart, Reference

    native = LineChart()
    native.title = spec.title
    native.y_axis.title = spec.y_label
    native.x_axis.title = spec.x_label
    native.add_data(
        Reference(sheet, min_col=2, max_col=width, min_row=header, max_row=header + count), titles_from_data=True
    )
    native.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=header + count))
    for series in native.series:
        series.smooth = False  # a straight line between years: a curve would invent values between them
    native.series[0].marker.symbol = "circle"
    native.series[0].graphicalProperties.line.solidFill = BLUE
    if len(native.series) > 1:
        native.series[1].graphicalProperties.line.dashStyle = "dash"
        native.series[1].graphicalProperties.line.solidFill = VERMILLION
    return native


def bar_chart(sheet: Worksheet, spec: BarChart, header: int, count: int, width: int) -> Any:
    """Bars per area, those above the target in vermillion, with the target as a dashed line."""
    from openpyxl.chart import BarChart as Bars
    from openpyxl.chart import LineChart, Reference

    native = Bars()
    native.type = "col"
    native.title = spec.title
    native.y_axis.title = spec.y_label
    native.x_axis.title = spec.x_label
    native.add_data(Reference(sheet, min_col=2, min_row=header, max_row=header + count), titles_from_data=True)
    categories = Reference(sheet, min_col=1, min_row=header + 1, max_row=header + count)
    native.set_categories(categories)
    native.series[0].graphicalProperties.solidFill = LIGHT_SKY
    native.series[0].graphicalProperties.line.solidFill = "000000"
    _above_in_vermillion(native.series[0], spec)
    if width > 2:
        target = LineChart()
        target.add_data(Reference(sheet, min_col=3, min_row=header, max_row=header + count), titles_from_data=True)
        target.series[0].graphicalProperties.line.dashStyle = "dash"
        target.series[0].graphicalProperties.line.solidFill = "000000"
        native += target
    return native


def _above_in_vermillion(series: Any, spec: BarChart) -> None:
    """Bars above the target in dark vermillion, the others light blue, as in the picture (values as written)."""
    from openpyxl.chart.marker import DataPoint

    if spec.target is None:
        return
    values = sorted(spec.values, reverse=True) if spec.sort else list(spec.values)
    for index, value in enumerate(values):
        if value > spec.target:
            point = DataPoint(idx=index)
            point.graphicalProperties.solidFill = VERMILLION
            point.graphicalProperties.line.solidFill = "000000"
            series.dPt.append(point)


def pairing_chart(sheet: Worksheet, spec: PairingChart, header: int, count: int) -> Any:
    """Each pairing's baseline and now side by side, as horizontal bars."""
    from openpyxl.chart import BarChart as Bars
    from openpyxl.chart import Reference

    native = Bars()
    native.type = "bar"
    native.title = spec.title
    native.y_axis.title = spec.value_label
    native.add_data(
        Reference(sheet, min_col=2, max_col=3, min_row=header, max_row=header + count), titles_from_data=True
    )
    native.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=header + count))
    for series, colour in zip(native.series, (LIGHT_SKY, BLUE), strict=True):  # light then dark: apart in grey too
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = "000000"
    return native


def size_chart(native: Any, height: float) -> None:
    """The chart's size on the sheet (full width, `height` cm) and its legend below."""
    native.width = 22.0
    native.height = height
    native.legend.position = "b"
