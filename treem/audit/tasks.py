from __future__ import annotations

import logging

from django.tasks import task

from treem.audit.services import audit_verify

log = logging.getLogger("treem.audit")


@task()
def audit_verify_task() -> dict:
    """Walk the audit chain in the background (schedule nightly with the worker's cron)."""
    checked, problems = audit_verify()
    if problems:
        log.error("audit chain broken", extra={"problems": len(problems), "checked": checked})
    else:
        log.info("audit chain intact", extra={"checked": checked})
    return {"checked": checked, "problems": problems}
