"""Background work of social assistance (Django's tasks framework: the database worker in
production, run inline in the demo and tests)."""

from __future__ import annotations

from django.tasks import task

from treem.assistance import payments


@task()
def payment_run_task(run_id: int) -> None:
    """Prepare every commune's draft payment list of a province for a month, with progress."""
    payments.payment_run_execute(run_id)
