"""Administrative units: the July-2025 two-tier map, the legacy three-tier map and the conversion
between them, all loaded from the `vietnam-provinces` package (never typed by hand), and villages,
which each commune enters itself.

Codes are the official GSO codes as zero-padded strings (province "75", commune "26734") and serve
as
primary keys, so an import file's commune code is a foreign key value as it stands.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    code = models.CharField(_("mã"), max_length=2, primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)
    codename = models.CharField(max_length=100)
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """A commune, ward or special zone (xã, phường, đặc khu) of the July-2025 map."""

    code = models.CharField(_("mã"), max_length=5, primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)
    codename = models.CharField(max_length=100)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("tỉnh")
    )
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        ordering = ["province_id", "name_folded"]
        verbose_name = _("xã, phường")
        verbose_name_plural = _("xã, phường")

    def __str__(self) -> str:
        return self.name


class LegacyProvince(models.Model):
    code = models.CharField(_("mã"), max_length=2, primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("tỉnh (trước 7/2025)")
        verbose_name_plural = _("tỉnh (trước 7/2025)")

    def __str__(self) -> str:
        return self.name


class LegacyDistrict(models.Model):
    code = models.CharField(_("mã"), max_length=3, primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)
    province = models.ForeignKey(LegacyProvince, on_delete=models.PROTECT, related_name="districts")
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("huyện (trước 7/2025)")
        verbose_name_plural = _("huyện (trước 7/2025)")

    def __str__(self) -> str:
        return self.name


class LegacyCommune(models.Model):
    code = models.CharField(_("mã"), max_length=5, primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)
    district = models.ForeignKey(LegacyDistrict, on_delete=models.PROTECT, related_name="communes")
    province = models.ForeignKey(LegacyProvince, on_delete=models.PROTECT, related_name="communes")
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)
    new_communes = models.ManyToManyField(
        Commune, through="CommuneConversion", related_name="legacy_communes"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("xã (trước 7/2025)")
        verbose_name_plural = _("xã (trước 7/2025)")

    def __str__(self) -> str:
        return self.name


class CommuneConversion(models.Model):
    """One row of the 2025 conversion table: this legacy commune became (part of) that commune.

    A legacy commune split across several new ones has several rows; `is_primary` marks the one that
    old figures are re-aggregated onto, so that a figure is counted once, never once per part.
    """

    legacy_commune = models.ForeignKey(
        LegacyCommune, on_delete=models.CASCADE, related_name="conversions"
    )
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="conversions")
    is_partly_merged = models.BooleanField(default=False)
    is_primary = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["legacy_commune", "commune"], name="geo_conversion_unique_pair"
            ),
            models.UniqueConstraint(
                fields=["legacy_commune"],
                condition=models.Q(is_primary=True),
                name="geo_conversion_one_primary",
            ),
        ]
        verbose_name = _("chuyển đổi đơn vị hành chính 2025")
        verbose_name_plural = _("chuyển đổi đơn vị hành chính 2025")

    def __str__(self) -> str:
        return f"{self.legacy_commune_id} -> {self.commune_id}"


class Village(models.Model):
    """A village or residential group below a commune, entered by the commune's own users."""

    class Kind(models.TextChoices):
        THON = "thon", _("Thôn")
        AP = "ap", _("Ấp")
        BAN = "ban", _("Bản")
        KHU_PHO = "khu_pho", _("Khu phố")
        TO_DAN_PHO = "to_dan_pho", _("Tổ dân phố")

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="villages", verbose_name=_("xã, phường")
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.THON)
    name = models.CharField(_("tên"), max_length=100)
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["commune_id", "name_folded"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "name_folded"], name="geo_village_unique_name_in_commune"
            )
        ]
        verbose_name = _("thôn, ấp, khu phố")
        verbose_name_plural = _("thôn, ấp, khu phố")

    def __str__(self) -> str:
        # Names are entered as people say them ("Khu phố 3", "Ấp An Bình"): no repeated kind.
        return self.name
