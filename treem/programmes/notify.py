"""Alerts on tasks: due soon and overdue, sent to the people who must act. Run daily by the
`programme_alerts` command; each alert is created once per task, kind and deadline, so running it
again the same day repeats nothing."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from treem.accounts.models import Role, User
from treem.programmes.deadlines import due_soon_until
from treem.programmes.models import Task, TaskNotification
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


def scan(*, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    soon_until = due_soon_until(today)
    counts = {"due_soon": 0, "overdue": 0}
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
                try:
                    with transaction.atomic():
                        _note, created = TaskNotification.objects.get_or_create(
                            user=user,
                            task=task,
                            kind=kind,
                            deadline_on=task.deadline_on,
                            defaults={"created_at": timezone.now()},
                        )
                except IntegrityError:
                    created = False  # another run created it first
                counts[kind] += int(created)
    return counts
