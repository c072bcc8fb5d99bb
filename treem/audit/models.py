"""The append-only audit log.

Every row carries the hash of the row before it, so changing, deleting or inserting a row anywhere
in
the chain breaks every hash after it; `manage.py verify_audit` walks the chain and says where. The
database itself refuses UPDATE and DELETE on the table (triggers created by migration 0002), and the
application has no code path that edits an entry.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Tạo")
        UPDATE = "update", _("Sửa")
        DELETE = "delete", _("Xoá")
        VIEW = "view", _("Xem")
        SEARCH = "search", _("Tìm kiếm")
        EXPORT = "export", _("Xuất dữ liệu")
        LOGIN = "login", _("Đăng nhập")
        LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
        LOGOUT = "logout", _("Đăng xuất")
        MERGE = "merge", _("Gộp")
        OTHER = "other", _("Khác")

    seq = models.BigIntegerField(_("số thứ tự"), unique=True)
    at = models.DateTimeField(_("thời điểm"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
        db_constraint=False,
    )
    # Kept beside the foreign key so the entry still says who acted if the account is renamed.
    actor_username = models.CharField(_("tài khoản"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    action = models.CharField(_("hành động"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    # Before/after values of changed fields: {"field": [before, after]}.
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "-seq"], name="audit_object")]
        verbose_name = _("mục nhật ký")
        verbose_name_plural = _("nhật ký truy cập")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def compute_hash(self) -> str:
        return compute_hash(
            prev_hash=self.prev_hash,
            payload={
                "seq": self.seq,
                "at": self.at.isoformat(),
                "actor_id": self.actor_id,
                "actor_username": self.actor_username,
                "ip_address": self.ip_address,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "changes": self.changes,
                "details": self.details,
            },
        )


class AuditHead(models.Model):
    """The one row pointing at the newest entry; locking it serialises writers of the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"head #{self.seq}"


def compute_hash(*, prev_hash: str, payload: dict) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()
