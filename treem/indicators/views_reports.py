"""Commune periodic reports: list with completeness, the form generated from the catalogue, the
Excel template, and the workflow buttons (read from `access.REPORT_TRANSITIONS`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treem.core.parsing import InvalidParameter, parse_version
from treem.geo.models import Commune
from treem.indicators import access, forms_spec, selectors, services, xlsx
from treem.indicators.periods import PeriodError, current_period, parse_period


def _labels():
    return {
        "submit": _("Gửi báo cáo"),
        "resubmit": _("Gửi lại"),
        "approve": _("Duyệt"),
        "return": _("Trả lại xã"),
        "reopen": _("Mở lại để sửa"),
    }


@login_required
def report_list(request):
    if not access.can_view(request.user):
        raise PermissionDenied
    default = current_period("year", timezone.localdate()).code
    try:
        period = parse_period(request.GET.get("period") or default).code
    except PeriodError:
        period = default
    rows, summary = selectors.completeness(request.user, period)
    communes = list(access.communes_for_user(request.user).order_by("name_folded"))
    can_enter = [c for c in communes if access.can_enter(request.user, c.code)]
    return render(
        request,
        "indicators/report_list.html",
        {
            "period": period,
            "rows": rows,
            "summary": summary,
            "enter_communes": can_enter,
            "is_reviewer": bool(request.user.jurisdiction.province_code)
            and access.can_view(request.user)
            and not request.user.commune_id,
        },
    )


@login_required
@require_POST
def report_start(request):
    # A role that enters no figures is refused (403) whatever the form holds; a form without a
    # commune is a 400; a commune the user does not cover, or none, is a 404.
    if not access.can_enter_reports(request.user):
        raise PermissionDenied
    code = request.POST.get("commune", "").strip()
    if not code:
        raise InvalidParameter("commune", _("Hãy chọn xã, phường của báo cáo."))
    commune = Commune.objects.filter(code=code).first()
    if commune is None or not access.can_enter(request.user, code):
        raise Http404
    try:
        report = services.report_open(
            actor=request.user, commune=commune, period=request.POST.get("period", "")
        )
    except PeriodError:
        messages.error(
            request,
            _(
                "Kỳ báo cáo không hợp lệ: viết “Năm 2025”, “6 tháng đầu năm 2025”, “Quý 3/2025” "
                "hoặc “Tháng 6/2025”."
            ),
        )
        return redirect("indicators:report_list")
    return redirect("indicators:report_detail", pk=report.pk)


def _blocks(report):
    return forms_spec.blocks_for(services.entered_indicators(report.period_type))


@login_required
def report_detail(request, pk: int):
    report = access.report_get_for_user(request.user, pk)
    blocks = _blocks(report)
    editable = access.can_edit_report(request.user, report)
    data = forms_spec.initial_data(report)
    checked = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        data = request.POST
        upload = request.FILES.get("file")
        if upload is not None:
            try:
                data = xlsx.read_report_template(upload.read())
            except xlsx.TemplateError as exc:
                messages.error(request, str(exc))
                return redirect("indicators:report_detail", pk=report.pk)
        try:
            checked = services.report_save(
                actor=request.user,
                report=report,
                data=data,
                expected_version=parse_version(request.POST.get("version")),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("indicators:report_detail", pk=report.pk)
        if not checked.errors:
            if checked.warnings:
                messages.warning(
                    request,
                    _("Đã lưu. Có %(n)s số liệu thay đổi nhiều so với kỳ trước, hãy kiểm tra.")
                    % {"n": len(checked.warnings)},
                )
            else:
                messages.success(request, _("Đã lưu báo cáo."))
            report.refresh_from_db()
            data = forms_spec.initial_data(report)
        else:
            messages.error(
                request,
                _("Chưa lưu: %(n)s ô chưa hợp lệ. Sửa các ô được đánh dấu rồi lưu lại.")
                % {"n": len(checked.errors)},
            )
    labels = _labels()
    moves = [(m, labels[m]) for m in access.allowed_moves(request.user, report)]
    rows = []
    for block in blocks:
        for i, row in enumerate(block.rows):
            nk, dk = row.key(block.indicator.code, "n"), row.key(block.indicator.code, "d")
            rows.append(
                {
                    "first": i == 0,
                    "indicator": block.indicator,
                    "label": row.label,
                    "nk": nk,
                    "dk": dk,
                    "n": data.get(nk, ""),
                    "d": data.get(dk, ""),
                    "has_den": block.has_denominator,
                    "error": (checked.errors.get(nk) or checked.errors.get(dk)) if checked else "",
                    "warning": checked.warnings.get(nk, "") if checked else "",
                    "span": len(block.rows),
                }
            )
    return render(
        request,
        "indicators/report_detail.html",
        {
            "report": report,
            "rows": rows,
            "editable": editable,
            "moves": moves,
            "events": report.events.select_related("actor"),
            "needs_comment": access.NEEDS_COMMENT,
        },
        status=400 if checked and checked.errors else 200,
    )


@login_required
@require_POST
def report_move(request, pk: int):
    report = access.report_get_for_user(request.user, pk)
    move = request.POST.get("move", "")
    try:
        services.report_transition(
            actor=request.user,
            report=report,
            move=move,
            expected_version=parse_version(request.POST.get("version")),
            comment=request.POST.get("comment", ""),
        )
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã cập nhật trạng thái báo cáo."))
    return redirect("indicators:report_detail", pk=report.pk)


@login_required
def report_template(request, pk: int):
    report = access.report_get_for_user(request.user, pk)
    content = xlsx.report_template(report, _blocks(report), forms_spec.initial_data(report))
    response = HttpResponse(content, content_type=xlsx.XLSX)
    name = f"bao-cao-{report.commune_id}-{report.period}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
