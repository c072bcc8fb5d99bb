"""Alert e-mails on tasks: one message per user and run, overdue reminded once a day, due soon
once per deadline, nothing twice when the daily command runs twice, no child's data."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from treem.programmes import notify, services
from treem.programmes.models import TaskAlertMail, TaskNotification
from treem.programmes.tasks import send_alert_emails

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def saturday_task(plan, specialist, demo):
    for user in (demo.users["doitac"], specialist):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return services.task_add(
        actor=specialist,
        plan=plan,
        title="Kiểm tra điểm vui chơi cho trẻ em",
        lead_organisation=demo.users["doitac"].organisation,
        due_on=date(2026, 10, 17),  # a Saturday: counted to Monday 19
    )


def _run(capture, today):
    with capture(execute=True):
        return notify.scan(today=today)


def test_overdue_task_is_mailed_once_a_day_even_when_the_scan_runs_twice(
    saturday_task, immediate_tasks, django_capture_on_commit_callbacks
):
    counts = _run(django_capture_on_commit_callbacks, date(2026, 10, 20))
    assert counts == {"due_soon": 0, "overdue": 2, "emails": 2}
    assert sorted(m.to[0] for m in mail.outbox) == ["chuyenvien@example.org", "doitac@example.org"]
    message = mail.outbox[0]
    assert message.subject == "[Treem] Nhiệm vụ quá hạn: 1 nhiệm vụ"
    assert "Kiểm tra điểm vui chơi cho trẻ em" in message.body
    assert "hạn 19/10/2026" in message.body
    assert f"/app/programmes/tasks/{saturday_task.pk}/" in message.body
    assert "không chứa thông tin cá nhân của trẻ em" in message.body

    # The same day again (cron retried, or someone ran the command by hand): nothing new.
    counts = _run(django_capture_on_commit_callbacks, date(2026, 10, 20))
    assert counts == {"due_soon": 0, "overdue": 0, "emails": 0}
    assert len(mail.outbox) == 2
    assert send_alert_emails.call() == 0

    # The next day the overdue task is reminded again, once; the in-app notice is not repeated.
    counts = _run(django_capture_on_commit_callbacks, date(2026, 10, 21))
    assert counts == {"due_soon": 0, "overdue": 0, "emails": 2}
    assert len(mail.outbox) == 4
    assert TaskNotification.objects.count() == 2
    assert TaskAlertMail.objects.filter(sent_at__isnull=True).count() == 0


def test_due_soon_is_mailed_once_per_deadline(
    saturday_task, immediate_tasks, django_capture_on_commit_callbacks
):
    _run(django_capture_on_commit_callbacks, date(2026, 10, 12))
    assert len(mail.outbox) == 2
    assert mail.outbox[0].subject == "[Treem] Nhiệm vụ sắp đến hạn: 1 nhiệm vụ"
    _run(django_capture_on_commit_callbacks, date(2026, 10, 13))
    _run(django_capture_on_commit_callbacks, date(2026, 10, 14))
    assert len(mail.outbox) == 2


def test_lines_left_unsent_are_sent_by_the_next_run_and_users_without_email_get_none(
    saturday_task, demo, immediate_tasks, django_capture_on_commit_callbacks
):
    partner = demo.users["doitac"]
    partner.email = ""
    partner.save(update_fields=["email"])
    # The scan committed but the worker never ran its send (stopped, or the mail server down).
    notify.scan(today=date(2026, 10, 20))
    assert mail.outbox == []
    assert TaskAlertMail.objects.filter(sent_at__isnull=True).count() == 1
    _run(django_capture_on_commit_callbacks, date(2026, 10, 20))
    assert [m.to for m in mail.outbox] == [["chuyenvien@example.org"]]
    assert TaskNotification.objects.filter(user=partner).count() == 1  # in the app all the same


def test_the_daily_command_twice_sends_once(
    saturday_task, immediate_tasks, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("programme_alerts", "--date", "2026-10-20")
    assert len(mail.outbox) == 2
    with pytest.raises(CommandError):
        call_command("programme_alerts", "--date", "20/10/2026")


def test_the_command_queues_the_scan_for_the_worker(saturday_task, settings):
    from django_tasks_db.models import DBTaskResult

    call_command("programme_alerts", "--enqueue")
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "treem.programmes.tasks.scan_task_deadlines"
    assert mail.outbox == []
