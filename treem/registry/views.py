"""HTML pages of the registry: thin wrappers over selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from treem.accounts.policy import Action, can, require
from treem.audit.models import AuditEvent
from treem.audit.services import audit_record
from treem.core.forms import apply_validation_error
from treem.geo.selectors import communes_for_user, villages_for_user
from treem.registry import (
    access,
    export,
    forms,
    importer,
    presentation,
    selectors,
    services,
    sheets,
    tasks,
)
from treem.registry.models import (
    Child,
    ChildMerge,
    Consent,
    ImportBatch,
    SpecialCircumstance,
)


def _page_number(request) -> int:
    # Pages are forgiving, like Django's Paginator.get_page: a page number that is not a whole
    # number from 1 to MAX_PAGE shows page 1 (the API answers 404 instead, as DRF does).
    try:
        return selectors.page_number(request.GET.get("page"))
    except selectors.InvalidPage:
        return 1


def _filters(request) -> tuple[forms.FilterForm, selectors.ChildFilters]:
    communes = communes_for_user(user=request.user)
    villages = villages_for_user(user=request.user)
    form = forms.FilterForm(request.GET or None, communes=communes, villages=villages)
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.ChildFilters(
        query=data.get("q") or "",
        guardian=data.get("guardian") or "",
        commune=data.get("commune") or "",
        village=data.get("village"),
        age_group=data.get("age_group") or "",
        sex=data.get("sex") or "",
        circumstance=data.get("circumstance") or "",
        school_status=data.get("school_status") or "",
    )


@login_required
def child_list_view(request):
    require(request.user, Action.CHILD_VIEW)
    form, filters = _filters(request)
    today = services.today_local()
    qs = selectors.children_for_user(user=request.user, filters=filters, today=today)
    page = _page_number(request)
    params = request.GET.copy()
    params.pop("page", None)
    # The total is the user's (their jurisdiction) for these filters; counted first, because a
    # short list found by a name or a circumstance group is read faster sorted than walked in
    # name order (`sorted_after_reading`). A list of a commune, or filtered by age, sex or
    # school, is dense along the name index: walking it stops after a page.
    total = selectors.children_total(
        qs, cache_key=f"{request.user.pk}?{'&'.join(sorted(params.urlencode().split('&')))}"
    )
    sparse = (filters.query.strip() or filters.circumstance) and not filters.guardian.strip()
    if total.counted_at is None and sparse:
        qs = selectors.sorted_after_reading(qs)
    rows, has_next = selectors.children_page(qs, page=page)
    if filters.query or filters.guardian:
        audit_record(
            actor=request.user,
            action="search",
            object_type="registry.child",
            details={**filters.as_audit(), "results": len(rows)},
        )
    return render(
        request,
        "registry/child_list.html",
        {
            "form": form,
            "rows": rows,
            "total": total.n,
            "counted_at": total.counted_at,
            "page": page,
            "has_next": has_next,
            "params": params.urlencode(),
            "today": today,
            "can_register": can(request.user, Action.CHILD_CHANGE),
            "can_export": can(request.user, Action.CHILD_EXPORT),
            "can_export_sensitive": export.may_export_sensitive(request.user),
            "can_import": can(request.user, Action.CHILD_IMPORT),
            "can_merge": can(request.user, Action.CHILD_MERGE),
        },
    )


@login_required
def child_export_view(request, fmt: str):
    require(request.user, Action.CHILD_EXPORT)
    _form, filters = _filters(request)
    today = services.today_local()
    qs = selectors.children_for_user(user=request.user, filters=filters, today=today)
    # Sensitive columns (disability, HIV, violence...) only on a deliberate choice, audited.
    sensitive = request.GET.get("sensitive") == "1" and export.may_export_sensitive(request.user)
    columns = export.columns_for(request.user, sensitive=sensitive)
    if fmt == "xlsx":
        communes = list(communes_for_user(user=request.user))
        chosen = [c for c in communes if c.code == filters.commune] or communes
        place = chosen[0].name if len(chosen) == 1 else ""
        body, n = export.export_xlsx(qs, columns, today, place=place)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "csv":
        body, n = export.export_csv(qs, columns, today)
        ctype = "text/csv; charset=utf-8"
    else:
        raise Http404
    audit_record(
        actor=request.user,
        action="export",
        object_type="registry.child",
        details={
            **filters.as_audit(),
            "format": fmt,
            "rows": n,
            "sensitive": sensitive,
            "columns": [c.key for c in columns],
        },
    )
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="tre-em-{today:%Y%m%d}.{fmt}"'
    return response


def duplicate_cards(exc: services.DuplicatesFound) -> list[dict]:
    """The likely duplicates as the warning shows them: a verdict and, for a record the user may
    see, each field side by side as entered and as recorded."""
    mine = presentation.side_of_values(exc.values, exc.carers)
    cards = []
    for m in exc.matches:
        card = {"match": m, "verdict": presentation.verdict(m.score), "rows": []}
        if m.visible and m.child is not None:
            card["rows"] = presentation.comparison(mine, presentation.side_of_child(m.child))
        cards.append(card)
    return cards


def _register_form(request, data=None):
    return forms.RegisterForm(
        data,
        communes=communes_for_user(user=request.user),
        villages=villages_for_user(user=request.user),
    )


def _raw(cleaned: dict) -> dict:
    return {k: cleaned.get(k) for k in forms.ChildForm.base_fields}


@login_required
@require_http_methods(["GET", "POST"])
def child_register_view(request):
    require(request.user, Action.CHILD_CHANGE)
    form = _register_form(request, request.POST or None)
    matches = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        # The warning's buttons carry the choice themselves (works without JavaScript): "this
        # child" posts link_to=<id>, "a new child" posts decision=new. The form's hidden fields
        # of the same names come empty, so the non-empty value wins.
        link_to = next((int(v) for v in request.POST.getlist("link_to") if v.isdigit()), None)
        decision = next((v for v in request.POST.getlist("decision") if v), None)
        if link_to is not None:
            decision = "linked"
        try:
            result = services.child_register(
                actor=request.user,
                raw=_raw(d),
                carers=form.carers(),
                poverty_status=d.get("poverty_status") or "",
                decision=decision,
                link_to=link_to,
            )
        except services.DuplicatesFound as exc:
            matches = duplicate_cards(exc)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if result.created:
                messages.success(request, _("Đã đăng ký %(name)s.") % {"name": result.child})
            else:
                messages.info(
                    request,
                    _("Không tạo hồ sơ mới: đã mở hồ sơ có sẵn của %(name)s.")
                    % {"name": result.child},
                )
            return redirect("registry:child_detail", pk=result.child.pk)
    return render(request, "registry/child_register.html", {"form": form, "matches": matches})


@login_required
def child_detail_view(request, pk: int):
    child = access.child_get_for_user(user=request.user, pk=pk)
    today = services.today_local()
    restricted = child.processing_restricted
    return render(
        request,
        "registry/child_detail.html",
        {
            "child": child,
            "today": today,
            "age": services.age_on(child.birth_date, today),
            "restricted": restricted,
            "sensitive": can(request.user, Action.CHILD_VIEW_SENSITIVE),
            "can_change": can(request.user, Action.CHILD_CHANGE) and not restricted,
            "can_consent": can(request.user, Action.CHILD_CHANGE),
            "can_merge": can(request.user, Action.CHILD_MERGE),
            "can_see_log": can(request.user, Action.CHILD_ACCESS_LOG_VIEW),
            "merges": selectors.merges_of(child),
            "decisions": child.duplicate_decisions.select_related("decided_by")[:10],
            "circumstance_form": forms.CircumstanceForm(),
            "consent_form": forms.ConsentForm(),
            "basis_form": forms.LegalBasisForm(initial={"legal_basis": child.legal_basis}),
            "merge_form": forms.MergeForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_edit_view(request, pk: int):
    require(request.user, Action.CHILD_CHANGE)
    child = access.child_get_for_user(user=request.user, pk=pk, audit=False)
    communes = communes_for_user(user=request.user)
    villages = villages_for_user(user=request.user)
    initial = {
        f: getattr(child, f)
        for f in forms.ChildEditForm.base_fields
        if hasattr(child, f) and f not in ("commune", "village", "current_commune")
    }
    initial.update(
        commune=child.commune_id,
        village=child.village_id or "",
        current_commune=child.current_commune_id or "",
        birth_date=export._fmt_date(child, None),
        version=child.version,
    )
    form = forms.ChildEditForm(
        request.POST or None, initial=initial, communes=communes, villages=villages
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.child_update(
                actor=request.user,
                child=child,
                raw=_raw(form.cleaned_data)
                | {"birth_date_precision": form.cleaned_data.get("birth_date_precision")},
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("registry:child_detail", pk=child.pk)
    return render(request, "registry/child_edit.html", {"form": form, "child": child})


def _child_action(request, pk: int, form_class, run, success: str):
    child = access.child_get_for_user(user=request.user, pk=pk, audit=False)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            run(child, form.cleaned_data)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, success)
    else:
        for field, errs in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for e in errs:
                messages.error(request, f"{label}: {e}" if label else e)
    return redirect("registry:child_detail", pk=child.pk)


@login_required
@require_POST
def circumstance_add_view(request, pk: int):
    def run(child, d):
        services.circumstance_add(actor=request.user, child=child, **d)

    return _child_action(
        request, pk, forms.CircumstanceForm, run, _("Đã ghi nhận hoàn cảnh đặc biệt.")
    )


@login_required
@require_POST
def circumstance_end_view(request, pk: int, circ: int):
    def run(child, d):
        row = get_object_or_404(SpecialCircumstance, pk=circ, child=child)
        services.circumstance_end(
            actor=request.user, circumstance=row, end_date=d["end_date"], reason=d["reason"]
        )

    return _child_action(request, pk, forms.CircumstanceEndForm, run, _("Đã kết thúc giai đoạn."))


@login_required
@require_POST
def consent_add_view(request, pk: int):
    def run(child, d):
        services.consent_record(actor=request.user, child=child, **d)

    return _child_action(request, pk, forms.ConsentForm, run, _("Đã ghi nhận sự đồng ý."))


@login_required
@require_POST
def consent_withdraw_view(request, pk: int, consent: int):
    def run(child, d):
        row = get_object_or_404(Consent, pk=consent, child=child)
        services.consent_withdraw(
            actor=request.user, consent=row, withdrawn_on=d["withdrawn_on"], reason=d["reason"]
        )

    return _child_action(
        request, pk, forms.ConsentWithdrawForm, run, _("Đã ghi nhận việc rút lại sự đồng ý.")
    )


@login_required
@require_POST
def legal_basis_view(request, pk: int):
    def run(child, d):
        services.legal_basis_set(
            actor=request.user, child=child, basis=d["legal_basis"], reason=d["reason"]
        )

    return _child_action(request, pk, forms.LegalBasisForm, run, _("Đã cập nhật cơ sở pháp lý."))


@login_required
def child_access_log_view(request, pk: int):
    """Who viewed or changed this child's record. Supervisors see it for children in their
    jurisdiction; system administrators (who do not open children's records) for any."""
    require(request.user, Action.CHILD_ACCESS_LOG_VIEW)
    if can(request.user, Action.CHILD_VIEW):
        child = access.child_get_for_user(user=request.user, pk=pk, audit=False)
        subject = child.full_name
    else:
        child = get_object_or_404(Child, pk=pk)
        if not request.user.jurisdiction.covers_commune(child.commune_id):
            raise Http404
        subject = _("hồ sơ trẻ em #%(pk)s") % {"pk": pk}
    events = AuditEvent.objects.filter(
        object_type="registry.child", object_id=str(pk)
    ).select_related("actor")[:500]
    return render(
        request,
        "registry/access_log.html",
        {"events": events, "subject": subject, "child": child},
    )


# --- search to pick a child (link a case, merge records) ----------------------------------


@login_required
def child_search_view(request):
    """Find a child by name, birth date and parents; answers the rows as a partial that other
    pages include (htmx) to pick a child by radio button, never by typing a record number.

    Query: `q` (child's name), `born` (dd/mm/yyyy, mm/yyyy or a year), `parent` (a parent's or
    carer's name), `field` (the radio's name, default "child"), `exclude` (a child id to leave
    out: the record being merged). Reused by the protection app's link-child form."""
    require(request.user, Action.CHILD_VIEW)
    field = request.GET.get("field") or "child"
    if not field.isidentifier():
        field = "child"
    rows, searched = selectors.child_search(
        user=request.user,
        name=request.GET.get("q", ""),
        born=request.GET.get("born", ""),
        parent=request.GET.get("parent", ""),
        exclude=request.GET.get("exclude", ""),
        today=services.today_local(),
    )
    if searched:
        audit_record(
            actor=request.user,
            action="search",
            object_type="registry.child",
            details={"purpose": "pick", "results": len(rows)},
        )
    context = {"rows": rows, "field": field, "searched": searched}
    if request.headers.get("HX-Request"):
        return render(request, "registry/_child_pick.html", context)
    return render(request, "registry/child_search.html", context)


# --- duplicates and merges ------------------------------------------------------------------


@login_required
def duplicate_list_view(request):
    pairs = selectors.duplicate_pairs_for_user(user=request.user)[:200]
    return render(request, "registry/duplicate_list.html", {"pairs": pairs})


@login_required
def duplicate_detail_view(request, pk: int):
    require(request.user, Action.CHILD_MERGE)
    pair = access.duplicate_pair_get_for_user(user=request.user, pk=pk)
    rows = presentation.comparison(
        presentation.side_of_child(pair.child_a), presentation.side_of_child(pair.child_b)
    )
    return render(
        request,
        "registry/duplicate_detail.html",
        {"pair": pair, "rows": rows, "verdict": presentation.verdict(pair.score)},
    )


@login_required
@require_POST
def duplicate_dismiss_view(request, pk: int):
    pair = access.duplicate_pair_get_for_user(user=request.user, pk=pk, audit=False)
    try:
        services.duplicate_pair_dismiss(actor=request.user, pair=pair)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("registry:duplicate_list")


@login_required
@require_POST
def child_merge_view(request, pk: int):
    """Merge child `pk` into the child named in the form (the survivor)."""
    require(request.user, Action.CHILD_MERGE)
    merged = access.child_get_for_user(user=request.user, pk=pk, audit=False)
    form = forms.MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy tìm và chọn hồ sơ được giữ lại."))
        return redirect("registry:child_detail", pk=pk)
    survivor = access.child_get_for_user(
        user=request.user, pk=form.cleaned_data["survivor"], audit=False
    )
    try:
        services.child_merge(
            actor=request.user, survivor=survivor, merged=merged, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("registry:child_detail", pk=pk)
    messages.success(request, _("Đã gộp hồ sơ. Có thể hoàn tác từ trang này."))
    return redirect("registry:child_detail", pk=survivor.pk)


@login_required
@require_POST
def merge_undo_view(request, pk: int):
    require(request.user, Action.CHILD_MERGE)
    merge = get_object_or_404(ChildMerge, pk=pk)
    access.child_get_for_user(user=request.user, pk=merge.survivor_id, audit=False)
    try:
        services.merge_undo(actor=request.user, merge=merge)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã hoàn tác lần gộp; hai hồ sơ lại tách riêng."))
    return redirect("registry:child_detail", pk=merge.survivor_id)


# --- import ---------------------------------------------------------------------------------


def _batch_for(request, pk: int) -> ImportBatch:
    require(request.user, Action.CHILD_IMPORT)
    batch = get_object_or_404(ImportBatch, pk=pk)
    if not request.user.jurisdiction.covers_commune(batch.commune_id):
        raise Http404
    return batch


@login_required
@require_http_methods(["GET", "POST"])
def import_upload_view(request):
    require(request.user, Action.CHILD_IMPORT)
    communes = communes_for_user(user=request.user)
    form = forms.ImportUploadForm(request.POST or None, request.FILES or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        if not request.user.jurisdiction.covers_commune(form.cleaned_data["commune"]):
            raise PermissionDenied
        try:
            batch = importer.batch_create(
                actor=request.user,
                upload=form.cleaned_data["file"],
                commune_code=form.cleaned_data["commune"],
            )
        except sheets.FileRefused as exc:
            form.add_error("file", str(exc))
        else:
            tasks.import_read_task.enqueue(batch.pk)
            return redirect("registry:import_preview", pk=batch.pk)
    return render(
        request,
        "registry/import_upload.html",
        {
            "form": form,
            "max_rows": sheets.max_rows(),
            "max_mb": sheets.max_bytes() // (1024 * 1024),
        },
    )


@login_required
def import_template_view(request):
    """An empty list in the layout communes file, with the columns the importer recognises."""
    require(request.user, Action.CHILD_IMPORT)
    body = importer.template_xlsx()
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-tre-em.xlsx"'
    return response


@login_required
def import_history_view(request):
    require(request.user, Action.CHILD_IMPORT)
    communes = communes_for_user(user=request.user)
    codes = [c.code for c in communes]
    commune = request.GET.get("commune") or ""
    qs = ImportBatch.objects.filter(commune_id__in=codes).select_related(
        "commune", "created_by", "committed_by"
    )
    if commune in codes:
        qs = qs.filter(commune_id=commune)
    return render(
        request,
        "registry/import_history.html",
        {"batches": qs[:200], "communes": communes, "commune": commune},
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_map_view(request, pk: int):
    batch = _batch_for(request, pk)
    if request.method == "POST":
        mapping = {}
        for i, h in enumerate(batch.headers):
            f = request.POST.get(f"col{i}", "")
            if f in importer.IMPORT_FIELDS:
                mapping[h] = f
        if importer.batch_remap(actor=request.user, batch=batch, mapping=mapping):
            tasks.import_check_task.enqueue(batch.pk)
        else:
            messages.info(request, _("Tệp này đã được nhập hoặc đang được xử lý."))
        return redirect("registry:import_preview", pk=batch.pk)
    samples = list(batch.rows.order_by("number").values_list("cells", flat=True)[:3])
    columns = [
        {
            "index": i,
            "header": h,
            "field": batch.mapping.get(h, ""),
            "sample": [sheets.display(r[i]) for r in samples if i < len(r) and r[i] != ""],
        }
        for i, h in enumerate(batch.headers)
    ]
    return render(
        request,
        "registry/import_map.html",
        {"batch": batch, "columns": columns, "fields": importer.IMPORT_FIELDS},
    )


@login_required
def import_preview_view(request, pk: int):
    """The page of one file, which stays: progress while it is read, checked or written (htmx
    polls it), then the dry run (what would be imported, updated, rejected), then the result."""
    batch = _batch_for(request, pk)
    if request.headers.get("HX-Request") and request.GET.get("progress"):
        if batch.busy:
            return render(request, "registry/_import_progress.html", {"batch": batch})
        response = HttpResponse("")
        response["HX-Refresh"] = "true"
        return response
    preview = batch.preview or {}
    sample = []
    if batch.status in (ImportBatch.Status.READY, ImportBatch.Status.DONE):
        outcome = preview.get("outcome", {})
        reasons = (batch.result or {}).get("rejects") or {}
        for number, cells in batch.rows.order_by("number").values_list("number", "cells")[:20]:
            cells = list(cells) + [""] * (len(batch.headers) - len(cells))
            sample.append(
                {
                    "number": number,
                    "cells": [sheets.display(c) for c in cells[: len(batch.headers)]],
                    "outcome": outcome.get(str(number), ""),
                    "rejected": str(number) in reasons,
                }
            )
    matched = [{**m, "verdict": importer.match_label(m["by"])} for m in preview.get("matched", [])]
    return render(
        request,
        "registry/import_preview.html",
        {
            "batch": batch,
            "preview": preview,
            "result": batch.result or {},
            "sample": sample,
            "mapped": [batch.mapping.get(h, "") for h in batch.headers],
            "field_labels": importer.IMPORT_FIELDS,
            "matched": matched,
            "rejects": preview.get("rejects", []),
            "done": batch.status == ImportBatch.Status.DONE,
            "written": importer.written_so_far(batch),
        },
    )


@login_required
@require_POST
def import_commit_view(request, pk: int):
    batch = _batch_for(request, pk)
    if importer.commit_claim(actor=request.user, batch=batch):
        tasks.import_commit_task.enqueue(batch.pk, request.user.pk)
    elif resumed := importer.batch_resume(actor=request.user, batch=batch):
        # The worker of this file stopped (the page offered to go on): the same work again,
        # from where it stopped.
        if resumed == "commit":
            tasks.import_commit_task.enqueue(batch.pk, request.user.pk)
        elif resumed == "check":
            tasks.import_check_task.enqueue(batch.pk)
        else:
            tasks.import_read_task.enqueue(batch.pk)
    else:
        # A second click, or a retry after a time-out: the first commit's page answers.
        messages.info(request, _("Tệp này đã được nhập (hoặc đang được nhập); đây là kết quả."))
    return redirect("registry:import_preview", pk=pk)


@login_required
def import_rejects_view(request, pk: int):
    batch = _batch_for(request, pk)
    response = HttpResponse(
        importer.batch_rejects_csv(batch), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="loi-nhap-{batch.pk}.csv"'
    return response
