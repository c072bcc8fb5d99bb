"""The contract with the public portal: a concern reported by the public becomes a Report routed
at once to its commune's board, and the portal can ask how far it has got without learning
anything else.

The portal's Concern is referred to by id only (`Report.source_concern_id`), so neither app's
migrations depend on the other's.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from treem.protection.models import AbuseType, Case, Channel, Report

PUBLIC_STATUSES = ("received", "in_progress", "closed")


def report_from_concern(*, concern) -> Report:
    """Create (once) the report for a portal concern. Calling it again for the same concern returns
    the report already made. A concern held by the portal's abuse protections is still routed to
    the commune, marked for review: a report about a child is never dropped silently."""
    existing = Report.objects.filter(source_concern_id=concern.pk).first()
    if existing is not None:
        return existing
    from treem.protection.services import report_receive

    abuse_types = [
        code for code in (getattr(concern, "abuse_types", None) or []) if code in AbuseType.values
    ] or [AbuseType.OTHER]
    # What the public typed is taken as it is; a detail that would make the service refuse the
    # report (a future date, a village of another commune) is dropped instead.
    happened_on = concern.happened_on
    if happened_on and happened_on > timezone.localdate():
        happened_on = None
    village = concern.village
    if village is not None and village.commune_id != concern.commune.code:
        village = None
    anonymous = bool(concern.is_anonymous)
    try:
        with transaction.atomic():
            return report_receive(
                actor=None,
                channel=Channel.PORTAL,
                commune=concern.commune,
                village=village,
                what_happened=(concern.what_happened or "").strip() or "-",
                abuse_types=abuse_types,
                happened_on=happened_on,
                child_description=concern.child_description or "",
                is_anonymous=anonymous,
                reporter_name="" if anonymous else (concern.reporter_name or ""),
                reporter_phone="" if anonymous else (concern.reporter_phone or ""),
                reporter_email="" if anonymous else (concern.reporter_email or ""),
                received_at=getattr(concern, "created_at", None),
                is_held=bool(concern.is_held),
                source_concern_id=concern.pk,
                external_ref=str(concern.tracking_code or "")[:64],
            )
    except IntegrityError:
        # Two submissions of the same concern raced; the first one's report is the report.
        return Report.objects.get(source_concern_id=concern.pk)


def public_status(*, concern_id: int) -> str:
    """ "received" | "in_progress" | "closed": nothing else about the case ever leaks."""
    status = (
        Case.objects.filter(report__source_concern_id=concern_id)
        .values_list("status", flat=True)
        .first()
    )
    if status is None or status == Case.Status.RECEIVED:
        return "received"
    if status == Case.Status.CLOSED:
        return "closed"
    return "in_progress"
