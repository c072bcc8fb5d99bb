"""Catalogue, targets and imports (province specialists)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treem.indicators import access, hooks, importers, rollup, services, xlsx
from treem.indicators.models import ImportBatch, Indicator, Target


@login_required
def catalogue(request):
    if not access.can_view(request.user):
        raise PermissionDenied
    return render(
        request,
        "indicators/catalogue.html",
        {
            "indicators": Indicator.objects.all(),
            "can_manage": access.can_manage(request.user),
            "targets": Target.objects.select_related("indicator").order_by(
                "indicator__order", "year"
            ),
            "batches": ImportBatch.objects.all()[:10] if access.can_manage(request.user) else [],
            "home": access.home_unit(request.user),
            "units": access.units_for_user(request.user),
            # Plans another app holds (programmes), to name the one that set a target.
            "plans": hooks.plans_for_units([u for u, _n in access.units_for_user(request.user)])
            if access.can_manage(request.user)
            else [],
        },
    )


def _require_manage(user):
    if not access.can_manage(user):
        raise PermissionDenied


@login_required
@require_POST
def catalogue_import(request):
    _require_manage(request.user)
    return _run_import(request, kind="catalogue")


@login_required
@require_POST
def values_import(request):
    _require_manage(request.user)
    return _run_import(request, kind="values")


def _run_import(request, *, kind: str):
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Chọn tệp .csv hoặc .xlsx để tải lên."))
        return redirect("indicators:catalogue")
    content = upload.read()
    try:
        if kind == "catalogue":
            result = importers.import_catalogue(
                actor=request.user, content=content, filename=upload.name
            )
        else:
            mapping = request.POST.get("map") or None
            if mapping not in (None, "legacy", "current"):
                mapping = None
            result = importers.import_values(
                actor=request.user, content=content, filename=upload.name, mapping=mapping
            )
    except importers.WrongTemplate as exc:
        messages.error(request, str(exc))
        return redirect("indicators:catalogue")
    messages.success(
        request,
        _("Đã nhập %(i)s, cập nhật %(u)s, từ chối %(r)s dòng (không đổi %(s)s).")
        % {
            "i": result.imported,
            "u": result.updated,
            "r": len(result.rejected),
            "s": result.unchanged,
        },
    )
    return redirect("indicators:import_detail", pk=result.batch_id)


@login_required
def import_detail(request, pk: int):
    batch = get_object_or_404(ImportBatch, pk=pk)
    # The specialist sees every import; whoever uploaded a file sees its own result.
    if batch.created_by_id != request.user.pk:
        _require_manage(request.user)
    if request.GET.get("format") == "xlsx":
        rows = [
            [r["sheet"], r["row"], r["cell"], r["message"], *r["values"]]
            for r in batch.rejected_rows
        ]
        content = xlsx.tables_workbook(
            [
                (
                    _("Dòng bị từ chối"),
                    [_("Trang tính"), _("Dòng"), _("Ô"), _("Lý do"), _("Dữ liệu của dòng")],
                    rows,
                )
            ]
        )
        response = HttpResponse(content, content_type=xlsx.XLSX)
        response["Content-Disposition"] = f'attachment; filename="tu-choi-{batch.pk}.xlsx"'
        return response
    return render(
        request,
        "indicators/import_detail.html",
        {"batch": batch, "back_to_cf": batch.kind == ImportBatch.Kind.CHILD_FRIENDLY},
    )


@login_required
@require_POST
def target_save(request):
    _require_manage(request.user)
    indicator = get_object_or_404(Indicator, code=request.POST.get("indicator", ""))
    unit = request.POST.get("unit", "").strip()
    try:
        year = int(request.POST.get("year", ""))
        value = Decimal(request.POST.get("value", "").replace(",", "."))
    except (ValueError, InvalidOperation):
        messages.error(request, _("Năm và giá trị chỉ tiêu phải là số."))
        return redirect("indicators:catalogue")
    if unit != "VN" and not access.covers_unit(request.user, unit):
        messages.error(request, _("Đơn vị không thuộc phạm vi của bạn."))
        return redirect("indicators:catalogue")
    source, url = request.POST.get("source", "").strip(), ""
    plan_key = request.POST.get("plan", "")
    if plan_key:
        # A plan of the unit itself or of its province (a commune target may come from the
        # province's plan); none for a national target.
        ref = None
        if unit != "VN":
            units = {unit, rollup.scope_for(unit).province_code or unit}
            ref = {r.key: r for r in hooks.plans_for_units(sorted(units))}.get(plan_key)
        if ref is None:
            messages.error(
                request,
                _("Kế hoạch đã chọn không thuộc đơn vị này. Chọn lại kế hoạch hoặc để trống."),
            )
            return redirect("indicators:catalogue")
        source, url = ref.label, ref.url
    try:
        services.target_set(
            actor=request.user,
            indicator=indicator,
            unit_code=unit,
            year=year,
            value=value,
            source_label=source or _("Kế hoạch của tỉnh"),
            url=url,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã lưu chỉ tiêu kế hoạch."))
    return redirect("indicators:catalogue")
