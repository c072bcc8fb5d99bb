"""Writes of the indicators app: commune reports and their workflow, targets, narrative sections,
child-friendly evaluations. Imports live in `importers.py` and call the same helpers."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.audit.services import audit_record
from treem.core.concurrency import save_versioned
from treem.geo.models import Commune
from treem.indicators import access, forms_spec
from treem.indicators.models import (
    ChildFriendlyCriterion,
    ChildFriendlyEvaluation,
    ChildFriendlyScore,
    ChildFriendlyThreshold,
    CommuneKind,
    CommuneReport,
    Indicator,
    IndicatorValue,
    NarrativeRevision,
    ReportEvent,
    Target,
)
from treem.indicators.periods import Period, parse_period

# A commune's report is due 15 days after the period ends (a setting of the province in practice;
# the value is Treem's default and is shown with the report).
DUE_DAYS = 15


def entered_indicators(period_type: str):
    return Indicator.objects.filter(obtained="entered", is_active=True, period_type=period_type)


def report_open(*, actor, commune: Commune, period: str) -> CommuneReport:
    """The commune's report for the period, created empty the first time."""
    if not access.can_enter(actor, commune.code):
        raise PermissionDenied(_("Bạn không được nhập báo cáo của xã, phường này."))
    p = parse_period(period)
    with transaction.atomic():
        report, created = CommuneReport.objects.get_or_create(
            commune=commune,
            period=p.code,
            defaults={
                "period_type": p.kind,
                "year": p.year,
                "due_on": p.end + datetime.timedelta(days=DUE_DAYS),
            },
        )
        if created:
            audit_record(actor=actor, action="create", obj=report, details={"period": p.code})
    return report


def report_save(*, actor, report: CommuneReport, data, expected_version: int) -> forms_spec.Checked:
    """Save the whole report when every cell is valid; otherwise save nothing and return the
    errors. Warnings (a jump of more than 50%) do not stop the save."""
    if not access.can_edit_report(actor, report):
        raise PermissionDenied(
            _("Báo cáo này không ở trạng thái được sửa, hoặc không thuộc xã của bạn.")
        )
    period = parse_period(report.period)
    indicators = list(entered_indicators(report.period_type))
    blocks = forms_spec.blocks_for(indicators)
    checked = forms_spec.check(
        blocks,
        data,
        previous=forms_spec.previous_values(report.commune_id, period, indicators),
        require_all=False,
    )
    if checked.errors:
        return checked
    by_code = {i.code: i for i in indicators}
    with transaction.atomic():
        save_versioned(report, expected_version=expected_version, fields=["updated_at"])
        _write_values(report, period, by_code, checked.values)
        audit_record(
            actor=actor, action="update", obj=report, details={"cells": len(checked.values)}
        )
    return checked


def _write_values(report: CommuneReport, period: Period, by_code, values) -> None:
    keep = set()
    for (code, sex, age), (num, den) in values.items():
        obj, _created = IndicatorValue.objects.update_or_create(
            indicator=by_code[code],
            period=period.code,
            unit_code=report.commune_id,
            legacy_code="",
            sex=sex,
            age_group=age,
            defaults={
                "commune_id": report.commune_id,
                "province_id": report.commune.province_id,
                "year": period.year,
                "numerator": num,
                "denominator": den,
                "source": IndicatorValue.Source.ENTERED,
                "report": report,
                "is_final": False,
            },
        )
        keep.add(obj.pk)
    # A cell emptied by the commune no longer counts.
    report.values.exclude(pk__in=keep).delete()


def report_transition(
    *, actor, report: CommuneReport, move: str, expected_version: int, comment: str = ""
) -> CommuneReport:
    """Move the report along `access.REPORT_TRANSITIONS`, checked by role and commune."""
    moves = access.REPORT_TRANSITIONS.get(report.status, {})
    if move not in moves:
        raise ValidationError(
            _("Không thể thực hiện thao tác này khi báo cáo đang ở trạng thái “%(status)s”.")
            % {"status": report.get_status_display()}
        )
    if move not in access.allowed_moves(actor, report):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này với báo cáo."))
    comment = (comment or "").strip()
    if move in access.NEEDS_COMMENT and not comment:
        raise ValidationError({"comment": _("Hãy ghi ý kiến hoặc lý do để xã biết cần sửa gì.")})
    if move in ("submit", "resubmit"):
        indicators = list(entered_indicators(report.period_type))
        checked = forms_spec.check(
            forms_spec.blocks_for(indicators),
            forms_spec.initial_data(report),
            previous={},
            require_all=True,
        )
        if checked.errors:
            raise ValidationError(
                _("Báo cáo còn %(n)s ô chưa nhập hoặc chưa hợp lệ; hãy hoàn thành trước khi gửi.")
                % {"n": len(checked.errors)}
            )
    new_status = moves[move][0]
    now = timezone.now()
    with transaction.atomic():
        old = report.status
        report.status = new_status
        if move == "submit" and not report.submitted_at:
            report.submitted_at = now
        if move == "approve":
            report.approved_at = now
        if comment:
            report.last_comment = comment
        save_versioned(
            report,
            expected_version=expected_version,
            fields=["status", "submitted_at", "approved_at", "last_comment"],
        )
        # Approved figures count in every roll-up from the next page load; reopened ones stop
        # counting until approved again.
        if move == "approve":
            report.values.update(is_final=True)
        elif move == "reopen":
            report.values.update(is_final=False)
        ReportEvent.objects.create(
            report=report,
            at=now,
            actor=actor,
            action=move,
            from_status=old,
            to_status=new_status,
            comment=comment,
        )
        audit_record(
            actor=actor,
            action="update",
            obj=report,
            changes={"status": [old, new_status]},
            details={"move": move},
        )
    return report


def target_set(
    *,
    actor,
    indicator: Indicator,
    unit_code: str,
    year: int,
    value: Decimal,
    source_label: str,
    url: str = "",
) -> Target:
    target = Target.objects.filter(indicator=indicator, unit_code=unit_code, year=year).first()
    province = commune = None
    if len(unit_code) > 2:
        commune = Commune.objects.get(code=unit_code)
        province = commune.province
    elif unit_code != "VN":
        from treem.geo.models import Province

        province = Province.objects.get(code=unit_code)
    with transaction.atomic():
        if target is None:
            target = Target(indicator=indicator, unit_code=unit_code, year=year)
        target.province, target.commune = province, commune
        target.value, target.source_label, target.url = value, source_label, url
        target.full_clean()
        target.save()
        audit_record(actor=actor, action="update", obj=target, details={"year": year})
    return target


def narrative_save(
    *, actor, section: str, unit_code: str, year_from: int, year_to: int, html: str
) -> NarrativeRevision:
    """A new revision; earlier ones are kept (never overwritten). Rich text is sanitised."""
    import nh3

    clean = nh3.clean(
        html or "",
        tags={"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote"},
        attributes={},
    )
    with transaction.atomic():
        rev = NarrativeRevision(
            section=section,
            unit_code=unit_code,
            year_from=year_from,
            year_to=year_to,
            html=clean,
            author=actor,
        )
        rev.full_clean()
        rev.save()
        audit_record(actor=actor, action="update", obj=rev, details={"section": section})
    return rev


def narrative_current(section: str, unit_code: str, year_from: int, year_to: int) -> str:
    rev = NarrativeRevision.objects.filter(
        section=section, unit_code=unit_code, year_from=year_from, year_to=year_to
    ).first()
    return rev.html if rev else ""


# ---- Child-friendly communes (Decision 06/QĐ-TTg) ----


def child_friendly_result(evaluation: ChildFriendlyEvaluation) -> dict:
    """Total, threshold and verdict: the commune meets the standard when every criterion is met,
    none scores 0, and the total reaches the threshold of its kind (900 / 850 / 800)."""
    scores = {s.criterion_id: s for s in evaluation.scores.all()}
    criteria = list(ChildFriendlyCriterion.objects.all())
    total = sum(s.points for s in scores.values())
    threshold = ChildFriendlyThreshold.objects.filter(kind=evaluation.kind).first()
    reasons = []
    for c in criteria:
        s = scores.get(c.id)
        if s is None:
            reasons.append(_("Tiêu chí %(n)s chưa được chấm.") % {"n": c.number})
        elif s.points == 0:
            reasons.append(_("Tiêu chí %(n)s có 0 điểm.") % {"n": c.number})
        elif not s.met:
            reasons.append(_("Tiêu chí %(n)s chưa đạt.") % {"n": c.number})
    minimum = threshold.min_total if threshold else None
    if minimum is not None and total < minimum:
        reasons.append(
            _("Tổng điểm %(total)s thấp hơn mức %(min)s.") % {"total": total, "min": minimum}
        )
    return {"total": total, "threshold": minimum, "meets": not reasons, "reasons": reasons}


def child_friendly_save(
    *,
    actor,
    commune: Commune,
    year: int,
    kind: str,
    points: dict[int, int],
    met: dict[int, bool],
    reasons: dict[int, str] | None = None,
    auto: dict | None = None,
    expected_version: int | None = None,
) -> ChildFriendlyEvaluation:
    """Save the scores of a commune's evaluation (a draft). A criterion scored from its
    indicator (`child_friendly.auto_scores`) keeps the automatic points unless the evaluator gives
    other points with a reason; the automatic points, the figure and the reason are kept."""
    from treem.indicators.child_friendly import auto_scores

    if not access.can_evaluate(actor, commune.code):
        raise PermissionDenied(_("Bạn không được chấm điểm cho xã, phường này."))
    if kind not in CommuneKind.values:
        raise ValidationError({"kind": _("Chọn loại xã trong danh sách.")})
    reasons = reasons or {}
    criteria = {c.number: c for c in ChildFriendlyCriterion.objects.select_related("indicator")}
    if auto is None:
        auto = auto_scores(commune.code, year, list(criteria.values()))
    errors = {}
    for number, value in points.items():
        c = criteria.get(number)
        if c is None or value < 0 or value > c.max_points:
            errors[f"c{number}"] = _("Điểm phải từ 0 đến %(max)s.") % {
                "max": c.max_points if c else 0
            }
            continue
        a = auto.get(number)
        if a is not None and value != a.points and not reasons.get(number, "").strip():
            errors[f"c{number}"] = _(
                "Tiêu chí %(n)s: điểm %(p)s khác điểm tự tính từ số liệu (%(a)s). "
                "Ghi lý do điều chỉnh, hoặc giữ điểm tự tính."
            ) % {"n": number, "p": value, "a": a.points}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ev, created = ChildFriendlyEvaluation.objects.get_or_create(
            commune=commune, year=year, defaults={"kind": kind}
        )
        if ev.status not in (ChildFriendlyEvaluation.Status.DRAFT,):
            raise ValidationError(_("Bản tự đánh giá đã gửi, không sửa được nữa."))
        ev.kind = kind
        if created or expected_version is None:
            ev.save(update_fields=["kind"])
        else:
            # The page sends the version it showed: a second evaluator saving over the first
            # is refused (save_versioned raises) instead of silently replacing their scores.
            save_versioned(ev, expected_version=expected_version, fields=["kind"])
        overridden = {}
        for number, value in points.items():
            a = auto.get(number)
            reason = reasons.get(number, "").strip() if a is None or value != a.points else ""
            if a is not None and value != a.points:
                overridden[number] = [a.points, value]
            ChildFriendlyScore.objects.update_or_create(
                evaluation=ev,
                criterion=criteria[number],
                defaults={
                    "points": value,
                    "met": met.get(number, a.met if a is not None else value > 0),
                    "auto_points": a.points if a is not None else None,
                    "auto_value": a.value if a is not None else None,
                    "override_reason": reason,
                },
            )
        audit_record(
            actor=actor,
            action="update",
            obj=ev,
            details={"year": year, "overridden": {str(k): v for k, v in overridden.items()}},
        )
    return ev


CF_TRANSITIONS = {
    ChildFriendlyEvaluation.Status.DRAFT: {"submit": ChildFriendlyEvaluation.Status.SUBMITTED},
    ChildFriendlyEvaluation.Status.SUBMITTED: {"review": ChildFriendlyEvaluation.Status.REVIEWED},
    ChildFriendlyEvaluation.Status.REVIEWED: {
        "recognise": ChildFriendlyEvaluation.Status.RECOGNISED,
        "refuse": ChildFriendlyEvaluation.Status.NOT_RECOGNISED,
    },
}


def child_friendly_transition(
    *,
    actor,
    evaluation: ChildFriendlyEvaluation,
    move: str,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
) -> ChildFriendlyEvaluation:
    from treem.accounts.policy import Action, can

    nxt = CF_TRANSITIONS.get(evaluation.status, {}).get(move)
    if nxt is None:
        raise ValidationError(_("Không thể thực hiện thao tác này ở trạng thái hiện tại."))
    needed = Action.INDICATOR_ENTER if move == "submit" else Action.INDICATOR_REVIEW
    if not can(actor, needed) or not access.covers_unit(actor, evaluation.commune_id):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
    if move == "recognise":
        if not child_friendly_result(evaluation)["meets"]:
            raise ValidationError(_("Xã chưa đạt chuẩn nên không thể công nhận."))
        if not decision_number:
            raise ValidationError({"decision_number": _("Nhập số quyết định công nhận.")})
    with transaction.atomic():
        old = evaluation.status
        evaluation.status = nxt
        evaluation.decision_number = decision_number or evaluation.decision_number
        evaluation.decision_date = decision_date or evaluation.decision_date
        save_versioned(
            evaluation,
            expected_version=evaluation.version,
            fields=["status", "decision_number", "decision_date"],
        )
        audit_record(actor=actor, action="update", obj=evaluation, changes={"status": [old, nxt]})
    return evaluation
