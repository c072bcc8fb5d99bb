"""Assistance pages: thin views that parse a form, call a service or selector, and render."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from treem.assistance import (
    access,
    exports,
    forms,
    payments,
    rules,
    selectors,
    services,
    workflow,
)
from treem.assistance.calculator import calculate, write_months
from treem.assistance.models import (
    BeneficiaryGroup,
    DocumentKind,
    Dossier,
    PaymentLine,
    PaymentList,
    PaymentRun,
    Policy,
    Setting,
    StandardAmount,
)
from treem.audit.services import audit_record
from treem.core.forms import apply_validation_error
from treem.core.parsing import parse_id, parse_version
from treem.geo.models import Commune
from treem.lib.allowance import Month
from treem.registry.access import child_get_for_user


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _require_any(user) -> None:
    if not (access.can(user, access.Action.ASSISTANCE_VIEW) or access.can_view_aggregates(user)):
        raise PermissionDenied


def _user_commune(user) -> str | None:
    codes = user.jurisdiction.commune_codes
    return next(iter(codes)) if len(codes) == 1 else None


def _province_code(user) -> str:
    return user.jurisdiction.province_code or settings.TREEM_PROVINCE_CODE


@login_required
def index_view(request):
    user = request.user
    _require_any(user)
    if not access.can(user, access.Action.ASSISTANCE_VIEW):
        return redirect("assistance:province")
    today = timezone.localdate()
    dossiers = access.dossiers_for_user(user).select_related("child", "commune")
    open_dossiers = dossiers.exclude(status__in=[Dossier.Status.DECIDED, Dossier.Status.REFUSED])
    todo = [
        (d, [str(workflow.ACTION_LABELS[a]) for a in workflow.allowed_actions(user, d)])
        for d in open_dossiers.order_by("applied_on", "id")[:50]
    ]
    lists = access.payment_lists_for_user(user).select_related("commune")[:12]
    recipients = access.recipients_for_user(user).filter(ended_on__isnull=True).count()
    upcoming = selectors.upcoming_changes(
        user=user, commune_code=_user_commune(user), month=Month.of(today)
    )
    audit_record(
        actor=user, action="view", object_type="assistance.overview", details={"n": len(todo)}
    )
    return render(
        request,
        "assistance/index.html",
        {
            "todo": todo,
            "lists": lists,
            "recipients": recipients,
            "upcoming": upcoming,
            "can_prepare": _user_commune(user) and access.can_prepare(user, _user_commune(user)),
            "prepare_form": forms.PrepareForm(initial={"month": today.replace(day=1)}),
            "decided": dossiers.filter(status=Dossier.Status.DECIDED).order_by("-decided_on")[:20],
        },
    )


@login_required
def scan_view(request):
    user = request.user
    if not access.can(user, access.Action.ASSISTANCE_VIEW):
        raise PermissionDenied
    commune = request.GET.get("commune") or _user_commune(user)
    today = timezone.localdate()
    candidates = selectors.entitlement_scan(user=user, commune_code=commune, today=today)
    upcoming = selectors.upcoming_changes(user=user, commune_code=commune, month=Month.of(today))
    audit_record(
        actor=user,
        action="search",
        object_type="assistance.scan",
        details={"commune": commune or ""},
    )
    shown = candidates[:500]
    names = dict(
        Commune.objects.filter(code__in={c.commune_code for c in shown}).values_list("code", "name")
    )
    # The next action per child, decided by the one door: a worker of the child's commune starts
    # the dossier; anyone else is told which commune must.
    may_prepare = {code: access.can_prepare(user, code) for code in names}
    communes = (
        list(
            Commune.objects.filter(province_id=user.jurisdiction.province_code)
            .order_by("name_folded")
            .values_list("code", "name")
        )
        if not user.jurisdiction.commune_codes and user.jurisdiction.province_code
        else []
    )
    return render(
        request,
        "assistance/scan.html",
        {
            "candidates": [
                (c, names.get(c.commune_code, ""), may_prepare.get(c.commune_code, False))
                for c in shown
            ],
            "candidate_count": len(candidates),
            "upcoming": upcoming,
            "month": today,
            "communes": communes,
            "commune": commune or "",
            "show_commune": not user.jurisdiction.commune_codes
            or len(user.jurisdiction.commune_codes) > 1,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def dossier_new_view(request):
    user = request.user
    try:
        child = child_get_for_user(
            user=user, pk=int(request.GET.get("child") or request.POST.get("child") or 0)
        )
    except (ValueError, PermissionDenied):
        raise Http404 from None
    access.require_prepare(user, child.commune_id)
    if request.method == "POST":
        form = forms.DossierForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                dossier = services.dossier_create(
                    actor=user,
                    child=child,
                    applicant_name=d["applicant_name"],
                    applicant_relation=d["applicant_relation"],
                    applied_on=d["applied_on"],
                    bases=[{"basis": b, "basis_from": d["basis_from"]} for b in d["basis"]],
                    studying_until=d["studying_until"],
                    payment_channel=d["payment_channel"],
                    bank_name=d["bank_name"],
                    account_number=d["account_number"],
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("Đã lập hồ sơ. Hãy đính kèm các giấy tờ còn thiếu."))
                return redirect("assistance:dossier_detail", dossier.pk)
        else:
            _form_errors(request, form)
    else:
        form = forms.DossierForm(initial={"child": child.pk, "applied_on": timezone.localdate()})
    return render(request, "assistance/dossier_new.html", {"form": form, "child": child})


@login_required
def dossier_detail_view(request, pk: int):
    user = request.user
    dossier = access.dossier_get_for_user(user, pk)
    actions = workflow.allowed_actions(user, dossier)
    v = {"version": dossier.version}
    action_forms = {
        "review": forms.ReviewForm(initial=v | {"reviewed_on": timezone.localdate()}),
        "post": forms.PostForm(initial=v | {"posted_on": timezone.localdate()}),
        "decide": forms.DecideForm(initial=v | {"decided_on": timezone.localdate()}),
        "refuse": forms.RefuseForm(initial=v),
    }
    present = {doc.kind for doc in dossier.documents.all()}
    required = [
        (str(DocumentKind(k).label), k in present) for k in services.required_documents(dossier)
    ]
    recipient = (
        getattr(dossier, "recipient", None) if dossier.status == Dossier.Status.DECIDED else None
    )
    steps = [
        (
            str(Dossier.Status(s).label),
            workflow.STEPS.index(s) < workflow.STEPS.index(dossier.status)
            if dossier.status in workflow.STEPS
            else False,
            s == dossier.status,
        )
        for s in workflow.STEPS
    ]
    return render(
        request,
        "assistance/dossier_detail.html",
        {
            "dossier": dossier,
            "steps": steps,
            "actions": [(a, workflow.ACTION_LABELS[a], action_forms[a]) for a in actions],
            "can_upload": access.can_prepare(user, dossier.commune_id)
            and dossier.status in (Dossier.Status.DRAFT, Dossier.Status.REVIEWED),
            "document_form": forms.DocumentForm(),
            "required": required,
            "missing": any(not ok for _label, ok in required),
            "recipient": recipient,
            "end_form": forms.EndForm(),
            "can_end": recipient is not None
            and recipient.ended_on is None
            and access.can_prepare(user, dossier.commune_id),
            "labels": workflow.ACTION_LABELS,
        },
    )


@login_required
@require_POST
def dossier_document_view(request, pk: int):
    dossier = access.dossier_get_for_user(request.user, pk)
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(
                actor=request.user,
                dossier=dossier,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã đính kèm giấy tờ."))
    else:
        _form_errors(request, form)
    return redirect("assistance:dossier_detail", dossier.pk)


_ACTION_FORMS = {
    "review": forms.ReviewForm,
    "post": forms.PostForm,
    "decide": forms.DecideForm,
    "refuse": forms.RefuseForm,
}


@login_required
@require_POST
def dossier_action_view(request, pk: int, action: str):
    user = request.user
    dossier = access.dossier_get_for_user(user, pk)
    if action not in _ACTION_FORMS:
        raise Http404
    if not workflow.can_do(user, dossier, action):
        raise PermissionDenied
    form = _ACTION_FORMS[action](request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("assistance:dossier_detail", dossier.pk)
    d = form.cleaned_data
    try:
        if action == "review":
            services.dossier_review(
                actor=user,
                dossier=dossier,
                expected_version=d["version"],
                reviewed_on=d["reviewed_on"],
                review_note=d["review_note"],
                minutes=d["minutes"],
            )
        elif action == "post":
            services.dossier_post(
                actor=user, dossier=dossier, expected_version=d["version"], posted_on=d["posted_on"]
            )
        elif action == "decide":
            services.dossier_decide(
                actor=user,
                dossier=dossier,
                expected_version=d["version"],
                decision_number=d["decision_number"],
                decided_on=d["decided_on"],
                signer=d["signer"],
                from_month=d["from_month"],
            )
        else:
            services.dossier_refuse(
                actor=user, dossier=dossier, expected_version=d["version"], reason=d["reason"]
            )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã ghi: %(step)s.") % {"step": workflow.ACTION_LABELS[action]})
    return redirect("assistance:dossier_detail", dossier.pk)


@login_required
@require_POST
def recipient_end_view(request, pk: int):
    recipient = access.recipient_get_for_user(request.user, pk)
    form = forms.EndForm(request.POST)
    if form.is_valid():
        try:
            services.recipient_end(
                actor=request.user,
                recipient=recipient,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã ghi thôi hưởng. Danh sách tháng sau sẽ tính lại."))
    else:
        _form_errors(request, form)
    return redirect("assistance:dossier_detail", recipient.dossier_id)


@login_required
@require_POST
def payment_list_prepare_view(request):
    user = request.user
    commune = request.POST.get("commune") or _user_commune(user)
    if not commune:
        raise Http404
    form = forms.PrepareForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("assistance:index")
    try:
        payment_list = services.payment_list_prepare(
            actor=user, commune_code=commune, month=form.cleaned_data["month"]
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("assistance:index")
    messages.success(
        request, _("Đã lập danh sách chi trả. Hãy kiểm tra rồi trình Chủ tịch UBND xã.")
    )
    return redirect("assistance:payment_list", payment_list.pk)


@login_required
@require_http_methods(["GET", "POST"])
def payment_runs_view(request):
    """The province specialist queues every commune's draft list of a month and follows it."""
    user = request.user
    if not access.can_run_province_lists(user):
        raise PermissionDenied
    form = forms.RunForm(initial={"month": timezone.localdate().replace(day=1)})
    if request.method == "POST":
        form = forms.RunForm(request.POST)
        if form.is_valid():
            run, new = payments.payment_run_start(actor=user, month=form.cleaned_data["month"])
            if new:
                messages.success(
                    request,
                    _(
                        "Đã bắt đầu lập danh sách tháng %(m)s cho mọi xã. Trang này cho biết tiến "
                        "độ; cán bộ xã kiểm tra danh sách của xã mình khi xong."
                    )
                    % {"m": run.month.strftime("%m/%Y")},
                )
            else:
                messages.info(
                    request,
                    _("Danh sách tháng %(m)s đang được lập: không cần bắt đầu lại.")
                    % {"m": run.month.strftime("%m/%Y")},
                )
            return redirect("assistance:payment_runs")
    runs = list(
        PaymentRun.objects.filter(province_id=user.jurisdiction.province_code).select_related(
            "requested_by"
        )[:12]
    )
    names = dict(
        Commune.objects.filter(
            code__in={item["commune"] for run in runs for item in run.refused}
        ).values_list("code", "name")
    )
    for run in runs:
        run.refused_named = [(names.get(i["commune"], ""), i["reason"]) for i in run.refused]
    return render(
        request,
        "assistance/payment_runs.html",
        {
            "form": form,
            "runs": runs,
            "active": any(
                r.status in (PaymentRun.Status.QUEUED, PaymentRun.Status.RUNNING) for r in runs
            ),
        },
    )


@login_required
def payment_list_view(request, pk: int):
    user = request.user
    payment_list = access.payment_list_get_for_user(user, pk)
    lines = list(exports.list_lines(payment_list))
    groups = []
    for value, label in PaymentLine._meta.get_field("channel").choices:
        rows = [line for line in lines if line.channel == value]
        if rows:
            groups.append((label, rows, sum(x.total for x in rows)))
    approved = payment_list.status == PaymentList.Status.APPROVED
    return render(
        request,
        "assistance/payment_list.html",
        {
            "pl": payment_list,
            "groups": groups,
            "recoveries": list(exports.recovery_lines(payment_list)),
            "changes": selectors.changes_report(payment_list),
            "can_approve": not approved and access.can_decide(user, payment_list.commune_id),
            "can_prepare": not approved and access.can_prepare(user, payment_list.commune_id),
            "can_mark": approved and access.can_prepare(user, payment_list.commune_id),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def payment_list_approve_view(request, pk: int):
    payment_list = access.payment_list_get_for_user(request.user, pk)
    access.require_decide(request.user, payment_list.commune_id)  # refused before any parsing
    try:
        services.payment_list_approve(
            actor=request.user,
            payment_list=payment_list,
            expected_version=parse_version(request.POST.get("version")),
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã phê duyệt. Danh sách đã khoá."))
    return redirect("assistance:payment_list", payment_list.pk)


@login_required
@require_POST
def payment_mark_view(request, pk: int, line_pk: int):
    payment_list = access.payment_list_get_for_user(request.user, pk)
    line = payment_list.lines.filter(pk=line_pk).first()
    if line is None:
        raise Http404
    form = forms.MarkForm(request.POST)
    if form.is_valid():
        try:
            services.payment_mark(
                actor=request.user,
                line=line,
                paid=form.cleaned_data["paid"],
                paid_on=form.cleaned_data["paid_on"],
            )
        except ValidationError as exc:
            _errors(request, exc)
    else:
        _form_errors(request, form)
    return redirect("assistance:payment_list", payment_list.pk)


@login_required
@require_http_methods(["GET", "POST"])
def payment_deduction_view(request, pk: int, line_pk: int):
    """Enter, change or remove the deduction of one line of a draft list (commune worker)."""
    user = request.user
    payment_list = access.payment_list_get_for_user(user, pk)
    line = (
        payment_list.lines.filter(kind=PaymentLine.Kind.PAYMENT, pk=line_pk)
        .select_related("recipient__child")
        .first()
    )
    if line is None:
        raise Http404
    if not access.can_prepare(user, payment_list.commune_id):
        raise PermissionDenied
    line.payment_list = payment_list
    deduction = payments.deduction_for_line(line)
    locked = payment_list.status != PaymentList.Status.DRAFT
    initial = (
        {
            "version": deduction.version,
            "kind": deduction.kind,
            "amount": deduction.amount,
            "reason": deduction.reason,
        }
        if deduction
        else {}
    )
    form = forms.DeductionForm(initial=initial)
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                services.deduction_remove(
                    actor=user,
                    line=line,
                    expected_version=parse_id(request.POST.get("version"), name="version") or 0,
                )
                messages.success(request, _("Đã xoá khoản khấu trừ: người hưởng nhận đủ số tiền."))
                return redirect("assistance:payment_list", payment_list.pk)
            form = forms.DeductionForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                services.deduction_set(
                    actor=user,
                    line=line,
                    kind=d["kind"],
                    amount=d["amount"],
                    reason=d["reason"],
                    expected_version=d["version"],
                )
                messages.success(
                    request, _("Đã ghi khoản khấu trừ. Danh sách đã tính lại số thực nhận.")
                )
                return redirect("assistance:payment_list", payment_list.pk)
        except ValidationError as exc:
            apply_validation_error(form, exc)
    recoveries = list(
        PaymentLine.objects.filter(
            recipient_id=line.recipient_id,
            kind=PaymentLine.Kind.RECOVERY,
            payment_list__month__lte=payment_list.month,
        )
        .select_related("payment_list")
        .order_by("payment_list__month")
    )
    return render(
        request,
        "assistance/deduction.html",
        {
            "pl": payment_list,
            "line": line,
            "deduction": deduction,
            "form": form,
            "locked": locked,
            "recoveries": recoveries,
            "outstanding": payments.recovery_outstanding(
                line.recipient_id,
                payment_list.month,
                excluding=deduction.pk if deduction else None,
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def payment_list_export_view(request, pk: int, fmt: str):
    payment_list = access.payment_list_get_for_user(request.user, pk)
    name = f"danh-sach-chi-tra-{payment_list.commune_id}-{payment_list.month:%Y-%m}"
    audit_record(actor=request.user, action="export", obj=payment_list, details={"format": fmt})
    if fmt == "xlsx":
        return HttpResponse(
            exports.payment_list_xlsx(payment_list),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    if fmt == "pdf":
        return HttpResponse(
            exports.payment_list_pdf(payment_list),
            content_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
        )
    raise Http404


@login_required
def province_view(request):
    user = request.user
    _require_any(user)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2021), today.year + 1)
    figures = selectors.province_figures(user=user, year=year)
    budget = selectors.budget_estimate(user=user, year=today.year + 1)
    return render(
        request,
        "assistance/province.html",
        {"figures": figures, "year": year, "budget": budget, "next_year": today.year + 1},
    )


@login_required
@require_http_methods(["GET", "POST"])
def calculator_view(request):
    user = request.user
    if not access.can_calculate(user):
        raise PermissionDenied
    result = None
    form = forms.CalculatorForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read(2_000_000)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            messages.error(request, _("Tệp phải là CSV mã UTF-8."))
        else:
            result = calculate(text, rules.load_rules(province_code=_province_code(user)))
            if request.POST.get("download") and result.months:
                out = io.StringIO()
                write_months(result, out)
                return HttpResponse(
                    out.getvalue(),
                    content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="months.csv"'},
                )
    return render(request, "assistance/calculator.html", {"form": form, "result": result})


@login_required
@require_http_methods(["GET", "POST"])
def rules_view(request):
    user = request.user
    _require_any(user)
    form = forms.StandardAmountForm(request.POST or None)
    if request.method == "POST":
        access.require_rules(user)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.standard_amount_add(
                    actor=user,
                    province_code=_province_code(user) if d["scope"] == "province" else None,
                    amount=d["amount"],
                    effective_from=d["effective_from"],
                    legal_basis=d["legal_basis"],
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("Đã thêm mức chuẩn."))
                return redirect("assistance:rules")
    return render(
        request,
        "assistance/rules.html",
        {
            "policies": Policy.objects.all(),
            "groups": BeneficiaryGroup.objects.prefetch_related("bands"),
            "amounts": StandardAmount.objects.select_related("province"),
            "settings_rows": Setting.objects.all(),
            "form": form,
            "can_manage": access.can_manage_rules(user),
        },
    )


@require_http_methods(["GET", "POST"])
def track_view(request):
    """Public: the applicant follows the dossier with its code. Shows the steps and dates only,
    never a name, a decision number or a reason."""
    form = forms.TrackForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip().upper()
        found = Dossier.objects.filter(tracking_code=code).first()
        if found is None:
            messages.error(
                request,
                _("Không tìm thấy hồ sơ với mã này. Hãy kiểm tra lại mã trên giấy biên nhận."),
            )
    events = []
    if found is not None:
        events = [
            (e.at, str(workflow.ACTION_LABELS.get(e.action, "")))
            for e in found.events.exclude(action="document").order_by("at")
        ]
    return render(
        request, "assistance/track.html", {"form": form, "found": found, "events": events}
    )
