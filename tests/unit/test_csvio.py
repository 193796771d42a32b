"""Writing CSV that spreadsheets open safely, and reading it back as it was written."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opd_desa.csvio import FORMULA_START, clean_cell, neutralise, write_csv
from opd_desa.imports.csvfile import open_table
from opd_desa.imports.formats import Field
from opd_desa.imports.header import is_totals_row


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+62 812", "'+62 812"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        (" =HYPERLINK()", "' =HYPERLINK()"),
        ("'=x", "''=x"),
        ("abc", "abc"),
        ("a=b", "a=b"),
        ("", ""),
        ("'abc", "'abc"),
        ("Rp 5.000", "Rp 5.000"),
    ],
)
def test_neutralise(value, written):
    assert neutralise(value) == written


def test_write_csv_formats_numbers_and_neutralises_text():
    out = io.StringIO()
    count = write_csv(
        out,
        ["code", "name", "rate", "change", "budget", "above_target"],
        [
            ("33.20.16.2005", '=HYPERLINK("x")', 6.6, -0.4, 50_000_000, True),
            ("33.20.01.2001", "Troso, Pecangaan", 7.0, None, None, False),
            ("33.20.02.2002", 'Desa "Baru"\nbaris dua', 6.666, "-1.5", 12, None),
            ("x", "-5", float("nan"), "=cmd", 1, None),
        ],
        numeric=["rate", "change", "budget"],
    )
    assert count == 4
    assert out.getvalue() == (
        "code,name,rate,change,budget,above_target\n"
        '33.20.16.2005,"\'=HYPERLINK(""x"")",6.6,-0.4,50000000,true\n'
        '33.20.01.2001,"Troso, Pecangaan",7.0,,,false\n'
        '33.20.02.2002,"Desa ""Baru""\nbaris dua",6.67,-1.5,12,\n'
        "x,'-5,,'=cmd,1,\n"
    )


def test_write_csv_quotes_a_lone_carriage_return():
    out = io.StringIO()
    write_csv(out, ["a", "b"], [("x\ry", "z")])
    assert out.getvalue() == 'a,b\n"x\ry",z\n'


TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)


@pytest.mark.slow
@given(st.text(st.characters(codec="utf-8")))
def test_neutralised_text_is_safe_and_cleans_back(value):
    assert neutralise(value).lstrip()[:1] not in FORMULA_START
    assert clean_cell(neutralise(value)) == value.strip()


@settings(deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT, TEXT), max_size=8))
def test_written_csv_reads_back_the_same_text_on_the_right_lines(rows):
    header = ["a", "b", "c"]
    out = io.StringIO()
    assert write_csv(out, header, rows) == len(rows)
    text = out.getvalue()

    def physical_lines(chunk: str) -> int:
        return len(io.StringIO(chunk, newline="").readlines())

    expected = []
    before = 1  # the header line
    for row in rows:
        one = io.StringIO()
        write_csv(one, header, [row])
        record = one.getvalue()[len("a,b,c\n") :]
        if any(cell.strip() for cell in row):
            expected.append((before + 1, dict(zip(header, (cell.strip() for cell in row), strict=True))))
        before += physical_lines(record)
    # the contract's one exception: a last row that says Jumlah/Total (a sheet's sum row) is skipped, with a note
    totals = bool(expected) and is_totals_row(list(expected[-1][1].values()))
    if totals:
        expected.pop()
    fields = [Field(name) for name in header]
    table = open_table("-", fields, stdin=io.BytesIO(text.encode()))
    assert table.delimiter == ","
    with table:
        assert [(line, cells) for line, cells, _raw in table.rows()] == expected
    assert bool(table.notes) == totals, table.notes
