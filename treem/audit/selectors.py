"""Reads of the audit log.

System administrators (AUDIT_VIEW) read the whole log. Supervisors who may see a record's access
log (CHILD_ACCESS_LOG_VIEW: provincial specialists, commune chairmen) read the entries of one
record at a time, and only of a record they may open themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from treem.accounts.policy import Action, can, require
from treem.audit.models import AuditEvent
from treem.audit.presentation import describer_for


@dataclass(frozen=True)
class AuditFilters:
    actor_id: int | None = None
    object_type: str = ""
    object_id: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @property
    def record_chosen(self) -> bool:
        return bool(self.object_type and self.object_id)


def can_read_audit(user) -> bool:
    return can(user, Action.AUDIT_VIEW) or can(user, Action.CHILD_ACCESS_LOG_VIEW)


def record_visible_to(user, object_type: str, object_id: str) -> bool:
    describe = describer_for(object_type)
    return describe is not None and str(object_id) in describe(user, [str(object_id)])


def audit_events_for_user(*, user, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Entries `user` may read, filtered. A supervisor without AUDIT_VIEW must name one record
    they may open; any other record answers 404, as it would on its own page."""
    if not can(user, Action.AUDIT_VIEW):
        if not can(user, Action.CHILD_ACCESS_LOG_VIEW):
            raise PermissionDenied(_("Vai trò của bạn không được xem nhật ký truy cập."))
        if not filters.record_chosen:
            return AuditEvent.objects.none()
        if not record_visible_to(user, filters.object_type, filters.object_id):
            raise Http404
    qs = AuditEvent.objects.select_related("actor")
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.actor_id:
        qs = qs.filter(actor_id=filters.actor_id)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.date_from:
        qs = qs.filter(at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(at__date__lte=filters.date_to)
    return qs


def audit_events_for_object(*, user, object_type: str, object_id: str) -> QuerySet[AuditEvent]:
    """Who did what to one record."""
    return audit_events_for_user(
        user=user, filters=AuditFilters(object_type=object_type, object_id=str(object_id))
    )


def audit_events_list(*, user) -> QuerySet[AuditEvent]:
    require(user, Action.AUDIT_VIEW)
    return AuditEvent.objects.select_related("actor")
