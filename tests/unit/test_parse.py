"""Tests of opd_desa.parse: every accepted and rejected form, and round-trip properties."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opd_desa.parse import (
    ParseError,
    parse_count,
    parse_date,
    parse_int_id,
    parse_money,
    parse_rate,
    parse_year,
)

PARSERS: list[Callable[[str], object]] = [
    parse_rate,
    parse_count,
    parse_money,
    parse_date,
    parse_year,
    parse_int_id,
]
# written out here, independently of the module's own table
MONTH_NAMES = [
    "",
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def assert_rejected(parser: Callable[[str], object], text: str, *expected: str) -> str:
    """Check that `parser(text)` raises ParseError naming the value in quotes (and `expected` words)."""
    with pytest.raises(ParseError) as caught:
        parser(text)
    message = str(caught.value)
    assert f"'{text.strip()}'" in message
    for part in expected:
        assert part in message
    return message


# --- rates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6.6", 6.6),
        ("6,6", 6.6),
        ("6,6%", 6.6),
        ("6.6 %", 6.6),
        ("6.6%", 6.6),
        ("12", 12.0),
        ("0", 0.0),
        ("100", 100.0),
        ("100,00", 100.0),
        ("0,01", 0.01),
        ("  7,25  ", 7.25),
        ("99.999", 99.999),
        ("07", 7.0),
        ("12%", 12.0),
    ],
)
def test_rate_accepted(text: str, expected: float) -> None:
    value = parse_rate(text)
    assert isinstance(value, float)
    assert value == expected


@pytest.mark.parametrize("text", ["100.01", "101", "250%", "-1", "-6,6", "-0"])
def test_rate_out_of_range(text: str) -> None:
    assert_rejected(parse_rate, text, "between 0 and 100")


@pytest.mark.parametrize(
    "text",
    [
        "nan",
        "NaN",
        "inf",
        "-inf",
        "1e5",
        "1E1",
        "6,6,6",
        "6.6.6",
        "abc",
        "1.234,5",
        "1,234.5",
        "6.",
        ".5",
        ",5",
        "%",
        "6,6%%",
        "% 6",
        "6 6",
        "1_0",
        "0x10",
        "+5",
        "６",
        "6,6 persen",
    ],
)
def test_rate_rejected(text: str) -> None:
    assert_rejected(parse_rate, text, "is not a rate", "6,6%")


def test_rate_error_message_example() -> None:
    assert assert_rejected(parse_rate, "6,6,6") == "'6,6,6' is not a rate: write it like 6.6 or 6,6%"


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_empty_is_rejected(parser: Callable[[str], object], text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parser(text)
    assert str(caught.value).startswith("empty ")


# --- counts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234", 1234),
        ("1.234", 1234),
        ("1,234", 1234),
        ("1.234.567", 1234567),
        ("1,234,567", 1234567),
        ("0", 0),
        ("999", 999),
        ("  42 ", 42),
        ("007", 7),
        ("12.000", 12000),
        ("100,000", 100000),
        ("123456789012345678", 123456789012345678),
        ("999.999.999.999.999.999", 999999999999999999),
    ],
)
def test_count_accepted(text: str, expected: int) -> None:
    value = parse_count(text)
    assert type(value) is int
    assert value == expected


@pytest.mark.parametrize("text", ["1.23", "1.5", "1,5", "1234.0", "1,0", "0.123", "01.234", "1.2345", "12,34"])
def test_count_decimal_rejected(text: str) -> None:
    assert_rejected(parse_count, text, "looks like a decimal", "1.234")


@pytest.mark.parametrize("text", ["-1", "-1.234", "- 5", "-0"])
def test_count_negative_rejected(text: str) -> None:
    assert_rejected(parse_count, text, "cannot be negative")


@pytest.mark.parametrize(
    "text",
    [
        "12 345",
        "1.234,567",
        "1,234.567",
        "1.234.56",
        "1..234",
        "1.",
        ".234",
        "1234.567.8",
        "abc",
        "1e3",
        "+5",
        "1_000",
        "١٢٣",
        "²",
        "12a",
        "Rp 1.000",
        "1.2345.678",
    ],
)
def test_count_rejected(text: str) -> None:
    assert_rejected(parse_count, text, "is not a count", "1.234")


@pytest.mark.parametrize("text", ["1" * 19, "1.000.000.000.000.000.000", "1,000,000,000,000,000,000"])
def test_count_too_large(text: str) -> None:
    assert_rejected(parse_count, text, "too large")


@pytest.mark.parametrize("parser", [parse_count, parse_money, parse_int_id])
def test_thousands_of_digits_are_too_large_not_a_crash(parser: Callable[[str], object]) -> None:
    with pytest.raises(ParseError) as caught:  # int() itself refuses more than 4300 digits
        parser("9" * 5000)
    assert str(caught.value) == "'" + "9" * 37 + "...' is too large to be right: check it for extra digits"


# --- money --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("50000000", 50_000_000),
        ("50.000.000", 50_000_000),
        ("Rp 50.000.000", 50_000_000),
        ("Rp50.000.000,00", 50_000_000),
        ("rp. 7.500.000", 7_500_000),
        ("RP 7.500.000", 7_500_000),
        ("Rp.7.500.000", 7_500_000),
        ("50,000,000", 50_000_000),
        ("Rp 50,000,000", 50_000_000),
        ("0", 0),
        ("Rp 0", 0),
        ("Rp 0,00", 0),
        ("Rp 500,00", 500),
        ("500,0", 500),
        ("Rp 1.500,49", 1500),
        ("Rp 1.500,5", 1501),
        ("Rp 1.500,50", 1501),
        ("1.500,99", 1501),
        ("1500,50", 1501),
        ("Rp 50.000,-", 50_000),
        ("  Rp   1.000  ", 1000),
        ("1,234", 1234),
        ("Rp 1,505", 1505),
        ("999.999.999.999.999.999,99", 1_000_000_000_000_000_000),
    ],
)
def test_money_accepted(text: str, expected: int) -> None:
    value = parse_money(text)
    assert type(value) is int
    assert value == expected


@pytest.mark.parametrize("text", ["Rp 1,5", "1,5", "Rp 12,50", "Rp 0,5", "999,99"])
def test_money_ambiguous(text: str) -> None:
    assert_rejected(parse_money, text, "ambiguous", "Rp 1.500.000")


@pytest.mark.parametrize("text", ["-50.000", "Rp -50.000", "-Rp 50.000", "-1", "-Rp50.000,00"])
def test_money_negative(text: str) -> None:
    assert_rejected(parse_money, text, "cannot be negative")


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "Rp",
        "Rp ",
        "1.5",
        "50000000.00",
        "50,000,000.00",
        "50,000,000,00",
        "1.234,567",
        "Rp 1,500.5",
        "50 000 000",
        "Rp 1,000,-",
        "USD 50",
        "50.000.000 Rp",
        "1e6",
        "Rp 50.000,000",
        "1,2345",
        "Rp 1.50",
        "nan",
    ],
)
def test_money_rejected(text: str) -> None:
    assert_rejected(parse_money, text, "not an amount of money", "Rp 50.000.000")


@pytest.mark.parametrize("text", ["1" * 19, "Rp 1.000.000.000.000.000.000", "1,000,000,000,000,000,000"])
def test_money_too_large(text: str) -> None:
    assert_rejected(parse_money, text, "too large")


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-10-13", date(2021, 10, 13)),
        ("13/10/2021", date(2021, 10, 13)),
        ("13-10-2021", date(2021, 10, 13)),
        ("13.10.2021", date(2021, 10, 13)),
        ("1/2/2022", date(2022, 2, 1)),
        ("01/02/2022", date(2022, 2, 1)),
        ("2021-1-5", date(2021, 1, 5)),
        ("13 Oktober 2021", date(2021, 10, 13)),
        ("13 okt 2021", date(2021, 10, 13)),
        ("13 OKTOBER 2021", date(2021, 10, 13)),
        ("13 Okt. 2021", date(2021, 10, 13)),
        ("13-Okt-2021", date(2021, 10, 13)),
        ("1   Mei   2020", date(2020, 5, 1)),
        ("2021-10-13 00:00:00", date(2021, 10, 13)),
        ("2021-10-13T00:00:00", date(2021, 10, 13)),
        ("2021-10-13 00:00", date(2021, 10, 13)),
        ("2021-10-13 00:00:00.000", date(2021, 10, 13)),
        ("  2021-10-13  ", date(2021, 10, 13)),
        ("29/02/2024", date(2024, 2, 29)),
        ("2000-01-01", date(2000, 1, 1)),
        ("31/12/2100", date(2100, 12, 31)),
    ],
)
def test_date_accepted(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("name", "month"),
    [
        ("januari", 1),
        ("jan", 1),
        ("februari", 2),
        ("feb", 2),
        ("peb", 2),
        ("pebruari", 2),
        ("maret", 3),
        ("mar", 3),
        ("april", 4),
        ("apr", 4),
        ("mei", 5),
        ("juni", 6),
        ("jun", 6),
        ("juli", 7),
        ("jul", 7),
        ("agustus", 8),
        ("agu", 8),
        ("agt", 8),
        ("ags", 8),
        ("september", 9),
        ("sep", 9),
        ("sept", 9),
        ("oktober", 10),
        ("okt", 10),
        ("november", 11),
        ("nov", 11),
        ("nop", 11),
        ("nopember", 11),
        ("desember", 12),
        ("des", 12),
    ],
)
def test_date_month_names(name: str, month: int) -> None:
    for spelling in (name, name.upper(), name.title()):
        assert parse_date(f"5 {spelling} 2023") == date(2023, month, 5)


def test_date_month_13_is_named() -> None:
    assert_rejected(parse_date, "10/13/2021", "no month 13", "13/10/2021")


@pytest.mark.parametrize(
    "text", ["31/02/2022", "29/02/2023", "31-04-2021", "2022-02-30", "0/1/2022", "30 Februari 2024"]
)
def test_date_that_does_not_exist(text: str) -> None:
    assert_rejected(parse_date, text, "does not exist")


def test_date_that_does_not_exist_explains() -> None:
    assert_rejected(parse_date, "31/02/2022", "month 2 of 2022 has 28 days")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("13/10/21", date(2021, 10, 13)), ("13-10-21", date(2021, 10, 13)), ("1.2.22", date(2022, 2, 1)),
     ("31/12/99", date(2099, 12, 31)), ("01/01/00", date(2000, 1, 1))],
)  # fmt: skip
def test_date_two_digit_year_as_libreoffice_writes_it_is_this_century(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["13 Oct 2021", "13 October 2021", "13 Okt 2021", "13 Oktober 2021", "13 OCT 2021", "13-Oct-2021"]
)
def test_date_english_and_indonesian_month_names(text: str) -> None:
    assert parse_date(text) == date(2021, 10, 13)


@pytest.mark.parametrize("text", ["13 Agustus 2021", "13 Agu 2021", "13 Ags 2021", "13 Aug 2021", "13 August 2021"])
def test_date_august_in_every_spelling(text: str) -> None:
    assert parse_date(text) == date(2021, 8, 13)


@pytest.mark.parametrize("text", ["13/10/021", "13 Okt 21", "Oct 13 2021", "13/10/2021 10"])
def test_date_nothing_else_is_guessed(text: str) -> None:
    assert_rejected(parse_date, text, "not a date")


@pytest.mark.parametrize("text", ["13/10/1999", "2101-01-01", "13 Oktober 1921", "01/01/9999", "0001-01-01"])
def test_date_year_out_of_range(text: str) -> None:
    assert_rejected(parse_date, text, "between 2000 and 2100")


@pytest.mark.parametrize("text", ["2021-10-13 08:30:00", "2021-10-13T12:00", "2021-10-13 00:00:01"])
def test_date_with_time_of_day(text: str) -> None:
    assert_rejected(parse_date, text, "time of day")


@pytest.mark.parametrize(
    "text",
    [
        "2021/10/13",
        "2021.10.13",
        "20211013",
        "13/10-2021",
        "13 10 2021",
        "13/10/2021 00:00",
        "Oktober 13 2021",
        "13 October 2021x",
        "abc",
        "2021-W41-3",
        "2021-10",
        "13/10",
        "١٣/١٠/٢٠٢١",
        "2021-10-13T",
        "13 Oktober",
    ],
)
def test_date_rejected(text: str) -> None:
    assert_rejected(parse_date, text, "not a date", "13/10/2021")


@pytest.mark.parametrize("text", ["13 Octobre 2021", "13 Okto 2021", "13 Decem 2021"])
def test_date_unknown_month_name(text: str) -> None:
    assert_rejected(parse_date, text, "is not a month", "13 Oktober 2021")


# --- years and ids -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [("2021", 2021), ("2000", 2000), ("2100", 2100), (" 2024 ", 2024)])
def test_year_accepted(text: str, expected: int) -> None:
    assert parse_year(text) == expected


@pytest.mark.parametrize("text", ["1999", "2101", "0000", "9999"])
def test_year_out_of_range(text: str) -> None:
    assert_rejected(parse_year, text, "between 2000 and 2100")


@pytest.mark.parametrize("text", ["2020.0", "20", "02021", "+2021", "2O21", "２０２１", "2,021", "abc", "2021-10-13"])
def test_year_rejected(text: str) -> None:
    assert_rejected(parse_year, text, "four digits", "2021")


@pytest.mark.parametrize(("text", "expected"), [("12", 12), ("1", 1), (" 7 ", 7), ("012", 12)])
def test_int_id_accepted(text: str, expected: int) -> None:
    assert parse_int_id(text) == expected


@pytest.mark.parametrize("text", ["0", "-3", "1.5", "abc", "+12", "1.000", "12a", "١٢", "000"])
def test_int_id_rejected(text: str) -> None:
    assert_rejected(parse_int_id, text, "not an id", "12")


def test_int_id_too_large() -> None:
    assert_rejected(parse_int_id, "1" * 19, "too large")


# --- messages -------------------------------------------------------------------


def test_long_values_are_cut_short_in_messages() -> None:
    text = "x" * 500
    message = assert_rejected(parse_rate, "x" * 20)  # short values are shown whole
    assert "'" + "x" * 20 + "'" in message
    with pytest.raises(ParseError) as caught:
        parse_rate(text)
    assert "'" + "x" * 37 + "...'" in str(caught.value)
    assert len(str(caught.value)) < 120


def test_parse_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="is not a count"):
        parse_count("abc")


# --- properties ----------------------------------------------------------------------------------

rates = st.integers(min_value=0, max_value=10_000).map(lambda hundredths: hundredths / 100)


@given(rates)
def test_rate_round_trips(x: float) -> None:
    dotted = f"{x:.2f}"
    comma = dotted.replace(".", ",")
    for text in (dotted, comma, dotted + "%", comma + "%", comma + " %"):
        assert abs(parse_rate(text) - x) < 1e-9


def _indonesian(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@given(st.integers(min_value=0, max_value=10**18 - 1))
def test_count_round_trips(n: int) -> None:
    for text in (str(n), f"{n:,}", _indonesian(n)):
        assert parse_count(text) == n


@given(st.integers(min_value=0, max_value=10**18 - 1))
def test_money_round_trips(n: int) -> None:
    for text in (
        str(n),
        f"{n:,}",
        _indonesian(n),
        f"Rp {_indonesian(n)},00",
        f"Rp{_indonesian(n)},00",
        f"Rp {n},00",
        f"Rp {n:,}",
    ):
        assert parse_money(text) == n


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.booleans())
def test_date_round_trips(d: date, upper: bool) -> None:
    name = MONTH_NAMES[d.month].upper() if upper else MONTH_NAMES[d.month]
    for text in (
        d.isoformat(),
        f"{d.day:02d}/{d.month:02d}/{d.year}",
        f"{d.day:02d}-{d.month:02d}-{d.year}",
        f"{d.day}/{d.month}/{d.year}",
        f"{d.day} {name} {d.year}",
        f"{d.day} {name[:3]} {d.year}",
        f"{d.isoformat()} 00:00:00",
    ):
        assert parse_date(text) == d


_NUMBERISH = st.text(alphabet="0123456789.,-/ %RrpT:Okt\t", max_size=30)


@pytest.mark.parametrize("parser", PARSERS)
@given(text=st.one_of(st.text(), _NUMBERISH))
def test_any_text_gives_a_value_or_a_parse_error(parser: Callable[[str], object], text: str) -> None:
    try:
        value = parser(text)
    except ParseError as e:
        message = str(e)
        shown = " ".join(text.split())[:30]  # quoted on one line, spaces and line breaks folded
        assert message.startswith("empty ") if not text.strip() else f"'{shown}" in message
    else:
        assert isinstance(value, date if parser is parse_date else float if parser is parse_rate else int)
        if parser is parse_rate:
            assert 0 <= value <= 100
        elif parser in (parse_count, parse_money):
            assert value >= 0
        elif parser is parse_int_id:
            assert value > 0
