from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from treem.geo.models import Commune, Province, Village


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    PROVINCE_SPECIALIST = "province_specialist", _("Chuyên viên cấp tỉnh")
    PROVINCE_LEADER = "province_leader", _("Lãnh đạo cấp tỉnh")
    COMMUNE_CHAIRMAN = "commune_chairman", _("Chủ tịch UBND xã")
    COMMUNE_WORKER = "commune_worker", _("Công chức bảo vệ trẻ em cấp xã")
    VILLAGE_COLLABORATOR = "village_collaborator", _("Cộng tác viên thôn, ấp")
    PARTNER_OFFICER = "partner_officer", _("Cán bộ cơ quan phối hợp")
    PORTAL_EDITOR = "portal_editor", _("Biên tập viên cổng thông tin")
    PORTAL_MODERATOR = "portal_moderator", _("Kiểm duyệt viên cổng thông tin")


class Organisation(models.Model):
    """An agency at a geographic unit. Which ministry holds child protection is data, not code:
    since 1 March 2025 it is the provincial Department of Health."""

    class Kind(models.TextChoices):
        PROVINCIAL_DEPARTMENT = "provincial_department", _("Sở, ban, ngành cấp tỉnh")
        PROVINCIAL_COMMITTEE = "provincial_committee", _("UBND cấp tỉnh")
        COMMUNE_COMMITTEE = "commune_committee", _("UBND cấp xã")
        POLICE = "police", _("Công an")
        SCHOOL = "school", _("Trường học")
        HEALTH_STATION = "health_station", _("Trạm y tế, cơ sở y tế")
        WOMENS_UNION = "womens_union", _("Hội Liên hiệp Phụ nữ")
        FATHERLAND_FRONT = "fatherland_front", _("Mặt trận Tổ quốc")
        YOUTH_UNION = "youth_union", _("Đoàn Thanh niên")
        SOCIAL_SERVICE = "social_service", _("Cơ sở trợ giúp xã hội")
        OTHER = "other", _("Khác")

    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=30, choices=Kind.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("tỉnh")
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("xã, phường"),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        ordering = ["province_id", "commune_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "commune", "name"], name="accounts_org_unique_name_at_unit"
            )
        ]
        verbose_name = _("tổ chức")
        verbose_name_plural = _("tổ chức")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A staff account. Its jurisdiction is a province, a commune, or a set of villages."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("tổ chức"),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tỉnh phụ trách"),
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("xã phụ trách"),
    )
    villages = models.ManyToManyField(
        Village, blank=True, related_name="collaborators", verbose_name=_("thôn, ấp phụ trách")
    )
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    # Optimistic concurrency: an edit made from a stale form is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def jurisdiction(self):
        from treem.accounts.jurisdiction import jurisdiction_for

        return jurisdiction_for(self)
