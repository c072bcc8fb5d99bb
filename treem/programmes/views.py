"""Pages of the programmes app. Thin: access through `access`, reads through `selectors`, writes
through `services`."""

from __future__ import annotations

import secrets
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from treem.accounts.policy import Action, can
from treem.audit.services import audit_record
from treem.core.forms import apply_validation_error
from treem.geo.models import Commune, Province
from treem.programmes import access, exports, forms, linked_estimates, selectors, services
from treem.programmes.models import (
    ActivityPhoto,
    Campaign,
    DocumentLink,
    Evidence,
    Plan,
    ReportingPeriod,
    TaskStatus,
)
from treem.programmes.workflow import TASK_TRANSITIONS, report_choices


def _require_view(user) -> None:
    if not can(user, Action.PROGRAMME_VIEW):
        raise PermissionDenied


def _year(request, default: int | None = None) -> int | None:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return default


def _file_response(field_file, *, content_type: str, name: str) -> FileResponse:
    response = FileResponse(
        field_file.open("rb"), content_type=content_type, as_attachment=True, filename=name
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _communes_for(user):
    qs = Commune.objects.filter(province_id=access.province_code(user)).order_by("name")
    if not access.can_supervise(user):
        qs = qs.filter(code__in=access.commune_codes(user))
    return qs


# ---- board


@login_required
def board_view(request):
    _require_view(request.user)
    today = timezone.localdate()
    year = _year(request, today.year)
    board = selectors.plan_board(user=request.user, today=today, year=year)
    return render(
        request,
        "programmes/board.html",
        {
            "board": board,
            "year": year,
            "years": range(today.year - 10, today.year + 2),
            "province_wide": access.is_province_wide(request.user),
            "can_create": access.can_create_plan(request.user),
            "can_see_budget": access.can_see_budget(request.user),
            "can_supervise": access.can_supervise(request.user),
        },
    )


@login_required
def notifications_view(request):
    _require_view(request.user)
    notes = list(selectors.notifications_for_user(user=request.user)[:200])
    if request.method == "POST":
        selectors.notifications_for_user(user=request.user).filter(read_at__isnull=True).update(
            read_at=timezone.now()
        )
        return redirect("programmes:notifications")
    return render(request, "programmes/notifications.html", {"notes": notes})


# ---- documents


@login_required
def document_list_view(request):
    _require_view(request.user)
    documents = access.documents_for_user(request.user).prefetch_related(
        "links_out__target", "links_in__source"
    )
    return render(
        request,
        "programmes/document_list.html",
        {
            "documents": documents,
            "can_manage": access.can_manage_documents(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_create_view(request):
    access.require(access.can_manage_documents(request.user))
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu văn bản %(n)s.") % {"n": document.number})
            return redirect("programmes:document_detail", document.pk)
    return render(request, "programmes/form_page.html", {"form": form, "title": _("Thêm văn bản")})


@login_required
@require_http_methods(["GET", "POST"])
def document_detail_view(request, pk: int):
    document = access.document_get_for_user(request.user, pk)
    can_manage = access.can_manage_documents(request.user)
    others = access.documents_for_user(request.user).exclude(pk=document.pk)
    form = forms.DocumentLinkForm(request.POST or None, documents=others) if can_manage else None
    if request.method == "POST":
        access.require(can_manage)
        if form.is_valid():
            try:
                services.document_link(
                    actor=request.user,
                    source=document,
                    target=form.cleaned_data["target"],
                    kind=form.cleaned_data["kind"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Đã ghi liên kết văn bản."))
                return redirect("programmes:document_detail", document.pk)
    return render(
        request,
        "programmes/document_detail.html",
        {
            "document": document,
            "links_out": document.links_out.select_related("target"),
            "links_in": document.links_in.select_related("source"),
            "plans": access.plans_for_user(request.user).filter(implements=document),
            "form": form,
            "link_kinds": DocumentLink.Kind,
        },
    )


@login_required
def document_file_view(request, pk: int):
    document = access.document_get_for_user(request.user, pk)
    if not document.file:
        raise Http404
    audit_record(actor=request.user, action="view", obj=document, details={"file": True})
    return _file_response(
        document.file, content_type=document.file_type, name=document.file_name or "van-ban"
    )


# ---- plans


@login_required
def plan_list_view(request):
    _require_view(request.user)
    year = _year(request)
    return render(
        request,
        "programmes/plan_list.html",
        {
            "plans": selectors.plans_list(user=request.user, year=year),
            "year": year,
            "can_create": access.can_create_plan(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create_view(request):
    access.require(access.can_create_plan(request.user))
    supervise = access.can_supervise(request.user)
    initial = {"level": Plan.Level.PROVINCE if supervise else Plan.Level.COMMUNE}
    form = forms.PlanForm(
        request.POST or None,
        initial=initial,
        province_code=access.province_code(request.user),
        communes=_communes_for(request.user),
        documents=access.documents_for_user(request.user),
    )
    if not supervise:
        form.fields["level"].choices = [(Plan.Level.COMMUNE, Plan.Level.COMMUNE.label)]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            plan = services.plan_create(actor=request.user, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lập kế hoạch. Hãy thêm các nhiệm vụ."))
            return redirect("programmes:plan_detail", plan.pk)
    return render(request, "programmes/form_page.html", {"form": form, "title": _("Lập kế hoạch")})


@login_required
def plan_detail_view(request, pk: int):
    plan = access.plan_get_for_user(request.user, pk)
    tasks = selectors.plan_tasks(user=request.user, plan=plan)
    can_manage = access.can_manage_plan(request.user, plan)
    today = timezone.localdate()
    budget = (
        selectors.budget_rollup(user=request.user, plan=plan)
        if access.can_see_budget(request.user)
        else None
    )
    return render(
        request,
        "programmes/plan_detail.html",
        {
            "plan": plan,
            "tasks": tasks,
            "targets": plan.targets.all(),
            "today": today,
            "can_manage": can_manage,
            "can_budget": access.can_manage_budget(request.user, plan),
            "can_derive": plan.level != Plan.Level.COMMUNE
            and can(request.user, Action.PLAN_MANAGE)
            and (access.can_supervise(request.user) or bool(access.commune_codes(request.user))),
            "derived": plan.derived_plans.select_related("commune").order_by("commune__name")
            if access.is_province_wide(request.user)
            else [],
            "budget": budget,
            "budget_lines": selectors.budget_lines(user=request.user, plan=plan).select_related(
                "task"
            )
            if budget
            else [],
            "province_wide": access.is_province_wide(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit_view(request, pk: int):
    plan = access.plan_get_for_user(request.user, pk)
    access.require(access.can_manage_plan(request.user, plan))
    initial = {name: getattr(plan, name) for name in services.PLAN_FIELDS}
    initial["version"] = plan.version
    form = forms.PlanEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.plan_update(actor=request.user, plan=plan, expected_version=version, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu kế hoạch."))
            return redirect("programmes:plan_detail", plan.pk)
    return render(
        request,
        "programmes/form_page.html",
        {"form": form, "title": _("Sửa kế hoạch"), "back": plan},
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_create_view(request, pk: int):
    plan = access.plan_get_for_user(request.user, pk)
    access.require(access.can_manage_plan(request.user, plan))
    form = forms.TaskForm(
        request.POST or None, province_code=plan.province_id, initial={"due_on": plan.ends_on}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        data["partner_organisations"] = list(data["partner_organisations"])
        data["partner_communes"] = list(data["partner_communes"])
        try:
            services.task_add(actor=request.user, plan=plan, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã giao nhiệm vụ."))
            if "again" in request.POST:
                return redirect("programmes:task_create", plan.pk)
            return redirect("programmes:plan_detail", plan.pk)
    return render(
        request,
        "programmes/form_page.html",
        {
            "form": form,
            "title": _("Giao nhiệm vụ"),
            "subtitle": str(plan),
            "back": plan,
            "again": _("Lưu và giao tiếp nhiệm vụ khác"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_edit_view(request, pk: int):
    task = access.task_get_for_user(request.user, pk)
    access.require(access.can_manage_plan(request.user, task.plan))
    initial = {
        "version": task.version,
        "title": task.title,
        "description": task.description,
        "lead_organisation": task.lead_organisation_id,
        "lead_commune": task.lead_commune_id,
        "partner_organisations": list(task.partner_organisations.values_list("pk", flat=True)),
        "partner_communes": list(task.partner_communes.values_list("pk", flat=True)),
        "due_on": task.due_on,
        "recurrence": task.recurrence,
    }
    form = forms.TaskForm(
        request.POST or None, province_code=task.plan.province_id, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        data["partner_organisations"] = list(data["partner_organisations"])
        data["partner_communes"] = list(data["partner_communes"])
        try:
            services.task_update(actor=request.user, task=task, expected_version=version, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu nhiệm vụ."))
            return redirect("programmes:task_detail", task.pk)
    return render(
        request,
        "programmes/form_page.html",
        {"form": form, "title": _("Sửa nhiệm vụ"), "subtitle": task.title, "back": task.plan},
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_create_view(request, pk: int):
    plan = access.plan_get_for_user(request.user, pk)
    access.require(access.can_manage_plan(request.user, plan))
    if plan.level == Plan.Level.COMMUNE:
        units = [(plan.commune_id, plan.commune.name)]
    else:
        units = [(plan.province_id, plan.province.name)] + [
            (c.code, c.name) for c in Commune.objects.filter(province_id=plan.province_id)
        ]
    form = forms.TargetForm(request.POST or None, units=units, initial={"year": plan.year_to})
    if request.method == "POST" and form.is_valid():
        try:
            services.target_set(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu chỉ tiêu."))
            return redirect("programmes:plan_detail", plan.pk)
    return render(
        request,
        "programmes/form_page.html",
        {"form": form, "title": _("Thêm chỉ tiêu"), "subtitle": str(plan), "back": plan},
    )


@login_required
@require_POST
def plan_copy_view(request, pk: int):
    plan = access.plan_get_for_user(request.user, pk)
    access.require(access.can_manage_plan(request.user, plan))
    try:
        new = services.plan_copy_next_year(actor=request.user, plan=plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("programmes:plan_detail", plan.pk)
    messages.success(request, _("Đã sao kế hoạch cho năm sau. Hãy rà soát hạn các nhiệm vụ."))
    return redirect("programmes:plan_detail", new.pk)


@login_required
@require_http_methods(["GET", "POST"])
def plan_derive_view(request, pk: int):
    plan = access.plan_get_for_user(request.user, pk)
    communes = _communes_for(request.user)
    access.require(plan.level != Plan.Level.COMMUNE and can(request.user, Action.PLAN_MANAGE))
    form = forms.DeriveForm(request.POST or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.plan_derive_for_commune(
                actor=request.user, plan=plan, commune=form.cleaned_data["commune"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lập kế hoạch của xã kế thừa các nhiệm vụ."))
            return redirect("programmes:plan_detail", new.pk)
    return render(
        request,
        "programmes/form_page.html",
        {
            "form": form,
            "title": _("Lập kế hoạch của xã theo kế hoạch này"),
            "subtitle": str(plan),
            "back": plan,
        },
    )


def _report_range(request, plan: Plan) -> tuple[date, date, str]:
    def parse(name: str, default: date) -> date:
        try:
            return date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return default

    start = parse("from", plan.starts_on)
    end = parse("to", min(plan.ends_on, timezone.localdate()))
    if end < start:
        end = start
    kind = _("tổng kết") if end >= plan.ends_on else _("sơ kết")
    return start, end, kind


@login_required
def plan_report_view(request, pk: int, fmt: str = "html"):
    plan = access.plan_get_for_user(request.user, pk)
    start, end, kind = _report_range(request, plan)
    report = selectors.plan_report(user=request.user, plan=plan, date_from=start, date_to=end)
    if fmt in ("docx", "xlsx"):
        audit_record(actor=request.user, action="export", obj=plan, details={"format": fmt})
        name = f"bao-cao-ke-hoach-{plan.pk}-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"
        if fmt == "docx":
            content = exports.plan_report_docx(report, kind_label=kind)
            ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        else:
            content = exports.plan_report_xlsx(report, kind_label=kind)
            ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(content, content_type=ctype)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request,
        "programmes/plan_report.html",
        {"plan": plan, "report": report, "kind": kind, "query": request.GET.urlencode()},
    )


# ---- tasks and progress


@login_required
def task_list_view(request):
    """The user's own tasks: where a partner agency lands."""
    _require_view(request.user)
    tasks = selectors.task_list_columns(access.tasks_for_user(request.user)).order_by(
        "status", "deadline_on", "id"
    )
    status = request.GET.get("status", "")
    if status in TaskStatus.values:
        tasks = tasks.filter(status=status)
    return render(
        request,
        "programmes/task_list.html",
        {
            "tasks": tasks[:300],
            "today": timezone.localdate(),
            "statuses": TaskStatus,
            "status": status,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_detail_view(request, pk: int):
    task = access.task_get_for_user(request.user, pk)
    can_report = access.can_report(request.user, task)
    can_manage = access.can_manage_plan(request.user, task.plan)
    form = None
    if can_report and report_choices(task.status):
        periods = selectors.open_periods(user=request.user, plan=task.plan)
        today = timezone.localdate()
        # The open period under way today comes first in the choice; a quarter before a year.
        current = (
            periods.filter(starts_on__lte=today, ends_on__gte=today).order_by("ends_on").first()
        )
        form = forms.ProgressForm(
            request.POST or None,
            request.FILES or None,
            periods=periods,
            status_choices=report_choices(task.status),
            initial={
                "idempotency_key": secrets.token_hex(16),
                "status": task.status,
                "percent": task.percent,
                "period": current.pk if current else None,
            },
        )
    status_form = None
    if can_manage:
        moves = [
            (to, TaskStatus(to).label)
            for to, needed in TASK_TRANSITIONS.get(task.status, {}).items()
            if needed == Action.PLAN_MANAGE
        ]
        if moves:
            status_form = forms.TaskStatusForm(status_choices=moves)
    if request.method == "POST":
        access.require(form is not None)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.progress_report(
                    actor=request.user,
                    task=task,
                    period=data["period"],
                    status=data["status"],
                    percent=data["percent"],
                    done_text=data["done_text"],
                    figures=form.figures(),
                    files=data["files"],
                    idempotency_key=data["idempotency_key"] or "",
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Đã gửi báo cáo tiến độ."))
                return redirect("programmes:task_detail", task.pk)
    return render(
        request,
        "programmes/task_detail.html",
        {
            "task": task,
            "reports": selectors.task_reports(task=task),
            "history": selectors.task_history(task=task),
            "form": form,
            "status_form": status_form,
            "can_report": can_report,
            "can_manage": can_manage,
            "today": timezone.localdate(),
            "budget_lines": task.budget_lines.all() if access.can_see_budget(request.user) else [],
        },
    )


@login_required
@require_POST
def task_status_view(request, pk: int):
    task = access.task_get_for_user(request.user, pk)
    access.require(access.can_manage_plan(request.user, task.plan))
    try:
        services.task_set_status(
            actor=request.user,
            task=task,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã chuyển tình trạng nhiệm vụ."))
    return redirect("programmes:task_detail", task.pk)


@login_required
def evidence_view(request, pk: int):
    try:
        evidence = Evidence.objects.select_related("report").get(pk=pk)
    except Evidence.DoesNotExist as exc:
        raise Http404 from exc
    access.task_get_for_user(request.user, evidence.report.task_id)
    audit_record(actor=request.user, action="view", obj=evidence)
    return _file_response(
        evidence.file, content_type=evidence.content_type, name=evidence.original_name
    )


# ---- periods


@login_required
@require_http_methods(["GET", "POST"])
def period_list_view(request):
    _require_view(request.user)
    can_close = access.can_close_period(request.user)
    form = forms.PeriodForm(request.POST or None) if can_close else None
    if request.method == "POST":
        access.require(can_close)
        if form.is_valid():
            try:
                services.period_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Đã mở kỳ báo cáo."))
                return redirect("programmes:periods")
    return render(
        request,
        "programmes/periods.html",
        {"periods": selectors.periods(user=request.user), "form": form, "can_close": can_close},
    )


@login_required
@require_POST
def period_close_view(request, pk: int):
    access.require(access.can_close_period(request.user))
    try:
        period = selectors.periods(user=request.user).get(pk=pk)
    except ReportingPeriod.DoesNotExist as exc:
        raise Http404 from exc
    services.period_close(actor=request.user, period=period)
    messages.success(request, _("Đã khóa sổ kỳ %(p)s.") % {"p": period.label})
    return redirect("programmes:periods")


# ---- budget


@login_required
def budget_view(request):
    access.require(access.can_see_budget(request.user))
    today = timezone.localdate()
    year = _year(request, today.year)
    rollup = selectors.budget_rollup(user=request.user, year=year)
    per_child_total, per_child = selectors.budget_per_child(
        user=request.user, year=year, on=today, rollup=rollup
    )
    return render(
        request,
        "programmes/budget.html",
        {
            "rollup": rollup,
            "year": year,
            "years": range(today.year - 10, today.year + 2),
            "per_child_total": per_child_total,
            "per_child": per_child,
            "lines": selectors.budget_lines(user=request.user, year=year)
            .select_related("plan", "task")
            .order_by("source", "id")[:300],
            # What other apps estimate for the year (assistance: the monthly allowances).
            "estimates": linked_estimates.rows_for_user(request.user, year),
        },
    )


@login_required
def budget_export_view(request):
    access.require(access.can_see_budget(request.user))
    year = _year(request, timezone.localdate().year)
    lines = selectors.budget_lines(user=request.user, year=year)
    content = exports.budget_xlsx(
        lines,
        title=_("TỔNG HỢP KINH PHÍ THỰC HIỆN KẾ HOẠCH NĂM %(y)s") % {"y": year},
        province=Province.objects.filter(code=access.province_code(request.user)).first(),
    )
    audit_record(
        actor=request.user,
        action="export",
        object_type="programmes.budgetline",
        details={"year": year},
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="kinh-phi-{year}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def budget_line_create_view(request, pk: int):
    plan = access.plan_get_for_user(request.user, pk)
    access.require(access.can_manage_budget(request.user, plan))
    form = forms.BudgetLineForm(
        request.POST or None,
        tasks=plan.tasks.all(),
        initial={"year": min(max(timezone.localdate().year, plan.year_from), plan.year_to)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_create(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã thêm dòng kinh phí."))
            return redirect("programmes:plan_detail", plan.pk)
    return render(
        request,
        "programmes/form_page.html",
        {"form": form, "title": _("Thêm dòng kinh phí"), "subtitle": str(plan), "back": plan},
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_line_view(request, pk: int):
    line = access.budget_line_get_for_user(request.user, pk)
    can_manage = access.can_manage_budget(request.user, line.plan)
    form = None
    if can_manage:
        form = forms.BudgetChangeForm(
            request.POST or None,
            initial={
                "version": line.version,
                "estimate": line.estimate,
                "allocated": line.allocated,
                "spent": line.spent,
            },
        )
    if request.method == "POST":
        access.require(can_manage)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.budget_line_change(
                    actor=request.user,
                    line=line,
                    expected_version=data.pop("version"),
                    **data,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Đã lưu thay đổi kinh phí."))
                return redirect("programmes:budget_line", line.pk)
    return render(
        request,
        "programmes/budget_line.html",
        {"line": line, "changes": line.changes.select_related("actor"), "form": form},
    )


# ---- communication


@login_required
def communication_view(request):
    _require_view(request.user)
    year = _year(request, timezone.localdate().year)
    rollup = selectors.comm_rollup(user=request.user, year=year)
    acts = list(
        selectors.activities(user=request.user, year=year).select_related(
            "commune", "organiser", "campaign"
        )[:300]
    )
    articles = selectors.article_figures([a.article_id for a in acts if a.article_id])
    for a in acts:
        a.article = articles.get(a.article_id)
    return render(
        request,
        "programmes/communication.html",
        {
            "rollup": rollup,
            "year": year,
            "years": range(timezone.localdate().year - 10, timezone.localdate().year + 2),
            "activities": acts,
            "campaigns": access.campaigns_for_user(request.user).filter(year=year),
            "can_manage": can(request.user, Action.COMMUNICATION_MANAGE)
            and not access.is_partner(request.user),
            "can_campaign": access.can_manage_communication(request.user, commune_code=None),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create_view(request):
    access.require(access.can_manage_communication(request.user, commune_code=None))
    today = timezone.localdate()
    form = forms.CampaignForm(
        request.POST or None,
        initial={
            "kind": Campaign.Kind.ACTION_MONTH,
            "year": today.year,
            "starts_on": date(today.year, 6, 1),
            "ends_on": date(today.year, 6, 30),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("programmes:campaign_detail", campaign.pk)
    return render(
        request, "programmes/form_page.html", {"form": form, "title": _("Thêm chiến dịch")}
    )


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def campaign_detail_view(request, pk: int, fmt: str = "html"):
    """The campaign's summary report (for the Action Month, the report the province sends up),
    on the page and as Word and Excel files built from the same figures."""
    campaign = access.campaign_get_for_user(request.user, pk)
    rollup = selectors.comm_rollup(user=request.user, campaign=campaign)
    acts = list(
        selectors.activities(user=request.user, campaign=campaign)
        .select_related("commune", "organiser")
        .order_by("held_on", "id")
    )
    if fmt in ("docx", "xlsx"):
        audit_record(actor=request.user, action="export", obj=campaign, details={"format": fmt})
        if fmt == "docx":
            content, ctype = exports.campaign_report_docx(campaign, rollup, acts), DOCX
        else:
            content, ctype = exports.campaign_report_xlsx(campaign, rollup, acts), XLSX
        response = HttpResponse(content, content_type=ctype)
        name = f"bao-cao-chien-dich-{campaign.year}-{campaign.pk}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response
    acts.reverse()  # the page lists the latest first
    articles = selectors.article_figures([a.article_id for a in acts if a.article_id])
    for a in acts:
        a.article = articles.get(a.article_id)
    return render(
        request,
        "programmes/campaign_detail.html",
        {"campaign": campaign, "rollup": rollup, "activities": acts},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create_view(request):
    access.require(
        can(request.user, Action.COMMUNICATION_MANAGE) and not access.is_partner(request.user)
    )
    province = access.province_code(request.user)
    form = forms.ActivityForm(
        request.POST or None,
        request.FILES or None,
        province_code=province,
        communes=_communes_for(request.user),
        campaigns=access.campaigns_for_user(request.user),
        lines=access.budget_lines_for_user(request.user).filter(activity="communication"),
        initial={"campaign": request.GET.get("campaign")},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["materials_count"] = data.get("materials_count") or 0
        try:
            activity = services.activity_create(actor=request.user, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã ghi hoạt động truyền thông."))
            if activity.campaign_id:
                return redirect("programmes:campaign_detail", activity.campaign_id)
            return redirect("programmes:communication")
    return render(
        request,
        "programmes/form_page.html",
        {"form": form, "title": _("Ghi hoạt động truyền thông"), "multipart": True},
    )


@login_required
def photo_view(request, pk: int):
    try:
        photo = ActivityPhoto.objects.get(pk=pk)
    except ActivityPhoto.DoesNotExist as exc:
        raise Http404 from exc
    access.activity_get_for_user(request.user, photo.activity_id)
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
