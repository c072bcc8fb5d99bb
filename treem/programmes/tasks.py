"""Background work of the programmes app (Django's tasks framework, run by `manage.py
db_worker`): the daily deadline scan and its e-mails."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.programmes.models import TaskAlertMail, TaskNotification


def _dmy(day) -> str:
    return day.strftime("%d/%m/%Y")


def _link(path: str) -> str:
    base = getattr(settings, "TREEM_SITE_URL", "") or ""
    return base.rstrip("/") + path


def alert_email(user: User, lines: list[TaskAlertMail]) -> tuple[str, str]:
    """Subject and body of one user's alert e-mail. A task is named by its title, plan, lead
    and deadline: nothing from progress reports (figures, results, evidence), and no child's
    name or detail, which a plan task does not hold."""
    overdue = [m for m in lines if m.kind == TaskNotification.Kind.OVERDUE]
    soon = [m for m in lines if m.kind == TaskNotification.Kind.DUE_SOON]
    parts = []
    if overdue:
        parts.append(_("quá hạn: %(n)s nhiệm vụ") % {"n": len(overdue)})
    if soon:
        parts.append(_("sắp đến hạn: %(n)s nhiệm vụ") % {"n": len(soon)})
    subject = _("[Treem] Nhiệm vụ %(what)s") % {"what": "; ".join(parts)}
    body = [_("Kính gửi %(name)s,") % {"name": user.full_name or user.username}, ""]
    for title, group in ((_("Nhiệm vụ quá hạn"), overdue), (_("Nhiệm vụ sắp đến hạn"), soon)):
        if not group:
            continue
        body.append(title + ":")
        for line in group:
            task = line.task
            body.append(
                _("- %(title)s (%(plan)s; chủ trì: %(lead)s), hạn %(deadline)s: %(link)s")
                % {
                    "title": task.title,
                    "plan": task.plan.number or task.plan.title,
                    "lead": task.lead_label,
                    "deadline": _dmy(line.deadline_on),
                    "link": _link(reverse("programmes:task_detail", args=[task.pk])),
                }
            )
        body.append("")
    body.append(
        _(
            "Đăng nhập Treem để báo cáo tiến độ. Thư này do hệ thống gửi tự động mỗi ngày và "
            "không chứa thông tin cá nhân của trẻ em."
        )
    )
    return subject, "\n".join(body)


@task
def send_alert_emails() -> int:
    """One e-mail per user with their unsent alert lines, marked sent in the same transaction
    as the send: a failed send leaves them for the next run, and two workers never send the
    same lines (the second skips the rows the first holds)."""
    sent = 0
    users = (
        TaskAlertMail.objects.filter(sent_at__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    for user_id in list(users):
        with transaction.atomic():
            lines = list(
                TaskAlertMail.objects.filter(user_id=user_id, sent_at__isnull=True)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related(
                    "user", "task", "task__plan", "task__lead_organisation", "task__lead_commune"
                )
                .order_by("kind", "deadline_on", "task_id")
            )
            if not lines:
                continue
            user = lines[0].user
            by_task: dict[tuple, TaskAlertMail] = {}
            for line in lines:  # several unsent days of one task: name it once
                by_task.setdefault((line.task_id, line.kind), line)
            subject, body = alert_email(user, list(by_task.values()))
            send_mail(subject, body, None, [user.email])
            TaskAlertMail.objects.filter(pk__in=[m.pk for m in lines]).update(
                sent_at=timezone.now()
            )
            sent += 1
    return sent


@task
def scan_task_deadlines() -> dict[str, int]:
    from treem.programmes.notify import scan

    return scan()
