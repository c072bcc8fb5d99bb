"""Background work of the registry (Django's tasks framework: the database worker in production,
run inline in the demo and tests)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.tasks import task

from treem.registry import importer
from treem.registry.services import duplicates_scan


@task()
def scan_duplicates_task(province_code: str) -> int:
    """List likely duplicate pairs across the province for review (schedule nightly)."""
    return duplicates_scan(province_code=province_code)


@task()
def import_read_task(batch_id: int) -> None:
    """Read an uploaded list once into its rows, then check them (the preview)."""
    importer.batch_read(batch_id)


@task()
def import_check_task(batch_id: int) -> None:
    """Check the stored rows again after the columns were mapped differently."""
    importer.batch_check(batch_id)


@task()
def import_commit_task(batch_id: int, actor_id: int | None) -> dict:
    """Write a checked list into the registry (once, whatever the number of calls)."""
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return importer.batch_commit(actor=actor, batch_id=batch_id)
