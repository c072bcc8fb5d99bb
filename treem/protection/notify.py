"""Who is told about what: in-app notifications, each followed by an email sent by a background
task. Called from services through `transaction.on_commit`, so nobody is told about a change that
was rolled back."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from treem.accounts.models import Role, User
from treem.protection.models import Case, Notification, Referral


def commune_staff(commune_code: str) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            commune_id=commune_code,
            role__in=[Role.COMMUNE_WORKER, Role.COMMUNE_CHAIRMAN],
        )
    )


def province_supervisors(province_code: str) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, province_id=province_code, role=Role.PROVINCE_SPECIALIST
        ).filter(Q(commune__isnull=True))
    )


def _create(users: Iterable[User], *, case: Case, kind: str, due_at=None) -> list[int]:
    ids = []
    now = timezone.now()
    for user in users:
        if Notification.objects.filter(user=user, case=case, kind=kind, due_at=due_at).exists():
            continue
        try:
            with transaction.atomic():
                note = Notification.objects.create(
                    user=user, case=case, kind=kind, due_at=due_at, created_at=now
                )
        except IntegrityError:
            continue  # Another run of the alert task created it first.
        ids.append(note.pk)
    return ids


def _send(ids: list[int]) -> None:
    if not ids:
        return
    from treem.protection.tasks import send_notification_emails

    send_notification_emails.enqueue(ids)


def new_report(*, case_id: int) -> None:
    case = Case.objects.select_related("commune").get(pk=case_id)
    _send(_create(commune_staff(case.commune_id), case=case, kind=Notification.Kind.NEW_REPORT))


def plan_submitted(*, case_id: int) -> None:
    case = Case.objects.get(pk=case_id)
    chairmen = [u for u in commune_staff(case.commune_id) if u.role == Role.COMMUNE_CHAIRMAN]
    _send(_create(chairmen, case=case, kind=Notification.Kind.PLAN_DECISION, due_at=case.due_at))


def referral_sent(*, referral_id: int) -> None:
    referral = Referral.objects.select_related("case").get(pk=referral_id)
    partners = User.objects.filter(
        is_active=True, organisation_id=referral.organisation_id, role=Role.PARTNER_OFFICER
    )
    _send(_create(partners, case=referral.case, kind=Notification.Kind.REFERRAL))


def deadline(*, case: Case, kind: str) -> list[int]:
    """Due soon / overdue go to the assigned worker (or the commune's staff when nobody is
    assigned); escalation goes to the level above: the chairman and the province."""
    staff = commune_staff(case.commune_id)
    if kind == Notification.Kind.ESCALATED:
        users = [u for u in staff if u.role == Role.COMMUNE_CHAIRMAN]
        users += province_supervisors(case.commune.province_id)
    elif case.assigned_to_id:
        users = [case.assigned_to]
    else:
        users = staff
    return _create(users, case=case, kind=kind, due_at=case.due_at)
