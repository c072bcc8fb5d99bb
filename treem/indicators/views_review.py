"""The review report page: choose unit and years, write the narrative sections (saved as
revisions), generate .docx / PDF / .xlsx in the background and download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treem.audit.services import audit_record
from treem.indicators import access, review, services, tasks
from treem.indicators.models import NarrativeRevision, ReviewReportJob

_RUNNING = (ReviewReportJob.Status.QUEUED, ReviewReportJob.Status.RUNNING)


def _params(request, source) -> tuple[str, int, int]:
    unit = source.get("unit") or access.home_unit(request.user) or ""
    this_year = timezone.localdate().year
    try:
        y0 = int(source.get("from") or 2012)
        y1 = int(source.get("to") or 2022)
    except ValueError:
        y0, y1 = 2012, 2022
    y0 = max(2000, min(y0, this_year))
    y1 = max(y0, min(y1, this_year))
    if not access.covers_unit(request.user, unit):
        raise Http404
    return unit, y0, y1


@login_required
def review_page(request):
    if not access.can_view(request.user):
        raise PermissionDenied
    unit, y0, y1 = _params(request, request.GET)
    narratives = [
        (
            key,
            label,
            services.narrative_current(key, unit, y0, y1),
            NarrativeRevision.objects.filter(
                section=key, unit_code=unit, year_from=y0, year_to=y1
            ).count(),
        )
        for key, label in NarrativeRevision.Section.choices
    ]
    jobs = list(ReviewReportJob.objects.filter(unit_code=unit)[:10])
    running = any(j.status in _RUNNING for j in jobs)
    jobs_context = {"jobs": jobs, "running": running, "unit": unit, "y0": y0, "y1": y1}
    if request.headers.get("HX-Request") and request.GET.get("jobs"):
        # htmx polls this fragment while a file is being made; once none is, the fragment comes
        # back without its trigger, so the polling stops and the download link stays.
        return render(request, "indicators/_review_jobs.html", jobs_context)
    units = access.units_for_user(request.user)
    return render(
        request,
        "indicators/review.html",
        {
            "unit": unit,
            "y0": y0,
            "y1": y1,
            "narratives": narratives,
            "units": units,
            "unit_name": dict(units).get(unit, unit),
            "can_generate": access.can_generate(request.user),
            "can_write": access.can_manage(request.user),
            **jobs_context,
        },
    )


@login_required
@require_POST
def narrative_save(request):
    if not access.can_manage(request.user):
        raise PermissionDenied
    unit, y0, y1 = _params(request, request.POST)
    section = request.POST.get("section", "")
    if section not in NarrativeRevision.Section.values:
        raise Http404
    services.narrative_save(
        actor=request.user,
        section=section,
        unit_code=unit,
        year_from=y0,
        year_to=y1,
        html=request.POST.get("html", ""),
    )
    messages.success(request, _("Đã lưu phần viết (bản cũ vẫn được giữ)."))
    return redirect(f"{reverse('indicators:review')}?unit={unit}&from={y0}&to={y1}")


@login_required
@require_POST
def review_generate(request):
    if not access.can_generate(request.user):
        raise PermissionDenied
    unit, y0, y1 = _params(request, request.POST)
    fmt = request.POST.get("format", "docx")
    if fmt not in review.WRITERS:
        fmt = "docx"
    job = ReviewReportJob.objects.create(
        unit_code=unit, year_from=y0, year_to=y1, fmt=fmt, requested_by=request.user
    )
    audit_record(actor=request.user, action="create", obj=job, details={"format": fmt})
    transaction.on_commit(lambda: tasks.generate_review_report.enqueue(job.pk))
    # No flash message: the page shows the job's own state (generating, then the download link),
    # so a "generating" notice cannot outlive the file.
    return redirect(f"{reverse('indicators:review')}?unit={unit}&from={y0}&to={y1}")


@login_required
def review_download(request, pk: int):
    job = get_object_or_404(ReviewReportJob, pk=pk)
    if not access.can_view(request.user) or not access.covers_unit(request.user, job.unit_code):
        raise Http404
    if job.status != ReviewReportJob.Status.DONE or not job.file:
        raise Http404
    audit_record(actor=request.user, action="export", obj=job, details={"format": job.fmt})
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file.name.rsplit("/", 1)[-1],
        content_type=review.CONTENT_TYPES[job.fmt],
    )
