"""The checks of one row of a figures file, shared by the row-by-row import and the fast reader.

`imports.figures` reads any shape of figures file a row at a time; `imports.figuresreader` reads a
large sheet with a column per measure by raw cells, in a second process. Both say the same thing
about the same cell, because both ask here.
"""

from __future__ import annotations

from opd_desa.i18n import _
from opd_desa.imports.rows import RowProblem, blame
from opd_desa.measures import IDM, IDM_CLASS_NAMES, POVERTY, Measure, idm_class, idm_class_named
from opd_desa.parse import ParseError, parse_decimal

# the columns of a sheet with one column per measure, and the measure each holds
WIDE_MEASURES = {"persen_miskin": POVERTY, "persen_miskin_ekstrem": "extreme", "idm": IDM}
IGNORED_SUBINDICES = ("iks", "ike", "ikl")


def figure_value(
    measure: Measure,
    column: str,
    value_text: str,
    count: int | None,
    population: int | None,
    stored: tuple[int | None, int | None],
) -> float:
    """The figure of a cleaned `value_text` (with its count and population), by the rules of `figure set`."""
    from opd_desa.services.figures import value_from

    value = _decimal(column, value_text) if value_text else None
    with blame(column):
        return value_from(measure, value, count, population, stored)


def status_problem(text: str, score_text: str) -> RowProblem | None:
    """What is wrong with a cleaned `status_idm` beside the cleaned IDM score: not a class, or not
    the class of the score; None when nothing is."""
    named = idm_class_named(text)
    if named is None:
        return RowProblem(
            "status_idm",
            _("'{value}' is not an IDM status; use one of {classes}").format(
                value=text, classes=", ".join(IDM_CLASS_NAMES)
            ),
        )
    if score_text:
        try:
            score = _decimal("idm", score_text)
        except RowProblem as problem:
            return problem
        if idm_class(score) != named:
            return RowProblem(
                "status_idm",
                _("{status} does not match the IDM score {score:g}, which is {expected}").format(
                    status=named, score=score, expected=idm_class(score)
                ),
            )
    return None


def empty_place() -> RowProblem:
    """A row that names neither a village nor a region."""
    return RowProblem("village", _("is empty; give the village (or the region in kode_wilayah)"))


def empty_year() -> RowProblem:
    """A row without a year, in a sheet read without --year."""
    return RowProblem("year", _("is empty; this column is required (or give --year)"))


def repeated_figure(column: str, first_line: int) -> RowProblem:
    """The same place, year and measure as an earlier line, with another figure."""
    return RowProblem(
        column,
        _("the same place, year and measure as line {line} with another figure; keep one").format(line=first_line),
    )


def _decimal(column: str, text: str) -> float:
    try:
        return parse_decimal(text)
    except ParseError as e:
        raise RowProblem(column, str(e)) from e
