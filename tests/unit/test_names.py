"""How typed names are compared: one rule for villages, kecamatan and agencies."""

from __future__ import annotations

import difflib

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from opd_desa.names import ALIKE, kecamatan_key, most_alike, normalise, village_code, village_key


@pytest.mark.parametrize(
    "typed",
    [
        "Sowan Kidul",
        "sowan kidul",
        "Sowan-Kidul",
        "SOWANKIDUL",
        "  Desa Sowan Kidul ",
        "desa sowan-kidul",
        "Kelurahan Sowan Kidul",
        "Kel. Sowan Kidul",
    ],
)
def test_village_names_match_ignoring_case_spaces_hyphens_and_prefix(typed: str) -> None:
    assert village_key(typed) == village_key("Sowan Kidul") == "sowankidul"


def test_a_village_called_desa_something_keeps_the_word_inside() -> None:
    assert village_key("Desa") == "desa"  # the prefix needs a name after it
    assert village_key("Pendesaan") == "pendesaan"


def test_kecamatan_prefix_is_ignored() -> None:
    assert kecamatan_key("Kec. Batealit") == kecamatan_key("kecamatan batealit") == "batealit"


def test_agency_names_match_the_same_way() -> None:
    assert normalise("Dinas Kesehatan") == normalise("DINAS-KESEHATAN") == normalise(" dinas  kesehatan ")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("33.20.16.2005", "33.20.16.2005"),
        ("3320162005", "33.20.16.2005"),
        (" 3320162005 ", "33.20.16.2005"),
    ],
)
def test_village_codes_with_or_without_dots(typed: str, code: str) -> None:
    assert village_code(typed) == code


@pytest.mark.parametrize("typed", ["33.20.16", "332016200", "Tulakan", "33.20.16.20055"])
def test_things_that_are_not_village_codes(typed: str) -> None:
    assert village_code(typed) is None


_LETTERS = "aaiiuunnkklrst'"  # few letters, so that names are often alike and ratios often tie


@example(key="abcd", pool=["bacd", "zbcd"], n=1)  # a tie with a name scored earlier, whose bound was higher
@given(
    key=st.text(_LETTERS, max_size=9),
    pool=st.lists(st.text(_LETTERS, max_size=11), max_size=40),
    n=st.integers(1, 4),
)
def test_most_alike_answers_as_difflib_does(key: str, pool: list[str], n: int) -> None:
    """Suggestions ("did you mean") name what difflib's get_close_matches names, in its order, ties included."""
    assert most_alike(key, list(dict.fromkeys(pool)), n, ALIKE) == difflib.get_close_matches(
        key, list(dict.fromkeys(pool)), n=n, cutoff=ALIKE
    )
