"""Map classes around the target in the measure's direction, else quantiles."""

from __future__ import annotations

from opd_desa.maps.classes import PALETTES, Measure, classify, nice_band

POVERTY = Measure("Poverty rate (%)", "%", target=8.36, lower_is_better=True)


def test_band_is_a_round_quarter_of_the_target() -> None:
    assert nice_band(8.36) == 2
    assert nice_band(80) == 20
    assert nice_band(0.4) == 0.1


def test_lower_is_better_classes_around_the_target() -> None:
    classes = classify({"a": 5.0, "b": 8.36, "c": 9.0, "d": 12.0, "e": None}, POVERTY)
    assert classes.of == {"a": 0, "b": 1, "c": 2, "d": 3, "e": None}
    assert classes.labels[1] == "up to 8.4 %: meets the target"
    assert classes.colours == PALETTES[4]


def test_higher_is_better_classes_mirror_them() -> None:
    access = Measure("Households with clean water (%)", "%", target=80, lower_is_better=False)
    classes = classify({"a": 100.0, "b": 80.0, "c": 70.0, "d": 10.0}, access)
    assert classes.of == {"a": 0, "b": 1, "c": 2, "d": 3}
    assert classes.labels[0] == "100.0 % or more: well within the target"


def test_meets_target_follows_the_direction() -> None:
    assert POVERTY.meets_target(8.36) is True
    assert POVERTY.meets_target(8.37) is False
    assert POVERTY.meets_target(None) is None


def test_quantiles_without_a_target_put_a_fifth_in_each_class() -> None:
    values: dict[str, float | None] = {str(i): float(i) for i in range(100)}
    values["none"] = None
    classes = classify(values, Measure("Population", decimals=0))
    assert len(classes.labels) == 5
    assert [classes.count(i) for i in range(5)] == [20, 20, 20, 20, 20]
    assert classes.count(None) == 1
    assert classes.of["0"] == 0 and classes.of["99"] == 4  # lower is better: the worst is darkest


def test_one_figure_for_all_is_one_class() -> None:
    classes = classify({"a": 3.0, "b": 3.0}, Measure("x"))
    assert len(classes.labels) == 1
    assert set(classes.of.values()) == {0}


EXTREME = Measure("Extreme poverty (%)", "%", target=0.0, lower_is_better=True, decimals=2, lowest=0.0, highest=100.0)


def test_a_target_at_the_bottom_of_the_range_has_no_band_below_it() -> None:
    classes = classify({"a": 0.0, "b": 0.4, "c": 0.9, "d": 1.2, "e": 2.05, "f": None}, EXTREME)
    # the largest miss is 2.05: bands of a third of it, rounded to 0.5
    assert classes.labels == [
        "0.00 %: meets the target",
        "up to 0.50 %: misses it by 0.50 % at most",
        "up to 1.00 %: misses it by 1.00 % at most",
        "over 1.00 %: misses it by more",
    ]
    assert classes.of == {"a": 0, "b": 1, "c": 2, "d": 3, "e": 3, "f": None}
    assert not any("-" in label or "\u2212" in label for label in classes.labels)


def test_a_target_at_the_top_of_the_range_mirrors_it() -> None:
    idm = Measure("IDM", target=1.0, lower_is_better=False, decimals=2, lowest=0.0, highest=1.0)
    classes = classify({"a": 1.0, "b": 0.95, "c": 0.75, "d": 0.5}, idm)  # bands of 0.2
    assert classes.labels[0] == "1.00: meets the target"
    assert classes.labels[-1].startswith("under ")
    assert classes.of == {"a": 0, "b": 1, "c": 2, "d": 3}


def test_a_target_inside_the_range_keeps_its_band_below() -> None:
    inside = Measure("Poverty rate (%)", "%", target=8.36, lower_is_better=True, lowest=0.0, highest=100.0)
    assert classify({"a": 5.0}, inside).labels[0] == "6.4 % or less: well within the target"
