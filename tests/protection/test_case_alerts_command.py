from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from treem.protection.models import Notification

pytestmark = pytest.mark.django_db


def test_case_alerts_command_notifies_an_overdue_case(make_report, settings, capsys):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    case = make_report(received_at=timezone.now() - timedelta(hours=50)).case
    call_command("case_alerts")
    assert "overdue 1" in capsys.readouterr().out
    assert Notification.objects.filter(case=case, kind="overdue").exists()


def test_case_alerts_command_can_hand_the_scan_to_the_worker(settings, capsys):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    call_command("case_alerts", "--enqueue")
    assert "queued as task" in capsys.readouterr().out
