"""Optimistic concurrency: an edit based on a stale copy is refused, never written over a newer
one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _


class ConcurrentEditError(ValidationError):
    pass


def save_versioned(obj: models.Model, *, expected_version: int, fields: list[str]) -> None:
    """Write `fields` of `obj` only if the row still has `expected_version`; bump the version.

    The check and the write are one UPDATE statement, so two saves racing each other cannot both
    succeed whatever the database's isolation level.
    """
    values = {}
    for name in fields:
        attname = obj._meta.get_field(name).attname
        values[attname] = getattr(obj, attname)
    updated = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, version=expected_version)
        .update(version=F("version") + 1, **values)
    )
    if updated != 1:
        raise ConcurrentEditError(
            _(
                "Bản ghi này vừa được người khác sửa sau khi bạn mở nó. Thay đổi của bạn chưa được "
                "lưu: hãy tải lại trang, xem nội dung mới rồi sửa lại."
            ),
            code="concurrent_edit",
        )
    obj.version = expected_version + 1
