"""Writing to the audit log. Every create, update and delete of personal data, and every view,
search
and export that shows personal data, goes through `audit_record`."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from treem.audit.models import AuditEvent, AuditHead
from treem.audit.sensitivity import redact_changes, redact_details
from treem.core.auditing import diff_fields, snapshot
from treem.core.auditing import jsonable as _jsonable
from treem.core.net import current_ip

__all__ = ["audit_record", "audit_verify", "diff_fields", "object_label", "snapshot"]


def object_label(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    changes: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one entry to the chain.

    Runs inside the caller's transaction when there is one, so an entry exists exactly when the
    change it describes was committed. Sensitive values are never stored: a sensitive field is kept
    by name only (see `treem.audit.sensitivity`).
    """
    if obj is not None:
        object_type, object_id = object_label(obj)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        # The head row lock makes concurrent writers queue, so two entries never claim the same
        # predecessor (which would fork the chain and look like tampering).
        head, _created = AuditHead.objects.select_for_update().get_or_create(id=1)
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            actor=actor if authenticated else None,
            actor_username=actor.get_username() if authenticated else "",
            ip_address=ip_address if ip_address is not None else current_ip.get(),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            changes=redact_changes(object_type, _jsonable(changes or {})),
            details=redact_details(object_type, _jsonable(details or {})),
            prev_hash=head.hash,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        head.seq = event.seq
        head.hash = event.hash
        head.save(update_fields=["seq", "hash"])
    return event


@transaction.atomic
def audit_verify(*, batch_size: int = 5000) -> tuple[int, list[str]]:
    """Walk the chain from the first entry; return (entries checked, problems found)."""
    problems: list[str] = []
    prev_hash = "0" * 64
    expected_seq = 1
    checked = 0
    last_seq = 0
    while True:
        batch = list(AuditEvent.objects.filter(seq__gt=last_seq).order_by("seq")[:batch_size])
        if not batch:
            break
        for event in batch:
            checked += 1
            if event.seq != expected_seq:
                problems.append(f"entry #{expected_seq} is missing (next found: #{event.seq})")
            if event.prev_hash != prev_hash:
                problems.append(f"entry #{event.seq} does not follow the entry before it")
            if event.compute_hash() != event.hash:
                problems.append(f"entry #{event.seq} was altered after it was written")
            prev_hash = event.hash
            expected_seq = event.seq + 1
            last_seq = event.seq
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.seq != last_seq or head.hash != prev_hash):
        problems.append(
            f"the newest entry is #{last_seq} but the chain head says #{head.seq}: "
            "entries were removed from the end"
        )
    return checked, problems
