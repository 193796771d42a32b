"""`import activities` over several files or a folder of returned forms: each file all or nothing.

A reporting form (a workbook with the `_meta` sheet `opd-desa forms` writes) is first checked
against its own agency, village and period (`documents.forms_reading`); a form with problems is
refused with one `FILE:SHEET!ROW: message` each, and nothing of it is written. Any other file is
an ordinary activities file. Files are independent: one refused file does not stop the others.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from opd_desa.errors import ImportFailed, InvalidValue, NotFound
from opd_desa.i18n import _
from opd_desa.imports.rows import ImportSummary, Progress
from opd_desa.imports.source import UnreadableFile

SUFFIXES = (".xlsx", ".xlsm", ".csv")
"""The files of a folder that are read; others (reminders, PDFs) are left alone."""


@dataclass
class FileOutcome:
    """What became of one file: imported (with its summary), refused (with its problems), or `empty`:
    a form returned without any activity (the agency reported nothing; nothing to import)."""

    file: str
    status: Literal["imported", "refused", "empty"]
    summary: ImportSummary | None = None
    problems: list[str] = field(default_factory=list)
    form: dict[str, str] | None = None
    """For a reporting form: the agency, village and period it carries."""
    rows: int = 0
    """Rows with an activity found in a refused form (the summary's count otherwise)."""

    def as_dict(self) -> dict[str, Any]:
        counts = self.summary.as_dict() if self.summary is not None and self.status == "imported" else {}
        return {
            "file": self.file,
            "status": self.status,
            "form": self.form,
            "rows": self.summary.rows if self.summary is not None else self.rows,
            "inserted": counts.get("inserted", 0),
            "updated": counts.get("updated", 0),
            "unchanged": counts.get("unchanged", 0),
            "problems": self.problems,
        }


@dataclass(frozen=True)
class Totals:
    files: int
    imported: int
    refused: int
    empty: int
    inserted: int
    updated: int
    unchanged: int


def totals(outcomes: Sequence[FileOutcome]) -> Totals:
    """The summary line over all files (rows of refused files count nowhere: nothing of them was written)."""
    done = [o.summary for o in outcomes if o.status == "imported" and o.summary is not None]
    return Totals(
        len(outcomes),
        sum(o.status == "imported" for o in outcomes),
        sum(o.status == "refused" for o in outcomes),
        sum(o.status == "empty" for o in outcomes),
        sum(s.inserted for s in done),
        sum(s.updated for s in done),
        sum(s.unchanged for s in done),
    )


def _is_candidate(path: Path) -> bool:
    name = path.name
    hidden = name.startswith((".", "~$"))  # our own temporary files, Office and LibreOffice lock files
    return path.is_file() and not hidden and path.suffix.lower() in SUFFIXES


def expand(paths: Sequence[str]) -> list[str]:
    """The files named, with each folder replaced by its workbooks and CSV files (sorted by name)."""
    files: list[str] = []
    for text in paths:
        path = Path(text)
        if text != "-" and path.is_dir():
            found = sorted(str(p) for p in path.iterdir() if _is_candidate(p))
            if not found:
                raise NotFound(
                    _("{folder} holds no .xlsx or .csv file to import; give the folder of the returned forms").format(
                        folder=text
                    )
                )
            files.extend(found)
        else:
            files.append(text)
    if not files:
        raise InvalidValue(_("name at least one file or folder to import"))
    return list(dict.fromkeys(files))


def _is_workbook(path: str) -> bool:
    return path != "-" and Path(path).suffix.lower() in (".xlsx", ".xlsm") and Path(path).is_file()


def is_form(path: str) -> bool:
    """Whether `path` is a workbook with the `_meta` sheet of a reporting form (read cheaply, from
    the workbook's list of sheets only)."""
    import zipfile
    from xml.etree import ElementTree

    from opd_desa.documents.forms import META_SHEET

    if not _is_workbook(path):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError):
        return False
    return any(element.get("name") == META_SHEET for element in book.iter() if element.tag.endswith("}sheet"))


def import_activity_files(
    conn: sqlite3.Connection,
    paths: Sequence[str],
    *,
    dry_run: bool = False,
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    progress: Progress | None = None,
) -> list[FileOutcome]:
    """Import each file on its own (all or nothing), forms checked first; one outcome per file."""
    from opd_desa.documents.forms_reading import check_form
    from opd_desa.imports.service import import_file

    outcomes = []
    for file in expand(paths):
        form: dict[str, str] | None = None
        chosen_sheet = sheet
        try:
            if _is_workbook(file):
                check = check_form(Path(file))  # None: an ordinary workbook, not a form
                if check is not None:
                    if check.meta is not None:
                        form = {
                            "agency": check.meta.agency_code,
                            "village": check.meta.village_code,
                            "period": check.meta.period.name,
                        }
                    if not check.ok:
                        outcomes.append(
                            FileOutcome(file, "refused", problems=check.problems, form=form, rows=check.rows)
                        )
                        continue
                    if check.rows == 0:
                        outcomes.append(FileOutcome(file, "empty", form=form))
                        continue
                    chosen_sheet = check.sheet
            summary = import_file(
                conn,
                "activities",
                file,
                dry_run=dry_run,
                delimiter=delimiter,
                encoding=encoding,
                sheet=chosen_sheet,
                progress=progress,
            )
        except ImportFailed as e:
            failed = e.summary if isinstance(e.summary, ImportSummary) else None
            problems = failed.error_lines() if failed is not None and failed.errors else [str(e)]
            outcomes.append(FileOutcome(file, "refused", failed, problems, form))
            continue
        except UnreadableFile as e:
            outcomes.append(FileOutcome(file, "refused", problems=[str(e)], form=form))
            continue
        outcomes.append(FileOutcome(file, "imported", summary, form=form))
    return outcomes
