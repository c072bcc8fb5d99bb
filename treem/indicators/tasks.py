"""Background generation of the review report (Django's tasks framework), with progress saved on
the job row so the page can show it."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.tasks import task

from treem.indicators import review
from treem.indicators.models import ReviewReportJob


def run_job(job: ReviewReportJob) -> ReviewReportJob:
    def progress(pct: int) -> None:
        ReviewReportJob.objects.filter(pk=job.pk).update(progress=min(pct, 99))

    ReviewReportJob.objects.filter(pk=job.pk).update(status=ReviewReportJob.Status.RUNNING)
    try:
        content = review.generate(
            job.unit_code, job.year_from, job.year_to, job.fmt, progress=progress
        )
    except Exception as exc:  # noqa: BLE001 - the job row records the failure for the user
        ReviewReportJob.objects.filter(pk=job.pk).update(
            status=ReviewReportJob.Status.FAILED, error=str(exc)[:2000]
        )
        job.refresh_from_db()
        return job
    name = f"bao-cao-{job.unit_code}-{job.year_from}-{job.year_to}.{job.fmt}"
    job.file.save(name, ContentFile(content), save=False)
    job.status = ReviewReportJob.Status.DONE
    job.progress = 100
    job.save(update_fields=["file", "status", "progress"])
    return job


@task
def generate_review_report(job_id: int) -> None:
    job = ReviewReportJob.objects.filter(pk=job_id).first()
    if job is not None and job.status == ReviewReportJob.Status.QUEUED:
        run_job(job)
