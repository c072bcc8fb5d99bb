from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts.policy import Action, can
from treem.audit import export
from treem.audit.forms import AuditFilterForm
from treem.audit.presentation import describe_events, record_label
from treem.audit.selectors import AuditFilters, audit_events_for_user, can_read_audit
from treem.audit.services import audit_record

_CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _filters(form: AuditFilterForm) -> AuditFilters:
    data = form.cleaned_data
    return AuditFilters(
        actor_id=data["actor"].pk if data.get("actor") else None,
        object_type=data.get("object_type") or "",
        object_id=data.get("object_id") or "",
        action=data.get("action") or "",
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )


@login_required
def event_list_view(request):
    """Who viewed or changed what: the whole log for administrators, one record's entries for the
    supervisors who may open that record."""
    if not can_read_audit(request.user):
        raise PermissionDenied(_("Vai trò của bạn không được xem nhật ký truy cập."))
    form = AuditFilterForm(request.GET or None)
    filters = _filters(form) if form.is_valid() else AuditFilters()
    if request.GET and not form.is_valid():
        events = audit_events_for_user(user=request.user, filters=AuditFilters()).none()
    else:
        events = audit_events_for_user(user=request.user, filters=filters)
    full_log = can(request.user, Action.AUDIT_VIEW)

    fmt = request.GET.get("export")
    if fmt in _CONTENT_TYPES:
        rows = describe_events(events[: export.MAX_EXPORT_ROWS], request.user)
        body = export.as_xlsx(rows) if fmt == "xlsx" else export.as_csv(rows)
        audit_record(
            actor=request.user,
            action="export",
            object_type="audit.auditevent",
            details={
                "format": fmt,
                "rows": len(rows),
                "filters": sorted(k for k, v in vars(filters).items() if v),
            },
        )
        response = HttpResponse(body, content_type=_CONTENT_TYPES[fmt])
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="nhat-ky-{stamp}.{fmt}"'
        return response

    page = Paginator(events, 50).get_page(request.GET.get("page"))
    subject = ""
    if filters.record_chosen:
        subject = record_label(request.user, filters.object_type, filters.object_id)
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "page": page,
            "rows": describe_events(page.object_list, request.user),
            "full_log": full_log,
            "record_chosen": filters.record_chosen,
            "subject": subject,
        },
    )
