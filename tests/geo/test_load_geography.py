import pytest
import vietnam_provinces as vp
from vietnam_provinces import _ward_conversion_2025 as conversion
from vietnam_provinces.legacy import base as legacy

from treem.geo.models import (
    Commune,
    CommuneConversion,
    LegacyCommune,
    LegacyDistrict,
    LegacyProvince,
    Province,
)
from treem.geo.selectors import communes_search
from treem.geo.services import geography_load

pytestmark = pytest.mark.django_db


def test_counts_equal_the_package():
    assert Province.objects.count() == len(list(vp.Province.iter_all()))
    assert Commune.objects.count() == len(list(vp.Ward.iter_all()))
    assert LegacyProvince.objects.count() == len(list(legacy.Province.iter_all()))
    assert LegacyDistrict.objects.count() == len(list(legacy.District.iter_all()))
    assert LegacyCommune.objects.count() == len(list(legacy.Ward.iter_all()))


def test_loading_again_changes_nothing():
    before = CommuneConversion.objects.count()
    counts = geography_load()
    assert counts.communes == Commune.objects.count()
    assert CommuneConversion.objects.count() == before
    assert CommuneConversion.objects.filter(is_primary=True).count() == (
        CommuneConversion.objects.values("legacy_commune").distinct().count()
    )


def test_every_commune_belongs_to_its_package_province():
    sample = next(iter(vp.Ward.iter_by_province(vp.Province.search("Đồng Nai")[0].code)))
    assert Commune.objects.get(code=str(int(sample.code)).zfill(5)).province_id == "75"
    assert Commune.objects.filter(province_id="75").count() == len(
        list(vp.Ward.iter_by_province(sample.province_code))
    )


@pytest.mark.parametrize("legacy_province", ["75", "70"])  # Đồng Nai, Bình Phước
def test_every_legacy_commune_of_the_new_dong_nai_maps_to_a_current_one(legacy_province):
    legacy_codes = set(
        LegacyCommune.objects.filter(province_id=legacy_province).values_list("code", flat=True)
    )
    assert legacy_codes, "the legacy province has communes"
    mapped = set(
        CommuneConversion.objects.filter(legacy_commune__province_id=legacy_province).values_list(
            "legacy_commune_id", flat=True
        )
    )
    assert mapped == legacy_codes
    # Each maps onto exactly one primary successor, in today's Đồng Nai.
    primaries = CommuneConversion.objects.filter(
        legacy_commune__province_id=legacy_province, is_primary=True
    )
    assert primaries.count() == len(legacy_codes)
    assert set(primaries.values_list("commune__province_id", flat=True)) == {"75"}


def test_conversion_rows_match_the_official_table():
    sample_code, entry = next(
        (code, e) for code, e in conversion.OLD_TO_NEW.items() if len(e.new_wards) > 1
    )
    rows = CommuneConversion.objects.filter(legacy_commune_id=str(sample_code).zfill(5))
    assert {r.commune_id for r in rows} == {str(w.code).zfill(5) for w in entry.new_wards}
    assert all(r.is_partly_merged for r in rows)


@pytest.mark.parametrize("query", ["tran bien", "TRẤN BIÊN", "Trấn  Biên", "trấn biên"])
def test_commune_lookup_ignores_accents_case_and_spacing(query):
    names = list(communes_search(province_code="75", query=query).values_list("name", flat=True))
    assert names == ["Phường Trấn Biên"]


def test_commune_lookup_accepts_decomposed_unicode():
    import unicodedata

    query = unicodedata.normalize("NFD", "Biên Hòa")
    assert "Phường Biên Hòa" in communes_search(query=query).values_list("name", flat=True)
