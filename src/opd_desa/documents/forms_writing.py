"""Writing the activity reporting form: the workbook `forms` describes, built sheet by sheet (the
activities with their validations, the instructions, the hidden lists and `_meta`) and saved.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opd_desa import i18n
from opd_desa.documents.forms import (
    COLUMNS,
    COUNTS,
    ENTRY_ROWS,
    FORM_MARKER,
    KINDS_NAME,
    LISTS_SHEET,
    LOCKED,
    META_SHEET,
    MONEY,
    ReportingForm,
    form_file_name,
    headers,
)
from opd_desa.i18n import _

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

_WIDTHS = {"village": 14, "agency": 14, "date": 13, "kind": 18, "title": 40, "budget": 16, "spent": 16}
_DATE_FORMATS = {"en": "yyyy-mm-dd", "id": "dd/mm/yyyy"}
_MONEY_FORMAT = "#,##0"
_LOCKED_FILL = "E7E6E6"
_HEADER_FILL = "D9E1F2"
_INSTRUCTIONS_WIDTH = 72  # characters: one A4 portrait page wide in the fonts LibreOffice falls back to


def write_form(form: ReportingForm, folder: Path) -> Path:
    """Write the form into `folder` (atomically: a temporary file beside it, then a rename); its path."""
    target = folder / form_file_name(form.agency_code, form.period)
    from opd_desa.xlsx import save_workbook

    save_workbook(build_workbook(form), target)
    return target


@contextmanager
def _speaking(language: str | None) -> Iterator[str]:
    """Messages in `language` for the duration (the language chosen for messages when None)."""
    before = i18n.language()
    wanted = language if language in i18n.LANGUAGES else before
    if wanted != before:
        i18n.set_language(wanted)
    try:
        yield wanted
    finally:
        if wanted != before:
            i18n.set_language(before)


def _day(day: date, language: str) -> str:
    return day.strftime("%d/%m/%Y") if language == "id" else day.isoformat()


def build_workbook(form: ReportingForm) -> Workbook:
    """The form as an openpyxl workbook (not yet saved)."""
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.workbook.protection import WorkbookProtection

    with _speaking(form.language) as language:
        book = Workbook()
        activities = book.active
        assert activities is not None
        activities.title = _("Activities")
        kinds = list(dict.fromkeys([*form.kinds, *(a.kind for a in form.activities)]))
        last_row = 1 + max(ENTRY_ROWS, len(form.activities) + 50)
        _fill_activities(activities, form, language, last_row)
        _add_validations(activities, form, language, last_row)
        instructions = book.create_sheet(_("Instructions"))
        _fill_instructions(instructions, form, language, activities.title)

        lists = book.create_sheet(LISTS_SHEET)
        for row, kind in enumerate(kinds, start=1):
            _put(lists.cell(row=row, column=1), kind)
        lists.sheet_state = "hidden"
        book.defined_names[KINDS_NAME] = DefinedName(KINDS_NAME, attr_text=f"'{LISTS_SHEET}'!$A$1:$A${len(kinds)}")

        meta = book.create_sheet(META_SHEET)
        for row, (key, value) in enumerate(_meta_values(form, language, activities.title), start=1):
            meta.cell(row=row, column=1, value=key)
            _put(meta.cell(row=row, column=2), value)
        meta.sheet_state = "veryHidden"

        book.active = book.index(instructions)
        activities.sheet_view.tabSelected = False
        book.security = WorkbookProtection(lockStructure=True)
        book.properties.title = _("Activity report {period}: {agency}").format(
            period=form.period.name, agency=form.agency_code
        )
        book.properties.creator = "opd-desa"
        return book


def _put(cell: Any, value: object) -> None:
    """Write a value; text is always text (openpyxl would make `=...` a formula that runs on opening)."""
    from opd_desa.xlsx import put_value

    put_value(cell, value)


def _meta_values(form: ReportingForm, language: str, sheet: str) -> list[tuple[str, Any]]:
    return [
        ("form", FORM_MARKER),
        ("template_version", form.template_version),
        ("agency", form.agency_code),
        ("village", form.village_code),
        ("period", form.period.name),
        ("start", form.period.start.isoformat()),
        ("end", form.period.end.isoformat()),
        ("sheet", sheet),
        ("language", language),
    ]


def _fill_activities(ws: Worksheet, form: ReportingForm, language: str, last_row: int) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    names = headers(language)
    header_fill = PatternFill("solid", fgColor=_HEADER_FILL)
    locked_fill = PatternFill("solid", fgColor=_LOCKED_FILL)
    for column, field in enumerate(COLUMNS, start=1):
        head = ws.cell(row=1, column=column, value=names[field])
        head.font = Font(bold=True)
        head.fill = header_fill
        head.alignment = Alignment(vertical="center")
        ws.column_dimensions[get_column_letter(column)].width = max(_WIDTHS.get(field, 12), len(names[field]) + 3)

    recorded = {row: activity for row, activity in enumerate(form.activities, start=2)}
    unlocked = Protection(locked=False)
    date_format = _DATE_FORMATS.get(language, _DATE_FORMATS["en"])
    for row in range(2, last_row + 1):
        activity = recorded.get(row)
        for column, field in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=row, column=column)
            if field == "village":
                _put(cell, form.village_code)
            elif field == "agency":
                _put(cell, form.agency_code)
            elif activity is not None:
                _put(cell, getattr(activity, field))
            if field in LOCKED:
                cell.fill = locked_fill
                continue
            cell.protection = unlocked
            if field == "date":
                cell.number_format = date_format
            elif field in MONEY or field in COUNTS:
                cell.number_format = _MONEY_FORMAT

    ws.freeze_panes = "A2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # people may widen a column to read a long title
    ws.protection.formatRows = False
    _print_one_page_wide(ws, landscape=True)
    header, footer = ws.oddHeader, ws.oddFooter  # a printed form says whose it is on every page
    assert header is not None and footer is not None  # openpyxl creates both with the sheet
    header.center.text = (
        _("Activity report {period}: {agency}").format(period=form.period.name, agency=form.agency_code)
        + f" — {form.village_name} ({form.village_code})"
    )
    footer.center.text = _("Page &P of &N")
    ws.print_title_rows = "1:1"
    ws.print_area = f"A1:{get_column_letter(len(COLUMNS))}{max(21, len(form.activities) + 16)}"


def _add_validations(ws: Worksheet, form: ReportingForm, language: str, last_row: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    def column_range(field: str) -> str:
        letter = get_column_letter(COLUMNS.index(field) + 1)
        return f"{letter}2:{letter}{last_row}"

    def add(fields: Sequence[str], validation: DataValidation) -> None:
        validation.showInputMessage = True
        validation.showErrorMessage = validation.type is not None
        validation.showDropDown = False  # False shows the arrow: the attribute means "hide it"
        validation.allow_blank = True
        for field in fields:
            validation.add(column_range(field))
        ws.add_data_validation(validation)

    start, end = form.period.start, form.period.end
    period = form.period.name
    add(
        ["date"],
        DataValidation(
            type="date",
            operator="between",
            formula1=f"DATE({start.year},{start.month},{start.day})",
            formula2=f"DATE({end.year},{end.month},{end.day})",
            errorStyle="stop",
            promptTitle=_("Date of the activity")[:32],
            prompt=_("A date from {start} to {end} (period {period}).").format(
                start=_day(start, language), end=_day(end, language), period=period
            ),
            errorTitle=_("Date outside the period")[:32],
            error=_("The date must lie from {start} to {end} (period {period}).").format(
                start=_day(start, language), end=_day(end, language), period=period
            ),
        ),
    )
    add(
        ["kind"],
        DataValidation(
            type="list",
            formula1=KINDS_NAME,
            errorStyle="stop",
            promptTitle=_("Kind of activity")[:32],
            prompt=_("Choose the kind from the list."),
            errorTitle=_("Kind not in the list")[:32],
            error=_("Choose one of the kinds in the list; write details in the note."),
        ),
    )
    add(
        ["title"],
        DataValidation(
            promptTitle=_("Activity")[:32],
            prompt=_("What was done, in a few words (one activity per row)."),
        ),
    )
    add(
        MONEY,
        DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            errorStyle="stop",
            promptTitle=_("Whole rupiah")[:32],
            prompt=_("Digits only, in whole rupiah: 15000000 (not Rp 15.000.000,- or 15 jt)."),
            errorTitle=_("Not an amount in rupiah")[:32],
            error=_("Write the amount in whole rupiah, digits only, like 15000000."),
        ),
    )
    add(
        COUNTS,
        DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            errorStyle="stop",
            promptTitle=_("Whole number")[:32],
            prompt=_("How many households (KK) or people were reached: a whole number like 25."),
            errorTitle=_("Not a whole number")[:32],
            error=_("Write a whole number of 0 or more, like 25."),
        ),
    )


def _fill_instructions(ws: Worksheet, form: ReportingForm, language: str, sheet: str) -> None:
    from openpyxl.styles import Alignment, Font

    period = form.period
    start, end = _day(period.start, language), _day(period.end, language)
    names = headers(language)
    example_date = _day(period.start.replace(day=15), language)
    lines: list[tuple[str, str]] = [
        ("title", _("Activity report, period {period}").format(period=period.name)),
        ("", ""),
        ("label", _("Agency")),
        ("", f"{form.agency_code} — {form.agency_name}"),
        ("label", _("Village")),
        ("", f"{form.village_name} ({form.village_code}), {_('Kecamatan')} {form.kecamatan}"),
        ("label", _("Period")),
        ("", _("{period}: from {start} to {end}").format(period=period.name, start=start, end=end)),
        ("", ""),
        ("label", _("How to fill in this form")),
        ("", _("1. Write one activity per row on the sheet '{sheet}'.").format(sheet=sheet)),
        ("", _("2. The village and agency columns are filled in and locked; do not change them.")),
        (
            "",
            _("3. '{column}': the day of the activity, from {start} to {end}, typed like {example}.").format(
                column=names["date"], start=start, end=end, example=example_date
            ),
        ),
        ("", _("4. '{column}': choose from the list in the cell.").format(column=names["kind"])),
        (
            "",
            _("5. '{budget}' and '{spent}': whole rupiah, digits only: 15000000, not Rp 15.000.000,- or 15 jt.").format(
                budget=names["budget"], spent=names["spent"]
            ),
        ),
        (
            "",
            _("6. '{households}' and '{people}': whole numbers of households (KK) and of people reached.").format(
                households=names["households"], people=names["beneficiaries"]
            ),
        ),
        ("", _("7. Rows already filled in are the activities recorded so far; correct them where needed.")),
        ("", _("8. Do not rename the sheets, change the headers or move columns; save the file as .xlsx.")),
        ("", ""),
        ("label", _("Send the form back")),
        (
            "",
            _("Send the filled-in file back by {due} to: {contact}").format(
                due=_day(form.due, language), contact=form.secretariat
            )
            if form.due
            else _("Send the filled-in file back to: {contact}").format(contact=form.secretariat),
        ),
        ("", _("File: {name}").format(name=form_file_name(form.agency_code, period))),
    ]
    ws.column_dimensions["A"].width = _INSTRUCTIONS_WIDTH
    for row, (style, text) in enumerate(lines, start=1):
        cell = ws.cell(row=row, column=1)
        _put(cell, text or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        wrapped = -(-len(text) // (_INSTRUCTIONS_WIDTH - 8))  # spreadsheets do not grow rows they did not lay out
        if wrapped > 1:
            ws.row_dimensions[row].height = 15 * wrapped
        if style == "title":
            cell.font = Font(bold=True, size=14)
        elif style == "label":
            cell.font = Font(bold=True)
    ws.protection.sheet = True
    _print_one_page_wide(ws, landscape=False)


def _print_one_page_wide(ws: Worksheet, *, landscape: bool) -> None:
    """A4, scaled to one page wide (as every workbook opd-desa writes is ready to print)."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
