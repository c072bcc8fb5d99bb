from __future__ import annotations

from django.db.models import QuerySet

from treem.accounts.policy import Action, require
from treem.audit.models import AuditEvent


def audit_events_for_object(*, user, object_type: str, object_id: str) -> QuerySet[AuditEvent]:
    """Who did what to one record: administrators only."""
    require(user, Action.AUDIT_VIEW)
    return AuditEvent.objects.filter(
        object_type=object_type, object_id=str(object_id)
    ).select_related("actor")


def audit_events_list(*, user) -> QuerySet[AuditEvent]:
    require(user, Action.AUDIT_VIEW)
    return AuditEvent.objects.select_related("actor")
