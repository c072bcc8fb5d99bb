import pytest
from django.core.management import call_command
from django.test import override_settings

from treem.audit.tasks import audit_verify_task

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@override_settings(TASKS=DATABASE_TASKS)
def test_a_queued_task_waits_for_the_worker_and_the_worker_runs_it(monkeypatch):
    # The worker closes stale connections between tasks; here that would close the test's own
    # connection (and its transaction), so keep it open for the length of this test.
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    result = audit_verify_task.using(backend="default").enqueue()
    from django_tasks_db.models import DBTaskResult

    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "READY"
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    assert row.return_value["problems"] == []


@override_settings(
    TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
)
def test_the_demo_backend_runs_a_task_inline():
    result = audit_verify_task.enqueue()
    assert result.status == "SUCCESSFUL"
    assert result.return_value["problems"] == []
