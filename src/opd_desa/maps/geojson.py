"""Writing a GeoJSON FeatureCollection from stored geometry text, one feature per line."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from opd_desa.errors import InvalidValue
from opd_desa.i18n import _


def write_collection(output: Path, features: Iterable[tuple[Mapping[str, Any], str]]) -> int:
    """Write (properties, geometry text) pairs as a FeatureCollection; the stored geometry text is
    copied as it is (never parsed). Returns the number of features written."""
    count = 0
    try:
        with output.open("w", encoding="utf-8") as f:
            f.write('{"type":"FeatureCollection","features":[\n')
            for properties, geometry in features:
                head = json.dumps(dict(properties), ensure_ascii=False)
                f.write(("," if count else "") + f'{{"type":"Feature","properties":{head},"geometry":{geometry}}}\n')
                count += 1
            f.write("]}\n")
    except OSError as e:
        raise InvalidValue(_("cannot write {path}: {error}").format(path=output, error=e.strerror)) from e
    return count
