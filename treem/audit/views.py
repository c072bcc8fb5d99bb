from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from treem.audit.selectors import audit_events_for_object, audit_events_list


@login_required
def event_list_view(request):
    object_type = request.GET.get("object_type", "").strip()
    object_id = request.GET.get("object_id", "").strip()
    if object_type and object_id:
        events = audit_events_for_object(
            user=request.user, object_type=object_type, object_id=object_id
        )
    else:
        events = audit_events_list(user=request.user)
        if action := request.GET.get("action"):
            events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/event_list.html",
        {"page": page, "object_type": object_type, "object_id": object_id},
    )
