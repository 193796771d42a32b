"""A file whose content is not what its name says gets one line saying what it seems to be and how
to save it (SPEC "Files: CSV and workbooks")."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from opd_desa.errors import ImportFailed
from opd_desa.imports.service import import_file

FILES = Path(__file__).parent.parent / "fixtures" / "libreoffice"
HTML = "<html><body><table><tr><td>tahun</td><td>target</td></tr></table></body></html>\n"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("target.xlsx", "tahun,target\n2022,8\n", "seems to be a text (CSV) file; name it .csv"),
        ("target.xls", HTML, "is not a workbook but seems to be a web page (HTML); open it and save it as .xlsx"),
        ("target.csv", HTML, "is not a CSV file but seems to be a web page (HTML); open it and save it as CSV"),
        ("target.ods", '<?xml version="1.0"?><Workbook/>', "seems to be an XML file"),
        ("target.csv", FILES / "kegiatan-excel97.xls", "seems to be a workbook (xls); name it .xls, or save it as CSV"),
        ("target.csv", FILES / "kemiskinan-2023.ods", "seems to be a workbook (ods); name it .ods"),
        ("target.xlsx", FILES / "kemiskinan-2023.ods", "an .ods workbook, not .xlsx; rename it to end in .ods"),
        ("target.xls", FILES / "kemiskinan-2023.ods", "seems to be an .ods workbook, not .xls"),
    ],
)  # fmt: skip
def test_a_misnamed_file_gets_one_line_saying_what_it_seems_to_be(
    conn: sqlite3.Connection, tmp_path: Path, name: str, content: str | Path, expected: str
) -> None:
    path = tmp_path / name
    if isinstance(content, Path):
        shutil.copyfile(content, path)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        import_file(conn, "targets", path)
    message = str(caught.value)
    assert expected in message and "\n" not in message and message.startswith(str(path))
