"""Reading the CSV files planning officers export from Excel, and writing CSV spreadsheets open safely."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opd_desa.csvio import (
    FIELD_SIZE_LIMIT,
    FORMULA_START,
    CsvFormatError,
    Field,
    Table,
    clean_cell,
    match_header,
    neutralise,
    open_table,
    write_csv,
)
from opd_desa.importkinds import FIELDS

# Copies of /work/shared/samples (made by Excel on Indonesian Windows), kept in the repository.
SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"

# the real file formats: what the importer asks the reader for
POVERTY = FIELDS["poverty"]
ACTIVITIES = FIELDS["activities"]
AGENCIES = FIELDS["agencies"]
VILLAGE = next(f for f in POVERTY if f.name == "village")
AGENCY = next(f for f in ACTIVITIES if f.name == "agency")
NOTES = [VILLAGE, Field("note", ("keterangan",)), Field("year", ("tahun",))]


def write(tmp_path: Path, data: bytes, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_all(table: Table) -> list[tuple[int, dict[str, str], list[str]]]:
    with table:
        return list(table.rows())


def values(table: Table) -> list[tuple[int, dict[str, str]]]:
    return [(line, cells) for line, cells, _raw in read_all(table)]


def error_of(tmp_path: Path, data: bytes, fields: list[Field] = POVERTY, **options: str) -> str:
    path = write(tmp_path, data)
    with pytest.raises(CsvFormatError) as caught:
        read_all(open_table(path, fields, **options))
    return str(caught.value)


# -- the sample files --------------------------------------------------------------------------------


def test_excel_poverty_sheet_with_bom_semicolons_and_a_row_number_column():
    path = SAMPLES / "kemiskinan-2020-excel.csv"
    table = open_table(path, POVERTY)
    assert (table.encoding, table.delimiter) == ("utf-8", ";")
    assert table.header[0] == "No"  # the BOM is not part of the first header
    assert table.columns == {
        "village": 1,
        "kecamatan": 2,
        "year": 3,
        "rate": 4,
        "population": 5,
        "source": 6,
    }
    assert table.ignored == ["No"]
    assert table.notes == [f"{path}: ignored columns: No"]
    rows = read_all(table)
    assert len(rows) == 7
    line, first, raw = rows[0]
    assert line == 2
    assert first == {
        "village": "Kedungmalang",
        "kecamatan": "Kedung",
        "year": "2020",
        "rate": "13,2",
        "population": "9.812",
        "source": "DTKS Dinsos 2020",
    }
    assert raw[0] == "1"  # the row number stays in the raw cells
    assert rows[-1][0] == 8
    assert rows[-1][1]["village"] == "Tulakan"


def test_wide_sheet_with_excel_sep_line_has_year_columns_and_starts_on_line_3():
    path = SAMPLES / "kemiskinan-per-tahun.csv"
    assert path.read_bytes().isascii()  # so it is valid UTF-8 too, and no encoding note is due
    table = open_table(path, POVERTY)
    assert table.delimiter == ";"
    assert table.header_line == 2
    assert table.columns == {"village": 0, "kecamatan": 1}
    assert table.year_columns == [(2019, 2), (2020, 3), (2021, 4)]
    assert table.ignored == [] and table.notes == []
    rows = read_all(table)
    assert rows[0][0] == 3
    assert rows[0][1] == {"village": "Kedungmalang", "kecamatan": "Kedung"}
    assert [rows[0][2][index] for _year, index in table.year_columns] == ["13,60", "13,2", "12,60"]
    assert [line for line, _cells, _raw in rows] == list(range(3, 10))


def test_wide_sheet_in_windows_1252_is_noted_and_decoded(tmp_path):
    data = (SAMPLES / "kemiskinan-per-tahun.csv").read_bytes().replace(b"Lebak", b"L\xe9bak")
    path = write(tmp_path, data)
    table = open_table(path, POVERTY)
    assert table.encoding == "cp1252"
    assert table.notes == [f"{path}: not valid UTF-8 (first at line 8), read as Windows-1252"]
    assert table.delimiter == ";"
    assert table.year_columns == [(2019, 2), (2020, 3), (2021, 4)]
    assert (8, {"village": "Lébak", "kecamatan": "Pakis Aji"}) in values(table)


def test_agencies_in_windows_1252_keep_the_en_dash_commas_and_pipes():
    path = SAMPLES / "opd-windows-1252.csv"
    table = open_table(path, AGENCIES)
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    assert table.notes == [f"{path}: not valid UTF-8 (first at line 9), read as Windows-1252"]
    assert table.columns == {"code": 0, "name": 1, "aliases": 2}
    rows = dict((cells["code"], (line, cells)) for line, cells in values(table))
    assert rows["DPMD"] == (
        9,
        {
            "code": "DPMD",
            "name": "Dinas Pemberdayaan Masyarakat dan Desa – Kabupaten Jepara",
            "aliases": "Dispermasdes",
        },
    )
    assert rows["DISDIKPORA"][1]["name"] == "Dinas Pendidikan, Pemuda dan Olahraga"
    assert rows["DPUPR"][1]["aliases"] == "DPPUPR|PUPR"
    assert rows["BPKAD"][1]["aliases"] == ""


def test_activities_sheet_headers_match_by_exact_unit_and_prefix_rules():
    path = SAMPLES / "kegiatan-opd.csv"
    table = open_table(path, ACTIVITIES)
    headers = {table.header[index]: name for name, index in table.columns.items()}
    assert headers == {
        "Desa": "village",
        "OPD": "agency",
        "Tanggal": "date",
        "Jenis Kegiatan": "kind",
        "Nama Kegiatan": "title",
        "Pagu Anggaran": "budget",
        "Realisasi": "spent",
        "Jumlah KK": "households",
        "Penerima Manfaat (jiwa)": "beneficiaries",
        "Sumber Dana": "source",
    }
    assert table.ignored == [] and table.notes == []
    rows = values(table)
    assert [line for line, _cells in rows] == [2, 3, 4, 5]
    assert rows[3][1] == {
        "village": "Ngabul",
        "agency": "Dinkes",
        "date": "14-04-2022",
        "kind": "kesehatan",
        "title": "Posyandu balita stunting",
        "budget": "Rp7.500.000",
        "spent": "Rp7.500.000",
        "households": "",
        "beneficiaries": "63",
        "source": "APBD",
    }
    assert rows[1][1]["date"] == "20 Januari 2022"


# -- header matching ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Jumlah Penduduk Miskin", "poor"),  # exact, although "jumlah_penduduk" begins it
        ("Jumlah Penduduk", "population"),
        ("Penduduk Miskin (jiwa)", "poor"),  # exact once the unit is gone
        ("Persentase Penduduk Miskin (%)", "rate"),  # longest alias that begins the header
        ("Jumlah Penduduk Miskin Tahun Ini", "poor"),
        ("Sumber Data", "source"),
        ("TINGKAT-KEMISKINAN", "rate"),
        ("kode.desa", "village"),
        ("  Nama_Desa  ", "village"),
        ("\ufeffDesa", "village"),
        ("No", None),
        ("Keterangan", None),
    ],
)
def test_poverty_headers(header, field):
    match = match_header([header], POVERTY, where="x.csv:1")
    if field is None:
        assert match.columns == {} and match.ignored == [header.strip()]
    else:
        assert match.columns == {field: 0} and match.ignored == []


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Jenis Kegiatan", "kind"),
        ("Nama Kegiatan", "title"),
        ("Pagu Anggaran", "budget"),
        ("Jumlah KK", "households"),
        ("KK", "households"),
        ("KKN", None),  # aliases shorter than 4 letters never match as a prefix
        ("Penerima Manfaat (jiwa)", "beneficiaries"),
        ("Sasaran [orang]", "beneficiaries"),
        ("Sumber Dana", "source"),
        ("Perangkat Daerah", "agency"),
    ],
)
def test_activity_headers(header, field):
    match = match_header([header], ACTIVITIES, where="x.csv:1")
    assert match.columns == ({} if field is None else {field: 0})


def test_year_headers_become_year_columns():
    match = match_header(["Desa", "2019", " 2020 ", "2021 (%)", "1999", "20190"], POVERTY, where="x.csv:1")
    assert match.year_columns == [(2019, 1), (2020, 2), (2021, 3)]
    assert match.ignored == ["1999", "20190"]


def test_two_columns_meaning_one_field_is_an_error_naming_both(tmp_path):
    message = error_of(tmp_path, b"sep=;\r\nDesa;Nama Desa;Tahun\r\nTroso;Troso;2020\r\n")
    assert (
        message == f"{tmp_path / 'data.csv'}:2: columns 'Desa' and 'Nama Desa' both mean 'village'; "
        "remove or rename one"
    )


def test_the_same_year_twice_is_an_error(tmp_path):
    message = error_of(tmp_path, b"Desa;2020;2020\nTroso;1;2\n")
    assert "columns '2020' and '2020' both mean '2020'" in message


def test_blank_header_cells_from_trailing_delimiters_are_not_reported(tmp_path):
    with open_table(write(tmp_path, b"Desa;Tahun;;;\nTroso;2020;;;\n"), POVERTY) as table:
        assert table.columns == {"village": 0, "year": 1}
        assert table.ignored == [] and table.notes == []


def test_fields_sharing_an_alias_are_a_programming_error(tmp_path):
    with pytest.raises(ValueError, match="kode"):
        open_table(write(tmp_path, b"Desa\n"), [VILLAGE, Field("code", ("kode",))])


# -- delimiters --------------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed_from_the_header(tmp_path, delimiter):
    lines = [("Desa", "Tahun", "Persen"), ("Troso", "2020", "9.6")]
    data = "\n".join(delimiter.join(cells) for cells in lines)
    table = open_table(write(tmp_path, data.encode()), POVERTY)
    assert table.delimiter == delimiter
    assert values(table) == [(2, {"village": "Troso", "year": "2020", "rate": "9.6"})]


def test_delimiters_inside_quotes_do_not_count_when_sniffing(tmp_path):
    data = b'"Desa, Kelurahan, atau Kode";Tahun\n"Troso, Pecangaan";2020\n'
    table = open_table(write(tmp_path, data), POVERTY)
    assert table.delimiter == ";"
    assert values(table) == [(2, {"village": "Troso, Pecangaan", "year": "2020"})]


@pytest.mark.parametrize(("given", "expected"), [("tab", "\t"), ("\\t", "\t"), ("\t", "\t"), (",", ",")])
def test_forced_delimiter_wins_over_sniffing(tmp_path, given, expected):
    data = b"Desa\tKeterangan, catatan, lain\nTroso\ta, b, c\n" if expected == "\t" else b"Desa;Tahun\nA;1\n"
    table = open_table(write(tmp_path, data), NOTES, delimiter=given)
    assert table.delimiter == expected
    if expected == "\t":
        assert values(table) == [(2, {"village": "Troso", "note": "a, b, c"})]
    else:
        assert values(table) == [(2, {"village": "A;1"})]


def test_a_delimiter_of_several_characters_is_refused(tmp_path):
    with pytest.raises(CsvFormatError, match="one character"):
        open_table(write(tmp_path, b"Desa\n"), POVERTY, delimiter=";;")


@pytest.mark.parametrize(
    ("first_line", "delimiter"),
    [
        (b"sep=;", ";"),
        (b'"sep=|"', "|"),
        (b"SEP=;;;", ";"),
        (b"sep=\t", "\t"),
        (b'"sep=,",,', ","),
    ],
)
def test_excel_sep_line_sets_the_delimiter_and_counts_as_a_line(tmp_path, first_line, delimiter):
    data = first_line + b"\r\n" + f"Desa{delimiter}Tahun\r\nTroso{delimiter}2020\r\n".encode()
    table = open_table(write(tmp_path, data), POVERTY)
    assert table.delimiter == delimiter
    assert values(table) == [(3, {"village": "Troso", "year": "2020"})]


def test_a_file_without_any_delimiter_is_one_column_and_says_so(tmp_path):
    path = write(tmp_path, b"Desa\nTroso\nTulakan\n")
    table = open_table(path, POVERTY)
    assert table.delimiter == ","
    assert table.notes == [f"{path}: no , ; tab or | in the header line; read as a single column"]
    assert values(table) == [(2, {"village": "Troso"}), (3, {"village": "Tulakan"})]


# -- encodings ---------------------------------------------------------------------------------------


def test_forced_encodings_are_used_and_named(tmp_path):
    path = write(tmp_path, "Desa;Tahun\nDinas – Jepara;2020\n".encode())
    as_cp1252 = open_table(path, POVERTY, encoding="windows-1252")
    assert as_cp1252.encoding == "cp1252" and as_cp1252.notes == []
    assert values(as_cp1252) == [(2, {"village": "Dinas â€“ Jepara", "year": "2020"})]
    with open_table(path, POVERTY, encoding="latin-1") as as_latin1:
        assert as_latin1.encoding == "iso8859-1"
    as_utf8 = open_table(path, POVERTY, encoding="UTF8")
    assert as_utf8.encoding == "utf-8"
    assert values(as_utf8) == [(2, {"village": "Dinas – Jepara", "year": "2020"})]


def test_forced_utf8_on_a_windows_1252_file_names_the_line(tmp_path):
    data = (SAMPLES / "opd-windows-1252.csv").read_bytes()
    message = error_of(tmp_path, data, AGENCIES, encoding="utf-8")
    assert message == f"{tmp_path / 'data.csv'}:9: not valid utf-8; try cp1252, or no encoding to detect it"


def test_unknown_encoding_is_refused(tmp_path):
    message = error_of(tmp_path, b"Desa\n", encoding="klingon")
    assert message == f"{tmp_path / 'data.csv'}: unknown encoding 'klingon'; use utf-8 or cp1252"


def test_a_bom_read_as_windows_1252_does_not_spoil_the_first_header(tmp_path):
    path = write(tmp_path, "\ufeffDesa;Tahun\nTroso;2020\n".encode())
    with open_table(path, POVERTY, encoding="cp1252") as table:
        assert table.columns == {"village": 0, "year": 1}


def test_bytes_undefined_in_windows_1252_become_replacement_characters(tmp_path):
    table = open_table(write(tmp_path, b"Desa\nA\x81B \xe9\n"), POVERTY)
    assert table.encoding == "cp1252"
    assert values(table) == [(2, {"village": "A\ufffdB é"})]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_files_get_advice_to_save_as_csv_utf8(tmp_path, encoding):
    message = error_of(tmp_path, "Desa;Tahun\nTroso;2020\n".encode(encoding))
    advice = "looks like UTF-16; save it from Excel as 'CSV UTF-8' and try again"
    assert message == f"{tmp_path / 'data.csv'}: {advice}"


@pytest.mark.parametrize("encoding", [None, "cp1252"])
def test_nul_bytes_are_refused_with_their_line(tmp_path, encoding):
    options = {} if encoding is None else {"encoding": encoding}
    message = error_of(tmp_path, b"Desa;Tahun\r\nA;2020\r\nB\x00;2021\r\n", **options)
    assert message == f"{tmp_path / 'data.csv'}:3: contains NUL bytes; is this really a CSV file?"


# -- empty files and broken quoting ------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n  \r\n", b"sep=;\r\n", b";;;\r\n\r\n"])
def test_an_empty_file_says_it_needs_a_header(tmp_path, data):
    message = error_of(tmp_path, data)
    assert message.startswith(f"{tmp_path / 'data.csv'}: the file is empty; it needs a header line")


@pytest.mark.parametrize("data", [b"Desa;Tahun\r\n", b"Desa;Tahun", b"Desa;Tahun\r\n\r\n;;\r\n"])
def test_a_header_only_file_has_no_rows(tmp_path, data):
    table = open_table(write(tmp_path, data), POVERTY)
    assert table.columns == {"village": 0, "year": 1}
    assert read_all(table) == []


def test_blank_lines_before_the_header_are_skipped_and_counted(tmp_path):
    table = open_table(write(tmp_path, b"\r\n;;\r\nDesa;Tahun\r\nTroso;2020\r\n"), POVERTY)
    assert table.header_line == 3
    assert values(table) == [(4, {"village": "Troso", "year": "2020"})]


def test_an_unclosed_quote_names_the_line_where_the_cell_starts(tmp_path):
    message = error_of(tmp_path, b'Desa;Tahun\nA;2020\n"B;2021\nC;2022\n')
    path = tmp_path / "data.csv"
    assert message.startswith(f"{path}:3: a quoted cell starting here is never closed;")


def test_text_after_a_closing_quote_names_its_line(tmp_path):
    message = error_of(tmp_path, b'Desa;Tahun\nA;2020\n"B" Kidul;2021\n')
    assert message.startswith(f"{tmp_path / 'data.csv'}:3: text after a closing quote;")


def test_a_cell_larger_than_the_limit_is_an_error_with_its_line(tmp_path):
    message = error_of(tmp_path, b"Desa;Tahun\nA;2020\nB;" + b"9" * (FIELD_SIZE_LIMIT + 1) + b"\n")
    advice = 'a cell is larger than 16 MiB; is a quote character (") left open?'
    assert message == f"{tmp_path / 'data.csv'}:3: {advice}"


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CsvFormatError, match=r"nope\.csv: cannot open the file"):
        open_table(tmp_path / "nope.csv", POVERTY)


# -- rows --------------------------------------------------------------------------------------------


def test_line_numbers_count_the_lines_inside_quoted_cells(tmp_path):
    data = (
        b"Desa;Keterangan;Tahun\r\n"
        b'Tulakan;"baris satu\r\nbaris dua\r\nbaris tiga";2020\r\n'
        b"Troso;biasa;2021\r\n"
        b'"Sowan\nKidul";;2022\r\n'
    )
    assert values(open_table(write(tmp_path, data), NOTES)) == [
        (2, {"village": "Tulakan", "note": "baris satu\r\nbaris dua\r\nbaris tiga", "year": "2020"}),
        (5, {"village": "Troso", "note": "biasa", "year": "2021"}),
        (6, {"village": "Sowan\nKidul", "note": "", "year": "2022"}),
    ]


def test_short_rows_get_empty_cells_and_extra_cells_are_ignored(tmp_path):
    rows = read_all(open_table(write(tmp_path, b"Desa;Keterangan;Tahun\nA\nB;x;2020;extra;more\n"), NOTES))
    assert rows == [
        (2, {"village": "A", "note": "", "year": ""}, ["A"]),
        (3, {"village": "B", "note": "x", "year": "2020"}, ["B", "x", "2020", "extra", "more"]),
    ]


def test_empty_rows_are_skipped_but_still_counted(tmp_path):
    data = b"Desa;Tahun\r\n\r\n;\r\n  ;  \r\nTroso;2020\r\n;;;\r\nGeneng;2021\r\n\r\n"
    assert values(open_table(write(tmp_path, data), POVERTY)) == [
        (5, {"village": "Troso", "year": "2020"}),
        (7, {"village": "Geneng", "year": "2021"}),
    ]


def test_cells_are_stripped_and_neutralised_formulas_restored(tmp_path):
    data = b"Desa;Keterangan\n  Troso  ;'=SUM(A1)\nGeneng;'+62 812\nLebak;'abc\nNgabul;'@user\n"
    rows = read_all(open_table(write(tmp_path, data), NOTES))
    assert [cells for _line, cells, _raw in rows] == [
        {"village": "Troso", "note": "=SUM(A1)"},
        {"village": "Geneng", "note": "+62 812"},
        {"village": "Lebak", "note": "'abc"},
        {"village": "Ngabul", "note": "@user"},
    ]
    assert rows[0][2] == ["  Troso  ", "'=SUM(A1)"]  # raw cells are as in the file


def test_rows_can_be_read_twice(tmp_path):
    table = open_table(write(tmp_path, b"Desa;Tahun\nTroso;2020\nGeneng;2021\n"), POVERTY)
    with table:
        assert list(table.rows()) == list(table.rows())
        assert len(list(table.rows())) == 2


def test_the_context_manager_closes_the_file(tmp_path):
    with open_table(write(tmp_path, b"Desa\nTroso\n"), POVERTY) as table:
        assert not table.closed
    assert table.closed
    with pytest.raises(ValueError, match="closed"):
        next(table.rows())


def test_stdin_is_read_with_dash(tmp_path):
    data = (SAMPLES / "opd-windows-1252.csv").read_bytes()
    table = open_table("-", AGENCIES, stdin=io.BytesIO(data))
    assert table.label == "<stdin>"
    assert table.notes == ["<stdin>: not valid UTF-8 (first at line 9), read as Windows-1252"]
    rows = values(table)
    assert rows[-1][1]["name"].endswith("Desa – Kabupaten Jepara")


def test_stdin_defaults_to_the_process_stdin_and_may_exceed_the_spool(monkeypatch):
    lines = b"".join(b"Desa %d;2020\r\n" % number for number in range(600_000))  # ~9 MB, past 8 MB
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Desa;Tahun\r\n" + lines)))
    with open_table("-", POVERTY) as table:
        rows = table.rows()
        first = next(rows)
        count = 1 + sum(1 for _row in rows)
    assert first[:2] == (2, {"village": "Desa 0", "year": "2020"})
    assert count == 600_000


def test_stdin_errors_name_stdin():
    with pytest.raises(CsvFormatError, match=r"^<stdin>: the file is empty"):
        open_table("-", POVERTY, stdin=io.BytesIO(b""))


# -- writing -----------------------------------------------------------------------------------------


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
    fields = [Field(name) for name in header]
    table = open_table("-", fields, stdin=io.BytesIO(text.encode()))
    assert (table.delimiter, table.notes) == (",", [])
    assert values(table) == expected
