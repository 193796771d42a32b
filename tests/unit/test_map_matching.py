"""Features to villages: a code field found by itself, else village and kecamatan names."""

from __future__ import annotations

import pytest

from opd_desa.errors import InvalidValue
from opd_desa.maps.matching import Matcher, VillageRecord, check_name_fields, find_code_field
from opd_desa.names import kecamatan_key, village_key


def _village(code: str, name: str, kecamatan: str) -> VillageRecord:
    return VillageRecord(code, name, village_key(name), kecamatan, kecamatan_key(kecamatan), code[:5])


VILLAGES = [
    _village("33.20.16.2005", "Tulakan", "Donorojo"),
    _village("33.20.16.2006", "Blingoh", "Donorojo"),
    _village("33.20.01.2001", "Kedungmalang", "Kedung"),
    _village("33.20.01.2002", "Sowan Lor", "Kedung"),
]


def test_bigs_code_field_is_found_by_itself() -> None:
    sample = [{"WADMKD": "Tulakan", "KDEPUM": "33.20.16.2005", "LUAS": 12.5}]
    assert find_code_field(sample) == "KDEPUM"


def test_any_field_holding_village_codes_is_found_even_undotted() -> None:
    codes = {v.code: v for v in VILLAGES}
    sample = [{"ID": str(i), "KODE_WIL": v.code.replace(".", "")} for i, v in enumerate(VILLAGES)]
    assert find_code_field(sample, codes) == "KODE_WIL"


def test_codes_in_a_numeric_dbf_field_are_read_as_codes() -> None:
    matcher = Matcher(VILLAGES, "KODE")
    assert matcher.match(1, {"KODE": 3320162005.0}) == "33.20.16.2005"
    assert find_code_field([{"KODE": 3320162005.0}]) == "KODE"


def test_no_code_field_when_no_values_are_codes() -> None:
    assert find_code_field([{"WADMKD": "Tulakan", "WADMKC": "Donorojo"}]) is None


def test_matching_by_code_counts_matched_skipped_unmatched_and_missing() -> None:
    matcher = Matcher(VILLAGES, "KDEPUM")
    assert matcher.match(1, {"KDEPUM": "3320162005"}) == "33.20.16.2005"
    assert matcher.match(2, {"KDEPUM": "33.19.01.2001", "WADMKD": "Bakalankrapyak"}) is None  # Kudus
    assert matcher.match(3, {"KDEPUM": "33.20.01.2999", "WADMKD": "Desa Baru", "WADMKC": "Kedung"}) is None
    result = matcher.finish()
    assert result.matched == {"33.20.16.2005": [1]}
    assert result.skipped == 1
    assert [(u.number, u.names) for u in result.unmatched] == [
        (3, "KDEPUM=33.20.01.2999, WADMKD=Desa Baru, WADMKC=Kedung")
    ]
    assert result.missing == ["33.20.01.2001", "33.20.01.2002", "33.20.16.2006"]


def test_matching_by_names_forgives_case_spaces_and_prefixes() -> None:
    matcher = Matcher(VILLAGES, None)
    assert matcher.match(1, {"NAMOBJ": "SOWANLOR", "WADMKC": "Kec. KEDUNG"}) == "33.20.01.2002"
    assert matcher.match(2, {"WADMKD": "Desa Kedung-Malang", "WADMKC": "kedung"}) == "33.20.01.2001"
    assert matcher.match(3, {"WADMKD": "Sowan Kidul", "WADMKC": "Kedung"}) is None  # not in the database
    assert matcher.match(4, {"WADMKD": "Gemiring", "WADMKC": "Nalumsari"}) is None  # kecamatan not loaded
    result = matcher.finish()
    assert sorted(result.matched) == ["33.20.01.2001", "33.20.01.2002"]
    assert [u.number for u in result.unmatched] == [3]
    assert result.skipped == 1


def test_a_village_split_over_several_features_is_one_match() -> None:
    matcher = Matcher(VILLAGES, "KDEPUM")
    matcher.match(1, {"KDEPUM": "33.20.16.2005"})
    matcher.match(2, {"KDEPUM": "33.20.16.2005"})
    assert matcher.finish().matched == {"33.20.16.2005": [1, 2]}


def test_a_file_without_codes_or_names_is_refused_listing_its_fields() -> None:
    check_name_fields([{"NAMOBJ": "Tulakan", "WADMKC": "Donorojo"}])
    with pytest.raises(InvalidValue, match=r"its fields: OBJECTID, LUAS\. Name the code field with --code-field"):
        check_name_fields([{"OBJECTID": 1, "LUAS": 2.5}])
