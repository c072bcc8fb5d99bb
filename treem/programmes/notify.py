"""Alerts on tasks: due soon and overdue, sent to the people who must act, in the app and by
e-mail.

`scan` runs once a day (`manage.py programme_alerts --enqueue` from cron hands it to the tasks
database worker, see docs/programmes.md). It is idempotent:
- the in-app notification is created once per user, task, kind and deadline;
- an e-mail line (`TaskAlertMail`) is created once per user, task, kind and day for an overdue
  task (a daily reminder until it is done or its deadline moves), and once per deadline for a
  task due soon; a second run the same day creates nothing;
- the e-mails are sent after the scan's transaction commits, by a background task that sends
  each user one message with their unsent lines and marks them sent, so a retry sends nothing
  twice and a failed send is tried again by the next run.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from treem.accounts.models import Role, User
from treem.programmes.deadlines import due_soon_until
from treem.programmes.models import Task, TaskAlertMail, TaskNotification
from treem.programmes.workflow import OPEN_STATUSES


def responsible_users(task: Task) -> list[User]:
    """The lead agency's officers, the lead commune's staff (or the commune plan's), and for a
    province plan the province's specialists who follow it."""
    q = Q(pk__in=[])
    if task.lead_organisation_id:
        q |= Q(organisation_id=task.lead_organisation_id, role=Role.PARTNER_OFFICER)
    commune = task.lead_commune_id or task.plan.commune_id
    if commune:
        q |= Q(commune_id=commune, role__in=[Role.COMMUNE_WORKER, Role.COMMUNE_CHAIRMAN])
    else:
        q |= Q(
            province_id=task.plan.province_id,
            commune__isnull=True,
            role=Role.PROVINCE_SPECIALIST,
        )
    return list(User.objects.filter(q, is_active=True).distinct())


def _once(model, **fields) -> bool:
    """Create the row unless it exists; True when this call created it. The unique constraint
    decides between two runs at once."""
    try:
        with transaction.atomic():
            _row, created = model.objects.get_or_create(
                **fields, defaults={"created_at": timezone.now()}
            )
    except IntegrityError:
        return False  # another run created it first
    return created


def scan(*, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    soon_until = due_soon_until(today)
    counts = {"due_soon": 0, "overdue": 0, "emails": 0}
    open_tasks = Task.objects.filter(status__in=OPEN_STATUSES).select_related("plan")
    for kind, tasks in (
        (TaskNotification.Kind.OVERDUE, open_tasks.filter(deadline_on__lt=today)),
        (
            TaskNotification.Kind.DUE_SOON,
            open_tasks.filter(deadline_on__gte=today, deadline_on__lte=soon_until),
        ),
    ):
        for task in tasks.iterator(chunk_size=500):
            for user in responsible_users(task):
                counts[kind] += int(
                    _once(
                        TaskNotification,
                        user=user,
                        task=task,
                        kind=kind,
                        deadline_on=task.deadline_on,
                    )
                )
                if not user.email:
                    continue
                if (
                    kind == TaskNotification.Kind.DUE_SOON
                    and TaskAlertMail.objects.filter(
                        user=user, task=task, kind=kind, deadline_on=task.deadline_on
                    ).exists()
                ):
                    continue  # due soon: one e-mail per deadline, not one a day
                counts["emails"] += int(
                    _once(
                        TaskAlertMail,
                        user=user,
                        task=task,
                        kind=kind,
                        day=today,
                        deadline_on=task.deadline_on,
                    )
                )
    from treem.programmes.tasks import send_alert_emails

    transaction.on_commit(lambda: send_alert_emails.enqueue())
    return counts
