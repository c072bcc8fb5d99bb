"""Writes to the geography tables."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from treem.core.auditing import audit_record
from treem.geo.models import (
    Commune,
    CommuneConversion,
    LegacyCommune,
    LegacyDistrict,
    LegacyProvince,
    Province,
    Village,
)
from treem.lib.text import fold, nfc


@dataclass(frozen=True)
class GeographyCounts:
    provinces: int
    communes: int
    legacy_provinces: int
    legacy_districts: int
    legacy_communes: int
    conversions: int


def _pad(value: int, width: int) -> str:
    return str(int(value)).zfill(width)


def geography_load() -> GeographyCounts:
    """Load (or refresh) every administrative unit from the `vietnam-provinces` package.

    Idempotent: rows are upserted by code, and conversion rows no longer in the package are removed,
    so running it again after a package upgrade brings the tables in line with the package.
    """
    import vietnam_provinces as vp
    from vietnam_provinces import _ward_conversion_2025 as conversion
    from vietnam_provinces.legacy import base as legacy

    provinces = [
        Province(
            code=_pad(p.code, 2),
            name=p.name,
            division_type=str(p.division_type),
            codename=p.codename,
            name_folded=fold(p.name),
        )
        for p in vp.Province.iter_all()
    ]
    communes = [
        Commune(
            code=_pad(w.code, 5),
            name=w.name,
            division_type=str(w.division_type),
            codename=w.codename,
            province_id=_pad(w.province_code, 2),
            name_folded=fold(w.name),
        )
        for w in vp.Ward.iter_all()
    ]
    legacy_provinces = [
        LegacyProvince(
            code=_pad(p.code, 2),
            name=p.name,
            division_type=str(p.division_type),
            name_folded=fold(p.name),
        )
        for p in legacy.Province.iter_all()
    ]
    legacy_districts = [
        LegacyDistrict(
            code=_pad(d.code, 3),
            name=d.name,
            division_type=str(d.division_type),
            province_id=_pad(d.province_code, 2),
            name_folded=fold(d.name),
        )
        for d in legacy.District.iter_all()
    ]
    legacy_district_province = {d.code: d.province_id for d in legacy_districts}
    legacy_communes = [
        LegacyCommune(
            code=_pad(w.code, 5),
            name=w.name,
            division_type=str(w.division_type),
            district_id=_pad(w.district_code, 3),
            province_id=legacy_district_province[_pad(w.district_code, 3)],
            name_folded=fold(w.name),
        )
        for w in legacy.Ward.iter_all()
    ]
    new_names = {c.code: c.name_folded for c in communes}
    legacy_names = {c.code: c.name_folded for c in legacy_communes}
    conversions: list[CommuneConversion] = []
    for old_code, entry in conversion.OLD_TO_NEW.items():
        legacy_code = _pad(old_code, 5)
        if legacy_code not in legacy_names:
            continue
        targets = [_pad(ref.code, 5) for ref in entry.new_wards if _pad(ref.code, 5) in new_names]
        if not targets:
            continue
        # Old figures of a split commune are re-aggregated onto one successor only: the one that
        # kept its name if there is one, otherwise the first listed by the official table.
        primary = next(
            (c for c in targets if _bare(new_names[c]) == _bare(legacy_names[legacy_code])),
            targets[0],
        )
        for code in dict.fromkeys(targets):
            conversions.append(
                CommuneConversion(
                    legacy_commune_id=legacy_code,
                    commune_id=code,
                    is_partly_merged=entry.old_ward.is_partly_merged,
                    is_primary=code == primary,
                )
            )

    with transaction.atomic():
        _upsert(Province, provinces, ["name", "division_type", "codename", "name_folded"])
        _upsert(Commune, communes, ["name", "division_type", "codename", "province", "name_folded"])
        _upsert(LegacyProvince, legacy_provinces, ["name", "division_type", "name_folded"])
        _upsert(
            LegacyDistrict, legacy_districts, ["name", "division_type", "province", "name_folded"]
        )
        _upsert(
            LegacyCommune,
            legacy_communes,
            ["name", "division_type", "district", "province", "name_folded"],
        )
        # The conversion table is replaced whole: it is derived data with no references to it.
        CommuneConversion.objects.all().delete()
        CommuneConversion.objects.bulk_create(conversions, batch_size=2000)

    return GeographyCounts(
        provinces=len(provinces),
        communes=len(communes),
        legacy_provinces=len(legacy_provinces),
        legacy_districts=len(legacy_districts),
        legacy_communes=len(legacy_communes),
        conversions=len(conversions),
    )


_UNIT_PREFIXES = ("thi tran ", "phuong ", "xa ", "dac khu ")


def _bare(name_folded: str) -> str:
    """A unit's folded name without its type ("phuong truc bach" -> "truc bach")."""
    for prefix in _UNIT_PREFIXES:
        if name_folded.startswith(prefix):
            return name_folded[len(prefix) :]
    return name_folded


def _upsert(model, objs: list, update_fields: list[str]) -> None:
    model.objects.bulk_create(
        objs,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=update_fields,
    )


def village_create(*, actor, commune: Commune, name: str, kind: str) -> Village:
    """Create a village in a commune. The caller has checked that the actor may do so."""
    name = nfc(name)
    village = Village(
        commune=commune, name=name, kind=kind, name_folded=fold(name), created_by=actor
    )
    village.full_clean(exclude=["name_folded", "created_by"], validate_unique=False)
    try:
        with transaction.atomic():
            village.save()
            audit_record(actor=actor, action="create", obj=village, changes={"name": [None, name]})
    except IntegrityError as exc:
        raise ValidationError(
            {
                "name": _(
                    "Xã này đã có thôn, ấp tên “%(name)s”. Hãy chọn thôn đó hoặc đặt tên khác."
                )
                % {"name": name}
            }
        ) from exc
    return village
