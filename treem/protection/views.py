"""Case pages: thin views that parse a form, call a service or selector, and render."""

from __future__ import annotations

import csv
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from treem.accounts.policy import Action, can, require
from treem.audit.services import audit_record
from treem.core.forms import apply_validation_error
from treem.protection import access, calendar, forms, pdf, selectors, services
from treem.protection.models import (
    Attachment,
    Case,
    DeadlineSetting,
    Notification,
    PlanService,
    PublicHoliday,
)


def _province_code(user) -> str:
    j = user.jurisdiction
    if j.province_code:
        return j.province_code
    if user.commune_id:
        return user.commune.province_id
    from django.conf import settings

    return settings.TREEM_PROVINCE_CODE


# --- boards and lists --


@login_required
def board_view(request):
    if not can(request.user, Action.CASE_VIEW):
        if can(request.user, Action.REFERRAL_RESPOND):
            return redirect("protection:referral_list")
        if can(request.user, Action.CASE_RECEIVE):
            return redirect("protection:report_new")
        raise PermissionDenied
    mine = request.GET.get("mine") == "1"
    board = selectors.case_board(user=request.user, mine=mine)
    audit_record(
        actor=request.user,
        action="search",
        object_type="protection.case",
        details={"page": "board", "scope": board.scope},
    )
    return render(
        request,
        "protection/board.html",
        {
            "board": board,
            "separations": list(selectors.active_separations(user=request.user)[:25]),
            "mine": mine,
            "statuses": Case.Status,
            "can_receive": can(request.user, Action.CASE_RECEIVE),
        },
    )


@login_required
def case_list_view(request):
    qs = selectors.case_list(
        user=request.user,
        status=request.GET.get("status") or None,
        commune_code=request.GET.get("commune") or None,
        overdue=request.GET.get("overdue") == "1",
        mine=request.GET.get("mine") == "1",
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    audit_record(
        actor=request.user,
        action="search",
        object_type="protection.case",
        details={"status": request.GET.get("status", ""), "page": page.number},
    )
    return render(
        request,
        "protection/case_list.html",
        {"page": page, "statuses": Case.Status.choices, "now": timezone.now()},
    )


@login_required
def case_export_view(request):
    """CSV of the cases the user may see. No child's name or reporter in an export: codes, places,
    steps and due times only."""
    qs = selectors.case_list(user=request.user, status=request.GET.get("status") or None)
    audit_record(
        actor=request.user,
        action="export",
        object_type="protection.case",
        details={"status": request.GET.get("status", "")},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ca-bao-ve.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Mã ca"), _("Xã, phường"), _("Trạng thái"), _("Hạn"), _("Khẩn cấp")])
    for case in qs.iterator(chunk_size=1000):
        writer.writerow(
            [
                case.code,
                case.commune.name,
                case.get_status_display(),
                timezone.localtime(case.due_at).strftime("%Y-%m-%d %H:%M") if case.due_at else "",
                _("có") if case.is_emergency else "",
            ]
        )
    return response


# --- Form 01 --


@login_required
@require_http_methods(["GET", "POST"])
def report_new_view(request):
    require(request.user, Action.CASE_RECEIVE)
    form = forms.ReportForm(request.POST or None, province_code=_province_code(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_receive(actor=request.user, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Đã tiếp nhận tin báo và chuyển ngay tới %(commune)s (ca %(code)s).")
                % {"commune": report.commune.name, "code": report.case.code},
            )
            if access.can_view(request.user, report.case):
                return redirect("protection:case_detail", report.case.pk)
            return redirect("core:dashboard")
    return render(request, "protection/report_form.html", {"form": form})


# --- case page --


def _step_forms(user, case: Case) -> dict:
    """The forms for the moves the transition table allows this user now (`access.allowed`):
    nothing for a step that is over, no edit of a closed case."""
    province = case.commune.province_id
    allowed = access.allowed(user, case)
    S = Case.Status
    ctx: dict = {"allowed": allowed}
    if "assign" in allowed:
        ctx["assign_form"] = forms.AssignForm(commune_code=case.commune_id)
    if "note" in allowed or (access.can_supervise(user, case) and case.is_open):
        ctx["note_form"] = forms.NoteForm()
    if "attach" in allowed:
        ctx["attachment_form"] = forms.AttachmentForm()
    if "emergency" in allowed and (
        (case.is_emergency and case.emergency_met_at is None) or case.status == S.RECEIVED
    ):
        ctx["emergency_form"] = forms.EmergencyForm()
    if "initial_assess" in allowed:
        ctx["initial_form"] = forms.InitialAssessmentForm()
    if "detailed_assess" in allowed:
        ctx["detailed_form"] = forms.DetailedAssessmentForm()
    if "plan_submit" in allowed:
        ctx["plan_form"] = forms.PlanForm()
        ctx["service_formset"] = forms.PlanServiceFormSet(
            prefix="svc",
            form_kwargs={"province_code": province, "commune_code": case.commune_id},
        )
    if "referral_send" in allowed:
        ctx["referral_form"] = forms.ReferralForm(province_code=province)
    if "visit" in allowed:
        ctx["visit_form"] = forms.VisitForm(initial={"visited_on": timezone.localdate()})
    if "review" in allowed:
        ctx["review_form"] = forms.ReviewForm()
    if "reopen" in allowed:
        ctx["reopen_form"] = forms.ReasonForm()
    if "plan_approve" in allowed:
        ctx["approve_form"] = forms.ApproveForm()
    if "plan_refuse" in allowed:
        ctx["refuse_form"] = forms.ReasonForm()
    if "transfer" in allowed:
        ctx["transfer_form"] = forms.TransferForm(province_code=province, exclude=case.commune_id)
    if "separation" in allowed and not case.separations.filter(ended_at__isnull=True).exists():
        ctx["separation_form"] = forms.SeparationForm(
            initial={"starts_at": timezone.localtime().replace(second=0, microsecond=0)}
        )
    return ctx


@login_required
def case_detail_view(request, pk: int):
    case = access.case_get_for_user(request.user, pk)
    plans = case.plans.prefetch_related(
        Prefetch(
            "services",
            queryset=PlanService.objects.select_related(
                "organisation", "responsible_user", "done_by"
            ).prefetch_related("referrals"),
        )
    ).select_related("decided_by", "drafted_by")
    step_forms = _step_forms(request.user, case)
    open_services = list(services.open_plan_services(case))
    if "review_form" in step_forms and not open_services:
        # The reason for closing with open services is asked only when some are open.
        del step_forms["review_form"].fields["open_services_reason"]
    context = {
        "case": case,
        "report": case.report,
        "child": case.child,
        "shows_reporter": access.handles(request.user, case),
        "initial": getattr(case, "initial_assessment", None),
        "detailed": getattr(case, "detailed_assessment", None),
        "revisions": case.form_revisions.select_related("replaced_by"),
        "measures": case.emergency_measures.select_related("recorded_by"),
        "separations": case.separations.select_related("decided_by"),
        "plans": plans,
        # Referrals not made from a plan service (a plan service shows its own referral).
        "other_referrals": case.referrals.filter(service__isnull=True).select_related(
            "organisation"
        ),
        "open_services": open_services,
        "visits": case.visits.select_related("visited_by"),
        "reviews": case.reviews.select_related("reviewed_by"),
        "notes": selectors.notes_for_user(user=request.user, case=case),
        "attachments": case.attachments.select_related("uploaded_by"),
        "transfers": case.transfers.select_related("from_commune", "to_commune", "by"),
        "steps": selectors.case_steps(case),
        "now": timezone.now(),
        "can_work": access.can_work(request.user, case),
        **step_forms,
    }
    if context["initial"] and "edit_forms" in step_forms["allowed"]:
        context["initial_edit_form"] = forms.InitialAssessmentEditForm(
            initial={
                "findings": context["initial"].findings,
                "immediate_needs": context["initial"].immediate_needs,
                "version": context["initial"].version,
            }
        )
    return render(request, "protection/case_detail.html", context)


@login_required
def case_timeline_view(request, pk: int):
    case = access.case_get_for_user(request.user, pk)
    items = selectors.case_timeline(user=request.user, case=case)
    return render(request, "protection/case_timeline.html", {"case": case, "items": items})


def _act(
    request,
    pk: int,
    form_class,
    call: Callable[[Case, dict], object],
    success: str,
    form_kwargs: Callable[[Case], dict] | None = None,
):
    """POST a step form: validate, call the service, come back to the case with a message."""
    case = access.case_get_for_user(request.user, pk, audit=False)
    form = form_class(request.POST, request.FILES, **(form_kwargs(case) if form_kwargs else {}))
    if form.is_valid():
        try:
            call(case, form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, success)
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect("protection:case_detail", case.pk)


@login_required
@require_http_methods(["GET", "POST"])
def case_child_view(request, pk: int):
    """Link the case to the registry: a child already registered, found by name, birth date or a
    parent's name and picked by radio button (never by typing a record number), or a new child
    registered through the registry's duplicate check (likely duplicates are shown and the
    worker decides).

    GET with `q`, `born`, `parent` searches the case's commune: an htmx request answers only the
    registry's pick list (`registry/_child_pick.html`); without JavaScript the whole page is
    reloaded with the results. The search follows the page's address, so a refused choice is
    shown again with the same results."""
    from treem.registry.services import DuplicatesFound

    case = access.case_get_for_user(request.user, pk, audit=False)
    access.require_work(request.user, case)
    search = {key: request.GET.get(key, "")[:150] for key in ("q", "born", "parent")}
    rows, searched = selectors.children_to_link(
        user=request.user,
        case=case,
        name=search["q"],
        born=search["born"],
        parent=search["parent"],
    )
    if searched:
        audit_record(
            actor=request.user,
            action="search",
            object_type="registry.child",
            details={"purpose": "case_link", "case": case.pk, "results": len(rows)},
        )
    if request.method == "GET" and request.headers.get("HX-Request"):
        response = render(
            request,
            "registry/_child_pick.html",
            {"rows": rows, "searched": searched, "field": "child_id"},
        )
        patch_vary_headers(response, ["HX-Request"])
        return response

    picking = request.method == "POST" and (
        "child_id" in request.POST or request.POST.get("mode") == "pick"
    )
    pick_form = forms.ChildPickForm(request.POST if picking else None)
    register_form = forms.ChildRegisterForm(
        request.POST if request.method == "POST" and not picking else None
    )
    matches = []
    if picking and pick_form.is_valid():
        try:
            child = access.child_for_case(request.user, case, pick_form.cleaned_data["child_id"])
            services.case_link_child(actor=request.user, case=case, child=child)
        except ValidationError as exc:
            apply_validation_error(pick_form, exc)
        except Http404:
            pick_form.add_error(
                None,
                _(
                    "Không tìm thấy trẻ này trong phạm vi bạn phụ trách (trẻ phải ở xã, phường "
                    "của ca). Hãy tìm lại và chọn trong danh sách."
                ),
            )
        else:
            messages.success(request, _("Đã gắn ca với hồ sơ trẻ em."))
            return redirect("protection:case_detail", case.pk)
    elif request.method == "POST" and not picking and register_form.is_valid():
        d = register_form.cleaned_data
        try:
            services.case_register_child(
                actor=request.user,
                case=case,
                full_name=d["full_name"],
                birth_date=d["birth_date"],
                sex=d["sex"],
                decision=d["decision"] or None,
                link_to=d["link_to"],
            )
        except DuplicatesFound as exc:
            matches = exc.matches
        except ValidationError as exc:
            apply_validation_error(register_form, exc)
        except Http404:
            register_form.add_error(
                None,
                _(
                    "Hồ sơ đã chọn không ở xã, phường của ca hoặc ngoài phạm vi bạn phụ trách. "
                    "Hãy chọn hồ sơ khác hoặc đăng ký trẻ mới."
                ),
            )
        else:
            messages.success(request, _("Đã gắn ca với hồ sơ trẻ em."))
            return redirect("protection:case_detail", case.pk)
    return render(
        request,
        "protection/child_link.html",
        {
            "case": case,
            "pick_form": pick_form,
            "form": register_form,
            "matches": matches,
            "data": request.POST,
            "rows": rows,
            "searched": searched,
            "search": search,
            "can_search": can(request.user, Action.CHILD_VIEW),
        },
    )


@login_required
@require_POST
def case_assign_view(request, pk):
    return _act(
        request,
        pk,
        forms.AssignForm,
        lambda c, d: services.case_assign(actor=request.user, case=c, worker=d["worker"]),
        _("Đã phân công người phụ trách."),
        lambda c: {"commune_code": c.commune_id},
    )


@login_required
@require_POST
def initial_assess_view(request, pk):
    return _act(
        request,
        pk,
        forms.InitialAssessmentForm,
        lambda c, d: services.case_initial_assess(actor=request.user, case=c, **d),
        _("Đã ghi đánh giá ban đầu (Mẫu số 02)."),
    )


@login_required
@require_POST
def initial_edit_view(request, pk):
    def call(case, d):
        services.initial_assessment_update(
            actor=request.user,
            assessment=case.initial_assessment,
            expected_version=d["version"],
            findings=d["findings"],
            immediate_needs=d["immediate_needs"],
        )

    return _act(request, pk, forms.InitialAssessmentEditForm, call, _("Đã sửa đánh giá ban đầu."))


@login_required
@require_POST
def emergency_view(request, pk):
    return _act(
        request,
        pk,
        forms.EmergencyForm,
        lambda c, d: services.emergency_measure_record(actor=request.user, case=c, **d),
        _("Đã ghi biện pháp khẩn cấp."),
    )


@login_required
@require_POST
def detailed_assess_view(request, pk):
    return _act(
        request,
        pk,
        forms.DetailedAssessmentForm,
        lambda c, d: services.case_detailed_assess(actor=request.user, case=c, **d),
        _("Đã ghi đánh giá chi tiết và cuộc họp (Mẫu số 03)."),
    )


@login_required
@require_POST
def plan_submit_view(request, pk):
    case = access.case_get_for_user(request.user, pk, audit=False)
    form = forms.PlanForm(request.POST)
    formset = forms.PlanServiceFormSet(
        request.POST,
        prefix="svc",
        form_kwargs={"province_code": case.commune.province_id, "commune_code": case.commune_id},
    )
    if form.is_valid() and formset.is_valid():
        rows = [f.cleaned_data for f in formset.forms if f.cleaned_data]
        try:
            services.plan_submit(
                actor=request.user, case=case, goals=form.cleaned_data["goals"], services=rows
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("Đã trình kế hoạch (Mẫu số 04) để Chủ tịch UBND xã phê duyệt.")
            )
    else:
        for error in [*form.non_field_errors(), *formset.non_form_errors()]:
            messages.error(request, error)
        for f in formset.forms:
            for errors in f.errors.values():
                for error in errors:
                    messages.error(request, error)
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("protection:case_detail", case.pk)


@login_required
@require_POST
def plan_approve_view(request, pk):
    return _act(
        request,
        pk,
        forms.ApproveForm,
        lambda c, d: services.plan_approve(actor=request.user, case=c, **d),
        _("Đã phê duyệt kế hoạch (Mẫu số 05)."),
    )


@login_required
@require_POST
def plan_refuse_view(request, pk):
    return _act(
        request,
        pk,
        forms.ReasonForm,
        lambda c, d: services.plan_refuse(actor=request.user, case=c, reason=d["reason"]),
        _("Đã trả lại kế hoạch để lập lại."),
    )


@login_required
@require_POST
def referral_send_view(request, pk):
    return _act(
        request,
        pk,
        forms.ReferralForm,
        lambda c, d: services.referral_send(actor=request.user, case=c, **d),
        _("Đã chuyển gửi tới đơn vị."),
        lambda c: {"province_code": c.commune.province_id},
    )


@login_required
@require_POST
def visit_view(request, pk):
    return _act(
        request,
        pk,
        forms.VisitForm,
        lambda c, d: services.visit_record(actor=request.user, case=c, **d),
        _("Đã ghi buổi thăm theo dõi."),
    )


@login_required
@require_POST
def review_view(request, pk):
    return _act(
        request,
        pk,
        forms.ReviewForm,
        lambda c, d: services.case_review(actor=request.user, case=c, **d),
        _("Đã ghi rà soát, đánh giá (Mẫu số 06)."),
    )


@login_required
@require_POST
def service_done_view(request, pk):
    def call(case, d):
        service = PlanService.objects.filter(pk=d["service"], plan__case=case).first()
        if service is None:
            raise ValidationError(_("Dịch vụ này không thuộc kế hoạch của ca."))
        services.plan_service_done(actor=request.user, service=service, note=d["note"])

    return _act(request, pk, forms.ServiceDoneForm, call, _("Đã xác nhận hoàn thành dịch vụ."))


@login_required
@require_POST
def separation_view(request, pk):
    return _act(
        request,
        pk,
        forms.SeparationForm,
        lambda c, d: services.separation_decide(actor=request.user, case=c, **d),
        _("Đã ghi quyết định tạm thời cách ly trẻ (Mẫu số 07)."),
    )


@login_required
@require_POST
def separation_end_view(request, pk):
    def call(case, d):
        decision = case.separations.filter(pk=d["separation"]).first()
        if decision is None:
            raise ValidationError(_("Quyết định cách ly này không thuộc ca."))
        services.separation_end_record(actor=request.user, decision=decision, note=d["note"])

    return _act(request, pk, forms.SeparationEndForm, call, _("Đã chấm dứt tạm thời cách ly."))


@login_required
def todo_view(request):
    """What the user must do: the chairman's plans awaiting a decision, the worker's cases due
    this week."""
    require(request.user, Action.CASE_VIEW)
    awaiting = list(selectors.plans_awaiting_decision(user=request.user)[:100])
    due = list(selectors.my_cases_due_this_week(user=request.user)[:100])
    audit_record(
        actor=request.user,
        action="search",
        object_type="protection.case",
        details={"page": "todo"},
    )
    return render(
        request,
        "protection/todo.html",
        {"awaiting": awaiting, "due": due, "now": timezone.now()},
    )


@login_required
@require_POST
def reopen_view(request, pk):
    return _act(
        request,
        pk,
        forms.ReasonForm,
        lambda c, d: services.case_reopen(actor=request.user, case=c, reason=d["reason"]),
        _("Đã mở lại ca."),
    )


@login_required
@require_POST
def transfer_view(request, pk):
    case = access.case_get_for_user(request.user, pk, audit=False)
    form = forms.TransferForm(
        request.POST, province_code=case.commune.province_id, exclude=case.commune_id
    )
    if form.is_valid():
        try:
            services.case_transfer(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã chuyển ca sang xã mới cùng toàn bộ lịch sử."))
            if access.can_view(request.user, Case.objects.get(pk=case.pk)):
                return redirect("protection:case_detail", case.pk)
            return redirect("protection:board")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("protection:case_detail", case.pk)


@login_required
@require_POST
def note_view(request, pk):
    return _act(
        request,
        pk,
        forms.NoteForm,
        lambda c, d: services.note_add(actor=request.user, case=c, **d),
        _("Đã thêm ghi chú."),
    )


@login_required
@require_POST
def attachment_view(request, pk):
    return _act(
        request,
        pk,
        forms.AttachmentForm,
        lambda c, d: services.attachment_add(
            actor=request.user, case=c, upload=d["file"], description=d["description"]
        ),
        _("Đã đính kèm tài liệu."),
    )


@login_required
def attachment_download_view(request, pk: int):
    """Documents are served only here, after the access check; never from a public URL."""
    try:
        attachment = Attachment.objects.select_related("case", "referral").get(pk=pk)
    except Attachment.DoesNotExist as exc:
        raise Http404 from exc
    user = request.user
    allowed = access.can_view(user, attachment.case) or (
        attachment.referral is not None and access.can_respond_referral(user, attachment.referral)
    )
    if not allowed:
        raise Http404
    audit_record(actor=user, action="view", obj=attachment, details={"case": attachment.case_id})
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def form_pdf_view(request, pk: int, number: str):
    case = access.case_get_for_user(request.user, pk, audit=False)
    revision = request.GET.get("revision")
    try:
        content = pdf.render_form(
            number,
            case=case,
            user=request.user,
            revision_id=int(revision) if revision and revision.isdigit() else None,
            plan_number=int(request.GET["plan"]) if request.GET.get("plan", "").isdigit() else None,
        )
    except pdf.FormNotReady as exc:
        messages.error(request, str(exc))
        return redirect("protection:case_detail", case.pk)
    audit_record(actor=request.user, action="export", obj=case, details={"form": number})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.code}-mau-{number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- partners --


def referral_child_summary(referral) -> dict:
    """What a partner needs to know of the child, and nothing more: the first name (the last word
    of a Vietnamese full name) and the age in years."""
    child = referral.case.child
    if child is None:
        return {"first_name": "", "age": None}
    today = timezone.localdate()
    born = child.birth_date
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return {"first_name": child.full_name.split()[-1] if child.full_name else "", "age": age}


@login_required
def referral_list_view(request):
    referrals = selectors.referrals_for_partner(user=request.user)
    page = Paginator(referrals, 50).get_page(request.GET.get("page"))
    rows = [(r, referral_child_summary(r)) for r in page]
    audit_record(actor=request.user, action="search", object_type="protection.referral", details={})
    return render(request, "protection/referral_list.html", {"page": page, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def referral_detail_view(request, pk: int):
    referral = access.referral_get_for_user(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action not in access.referral_allowed(request.user, referral):
                raise ValidationError(
                    _("Không thể thực hiện thao tác này ở trạng thái hiện tại. Hãy tải lại trang.")
                )
            if action == "accept":
                services.referral_accept(actor=request.user, referral=referral)
            elif action == "decline":
                services.referral_decline(
                    actor=request.user, referral=referral, reason=request.POST.get("reason", "")
                )
            elif action == "service":
                form = forms.ServiceGivenForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Hãy ghi dịch vụ đã cung cấp."))
                services.referral_record_service(
                    actor=request.user,
                    referral=referral,
                    service_given=form.cleaned_data["service_given"],
                    expected_version=form.cleaned_data["version"],
                )
            elif action == "close":
                services.referral_close(actor=request.user, referral=referral)
            elif action == "attach":
                form = forms.AttachmentForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise ValidationError(_("Hãy chọn tệp cần đính kèm."))
                services.attachment_add(
                    actor=request.user,
                    case=referral.case,
                    referral=referral,
                    upload=form.cleaned_data["file"],
                    description=form.cleaned_data["description"],
                )
            else:
                raise ValidationError(_("Thao tác không hợp lệ."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã cập nhật."))
        return redirect("protection:referral_detail", referral.pk)
    return render(
        request,
        "protection/referral_detail.html",
        {
            "referral": referral,
            "service_form": forms.ServiceGivenForm(
                initial={"service_given": referral.service_given, "version": referral.version}
            ),
            "attachment_form": forms.AttachmentForm(),
            "attachments": referral.attachments.all(),
            "allowed": access.referral_allowed(request.user, referral),
            "child": referral_child_summary(referral),
        },
    )


# --- notifications, settings --


@login_required
def notification_list_view(request):
    notes = selectors.notifications_for_user(user=request.user)
    if request.method == "POST":
        notes.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("protection:notifications")
    page = Paginator(notes, 50).get_page(request.GET.get("page"))
    rows = [(n, selectors.notification_message(n)) for n in page]
    return render(
        request,
        "protection/notifications.html",
        {"page": page, "rows": rows, "kinds": Notification.Kind},
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    require(request.user, Action.CASE_SUPERVISE)
    province = _province_code(request.user)
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() else timezone.localdate().year
    holiday_form = forms.HolidayForm(prefix="h")
    setting_form = forms.DeadlineSettingForm(prefix="s", province_code=province)
    if request.method == "POST":
        if "holiday" in request.POST:
            status_form = forms.HolidayStatusForm(request.POST)
            if status_form.is_valid():
                holiday = PublicHoliday.objects.filter(
                    pk=status_form.cleaned_data["holiday"]
                ).first()
                if holiday is None:
                    raise Http404
                services.holiday_set_status(
                    actor=request.user, holiday=holiday, status=status_form.cleaned_data["status"]
                )
                messages.success(
                    request,
                    _("Đã cập nhật ngày %(d)s; hạn của các ca đang mở đã được tính lại.")
                    % {"d": holiday.date.strftime("%d/%m/%Y")},
                )
            return redirect(request.get_full_path())
        if "h-date" in request.POST:
            holiday_form = forms.HolidayForm(request.POST, prefix="h")
            if holiday_form.is_valid():
                try:
                    services.holiday_add(
                        actor=request.user,
                        date_=holiday_form.cleaned_data["date"],
                        name=holiday_form.cleaned_data["name"],
                        kind=holiday_form.cleaned_data["kind"],
                    )
                except ValidationError as exc:
                    apply_validation_error(holiday_form, exc)
                else:
                    messages.success(request, _("Đã thêm ngày nghỉ lễ."))
                    return redirect("protection:settings")
        else:
            setting_form = forms.DeadlineSettingForm(
                request.POST, prefix="s", province_code=province
            )
            if setting_form.is_valid():
                try:
                    services.deadline_setting_add(actor=request.user, **setting_form.cleaned_data)
                except ValidationError as exc:
                    apply_validation_error(setting_form, exc)
                else:
                    messages.success(request, _("Đã thêm thời hạn mới."))
                    return redirect("protection:settings")
    return render(
        request,
        "protection/settings.html",
        {
            "holidays": PublicHoliday.objects.filter(date__year=year).select_related("changed_by"),
            "year": year,
            "years": range(calendar.YEARS.start, calendar.YEARS.stop),
            "statuses": PublicHoliday.Status,
            "settings": DeadlineSetting.objects.select_related("commune"),
            "holiday_form": holiday_form,
            "setting_form": setting_form,
        },
    )
