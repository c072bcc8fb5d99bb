from __future__ import annotations

from django.tasks import task

from treem.registry.services import duplicates_scan


@task()
def scan_duplicates_task(province_code: str) -> int:
    """List likely duplicate pairs across the province for review (schedule nightly)."""
    return duplicates_scan(province_code=province_code)
