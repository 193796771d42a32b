"""Values read back from the database, checked: a file edited by hand may hold what no command writes.

A service that needs a stored date as a date reads it with `stored_date`, so `13/10/2021` typed into
the file by hand is one line naming the row and pointing to `opd-desa check`, not a crash; `check`
uses the same tests to list every such value.
"""

from __future__ import annotations

import datetime as dt
import re

from opd_desa.errors import DamagedData
from opd_desa.i18n import _
from opd_desa.names import shown

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def is_iso_date(value: object) -> bool:
    """True for a `YYYY-MM-DD` text that is a real day (the only form opd-desa stores dates in)."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def stored_date(value: object, where: str) -> dt.date:
    """The stored `YYYY-MM-DD` text `value` as a date, or DamagedData naming `where` (e.g. "pairing 12: since")."""
    if not is_iso_date(value):
        raise DamagedData(
            _(
                "{where} holds '{value}', which is not a date (YYYY-MM-DD); was the database edited by hand? "
                "Run `opd-desa check` to list every such value"
            ).format(where=where, value=shown(str(value)))
        )
    return dt.date.fromisoformat(str(value))
