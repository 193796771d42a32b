"""Check a returned reporting form before its activities are imported.

`check_form(path)` recognises a form by its `_meta` sheet (None for any other workbook) and returns
what the form says it is (agency, village, period, template version) with one `FILE:SHEET!ROW:
message` per problem. The import refuses a form with problems and imports the others as ordinary
activities files (the activities sheet is first and its first row is the import's header).

What people do to returned forms, and what happens:

- Re-typed headers (`Tanggal Kegiatan`, `ANGGARAN`, columns moved): headers are matched by name as
  every import matches them, so they are read correctly; a header that means no column of the form
  is named (its values would be lost otherwise), and so is a missing required column.
- Rows below a blank row: read correctly; every non-empty row counts, wherever it is.
- Merged cells: named (`cells E5:E6 are merged`); a merge leaves all but one cell empty, so the
  value the person meant for the other rows cannot be known.
- A changed village or agency in a row (the columns are locked, but protection can be removed):
  named; a form reports on its own village and agency only.
- `Rp 15.000.000,-` in a money cell: read correctly (15000000), as every import reads money;
  `15 jt` is named, with the way to write it: "juta" shorthand is not read anywhere in opd-desa.
- A date outside the period: named, with the period's first and last day.
- A form from another template version (or a `_meta` sheet that lost its values): named, asking
  for a new form; only the current layout is known to be read right.

Values typed in the workbook are re-checked here with the same parsers the import uses: the
workbook's validations are advice (pasting bypasses them), never a guarantee.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

from opd_desa.documents.forms import COUNTS, FORM_MARKER, LOCKED, META_SHEET, MONEY, TEMPLATE_VERSION
from opd_desa.i18n import _
from opd_desa.imports.formats import FIELDS, REQUIRED
from opd_desa.imports.header import match_header
from opd_desa.imports.source import UnreadableFile
from opd_desa.imports.workbook import cell_as_text
from opd_desa.names import normalise, shown
from opd_desa.parse import ParseError, parse_count, parse_date, parse_money
from opd_desa.periods import Period, parse_period

READABLE_VERSIONS = (TEMPLATE_VERSION,)
"""Template versions whose layout this module reads; others are refused with a clear message."""

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class FormMeta:
    """What a returned form says it is."""

    template_version: int
    agency_code: str
    village_code: str
    period: Period
    sheet: str
    language: str


@dataclass
class FormCheck:
    """A returned form: its meta (None when `_meta` is unusable), problems, and entry rows found."""

    path: Path
    meta: FormMeta | None
    problems: list[str] = field(default_factory=list)
    rows: int = 0
    sheet: str = ""

    @property
    def ok(self) -> bool:
        return self.meta is not None and not self.problems


def check_form(path: Path) -> FormCheck | None:
    """Check a returned form (None when the workbook is not a form: it has no `_meta` sheet)."""
    from openpyxl import load_workbook

    label = str(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as e:
        raise UnreadableFile(_("{file}: no such file").format(file=label)) from e
    except Exception as e:  # openpyxl raises many kinds for a file that is not a workbook
        raise UnreadableFile(
            _("{file}: cannot be read as an Excel workbook ({error}); save it as .xlsx and try again").format(
                file=label, error=type(e).__name__
            )
        ) from e
    try:
        if META_SHEET not in book.sheetnames:
            return None
        values = {
            cell_as_text(row[0]): row[1] if len(row) > 1 else None
            for row in book[META_SHEET].iter_rows(max_col=2, values_only=True)
            if row and row[0] is not None
        }
        check = FormCheck(path, None)
        check.meta = _meta(values, label, check.problems)
        if check.meta is None:
            return check
        names = book.sheetnames
        check.sheet = check.meta.sheet if check.meta.sheet in names else names[0]
        rows = book[check.sheet].iter_rows(values_only=True)
        _check_rows(rows, check, check.meta, f"{label}:{check.sheet}!")
        merged = [
            f"{label}:{check.sheet}!{first_row}: "
            + _("cells {cells} are merged; unmerge them and write one value in each cell").format(cells=cells)
            for first_row, cells in _merged_ranges(path, check.sheet)
        ]
        check.problems = sorted([*check.problems, *merged], key=lambda p: _row_of(p, label, check.sheet))
        return check
    finally:
        book.close()


def _meta(values: dict[str, Any], label: str, problems: list[str]) -> FormMeta | None:
    """The form's meta, or None with a problem saying why the form cannot be read."""
    where = f"{label}:{META_SHEET}: "
    new_form = _("ask the secretariat for a new form made with `opd-desa forms`")
    if cell_as_text(values.get("form")) != FORM_MARKER:
        problems.append(where + _("this is not a reporting form of opd-desa; {advice}").format(advice=new_form))
        return None
    version_text = cell_as_text(values.get("template_version"))
    version = int(version_text) if version_text.isdigit() else 0
    if version not in READABLE_VERSIONS:
        message = (
            _("the form was made by a newer opd-desa (form version {version}, this one reads {current}); update it")
            if version > TEMPLATE_VERSION
            else _("the form was made by an older opd-desa (form version {version}, now {current}); {advice}")
        )
        problems.append(where + message.format(version=version, current=TEMPLATE_VERSION, advice=new_form))
        return None
    agency, village = cell_as_text(values.get("agency")), cell_as_text(values.get("village"))
    try:
        period = parse_period(cell_as_text(values.get("period")))
    except ParseError as e:
        problems.append(where + str(e))
        return None
    if not agency or not village:
        problems.append(where + _("the form's agency or village is missing; {advice}").format(advice=new_form))
        return None
    return FormMeta(
        version,
        agency,
        village,
        period,
        cell_as_text(values.get("sheet")),
        cell_as_text(values.get("language")) or "en",
    )


def _check_rows(rows: Iterator[tuple[Any, ...]], check: FormCheck, meta: FormMeta, where: str) -> None:
    """Match the header and check every entry row against the form's village, agency and period."""
    fields = FIELDS["activities"]
    line = 0
    header: list[str] = []
    for line, cells in enumerate(rows, start=1):  # noqa: B007 (line is the header's row after the loop)
        header = [cell_as_text(c) for c in cells]
        if any(header):
            break
    else:
        check.problems.append(where + "1: " + _("the sheet is empty; it needs the form's header row"))
        return
    try:
        match = match_header(header, fields, where=f"{where}{line}")
    except UnreadableFile as e:
        check.problems.append(str(e))
        return
    columns = match.columns
    for text in match.ignored:
        check.problems.append(
            f"{where}{line}: "
            + _("column '{column}' is not a column of the form; write its header back as it was").format(
                column=shown(text)
            )
        )
    missing = [name for name in REQUIRED["activities"] if name not in columns]
    if missing:
        check.problems.append(
            f"{where}{line}: "
            + _("the form's columns {columns} are missing; write their headers back as they were").format(
                columns=", ".join(missing)
            )
        )
        return
    for number, cells in enumerate(rows, start=line + 1):
        texts = [cell_as_text(c) for c in cells]
        row = {name: texts[i] if i < len(texts) else "" for name, i in columns.items()}
        if not any(value for name, value in row.items() if name not in LOCKED):
            continue  # an empty entry row (village and agency are filled in on every row)
        check.rows += 1
        labels = {name: header[i] for name, i in columns.items()}
        for message in _row_problems(row, meta, labels):
            check.problems.append(f"{where}{number}: {message}")


def _row_problems(row: dict[str, str], meta: FormMeta, labels: dict[str, str]) -> Iterator[str]:
    """What is wrong with one entry row of the form, one message each (columns named by their headers)."""
    village, agency = row.get("village", ""), row.get("agency", "")
    if _code(village) != _code(meta.village_code):
        yield _("village '{value}' is not the village of this form ({code}); write {code} back").format(
            value=shown(village), code=meta.village_code
        )
    if "agency" in row and normalise(agency) != normalise(meta.agency_code):
        yield _("agency '{value}' is not the agency of this form ({code}); write {code} back").format(
            value=shown(agency), code=meta.agency_code
        )
    for name in ("kind", "title"):
        if not row.get(name):
            yield _("the column '{column}' is empty").format(column=labels[name])
    try:
        day = parse_date(row.get("date", ""))
    except ParseError as e:
        yield str(e)
    else:
        if not meta.period.contains(day):
            yield _outside(day, meta.period)
    for name in (*MONEY, *COUNTS):
        text = row.get(name, "")
        if not text:
            continue
        try:
            (parse_money if name in MONEY else parse_count)(text)
        except ParseError as e:
            yield f"{labels[name]}: {e}"


def _outside(day: date, period: Period) -> str:
    return _(
        "the date {day} lies outside the period {period} ({start} to {end}); an activity of another period "
        "goes on the form of that period"
    ).format(day=day.isoformat(), period=period.name, start=period.start.isoformat(), end=period.end.isoformat())


def _row_of(problem: str, label: str, sheet: str) -> int:
    """The row number a `FILE:SHEET!ROW: message` names, for listing problems top to bottom."""
    digits = problem[len(f"{label}:{sheet}!") :].split(":", 1)[0]
    return int(digits) if digits.isdigit() else 0


def _code(text: str) -> str:
    """A village code as compared: without dots and spaces (`33.20.01.2003` is `3320012003`)."""
    return "".join(text.split()).replace(".", "")


def _merged_ranges(path: Path, sheet: str) -> list[tuple[int, str]]:
    """(first row, range) of each merged range on `sheet`, read from the file's XML
    (openpyxl's read-only mode does not report merges)."""
    try:
        with zipfile.ZipFile(path) as archive:
            book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PACKAGE_REL}Relationship")}
            rel_id = next((s.get(f"{_REL}id") for s in book.iter(f"{_MAIN}sheet") if s.get("name") == sheet), None)
            target = targets.get(rel_id, "")
            if not target:
                return []
            member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            ranges: list[tuple[int, str]] = []
            with archive.open(member) as stream:
                for _event, element in ElementTree.iterparse(stream):
                    if element.tag == f"{_MAIN}mergeCell":
                        ref = element.get("ref", "")
                        digits = "".join(c for c in ref.split(":")[0] if c.isdigit())
                        ranges.append((int(digits or 0), ref))
                    element.clear()
            return sorted(ranges)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return []
