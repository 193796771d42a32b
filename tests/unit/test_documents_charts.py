"""Charts: the words on the picture, the same file every run, text as paths, readable without colour."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from matplotlib.text import Text

from opd_desa.documents import charts
from opd_desa.documents.page import ChartSpec, Mark
from opd_desa.errors import InvalidValue
from tests.unit.documents_samples import bars, pairings, trend

SPECS = [trend(), bars(), pairings()]


@pytest.mark.parametrize("spec", SPECS, ids=["trend", "bars", "pairings"])
def test_svg_is_the_same_every_run_and_carries_no_date(spec: ChartSpec) -> None:
    first, second = charts.svg(spec), charts.svg(spec)
    assert first == second
    assert "<dc:date>" not in first and "<metadata" not in first


@pytest.mark.parametrize("spec", SPECS, ids=["trend", "bars", "pairings"])
def test_words_are_paths_so_the_picture_needs_no_fonts(spec: ChartSpec) -> None:
    picture = charts.svg(spec)
    assert "<text" not in picture
    assert "<path" in picture


def test_the_words_passed_in_are_on_the_picture() -> None:
    figure = charts.figure(trend())
    texts = {t.get_text() for t in figure.findobj(Text) if isinstance(t, Text)}
    assert {"Poverty rate by year", "Poverty rate (%)", "Year", "Source: BPS", "Target", "Programme start"} <= texts


def test_target_and_each_start_are_told_apart_by_line_style_not_only_colour() -> None:
    from dataclasses import replace

    two = replace(trend(), marks=(Mark(dt.date(2021, 10, 13), "Dinkes"), Mark(dt.date(2023, 2, 1), "DPUPR")))
    styles = {line.get_label(): line.get_linestyle() for line in charts.figure(two).axes[0].get_lines()}
    assert styles["Poverty rate"] == "-"
    assert styles["Target"] == "--"
    assert styles["Dinkes"] == ":"
    assert styles["DPUPR"] == "-."


def test_numbers_on_the_picture_use_the_language_decimal_mark() -> None:
    from dataclasses import replace

    figure = charts.figure(replace(trend(), lang="id"))
    texts = [t.get_text() for t in figure.findobj(Text) if isinstance(t, Text)]
    assert "6,66" in texts and "6.66" not in texts


def test_png_is_a_picture_big_enough_to_print() -> None:
    data = charts.png(bars(), dpi=100)
    assert data.startswith(b"\x89PNG")
    width = int.from_bytes(data[16:20], "big")
    assert width == 1000


def test_pairing_chart_has_a_row_per_pairing_the_rises_first_and_the_two_means() -> None:
    figure = charts.figure(pairings())
    dumbbell, means = figure.axes
    assert [t.get_text() for t in dumbbell.get_yticklabels()] == ["Sowan Kidul", "Tulakan", "Blingoh"]
    assert re.sub(r"\s+", " ", " ".join(t.get_text() for t in means.get_xticklabels())) == "Paired Unpaired"


def test_write_picture_by_suffix_and_refuses_others(tmp_path: Path) -> None:
    charts.write_picture(trend(), tmp_path / "t.svg")
    charts.write_picture(trend(), tmp_path / "t.png")
    assert (tmp_path / "t.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert (tmp_path / "t.png").read_bytes().startswith(b"\x89PNG")
    with pytest.raises(InvalidValue, match=r"t\.gif.*\.svg or \.png"):
        charts.write_picture(trend(), tmp_path / "t.gif")
