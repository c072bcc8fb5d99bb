"""Child-friendly communes (Decision 06/QĐ-TTg): self-evaluation by the commune, review and
recognition by the province, and the share of communes meeting the standard against 65% (2025) and
75% (2030)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treem.accounts.policy import Action, can
from treem.core.parsing import parse_id
from treem.geo.models import Commune
from treem.indicators import access, importers, rollup, services
from treem.indicators.child_friendly import auto_scores
from treem.indicators.figures import fmt
from treem.indicators.models import (
    ChildFriendlyCriterion,
    ChildFriendlyEvaluation,
    CommuneKind,
    Indicator,
    Unit,
)


def _year(request) -> int:
    try:
        return int(
            request.GET.get("year") or request.POST.get("year") or timezone.localdate().year - 1
        )
    except ValueError:
        return timezone.localdate().year - 1


@login_required
def child_friendly(request):
    if not access.can_view(request.user):
        raise PermissionDenied
    year = _year(request)
    communes = access.communes_for_user(request.user)
    evaluations = list(
        ChildFriendlyEvaluation.objects.filter(commune__in=communes, year=year)
        .select_related("commune")
        .prefetch_related("scores")
        .order_by("commune__name_folded")
    )
    rows = [(ev, services.child_friendly_result(ev)) for ev in evaluations]
    unit = access.home_unit(request.user)
    share = target = None
    ind = Indicator.objects.filter(code="CF_DAT_CHUAN").first()
    if ind and unit:
        scope = rollup.scope_for(unit)
        fig = rollup.total(ind, scope, [year])
        share = fig.value(ind.unit)
        targets = rollup.targets(ind, scope, [2025, 2030])
        target = [(y, targets[y]) for y in (2025, 2030) if y in targets]
    enter = [
        c for c in communes.order_by("name_folded") if access.can_evaluate(request.user, c.code)
    ]
    return render(
        request,
        "indicators/child_friendly.html",
        {
            "year": year,
            "rows": rows,
            "share": share,
            "targets": target,
            "communes_count": communes.count(),
            "enter_communes": enter,
            "kinds": CommuneKind.choices,
        },
    )


def _figure_text(indicator: Indicator, value) -> str:
    """The reference figure as a Vietnamese reader expects it: 97,5% / 12,30‰ / 1.234."""
    shown = fmt(value, indicator.unit)
    if indicator.unit == Unit.PERCENT:
        return f"{shown}%"
    if indicator.unit == Unit.PER_1000:
        return f"{shown}‰"
    return shown


@login_required
def evaluation(request, commune: str):
    access.unit_get_for_user(request.user, commune)
    year = _year(request)
    c = Commune.objects.get(code=commune)
    ev = ChildFriendlyEvaluation.objects.filter(commune=c, year=year).first()
    criteria = list(ChildFriendlyCriterion.objects.select_related("indicator"))
    auto = auto_scores(commune, year, criteria)
    can_score = access.can_evaluate(request.user, commune)
    if request.method == "POST":
        if not can_score:
            raise PermissionDenied
        points, met, reasons = {}, {}, {}
        errors = {}
        for cr in criteria:
            raw = request.POST.get(f"c{cr.number}", "").strip()
            try:
                points[cr.number] = int(raw)
            except ValueError:
                errors[cr.number] = _("Nhập số điểm (số nguyên).")
                continue
            met[cr.number] = request.POST.get(f"m{cr.number}") == "1"
            reasons[cr.number] = request.POST.get(f"r{cr.number}", "")
        if errors:
            messages.error(request, _("Chưa lưu: có tiêu chí chưa nhập điểm hợp lệ."))
        else:
            try:
                services.child_friendly_save(
                    actor=request.user,
                    commune=c,
                    year=year,
                    kind=request.POST.get("kind") or CommuneKind.OTHER,
                    points=points,
                    met=met,
                    reasons=reasons,
                    auto=auto,
                    expected_version=parse_id(request.POST.get("version"), name="version"),
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Đã lưu bản tự đánh giá."))
        return redirect(f"{request.path}?year={year}")
    scores = {s.criterion_id: s for s in ev.scores.all()} if ev else {}
    lines = []
    for cr in criteria:
        a = auto.get(cr.number)
        s = scores.get(cr.id)
        lines.append(
            {
                "criterion": cr,
                "score": s,
                "auto": a,
                # Saved points, else the automatic points, else empty for the evaluator to fill.
                "points": s.points if s else (a.points if a else ""),
                "met": s.met if s else (a.met if a else True),
                "reason": s.override_reason if s else "",
                "figure": _figure_text(cr.indicator, a.value) if a else "",
                "no_figure": bool(cr.indicator_id and cr.auto_rule and a is None),
            }
        )
    moves = []
    if ev:
        for move in services.CF_TRANSITIONS.get(ev.status, {}):
            needed = Action.INDICATOR_ENTER if move == "submit" else Action.INDICATOR_REVIEW
            if can(request.user, needed):
                moves.append(move)
    labels = {
        "submit": _("Gửi tự đánh giá"),
        "review": _("Đã thẩm định"),
        "recognise": _("Công nhận"),
        "refuse": _("Không công nhận"),
    }
    return render(
        request,
        "indicators/evaluation.html",
        {
            "commune": c,
            "year": year,
            "ev": ev,
            "lines": lines,
            "result": services.child_friendly_result(ev) if ev else None,
            "editable": can_score
            and (ev is None or ev.status == ChildFriendlyEvaluation.Status.DRAFT),
            "kinds": CommuneKind.choices,
            "moves": [(m, labels[m]) for m in moves],
        },
    )


@login_required
@require_POST
def evaluation_move(request, commune: str):
    if not access.covers_unit(request.user, commune):
        raise Http404
    year = _year(request)
    ev = ChildFriendlyEvaluation.objects.filter(commune_id=commune, year=year).first()
    if ev is None:
        raise Http404
    date_raw = request.POST.get("decision_date", "")
    try:
        decided = datetime.date.fromisoformat(date_raw) if date_raw else None
    except ValueError:
        decided = None
    try:
        services.child_friendly_transition(
            actor=request.user,
            evaluation=ev,
            move=request.POST.get("move", ""),
            decision_number=request.POST.get("decision_number", "").strip(),
            decision_date=decided,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã cập nhật."))
    return redirect(f"{request.path.rsplit('/', 2)[0]}/?year={year}")


@login_required
@require_POST
def evaluation_import(request):
    """Upload the evaluation sheet (rows per commune × criterion); the result page lists the
    rejected rows and offers them as Excel."""
    if not access.can_view(request.user) or not (
        can(request.user, Action.INDICATOR_ENTER) or access.can_manage(request.user)
    ):
        raise PermissionDenied
    upload = request.FILES.get("file")
    year = _year(request)
    if upload is None:
        messages.error(request, _("Chọn tệp .xlsx hoặc .csv để tải lên."))
        return redirect(f"{reverse('indicators:child_friendly')}?year={year}")
    try:
        result = importers.import_child_friendly(
            actor=request.user, content=upload.read(), filename=upload.name, year=year
        )
    except importers.WrongTemplate as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('indicators:child_friendly')}?year={year}")
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
