"""Background work (Django's tasks framework): deadline alerts and their emails.

`scan_deadlines` is meant to be enqueued every few minutes (cron:
`manage.py case_alerts --enqueue`); it is idempotent, since a notification is unique per user,
case, kind and due time.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.protection import deadlines, notify
from treem.protection.models import Case, Notification
from treem.protection.selectors import notification_message


@task
def send_notification_emails(notification_ids: list[int]) -> int:
    """One email per notification. The email names the case by its code only: no child's name
    or detail leaves the system by email."""
    sent = 0
    rows = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
    for note in rows.select_related("user", "case"):
        if not note.user.email:
            continue
        subject = _("[Treem] %(kind)s: ca %(code)s") % {
            "kind": note.get_kind_display(),
            "code": note.case.code,
        }
        body = _(
            "%(kind)s: ca %(code)s.\nĐăng nhập Treem để xem: %(path)s\n"
            "Thư này không chứa thông tin cá nhân của trẻ."
        ) % {
            "kind": notification_message(note),
            "code": note.case.code,
            "path": reverse("protection:case_detail", args=[note.case_id]),
        }
        send_mail(subject, body, None, [note.user.email])
        Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def deadline_scan(*, now=None) -> dict[str, int]:
    """Notify due-soon and overdue steps, and escalate those overdue beyond the set delay."""
    from treem.protection.services import case_escalate

    now = now or timezone.now()
    soon = deadlines.due_soon_window()
    escalate_after = deadlines.escalation_delay()
    counts = {"due_soon": 0, "overdue": 0, "escalated": 0}
    open_cases = (
        Case.objects.exclude(status=Case.Status.CLOSED)
        .filter(due_at__isnull=False, due_at__lt=now + soon)
        .select_related("commune", "assigned_to")
    )
    created: list[int] = []
    for case in open_cases.iterator(chunk_size=500):
        if case.due_at >= now:
            ids = notify.deadline(case=case, kind=Notification.Kind.DUE_SOON)
            counts["due_soon"] += bool(ids)
        else:
            ids = notify.deadline(case=case, kind=Notification.Kind.OVERDUE)
            counts["overdue"] += bool(ids)
            if now - case.due_at > escalate_after and case_escalate(case=case, at=now):
                case.escalated_at = now
                ids += notify.deadline(case=case, kind=Notification.Kind.ESCALATED)
                counts["escalated"] += 1
        created += ids
    if created:
        send_notification_emails.enqueue(created)
    return counts


@task
def scan_deadlines() -> dict[str, int]:
    return deadline_scan()
